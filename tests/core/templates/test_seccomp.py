"""The edge seccomp profiles, how they are derived, and how every format carries them."""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml

from edgegui.core.resources import resource_path
from edgegui.core.templates import RenderedStack, load_template_file, render_stack
from edgegui.core.templates.seccomp import engine_options, profile_names, profile_text
from tests.core.templates.conftest import compose_config, kubernetes_documents, write_bundle

SCRIPT = Path(__file__).resolve().parents[3] / "scripts" / "derive_seccomp.py"
# Syscalls the issue names; none may be allowed by edge-default, whatever the capabilities.
MUST_BLOCK = {
    "init_module",
    "finit_module",
    "delete_module",
    "kexec_load",
    "kexec_file_load",
    "mount",
    "umount2",
    "unshare",
    "setns",
    "ptrace",
    "bpf",
    "perf_event_open",
    "clock_settime",
    "settimeofday",
    "adjtimex",
}


def derive_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("derive_seccomp", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def allowed(profile: dict[str, Any], caps: frozenset[str] | set[str] = frozenset()) -> set[str]:
    """Syscalls some rule allows for a container holding ``caps`` (arguments aside)."""
    names: set[str] = set()
    for rule in profile["syscalls"]:
        need = set((rule.get("includes") or {}).get("caps", ()))
        if rule["action"] == "SCMP_ACT_ALLOW" and need <= caps:
            names.update(rule["names"])
    return names


def profile(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(profile_text(name))
    return data


def test_built_in_profiles_are_listed() -> None:
    assert profile_names() == ["edge-clock", "edge-default"]


@pytest.mark.parametrize("caps", [set(), {"CAP_SYS_ADMIN", "CAP_SYS_PTRACE", "CAP_SYS_MODULE"}])
def test_edge_default_blocks_what_an_edge_service_has_no_business_calling(caps: set[str]) -> None:
    edge = profile("edge-default")
    assert edge["defaultAction"] == "SCMP_ACT_ERRNO" and edge["defaultErrnoRet"] == 1  # EPERM
    assert not MUST_BLOCK & allowed(edge, caps)
    assert {"read", "write", "execve", "clone", "socket", "futex"} <= allowed(edge)


def test_edge_default_means_the_same_to_a_reader_that_ignores_conditions() -> None:
    """containerd (Kubernetes Localhost profiles) reads the file as a plain OCI profile."""
    edge = profile("edge-default")
    for rule in edge["syscalls"]:
        assert "excludes" not in rule, rule["names"]
        includes = rule.get("includes") or {}
        assert "minKernel" not in includes, rule["names"]
        assert set(includes.get("arches", ())) <= {"amd64", "x32", "x86", "arm", "arm64"}
    ignoring_conditions = {
        name
        for rule in edge["syscalls"]
        if rule["action"] == "SCMP_ACT_ALLOW"
        for name in rule["names"]
    }
    assert not MUST_BLOCK & ignoring_conditions
    clone = [r for r in edge["syscalls"] if r["names"] == ["clone"]]
    assert len(clone) == 1 and clone[0]["args"][0]["op"] == "SCMP_CMP_MASKED_EQ"
    clone3 = next(r for r in edge["syscalls"] if r["names"] == ["clone3"])
    assert clone3["action"] == "SCMP_ACT_ERRNO" and clone3["errnoRet"] == 38  # ENOSYS


def test_edge_clock_adds_clock_setting_for_cap_sys_time_only() -> None:
    clock, edge = profile("edge-clock"), profile("edge-default")
    assert clock["syscalls"][:-1] == edge["syscalls"]
    assert allowed(clock) == allowed(edge)
    assert {"clock_settime", "adjtimex"} <= allowed(clock, {"CAP_SYS_TIME"})


def test_derivation_removes_syscalls_even_from_capability_rules() -> None:
    script = derive_script()
    docker_like = {
        "defaultAction": "SCMP_ACT_ERRNO",
        "defaultErrnoRet": 1,
        "archMap": [
            {"architecture": "SCMP_ARCH_X86_64", "subArchitectures": ["SCMP_ARCH_X86"]},
            {"architecture": "SCMP_ARCH_S390X", "subArchitectures": ["SCMP_ARCH_S390"]},
        ],
        "syscalls": [
            {"names": ["read", "adjtimex", "io_uring_setup"], "action": "SCMP_ACT_ALLOW"},
            {
                "names": ["ptrace"],
                "action": "SCMP_ACT_ALLOW",
                "includes": {"minKernel": "4.8"},
            },
            {
                "names": ["mount", "clone", "sethostname"],
                "action": "SCMP_ACT_ALLOW",
                "includes": {"caps": ["CAP_SYS_ADMIN"]},
            },
            {
                "names": ["clone"],
                "action": "SCMP_ACT_ALLOW",
                "args": [{"index": 0, "value": 2114060288, "op": "SCMP_CMP_MASKED_EQ"}],
                "excludes": {"caps": ["CAP_SYS_ADMIN"], "arches": ["s390", "s390x"]},
            },
            {
                "names": ["s390_runtime_instr"],
                "action": "SCMP_ACT_ALLOW",
                "includes": {"arches": ["s390", "s390x"]},
            },
            {
                "names": ["chroot"],
                "action": "SCMP_ACT_ALLOW",
                "includes": {"caps": ["CAP_SYS_CHROOT"]},
            },
        ],
    }
    derived = script.derive(docker_like)
    assert [r["names"] for r in derived["syscalls"]] == [["read"], ["clone"], ["chroot"]]
    assert "excludes" not in derived["syscalls"][1]
    assert [a["architecture"] for a in derived["archMap"]] == ["SCMP_ARCH_X86_64"]
    clocked = script.derive(docker_like, clock=True)
    assert clocked["syscalls"][-1]["includes"] == {"caps": ["CAP_SYS_TIME"]}
    assert script.canonical_digest(docker_like) == script.canonical_digest(
        json.loads(json.dumps(docker_like, indent=4))
    )


def test_committed_profiles_are_the_script_output_of_their_own_rules() -> None:
    """Deriving again from a profile that already is edge-default changes nothing."""
    script = derive_script()
    edge = profile("edge-default")
    assert script.render(script.derive(edge)) == profile_text("edge-default")


def test_every_service_but_a_privileged_one_gets_edge_default(tmp_path: Path) -> None:
    stack = render_stack("telecom")
    services = stack.compose["services"]
    assert "seccomp=./seccomp/edge-default.json" in services["mobile-edge-compute"]["security_opt"]
    # Docker runs a privileged container unconfined whatever it is told: no profile is claimed.
    assert not any("seccomp" in o for o in services["virtual-ran"].get("security_opt", ()))
    assert stack.services["virtual-ran"].seccomp is None
    assert stack.seccomp_profiles == {"edge-default": profile_text("edge-default")}
    main = write_bundle(stack, "compose", tmp_path)
    assert (tmp_path / "seccomp" / "edge-default.json").read_text() == profile_text("edge-default")
    assert "seccomp/edge-default.json (seccomp profile)" in main.read_text()
    checked = compose_config(main, "--format", "json")
    assert checked.returncode == 0, checked.stderr
    opts = json.loads(checked.stdout)["services"]["mobile-edge-compute"]["security_opt"]
    assert opts == ["no-new-privileges:true", "seccomp=./seccomp/edge-default.json"]


def service_template(tmp_path: Path, extension: str) -> Path:
    path = tmp_path / "svc.yaml"
    path.write_text(
        "schema_version: 1\n"
        "metadata: {name: svc, title: One service, description: x, version: 1.0.0}\n"
        "stack:\n  services:\n    app:\n      image: example/app:1\n"
        f"      x-edgegui:\n{extension}",
        encoding="utf-8",
    )
    return path


def test_a_template_names_a_profile_or_waives_it(tmp_path: Path) -> None:
    named = service_template(tmp_path, "        seccomp: edge-clock\n")
    stack = render_stack(load_template_file(named))
    assert (
        stack.compose["services"]["app"]["security_opt"][-1] == "seccomp=./seccomp/edge-clock.json"
    )
    waived = service_template(
        tmp_path,
        "        waivers:\n          seccomp: The vendor runtime calls io_uring at start.\n",
    )
    stack = render_stack(load_template_file(waived))
    assert stack.compose["services"]["app"]["security_opt"] == ["no-new-privileges:true"]
    assert stack.seccomp_profiles == {}
    labels = stack.compose["services"]["app"]["labels"]
    assert labels["io.edgegui.waiver.seccomp"] == "The vendor runtime calls io_uring at start."


def test_engine_api_gets_the_profile_json_not_a_path() -> None:
    options = engine_options(["no-new-privileges:true", "seccomp=./seccomp/edge-default.json"])
    assert options[0] == "no-new-privileges:true"
    sent = json.loads(options[1].removeprefix("seccomp="))
    assert sent == profile("edge-default") and " " not in options[1]


def test_kubernetes_uses_the_profile_as_a_localhost_profile(
    render_builtin: Callable[..., RenderedStack],
) -> None:
    stack = render_builtin("industrial")
    text = stack.to_k8s_yaml()
    pods = [d for d in kubernetes_documents(text) if d["kind"] == "Deployment"]
    for pod in pods:
        assert pod["spec"]["template"]["spec"]["securityContext"]["seccompProfile"] == {
            "type": "Localhost",
            "localhostProfile": "edgegui/edge-default.json",
        }
    assert "/var/lib/kubelet/seccomp/edgegui/edge-default.json on every node" in text
    assert "seccomp/edge-default.json" in stack.bundle("k8s")


def test_swarm_says_it_cannot_carry_the_profile(
    render_builtin: Callable[..., RenderedStack],
) -> None:
    stack = render_builtin("industrial")
    assert any("cannot name a seccomp profile" in n for n in stack.limitations("swarm"))
    assert not any(path.startswith("seccomp/") for path in stack.bundle("swarm"))


def inventory_with(security_options: list[str]) -> dict[str, Any]:
    return {"docker": {"reachable": True, "security_options": security_options}}


def test_apparmor_only_where_the_device_enforces_it(tmp_path: Path) -> None:
    enforced = render_stack(
        "telecom", inventory=inventory_with(["name=apparmor", "name=seccomp,profile=default"])
    )
    mec = enforced.compose["services"]["mobile-edge-compute"]["security_opt"]
    assert "apparmor=docker-default" in mec
    assert "apparmor=docker-default" not in str(enforced.compose["services"]["virtual-ran"])
    pod = next(
        d
        for d in kubernetes_documents(enforced.to_k8s_yaml())
        if d["kind"] == "Deployment" and d["metadata"]["name"] == "mobile-edge-compute"
    )
    annotations = pod["spec"]["template"]["metadata"]["annotations"]
    key = "container.apparmor.security.beta.kubernetes.io/mobile-edge-compute"
    assert annotations[key] == "runtime/default"
    checked = compose_config(write_bundle(enforced, "compose", tmp_path), "-q")
    assert checked.returncode == 0, checked.stderr

    absent = render_stack("telecom", inventory=inventory_with(["name=seccomp,profile=default"]))
    assert not any("apparmor" in str(o) for o in security_options(absent))
    assert "AppArmor is not enabled on the device's engine" in absent.to_compose_yaml()
    no_filter = render_stack("telecom", inventory=inventory_with([]))
    assert not any(o.startswith("seccomp=") for o in security_options(no_filter))
    assert "no seccomp filter confines these services" in no_filter.to_compose_yaml()


def security_options(stack: RenderedStack) -> list[str]:
    """Every security_opt entry of the written Compose file."""
    services = yaml.safe_load(stack.to_compose_yaml())["services"]
    return [str(o) for body in services.values() for o in body.get("security_opt", ())]


def test_profiles_ship_as_resources() -> None:
    folder = resource_path("seccomp")
    assert sorted(p.name for p in folder.glob("*.json")) == ["edge-clock.json", "edge-default.json"]
