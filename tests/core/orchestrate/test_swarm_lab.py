"""A real Docker Swarm formed from three lab devices on one LAN: the join token travels in
the Engine API request over SSH, nodes are labelled from their hardware, and the retail
stack's scanner service lands on the device with the scanner (a worker, not the manager)."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cli.run import edgegui
from tests.conftest import start_lab
from tests.lab import Lab
from tests.lab.images import import_busybox_image

pytestmark = [pytest.mark.lab, pytest.mark.slow]
IMAGES = ("edgegui/pos-service:latest", "edgegui/inventory-sync:latest")


@pytest.fixture(scope="module")
def site() -> Iterator[Lab]:
    lab = start_lab([None, "gateway", None], shared_link=True)
    try:
        for device in lab.devices:
            for tag in IMAGES:
                import_busybox_image(device, tag)
        yield lab
    finally:
        lab.stop()


@pytest.mark.skipif(not shutil.which("strace"), reason="needs strace (scripts/system-deps lab)")
def test_swarm_places_the_scanner_service_on_the_scanner_device(site: Lab, tmp_path: Path) -> None:
    csv = tmp_path / "site.csv"
    csv.write_text(
        "target,name,identity,known_hosts\n"
        + "".join(f"{d.ssh_target},{d.name},{d.key_path},{d.known_hosts}\n" for d in site.devices)
    )
    # Every program the devices' sshd start is traced: the join token must be in none.
    trace = tmp_path / "execve.txt"
    sshds = [arg for d in site.devices for arg in ("-p", str(d.procs["sshd"].pid))]
    tracer = subprocess.Popen(["strace", "-f", "-qq", "-s", "4096", "-e", "trace=execve",
                               "-e", "signal=none", "-o", str(trace), *sshds])  # fmt: skip
    try:
        result = edgegui("swarm", "deploy", "--devices", str(csv), "--template", "retail",
                         "--set-env", "CLOUD_API_TOKEN=TOK", "--json", "--timeout", "150",
                         env={"TOK": "tok-" + "s" * 24}, timeout=400)  # fmt: skip
    finally:
        tracer.terminate()
        tracer.wait(10)
    assert result.returncode == 0, result.stderr
    token = site.devices[0].exec(["docker", "swarm", "join-token", "-q", "worker"]).strip()
    assert token.startswith("SWMTKN-") and "execve(" in trace.read_text()
    assert token not in trace.read_text()
    out = json.loads(result.stdout)
    nodes = {n["name"]: n for n in out["nodes"]}
    assert nodes["edge1"]["role"] == "manager" and nodes["edge1"]["joined"] == "initialised"
    assert {nodes["edge2"]["joined"], nodes["edge3"]["joined"]} == {"joined"}
    assert out["services"]["pos-service"] == "edge2"  # the gateway has the scanner
    manager = site.devices[0]
    listing = manager.exec(["docker", "node", "ls", "--format", "{{.Hostname}}"]).split()
    assert sorted(listing) == ["edge1", "edge2", "edge3"]
    labels = json.loads(
        manager.exec(["docker", "node", "inspect", "edge2", "--format", "{{json .Spec.Labels}}"])
    )
    assert labels["edgegui.scanner"] == "true" and labels["edgegui.serial"] == "true"
    plain = manager.exec(
        ["docker", "node", "inspect", "edge3", "--format", "{{json .Spec.Labels}}"]
    )
    assert "edgegui.scanner" not in plain
    # A second run reuses the swarm: nobody joins twice.
    again = edgegui("swarm", "form", "--devices", str(csv), "--json", timeout=200)
    assert again.returncode == 0, again.stderr
    assert {n["joined"] for n in json.loads(again.stdout)} == {"already a member"}
