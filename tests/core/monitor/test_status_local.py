"""``edgegui status local://``: this computer, with or without a Docker Engine."""

from __future__ import annotations

import json

import pytest

from edgegui.cli.main import main


@pytest.fixture(autouse=True)
def own_state_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))


def test_status_json_of_this_computer(capsys, tmp_path):
    assert main(["status", "local://", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["target"] == "local://"
    assert data["device"]["mem_total_bytes"] > 0 and data["device"]["load"]
    assert any(d["mount"] == "/" for d in data["device"]["disks"])
    if data["engine"].get("access") == "none":  # no engine here: said, not crashed
        assert "Docker Engine not reachable" in data["errors"][0]
    else:
        assert (tmp_path / "state" / "edgegui" / "last-look.json").exists()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["status", "local://", "--interval", "0"], "edgegui: --interval 0: must be above 0"),
        (["status", "local://", "--since", "soon"], "edgegui: --since 'soon': use 10m, 2h"),
        (["logs", "local://", "x", "--grep", "("], "edgegui: log filter '(' is not a valid"),
        (["logs", "local://", "x", "--tail", "-1"], "edgegui: --tail -1: must be 0 or more"),
    ],
)
def test_errors_are_one_line(argv, message, capsys):
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert err.startswith(message) and err.count("\n") == 1


def test_watch_prints_one_json_document_per_look(capsys, monkeypatch):
    looks = []

    def stop_after_two(seconds: float) -> None:
        looks.append(seconds)
        if len(looks) == 2:
            raise KeyboardInterrupt  # what Ctrl-C does

    monkeypatch.setattr("edgegui.cli.status_cmd.pause", stop_after_two)
    assert main(["status", "local://", "--json", "--watch", "--interval", "0.5"]) == 0
    documents = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(documents) == 2 and looks == [0.5, 0.5]
    assert all(d["target"] == "local://" for d in documents)
