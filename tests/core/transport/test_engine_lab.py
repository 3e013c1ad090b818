"""Every Docker path finds the engine where the device's user really has it.

Lab variants (tests/lab/flags.py): DOCKER_HOST in the user's ~/.profile, a docker context, a
rootless socket layout, and a hardened sshd (no stream forwarding, MaxSessions 2) that
leaves only ``docker system dial-stdio`` on few sessions. Each is driven end to end through
the CLI: discover, deploy, status, logs, diagnose, remove.
"""

from __future__ import annotations

import json
import tarfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cli.run import edgegui
from tests.conftest import one_device
from tests.core.deploy.conftest import web_bundle
from tests.lab import LabDevice
from tests.lab.flags import EDGE_SOCKET, DeviceFlags

pytestmark = pytest.mark.lab
TEMPLATE = Path(__file__).parents[1] / "deploy" / "web.yaml"

VARIANTS = {
    "dockerhost-in-profile": (DeviceFlags(engine="dockerhost"), "login-environment"),
    "docker-context": (DeviceFlags(engine="context"), "context edge"),
    "rootless-socket": (DeviceFlags(engine="rootless"), "rootless"),
    "dial-stdio-two-sessions": (
        DeviceFlags(engine="dockerhost", stream_forwarding=False, max_sessions=2),
        "login-environment",
    ),
}


@pytest.fixture(scope="module", params=sorted(VARIANTS))
def variant(request: pytest.FixtureRequest) -> Iterator[tuple[LabDevice, str]]:
    flags, source = VARIANTS[request.param]
    with one_device(flags=flags) as device:
        yield device, source


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return web_bundle(tmp_path_factory.mktemp("engine-bundle"))


def ssh(device: LabDevice) -> list[str]:
    return device.ssh_cli


def test_discovery_reports_the_users_engine(variant: tuple[LabDevice, str]):
    device, source = variant
    result = edgegui("discover", *ssh(device), "--json")
    assert result.returncode == 0, result.stderr
    docker = json.loads(result.stdout)["docker"]
    assert docker["reachable"], docker["reason"]
    assert docker["engine_from"] == source
    assert docker["engine"] == f"unix://{device.engine_socket}"
    assert device.engine_socket != "/run/docker.sock"


def test_deploy_status_logs_diagnose_remove(
    variant: tuple[LabDevice, str], bundle: Path, tmp_path: Path
):
    device, _ = variant
    deploy = edgegui(
        "deploy", *ssh(device), "--template", str(TEMPLATE), "--bundle", str(bundle),
        "--stack", "web", "--json",
    )  # fmt: skip
    assert deploy.returncode == 0, deploy.stderr
    assert json.loads(deploy.stdout)["ok"]
    if device.flags.max_sessions == 2:
        assert "allows only 2 SSH sessions" in deploy.stderr or deploy.stderr == ""

    status = edgegui("status", *ssh(device), "--json")
    assert status.returncode == 0, status.stderr
    stacks = {stack["name"]: stack for stack in json.loads(status.stdout)["stacks"]}
    assert len(stacks["web"]["containers"]) == 2

    logs = edgegui("logs", *ssh(device), "web-worker-1", "--tail", "5")
    assert logs.returncode == 0, logs.stderr

    archive = tmp_path / "diag.tar.gz"
    diagnose = edgegui("diagnose", *ssh(device), "-o", str(archive))
    assert diagnose.returncode == 0, diagnose.stderr
    with tarfile.open(archive) as tar:
        info = json.loads(tar.extractfile(_member(tar, "docker/info.json")).read())  # type: ignore[union-attr]
    assert info.get("ServerVersion")

    remove = edgegui("remove", *ssh(device), "--stack", "web", "--volumes", "--yes")
    assert remove.returncode == 0, remove.stderr
    assert device.exec(["docker", "ps", "-aq"]).strip() == ""


def _member(tar: tarfile.TarFile, suffix: str) -> tarfile.TarInfo:
    return next(member for member in tar.getmembers() if member.name.endswith(suffix))


def test_the_default_socket_is_absent_on_these_devices(variant: tuple[LabDevice, str]):
    device, _ = variant
    assert device.exec(["test", "-e", "/run/docker.sock"], check=False) == ""
    assert EDGE_SOCKET.startswith("/run/edge")


def test_the_console_finds_the_same_engine(variant: tuple[LabDevice, str]):
    """Over serial the docker CLI runs on the device: it gets the same DOCKER_HOST."""
    device, source = variant
    if source != "login-environment" or device.flags.max_sessions:
        pytest.skip("checked once, on the ~/.profile device")
    serial = [device.serial_target, "--user", "tech", "--password-env", "LAB_PW"]
    env = {"LAB_PW": device.password}
    found = edgegui("discover", *serial, "--json", env=env)
    assert found.returncode == 0, found.stderr
    docker = json.loads(found.stdout)["docker"]
    # The console's own shell is a login shell: ~/.profile already set DOCKER_HOST there.
    assert docker["reachable"] and docker["engine_from"] == "environment"
    assert docker["engine"] == f"unix://{device.engine_socket}"
    status = edgegui("status", *serial, "--json", env=env)
    assert status.returncode == 0, status.stderr
    assert "stacks" in json.loads(status.stdout)
