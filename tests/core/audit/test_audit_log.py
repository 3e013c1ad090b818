"""The hash-chained audit log: appends, and verify naming each edited, deleted or moved
entry (the tampering is done the way someone with the file would: plain SQL)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from edgegui.cli.main import main
from edgegui.core.audit import AuditLog, device_key, record_action
from edgegui.core.audit.entry import AuditEntry


@pytest.fixture
def data_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    return tmp_path


@pytest.fixture
def log(data_home: Path) -> AuditLog:
    audit = AuditLog()
    for index, action in enumerate(("deploy", "rollback", "deploy", "remove", "deploy"), 1):
        audit.append(
            actor="tech@laptop",
            device="10.0.0.5" if index % 2 else "serial:/dev/ttyUSB0",
            target="ssh://tech@10.0.0.5",
            action=action,
            detail={"stack": "retail", "ok": True, "n": index},
        )
    return audit


def sql(audit: AuditLog, statement: str, *args: object) -> None:
    with sqlite3.connect(audit.path) as db:
        db.execute(statement, args)


def test_the_log_lives_in_the_user_data_folder_and_chains(log: AuditLog, data_home: Path):
    assert log.path == data_home / "edgegui" / "audit.sqlite3"
    entries = log.entries()
    assert [e.seq for e in entries] == [1, 2, 3, 4, 5]
    assert all(e.prev == before.hash for before, e in zip(entries, entries[1:], strict=False))
    report = log.verify()
    assert report.ok and report.entries == 5
    assert (report.head.seq, report.head.hash) == (5, entries[-1].hash)
    assert [e.seq for e in log.entries("serial:/dev/ttyUSB0")] == [2, 4]


def test_an_edited_entry_is_named(log: AuditLog):
    sql(log, "UPDATE entries SET detail = ? WHERE seq = 3", json.dumps({"stack": "other"}))
    problems = log.verify().problems
    assert [(p.seq, p.kind) for p in problems] == [(3, "edited")]
    assert "entry #3" in problems[0].message and "deploy" in problems[0].message


def test_an_edit_that_recomputes_the_hash_breaks_the_next_link(log: AuditLog):
    third = log.entries()[2]
    forged = AuditEntry(**{**third.to_dict(), "actor": "someone@else", "hash": ""}).sealed()
    sql(log, "UPDATE entries SET actor = ?, hash = ? WHERE seq = 3", forged.actor, forged.hash)
    problems = log.verify().problems
    assert [(p.seq, p.kind) for p in problems] == [(3, "edited")]
    assert "re-hashed" in problems[0].message and "#4" in problems[0].message


def test_a_deleted_entry_is_named_with_its_neighbours(log: AuditLog):
    sql(log, "DELETE FROM entries WHERE seq = 2")
    problems = log.verify().problems
    assert [(p.seq, p.kind) for p in problems] == [(2, "deleted")]
    assert "#1" in problems[0].message and "#3" in problems[0].message


def test_deleting_the_last_entry_is_caught_by_the_recorded_head(log: AuditLog):
    sql(log, "DELETE FROM entries WHERE seq = 5")
    assert [(p.seq, p.kind) for p in log.verify().problems] == [(5, "deleted")]


def test_reordered_entries_are_named(log: AuditLog):
    with sqlite3.connect(log.path) as db:  # swap the storage places of entries 2 and 3
        for new, old in ((-1, 2), (2, 3), (3, -1)):
            db.execute("UPDATE entries SET id = ? WHERE id = ?", (new, old))
    problems = log.verify().problems
    assert [(p.seq, p.kind) for p in problems] == [(2, "reordered")]
    assert "stored after entry #3" in problems[0].message


def test_cli_verify_names_the_tampered_entry_and_fails(log: AuditLog, capsys):
    assert main(["audit", "verify"]) == 0
    assert "audit trail intact: 5 entries" in capsys.readouterr().out
    sql(log, "DELETE FROM entries WHERE seq = 4")
    sql(log, "UPDATE entries SET action = 'nothing' WHERE seq = 1")
    assert main(["audit", "verify"]) == 1
    captured = capsys.readouterr()
    assert "EDITED" in captured.out and "entry #1" in captured.out
    assert "DELETED" in captured.out and "entry #4 was deleted" in captured.out
    assert captured.err.startswith("edgegui: audit trail tampered: 2 entries deleted/edited")
    assert main(["audit", "verify", "--json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert [(p["seq"], p["kind"]) for p in data["problems"]] == [(1, "edited"), (4, "deleted")]


def test_cli_list_filters_by_device_in_any_spelling(log: AuditLog, capsys):
    assert main(["audit", "list", "--device", "ssh://tech@10.0.0.5"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in lines] == ["#1", "#3", "#5"]
    assert main(["audit", "list", "--device", "serial:///dev/ttyUSB0?baud=115200", "--json"]) == 0
    assert [e["seq"] for e in json.loads(capsys.readouterr().out)] == [2, 4]
    assert main(["audit", "list", "--device", "10.9.9.9"]) == 0
    assert capsys.readouterr().out == "no audit entries for 10.9.9.9\n"


def test_device_keys():
    assert device_key("ssh://tech@10.0.0.5") == "10.0.0.5"
    assert device_key("ssh://tech@gw-01:2222") == "[gw-01]:2222"
    assert device_key("serial:///dev/ttyUSB0?baud=9600") == "serial:/dev/ttyUSB0"
    assert device_key("local://") == "local"
    assert device_key("10.0.0.5") == "10.0.0.5"


def test_an_unwritable_log_is_a_one_line_error(tmp_path: Path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setenv("XDG_DATA_HOME", str(blocker))
    with pytest.raises(Exception, match=r"^.*audit\.sqlite3: cannot open the audit log") as caught:
        record_action("password-saved", target="ssh://tech@10.0.0.5")
    assert type(caught.value).__name__ == "AuditError"
