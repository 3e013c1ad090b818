"""A rendered Swarm stack deployed with ``docker stack deploy`` on a lab dockerd."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time

import pytest

from tests.lab.images import import_busybox_image

pytestmark = pytest.mark.lab


@pytest.mark.skipif(not shutil.which("docker"), reason="needs the docker CLI")
def test_swarm_stack_deploys_on_a_lab_dockerd(scratch_device) -> None:
    device = scratch_device
    import_busybox_image(device, "lab/busybox:1")
    device.exec(["docker", "swarm", "init", "--advertise-addr", device.ip])
    out = device.state / "stack" / "telecom.yml"
    out.parent.mkdir()
    render = subprocess.run(
        [
            sys.executable,
            "-m",
            "edgegui",
            "render",
            "telecom",
            "--format",
            "swarm",
            "--set",
            "VIRTUAL_RAN_IMAGE=lab/busybox:1",
            "--set",
            "MEC_IMAGE=lab/busybox:1",
            "-o",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert render.returncode == 0, render.stderr
    device.exec(["docker", "stack", "deploy", "--compose-file", str(out), "telecom"])
    services = device.exec(["docker", "stack", "services", "telecom", "--format", "{{.Name}}"])
    assert sorted(services.split()) == ["telecom_mobile-edge-compute", "telecom_virtual-ran"]
    deadline = time.monotonic() + 90
    states: list[str] = []
    while time.monotonic() < deadline:
        tasks = device.exec(
            ["docker", "stack", "ps", "telecom", "--format", "{{json .}}", "--no-trunc"]
        )
        states = [json.loads(line)["CurrentState"] for line in tasks.splitlines() if line]
        running = {
            json.loads(line)["Name"].split(".")[0]
            for line in tasks.splitlines()
            if line and json.loads(line)["CurrentState"].startswith("Running")
        }
        if running == {"telecom_mobile-edge-compute", "telecom_virtual-ran"}:
            break
        time.sleep(1)
    else:
        pytest.fail(f"stack tasks never all ran: {states}")
    device.exec(["docker", "stack", "rm", "telecom"])
