"""``edgegui bundle create|verify|keygen`` from ``docker save`` archives (no engine needed)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from edgegui.cli.main import main
from tests.core.bundle.savearchive import layer_tar, write_save_archive


def test_create_sign_and_verify(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    archive = tmp_path / "app.tar"
    write_save_archive(archive, "example/app:2", [layer_tar({"a": b"a" * 1000})])
    key, pub, out = tmp_path / "k.pem", tmp_path / "k.pub", tmp_path / "b.edgebundle"
    assert main(["bundle", "keygen", str(key), str(pub)]) == 0
    assert (
        main(["bundle", "create", "--archive", str(archive), "-o", str(out), "--sign", str(key)])
        == 0
    )
    capsys.readouterr()
    assert main(["bundle", "verify", str(out), "--public-key", str(pub), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] and report["signature_verified"]
    assert report["images"][0]["refs"] == ["example/app:2"]
    assert report["images"][0]["platform"] == "linux/amd64"


def test_verify_of_a_damaged_bundle_fails_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    archive, out = tmp_path / "app.tar", tmp_path / "b.edgebundle"
    write_save_archive(archive, "example/app:2", [layer_tar({"a": b"a" * 1000})])
    assert main(["bundle", "create", "--archive", str(archive), "-o", str(out)]) == 0
    data = bytearray(out.read_bytes())
    data[data.index(b"\x1f\x8b") + 30] ^= 0xFF  # inside the gzip layer
    out.write_bytes(bytes(data))
    capsys.readouterr()
    assert main(["bundle", "verify", str(out)]) == 1
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and "does not match" in error
