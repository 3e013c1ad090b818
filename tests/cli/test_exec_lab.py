"""``edgegui exec`` end to end against a lab device over SSH and serial."""

import pytest

from tests.cli.run import edgegui

pytestmark = pytest.mark.lab


def test_exec_over_ssh_with_password_env(device):
    result = edgegui(
        "exec",
        device.ssh_target,
        "--password-env",
        "LAB_PW",
        "--known-hosts",
        str(device.known_hosts),
        "--",
        "sh",
        "-c",
        'printf %s "$1"; exit 9',
        "sh",
        "$(id)",
        env={"LAB_PW": device.password},
    )
    assert (result.returncode, result.stdout) == (9, "$(id)")


def test_exec_over_serial(device):
    result = edgegui(
        "exec",
        device.serial_target,
        "--user",
        "tech",
        "--password-env",
        "LAB_PW",
        "--",
        "id",
        "-un",
        env={"LAB_PW": device.password},
    )
    assert (result.returncode, result.stdout) == (0, "tech\n")


def test_unknown_host_key_refused_without_flag(device, tmp_path):
    args = (
        "exec",
        device.ssh_target,
        "--identity",
        str(device.key_path),
        "--known-hosts",
        str(tmp_path / "kh"),
        "--",
        "true",
    )
    refused = edgegui(*args)
    assert refused.returncode == 1 and "unknown host key ssh-ed25519 SHA256:" in refused.stderr
    accepted = edgegui(*args[:-2], "--accept-new-host-key", "--", "true")
    assert accepted.returncode == 0


def test_password_saved_in_the_keyring_is_used_next_time(device, tmp_path):
    keyring_env = {
        "PYTHON_KEYRING_BACKEND": "tests.keyring_backend.FileKeyring",
        "EDGEGUI_TEST_KEYRING": str(tmp_path / "keyring.json"),
    }
    common = ("--known-hosts", str(device.known_hosts))
    first = edgegui(
        "exec",
        device.ssh_target,
        *common,
        "--password-env",
        "LAB_PW",
        "--save-password",
        "--",
        "true",
        env={**keyring_env, "LAB_PW": device.password},
    )
    assert first.returncode == 0, first.stderr
    assert device.password in (tmp_path / "keyring.json").read_text()
    again = edgegui("exec", device.ssh_target, *common, "--", "id", "-un", env=keyring_env)
    assert (again.returncode, again.stdout) == (0, "tech\n")
