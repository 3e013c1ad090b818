"""SSH host keys pinned over the serial console, end to end on a lab device: the first SSH
connection is then verified with no question asked, and a different key is refused."""

from __future__ import annotations

import json

import paramiko
import pytest

from edgegui.cli.main import main
from edgegui.core.audit import AuditLog
from edgegui.core.errors import HostKeyMismatch
from edgegui.core.transport.factory import TransportOptions, open_transport

pytestmark = pytest.mark.lab


def never_asked(host: str, key_type: str, fingerprint: str) -> bool:
    raise AssertionError(f"asked about {host} {key_type} {fingerprint}: the key was pinned")


def device_fingerprints(device) -> set[str]:
    listing = device.exec(
        ["sh", "-c", "for f in /etc/ssh/ssh_host_*_key.pub; do ssh-keygen -lf $f; done"]
    )
    return {line.split()[1] for line in listing.splitlines()}


def pin(device, known, *extra: str) -> int:
    return main(
        [
            "hostkeys",
            "pin",
            device.serial_target,
            "--user",
            "tech",
            "--password-env",
            "PW",
            "--known-hosts",
            str(known),
            *extra,
        ]
    )


def test_serial_pinned_keys_verify_ssh_and_a_changed_key_is_refused(
    scratch_device, tmp_path, monkeypatch, capsys
):
    device = scratch_device
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("PW", device.password)
    known = tmp_path / "known_hosts"
    assert pin(device, known, "--json") == 0
    pins = json.loads(capsys.readouterr().out)["pins"]
    assert {p["host"] for p in pins} == {device.ip}  # the address the device reports
    assert {p["fingerprint"] for p in pins} == device_fingerprints(device)
    assert all(p["new"] for p in pins)

    options = TransportOptions(
        identity=device.key_path, known_hosts=known, host_key_prompt=never_asked
    )
    with open_transport(device.ssh_target, options) as transport:
        assert transport.run(["hostname"]).text.strip() == device.name

    (entry,) = [e for e in AuditLog().entries(device.ip) if e.action == "host-keys-pinned"]
    assert entry.detail["via"].startswith("serial://") and "ssh-ed25519" in entry.detail["keys"]
    copy = device.exec(["cat", "/home/tech/.local/share/edgegui/audit.jsonl"])
    assert entry.hash in copy  # the next technician sees it on the device

    assert pin(device, known, "--host", "gw-17.example", "--port", "2222") == 0
    assert "[gw-17.example]:2222" in known.read_text()
    assert pin(device, known) == 0  # again: nothing new, nothing replaced
    assert "already pinned" in capsys.readouterr().out

    device.exec(["sh", "-c", "rm -f /etc/ssh/ssh_host_*_key* && ssh-keygen -A"])
    device.restart_sshd()
    with pytest.raises(HostKeyMismatch):
        open_transport(device.ssh_target, options)
    assert pin(device, known) == 1  # a different key at a pinned address is never pinned
    assert "HOST KEY CHANGED" in capsys.readouterr().err
    assert paramiko.HostKeys(str(known)).lookup(device.ip) is not None
