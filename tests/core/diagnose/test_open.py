"""Opening bundles offline: a good one, and files that are not bundles."""

from __future__ import annotations

import io
import json
import tarfile

import pytest

from edgegui.cli.main import main
from edgegui.core.diagnose import DiagnosticsError, open_diagnostics


def make_bundle(path, members, *, prefix="edgegui-diagnostics/", extra=None):
    with tarfile.open(path, "w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(prefix + name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
        for info in extra or []:
            tar.addfile(info)
    return path


MANIFEST = {
    "format": 1,
    "tool": "edgegui test",
    "target": "ssh://tech@10.0.0.5",
    "transport": "ssh",
    "created_utc": "2026-11-28T04:00:00Z",
    "log_lines": 200,
    "masked": 3,
    "members": [],
    "errors": {"system": "dmesg: permission denied"},
}
STATUS = {
    "stacks": [
        {
            "name": "shop",
            "containers": [
                {"name": "shop-hog-1", "state": "exited", "oom_killed": True, "restarts": 0}
            ],
        }
    ],
    "alerts": [{"severity": "critical", "message": "shop-hog-1 was killed: out of memory"}],
}


def good_bundle(tmp_path):
    return make_bundle(
        tmp_path / "b.tar.gz",
        {
            "manifest.json": json.dumps(MANIFEST).encode(),
            "status.json": json.dumps(STATUS).encode(),
            "containers/shop-hog-1/logs.txt": b"line 1\nline 2\n",
        },
        extra=[_link("edgegui-diagnostics/evil", "/etc/shadow"), _named("../escape")],
    )


def _link(name, target):
    info = tarfile.TarInfo(name)
    info.type, info.linkname = tarfile.SYMTYPE, target
    return info


def _named(name):
    return tarfile.TarInfo(name)


def test_open_reads_members_and_skips_links_and_escapes(tmp_path):
    bundle = open_diagnostics(good_bundle(tmp_path))
    assert bundle["manifest"]["target"] == "ssh://tech@10.0.0.5"
    assert set(bundle["members"]) == {
        "manifest.json",
        "status.json",
        "containers/shop-hog-1/logs.txt",
    }
    assert bundle["members"]["status.json"]["alerts"][0]["severity"] == "critical"


def test_cli_summary_show_and_json(tmp_path, capsys):
    path = good_bundle(tmp_path)
    assert main(["diagnose", "--open", str(path)]) == 0
    out = capsys.readouterr().out
    assert "Diagnostics of ssh://tech@10.0.0.5 over ssh" in out
    assert "shop-hog-1" in out and "exited OOM" in out
    assert "critical: shop-hog-1 was killed: out of memory" in out
    assert "system: dmesg: permission denied" in out
    assert main(["diagnose", "--open", str(path), "--show", "containers/shop-hog-1/logs.txt"]) == 0
    assert capsys.readouterr().out == "line 1\nline 2\n"
    assert main(["diagnose", "--open", str(path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["manifest"]["masked"] == 3


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not a tarball", "not a readable diagnostics bundle"),
        (None, "no EdgeGUI manifest.json"),
    ],
)
def test_not_a_bundle(tmp_path, content, message):
    path = tmp_path / "x.tar.gz"
    if content is None:
        make_bundle(path, {"hello.txt": b"hi"})
    else:
        path.write_bytes(content)
    with pytest.raises(DiagnosticsError, match=message):
        open_diagnostics(path)


def test_newer_format_is_refused(tmp_path):
    path = make_bundle(tmp_path / "n.tar.gz", {"manifest.json": b'{"format": 99}'})
    with pytest.raises(DiagnosticsError, match="format 99 is newer"):
        open_diagnostics(path)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["diagnose"], "edgegui: diagnose: give TARGET and -o FILE.tar.gz"),
        (["diagnose", "local://"], "edgegui: diagnose: give TARGET and -o FILE.tar.gz"),
        (["diagnose", "local://", "--open", "x"], "edgegui: diagnose --open FILE works offline"),
        (
            ["diagnose", "local://", "-o", "x.tgz", "--secret-env", "EDGEGUI_NO_SUCH_VAR"],
            "edgegui: --secret-env: environment variable EDGEGUI_NO_SUCH_VAR is unset",
        ),
        (["diagnose", "--open", "/nonexistent.tgz"], "edgegui: /nonexistent.tgz: not a readable"),
    ],
)
def test_cli_errors_are_one_line(argv, message, capsys):
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert err.startswith(message) and err.count("\n") == 1
