"""``edgegui discover``: table, --json, --save and --from, and one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from edgegui.cli.main import main
from tests.core.discovery.probe_env import FIXTURES

REACHABLE = FIXTURES / "probe/devvm-root-docker-reachable.txt"
DENIED = FIXTURES / "probe/devvm-user-docker-denied.txt"


def test_table_from_a_saved_probe(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["discover", "--from", str(REACHABLE)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Host     vm · Debian GNU/Linux 12 (bookworm) · kernel 6.18.44-fc-v769")
    assert (
        "Docker   20.10.24+dfsg1 (API 1.41) · overlay2 · cgroup v1 · memory limits enforced" in out
    )
    assert "Serial adapters: none" in out
    assert "  0000:00:01.0  1af4:1045  ffff00  virtio-pci" in out


def test_json_and_preflight_exit_status(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["discover", "--from", str(DENIED), "--json", "--preflight"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["docker"]["reachable"] is False
    failed = [c["check"] for c in data["preflight"] if c["status"] == "fail"]
    assert failed == ["docker-usable"]


def test_save_then_parse_offline(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    saved = tmp_path / "probe.txt"
    assert main(["discover", "local://", "--json", "--save", str(saved)]) == 0
    live = json.loads(capsys.readouterr().out)
    assert saved.read_text().startswith("@@EDGEGUI-PROBE 1\n")
    assert main(["discover", "--from", str(saved), "--json"]) == 0
    offline = json.loads(capsys.readouterr().out)
    assert offline == live


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["discover"], "edgegui: discover: give a TARGET to probe or --from FILE"),
        (["discover", "local://", "--from", "x"], "edgegui: discover: give a TARGET to probe"),
        (["discover", "--from", "/nonexistent/p.txt"], "edgegui: /nonexistent/p.txt: cannot read"),
        (["discover", "--from", str(REACHABLE), "--save", "y"], "edgegui: discover: --save needs"),
        (["discover", "local://", "--save", "/nonexistent/dir/p.txt"], "edgegui: --save /nonex"),
        (["discover", "--from", __file__], "not EdgeGUI probe output"),
    ],
)
def test_bad_input_is_one_line(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1
