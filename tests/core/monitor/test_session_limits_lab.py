"""Status stays complete on hardened sshd: few sessions per connection (MaxSessions 2)."""

from __future__ import annotations

import json
from collections.abc import Iterator

import docker
import pytest

from tests.cli.run import edgegui
from tests.core.monitor.labstack import device_running, run_service, shell
from tests.lab import LabDevice
from tests.lab.flags import DeviceFlags

pytestmark = pytest.mark.lab
COUNT = 20


def twenty(client: docker.DockerClient) -> None:
    for index in range(1, COUNT + 1):
        run_service(client, "plant", "sensor", shell("sleep 3600"), index=index, mem_limit="64m")


@pytest.fixture(
    scope="module",
    params=[
        DeviceFlags(max_sessions=2),
        DeviceFlags(max_sessions=2, stream_forwarding=False),  # dial-stdio: sessions too
    ],
    ids=["streamlocal", "dial-stdio"],
)
def hardened(request: pytest.FixtureRequest) -> Iterator[LabDevice]:
    with device_running(twenty, request.param) as device:
        yield device


def test_status_of_twenty_containers_is_complete(hardened: LabDevice):
    result = edgegui(
        "status", hardened.ssh_target, "--identity", str(hardened.key_path),
        "--known-hosts", str(hardened.known_hosts), "--json",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "Secsh" not in result.stderr and "Traceback" not in result.stderr
    stacks = {stack["name"]: stack for stack in json.loads(result.stdout)["stacks"]}
    containers = stacks["plant"]["containers"]
    assert len(containers) == COUNT
    for container in containers:
        assert container["state"] == "running", container
        assert container["mem_bytes"] and container["mem_limit"], container
        assert not container["errors"], container
