"""``edgegui templates list|show`` and ``edgegui render``: output, files, one-line errors."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
import yaml

from edgegui.cli import main as cli
from tests.core.templates.conftest import BINDINGS, FIXTURES, compose_config


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = cli.main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_templates_list(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "templates", "list")
    assert status == 0
    assert "industrial       template  built-in  Industrial IoT gateway" in out
    assert "offline-buffer   addon     built-in" in out
    status, out, _ = run(capsys, "templates", "list", "--json")
    names = sorted((e["kind"], e["name"]) for e in json.loads(out))
    assert names[:2] == [("addon", "monitoring"), ("addon", "offline-buffer")]


def test_templates_show(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "templates", "show", "telecom")
    assert status == 0
    assert "PLMN_ID                    string   default 00101" in out
    assert "security waiver: virtual-ran: runs privileged" in out
    status, out, _ = run(capsys, "templates", "show", "offline-buffer", "--json")
    assert json.loads(out)["kind"] == "addon"
    status, out, _ = run(capsys, "templates", "show", "industrial")
    assert "DASHBOARD_ADMIN_PASSWORD   secret   default (generated)" in out


def test_render_to_stdout_with_waivers_and_limitations_on_stderr(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, out, err = run(capsys, "render", "telecom", "--format", "swarm")
    assert status == 0
    assert yaml.safe_load(out)["version"] == "3.9"
    assert "edgegui: security waiver: virtual-ran: runs privileged" in err
    assert "edgegui: swarm: virtual-ran: Swarm cannot run a service privileged" in err


def test_render_writes_the_bundle_with_private_secrets(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    output = tmp_path / "site" / "compose.yaml"
    status, out, err = run(
        capsys,
        "render",
        "industrial",
        "--bind",
        f"plc_port={BINDINGS['industrial']['plc_port']}",
        "--addon",
        "monitoring",
        "-o",
        str(output),
        "--json",
    )
    assert status == 0, err
    report = json.loads(out)
    assert report["text"] is None
    assert sorted(Path(f).relative_to(output.parent).as_posix() for f in report["files"]) == [
        "compose.yaml",
        "configs/prometheus-config",
        "seccomp/edge-default.json",
        "secrets/dashboard-admin-password",
    ]
    secret = output.parent / "secrets" / "dashboard-admin-password"
    assert stat.S_IMODE(secret.stat().st_mode) == 0o600
    assert secret.read_text() not in out + err + output.read_text()
    checked = compose_config(output, "-q")
    assert checked.returncode == 0, checked.stderr


def test_secrets_from_the_environment(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RETAIL_TOKEN", "tok-from-env-42")
    args = [
        "render",
        "retail",
        "--set",
        "SCANNER_GID=105",
        "--bind",
        f"scanner={BINDINGS['retail']['scanner']}",
    ]
    status, out, err = run(capsys, *args, "--set-env", "CLOUD_API_TOKEN=RETAIL_TOKEN")
    assert status == 0, err
    assert "tok-from-env-42" not in out + err
    status, out, err = run(capsys, *args, "--set", "CLOUD_API_TOKEN=tok-on-command-line")
    assert status == 0
    assert "CLOUD_API_TOKEN is a secret; --set leaves it in shell history" in err
    assert "tok-on-command-line" not in out + err


def test_render_from_an_inventory(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(
        capsys, "render", "ai", "--inventory", str(FIXTURES / "inventory-gpu.json"), "--json"
    )
    assert status == 0, err
    report = json.loads(out)
    assert report["bindings"] == {"gpu": "nvidia:0"}
    assert report["images"] == ["edgegui/inference-server:latest"]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["render", "industrial"],
            "edgegui: industrial: slot plc_port (serial adapter) is not bound",
        ),
        (["render", "industrial", "--bind", "plc_port=/dev/ttyUSB0"], "not a stable device link"),
        (
            ["render", "telecom", "--set", "CELL_ID=$(reboot)"],
            "telecom: parameter CELL_ID: must be an integer",
        ),
        (
            ["render", "telecom", "--set", "CELL_ID=1", "--set", "CELL_ID=2"],
            "--set CELL_ID: given twice",
        ),
        (
            ["render", "telecom", "--set", "CELLID=1"],
            "unknown parameter CELLID (did you mean CELL_ID?)",
        ),
        (
            ["render", "telecom", "--set-env", "CELL_ID=EDGEGUI_NOT_SET"],
            "environment variable EDGEGUI_NOT_SET is unset",
        ),
        (
            ["render", "telecom", "--addon", "monitorng"],
            "no addon named 'monitorng' (did you mean monitoring?)",
        ),
        (
            ["render", "ai", "--inventory", "/nonexistent/inv.json"],
            "--inventory /nonexistent/inv.json: cannot read",
        ),
        (["templates", "show", "nope"], "no addon named 'nope'"),
    ],
)
def test_errors_are_one_line(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    status, out, err = run(capsys, *argv)
    assert status == 1
    assert out == ""
    assert message in err
    assert err.count("\n") == 1


def test_inventory_that_is_not_json(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    bad = tmp_path / "inventory.json"
    bad.write_text("serial_adapters: []\n")
    status, _, err = run(capsys, "render", "ai", "--inventory", str(bad))
    assert status == 1 and f"--inventory {bad}: not JSON" in err
