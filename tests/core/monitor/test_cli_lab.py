"""``edgegui status``, ``logs`` and ``diagnose`` end to end against a lab device."""

from __future__ import annotations

import json

import pytest

from edgegui.cli.main import main
from tests.core.monitor.labstack import device_running, run_service, shell, wait_for

pytestmark = pytest.mark.lab


def start_line(client):
    run_service(client, "line", "plc", shell("echo 'plc up'; echo 'plc warn 7'; exec sleep 3600"))
    run_service(client, "line", "broken", shell("exit 3"), restart_policy={"Name": "always"})
    wait_for(
        lambda: client.containers.get("line-broken-1").attrs["RestartCount"] >= 3,
        what="three restarts",
    )


@pytest.fixture(scope="module")
def stacked():
    with device_running(start_line) as device:
        yield device


@pytest.fixture(autouse=True)
def own_state_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))


def ssh_args(device):
    return [
        device.ssh_target,
        "--identity",
        str(device.key_path),
        "--known-hosts",
        str(device.known_hosts),
    ]


def test_status_json_then_only_new_events_on_the_next_look(stacked, capsys):
    assert main(["status", *ssh_args(stacked), "--json"]) == 0
    first = json.loads(capsys.readouterr().out)
    assert [s["name"] for s in first["stacks"]] == ["line"]
    assert {a["kind"] for a in first["alerts"]} == {"restart_loop"}
    assert any(e["action"] == "die" for e in first["events"])
    assert main(["status", *ssh_args(stacked), "--json"]) == 0
    second = json.loads(capsys.readouterr().out)
    assert second["events_since"] == first["events_until"]
    assert all(e["time"] >= first["events_until"] for e in second["events"])


def test_status_table(stacked, capsys):
    assert main(["status", *ssh_args(stacked), "--since", "10m"]) == 0
    out = capsys.readouterr().out
    assert "Stack line (" in out and "line-broken-1" in out
    assert "line-plc-1" in out and "edgegui-test/busybox:1" in out
    assert "CRITICAL restart_loop  line-broken-1 is in a restart loop" in out


def test_logs_with_filter_and_json(stacked, capsys):
    assert main(["logs", *ssh_args(stacked), "line-plc-1", "--grep", "warn"]) == 0
    assert capsys.readouterr().out == "plc warn 7\n"
    assert main(["logs", *ssh_args(stacked), "line-plc-1", "--tail", "1", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"container": "line-plc-1", "line": "plc warn 7"}


def test_logs_of_an_unknown_container_is_one_line(stacked, capsys):
    assert main(["logs", *ssh_args(stacked), "nope"]) == 1
    assert capsys.readouterr().err == "edgegui: no container 'nope' on this device\n"


def test_diagnose_with_a_secret_from_the_environment(stacked, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("PLANT_SECRET", "plc warn 7")  # pretend the log line is a secret
    out = tmp_path / "d.tar.gz"
    args = ["diagnose", *ssh_args(stacked), "-o", str(out), "--secret-env", "PLANT_SECRET"]
    assert main([*args, "--json"]) == 0
    manifest = json.loads(capsys.readouterr().out)["manifest"]
    assert manifest["masked"] >= 1
    assert main(["diagnose", "--open", str(out), "--show", "containers/line-plc-1/logs.txt"]) == 0
    logs = capsys.readouterr().out
    assert "plc up" in logs and "plc warn 7" not in logs
