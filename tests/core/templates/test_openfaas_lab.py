"""The openfaas add-on deployed with ``docker stack deploy`` on a lab swarm, stand-in images.

No registry is reachable: the gateway and provider images are busybox stand-ins under the
upstream names. The provider's stand-in exits unless it can write the Docker socket, so a
running provider proves the mount, the socket group and the hardening fit together.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
import urllib.request

import pytest

from edgegui.core.templates import load_template
from tests.lab import LabDevice
from tests.lab.images import import_busybox_image

pytestmark = pytest.mark.lab
PORT = 18080
SERVICES = {
    "telecom_gateway",
    "telecom_faas-swarm",
    "telecom_mobile-edge-compute",
    "telecom_virtual-ran",
}
GATEWAY = '["/bin/sh", "-c", "echo gateway > /tmp/index.html; exec httpd -f -p 8080 -h /tmp"]'
PROVIDER = (
    '["/bin/sh", "-c", "test -w /var/run/docker.sock || exit 3; '
    'echo provider > /tmp/index.html; exec httpd -f -p 8080 -h /tmp"]'
)


def upstream_images() -> tuple[str, str]:
    parameters = load_template("openfaas", kind="addon").parameters
    gateway = parameters["OPENFAAS_GATEWAY_IMAGE"].default
    provider = parameters["OPENFAAS_PROVIDER_IMAGE"].default
    return str(gateway), str(provider)


def wait_running(device: LabDevice, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    states: list[str] = []
    while time.monotonic() < deadline:
        tasks = device.exec(["docker", "stack", "ps", "telecom", "--format", "{{json .}}"])
        rows = [json.loads(line) for line in tasks.splitlines() if line]
        states = [f"{r['Name']}: {r['CurrentState']} {r['Error']}" for r in rows]
        running = {r["Name"].split(".")[0] for r in rows if r["CurrentState"].startswith("Running")}
        if running == SERVICES:
            return
        time.sleep(1)
    pytest.fail(f"stack tasks never all ran: {states}")


def inspect_service(device: LabDevice, name: str) -> dict:
    data: list[dict] = json.loads(device.exec(["docker", "service", "inspect", name]))
    return data[0]


@pytest.mark.skipif(not shutil.which("docker"), reason="needs the docker CLI")
def test_openfaas_runs_on_a_lab_swarm(scratch_device: LabDevice) -> None:
    device = scratch_device
    gateway_image, provider_image = upstream_images()
    import_busybox_image(device, "lab/busybox:1")
    import_busybox_image(device, gateway_image, GATEWAY)
    import_busybox_image(device, provider_image, PROVIDER)
    docker_gid = device.exec(["stat", "-L", "-c", "%g", "/var/run/docker.sock"]).strip()
    device.exec(["docker", "swarm", "init", "--advertise-addr", device.ip])
    out = device.state / "stack" / "openfaas.yml"
    out.parent.mkdir()
    values = {
        "VIRTUAL_RAN_IMAGE": "lab/busybox:1",
        "MEC_IMAGE": "lab/busybox:1",
        "DOCKER_GID": docker_gid,
        "GATEWAY_PORT": str(PORT),
        "GATEWAY_UPSTREAM_TIMEOUT": "30s",
    }
    render = subprocess.run(
        [sys.executable, "-m", "edgegui", "render", "telecom", "--addon", "openfaas"]
        + [arg for name, value in values.items() for arg in ("--set", f"{name}={value}")]
        + ["--format", "swarm", "-o", str(out)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert render.returncode == 0, render.stderr
    assert "security waiver: faas-swarm: mounts the Docker socket" in render.stderr
    device.exec(["docker", "stack", "config", "-c", str(out)])
    # No registry answers: never ask one for image digests (each try waits for DNS).
    device.exec(
        ["docker", "stack", "deploy", "--resolve-image", "never", "-c", str(out), "telecom"]
    )
    try:
        wait_running(device)
        gateway = inspect_service(device, "telecom_gateway")["Spec"]["TaskTemplate"]
        assert gateway["Resources"]["Limits"]["MemoryBytes"] == 128 * 1024 * 1024
        assert gateway["ContainerSpec"]["Env"].count("upstream_timeout=30s") == 1
        provider = inspect_service(device, "telecom_faas-swarm")["Spec"]["TaskTemplate"]
        assert "node.role == manager" in provider["Placement"]["Constraints"]
        assert provider["ContainerSpec"]["User"] == f"65534:{docker_gid}"
        mounts = provider["ContainerSpec"]["Mounts"]
        assert {"Type": "bind", "Source": "/var/run/docker.sock"}.items() <= mounts[0].items()
        network = json.loads(device.exec(["docker", "network", "inspect", "telecom_default"]))[0]
        assert network["Labels"]["openfaas"] == "true" and network["Attachable"] is True
        # Swarm publishes on every address of the node, as the rendered file warns.
        with urllib.request.urlopen(f"http://{device.ip}:{PORT}/index.html", timeout=10) as reply:  # noqa: S310
            assert reply.read().strip() == b"gateway"
        container = device.exec(
            [
                "docker",
                "ps",
                "-q",
                "--filter",
                "label=com.docker.swarm.service.name=telecom_gateway",
            ]
        ).split()[0]
        # The provider by its task addresses on the stack network (tasks.NAME): the lab kernel
        # may lack IPVS, which Swarm's virtual IPs need; the name and the route are the same.
        upstream = device.exec(
            ["docker", "exec", container, "wget", "-qO-", "http://tasks.faas-swarm:8080/index.html"]
        )
        assert upstream.strip() == "provider"
    finally:
        device.exec(["docker", "stack", "rm", "telecom"], check=False)
