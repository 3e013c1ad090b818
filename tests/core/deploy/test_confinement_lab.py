"""seccomp and AppArmor on a real lab engine: a built-in template deployed with stand-in images.

The lab engine is Debian's dockerd; whether it has AppArmor depends on the host kernel, so
the AppArmor tests each skip (saying why) on the kind of host they do not apply to.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from edgegui.core.deploy import DeployResult, deploy_stack, remove_stack
from edgegui.core.resources import resource_path
from edgegui.core.security_options import engine_confinement
from edgegui.core.templates import render_stack
from edgegui.core.transport.base import Transport
from tests.core.deploy.conftest import connect, engine
from tests.lab import LabDevice
from tests.lab.images import import_busybox_image

pytestmark = pytest.mark.lab
STACK = "mec"
STAND_IN = "lab/telecom-stand-in:1"
BUSYBOX = "/bin/busybox"  # the stand-in links only a few applets; busybox has the rest
# PID 1 ignores SIGTERM unless it traps it; the trap keeps stops quick.
SERVE = '["/bin/sh", "-c", "trap \'exit 0\' TERM; sleep 3600 & wait"]'


@pytest.fixture(scope="module")
def deployed(site: LabDevice) -> Iterator[DeployResult]:
    """The telecom template, both services on a busybox stand-in, deployed once."""
    import_busybox_image(site, STAND_IN, SERVE)
    rendered = render_stack(
        "telecom", {"VIRTUAL_RAN_IMAGE": STAND_IN, "MEC_IMAGE": STAND_IN, "MEC_PORT": "19000"}
    )
    transport = connect(site)
    try:
        result = deploy_stack(transport, rendered, stack=STACK, health_timeout=60)
        yield result
        remove_stack(transport, STACK)
    finally:
        transport.close()


def run_in(
    device: LabDevice, container: str, command: list[str], user: str = ""
) -> tuple[int, str]:
    client = engine(device)
    try:
        code, output = client.containers.get(container).exec_run(command, user=user)
    finally:
        client.close()
    return code, output.decode(errors="replace")


def test_the_edge_profile_still_runs_the_stand_in_services(deployed: DeployResult) -> None:
    assert deployed.ok, deployed.reason
    assert {name: s.state for name, s in deployed.services.items()} == {
        "mobile-edge-compute": "running",
        "virtual-ran": "running",
    }
    assert "seccomp edge-default: mobile-edge-compute" in deployed.security
    assert "seccomp none (privileged: Docker runs it unconfined): virtual-ran" in deployed.security


def test_blocked_syscalls_get_eperm_inside_a_template_container(
    site: LabDevice, deployed: DeployResult
) -> None:
    name = f"{STACK}-mobile-edge-compute-1"
    code, status = run_in(site, name, ["cat", "/proc/1/status"])
    assert code == 0 and "Seccomp:\t2" in status  # a filter is installed on the service
    code, out = run_in(site, name, [BUSYBOX, "unshare", "-U", "true"])
    assert code != 0 and "unshare(0x10000000): Operation not permitted" in out
    # As root inside the container too: the filter answers before any capability check.
    code, out = run_in(site, name, [BUSYBOX, "mount", "-t", "tmpfs", "none", "/tmp"], user="0")
    assert code != 0 and "permission denied" in out
    code, out = run_in(site, name, [BUSYBOX, "adjtimex"])
    assert code != 0 and "Operation not permitted" in out


def test_docker_default_profile_would_have_allowed_what_edge_default_blocks(
    site: LabDevice, deployed: DeployResult
) -> None:
    """The control: same image, same user, no caps, Docker's own profile: adjtimex reads."""
    client = engine(site)
    try:
        output = client.containers.run(
            STAND_IN, [BUSYBOX, "adjtimex"], remove=True, cap_drop=["ALL"], user="65534:65534"
        )
    finally:
        client.close()
    assert b"frequency" in output or b"offset" in output


def test_a_privileged_service_is_not_claimed_to_be_filtered(
    site: LabDevice, deployed: DeployResult
) -> None:
    client = engine(site)
    try:
        ran = client.containers.get(f"{STACK}-virtual-ran-1").attrs["HostConfig"]
    finally:
        client.close()
    assert ran["Privileged"] is True
    assert not any(str(o).startswith("seccomp=") for o in ran.get("SecurityOpt") or ())


def test_the_profile_is_copied_beside_the_compose_file_on_the_device(
    transport: Transport, deployed: DeployResult
) -> None:
    folder = f".local/share/edgegui/stacks/{STACK}"
    copied = transport.run(["cat", f"{folder}/seccomp/edge-default.json"])
    assert copied.ok
    assert copied.text == resource_path("seccomp", "edge-default.json").read_text()
    compose = transport.run(["cat", f"{folder}/compose.yaml"]).text
    assert "seccomp=./seccomp/edge-default.json" in compose


def lab_apparmor(device: LabDevice) -> tuple[bool, list[str]]:
    client = engine(device)
    try:
        options = list(client.info().get("SecurityOptions") or [])
    finally:
        client.close()
    return engine_confinement(options)[1], options


def test_without_apparmor_the_result_says_so_and_no_container_claims_it(
    site: LabDevice, deployed: DeployResult
) -> None:
    enabled, options = lab_apparmor(site)
    if enabled:
        pytest.skip(f"the lab engine enforces AppArmor (SecurityOptions {options})")
    assert (
        "AppArmor: not enabled on the device; no AppArmor profile confines the services"
        in deployed.security
    )
    client = engine(site)
    try:
        for container in client.containers.list(
            filters={"label": f"com.docker.compose.project={STACK}"}
        ):
            assert container.attrs["AppArmorProfile"] == "", container.name
            assert not any(
                "apparmor" in o for o in container.attrs["HostConfig"]["SecurityOpt"] or ()
            )
    finally:
        client.close()


def test_with_apparmor_services_run_under_docker_default(
    site: LabDevice, deployed: DeployResult
) -> None:
    enabled, options = lab_apparmor(site)
    if not enabled:
        pytest.skip(f"the lab engine has no AppArmor (SecurityOptions {options})")
    assert "AppArmor docker-default: mobile-edge-compute" in deployed.security
    code, label = run_in(site, f"{STACK}-mobile-edge-compute-1", ["cat", "/proc/self/attr/current"])
    assert code == 0 and label.startswith("docker-default")
