"""A login user outside the engine's group: preflight names the exact fix, and
``edgegui docker-access`` applies it with sudo (password on stdin), end to end."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from tests.cli.run import edgegui
from tests.conftest import one_device
from tests.lab import LabDevice
from tests.lab.flags import DeviceFlags

pytestmark = pytest.mark.lab


@pytest.fixture(scope="module")
def outsider() -> Iterator[LabDevice]:
    with one_device(flags=DeviceFlags(docker_group=False, sudo_password=True)) as device:
        yield device


def ssh(device: LabDevice) -> list[str]:
    return device.ssh_cli


def in_docker_group(device: LabDevice) -> bool:
    return "docker" in device.exec(["id", "-nG", "tech"]).split()


def test_preflight_fails_with_the_exact_fix(outsider: LabDevice):
    result = edgegui("discover", *ssh(outsider), "--preflight", "--json")
    checks = {c["check"]: c for c in json.loads(result.stdout)["preflight"]}
    usable = checks["docker-usable"]
    assert usable["status"] == "fail" and "permission denied" in usable["message"]
    assert "sudo usermod -aG docker tech" in usable["hint"]


def test_docker_access_needs_the_sudo_password(outsider: LabDevice):
    result = edgegui("docker-access", *ssh(outsider))
    assert result.returncode == 1
    assert result.stderr.strip().endswith("give it with --sudo-password-env VAR")
    wrong = edgegui("docker-access", *ssh(outsider), "--sudo-password-env", "PW",
                    env={"PW": "not-the-password"})  # fmt: skip
    assert wrong.returncode == 1 and "sudo refused the password for tech" in wrong.stderr
    assert wrong.stderr.count("\n") == 1
    assert not in_docker_group(outsider)


def test_docker_access_adds_the_user_and_the_engine_answers(outsider: LabDevice):
    result = edgegui("docker-access", *ssh(outsider), "--sudo-password-env", "PW",
                     env={"PW": outsider.password})  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "tech added to group docker" in result.stdout
    assert "the engine answers for tech" in result.stdout
    assert in_docker_group(outsider)
    status = edgegui("status", *ssh(outsider), "--json")
    assert status.returncode == 0, status.stderr
    again = edgegui("docker-access", *ssh(outsider), "--json")
    assert json.loads(again.stdout)["already"] is True
