"""The device's own copy of its audit entries, written by a real sh on this computer
(``local://`` with HOME pointed at a temp folder) exactly as over SSH or a console."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from edgegui.core.audit import DEVICE_FILE, AuditLog, read_device_copy, record_action
from edgegui.core.audit.device_copy import append_script, parse_device_copy, push_entries
from edgegui.core.transport.console import MAX_SCRIPT_LINE, prepare_script
from edgegui.core.transport.local import LocalTransport


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    (tmp_path / "home").mkdir()
    return tmp_path / "home"


def test_actions_on_a_device_reach_its_copy_once(home: Path):
    transport = LocalTransport()
    first = record_action("deploy", transport=transport, detail={"stack": "a", "ok": True})
    second = record_action("remove", transport=transport, detail={"stack": "a"})
    lines = (home / DEVICE_FILE).read_text().splitlines()
    assert [json.loads(line)["hash"] for line in lines] == [first.hash, second.hash]
    assert (home / DEVICE_FILE).stat().st_mode & 0o077 == 0  # only the login user reads it
    copy = read_device_copy(transport)
    assert copy.present and not copy.broken_links and not copy.unreadable
    assert push_entries(transport, AuditLog().entries("local")) == 0  # nothing missing


def test_entries_recorded_without_a_link_are_brought_over_later(home: Path):
    record_action("host-key-accepted", device="local", detail={"fingerprint": "SHA256:x"})
    assert not (home / DEVICE_FILE).exists()
    record_action("deploy", transport=LocalTransport(), detail={"stack": "a"})
    actions = [json.loads(line)["action"] for line in (home / DEVICE_FILE).read_text().splitlines()]
    assert actions == ["host-key-accepted", "deploy"]


def test_an_altered_line_of_the_copy_is_found(home: Path):
    for stack in ("a", "b", "c"):
        record_action("deploy", transport=LocalTransport(), detail={"stack": stack})
    path = home / DEVICE_FILE
    lines = path.read_text().splitlines()
    lines[1] = lines[1].replace('"stack":"b"', '"stack":"x"')
    path.write_text("\n".join(lines) + "\n")
    copy = parse_device_copy(path.read_text())
    assert copy.broken_links == [3]  # line 3 no longer follows the (changed) line 2


def test_the_append_script_is_safe_for_a_serial_console():
    from edgegui.core.audit.entry import AuditEntry

    entry = AuditEntry(
        "log",
        1,
        "2025-01-01T00:00:00.000Z",
        "a@b",
        "d",
        "t",
        "deploy",
        {"note": "x" * 5000 + "\u00e9 '\"$(reboot)`\n"},
    ).sealed()
    script = append_script([json.dumps(entry.to_dict())])
    prepare_script(script)  # raises on control characters or over-long lines
    assert max(len(line) for line in script.splitlines()) < MAX_SCRIPT_LINE
    assert "reboot" not in script  # the payload travels base64-encoded
