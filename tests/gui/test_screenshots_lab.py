"""Screenshots of every screen at 1366×768 under Xvfb, light and dark, and the layout checks
(no clipped text, accessible names) on every page at 1024×600 and 1366×768 with real content.

``EDGEGUI_UPDATE_SCREENSHOTS=1`` writes them into docs/screenshots/ (for the README).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from tests.conftest import start_lab
from tests.gui.screenshots import LARGE_SHOT, SHOTS
from tests.lab.images import import_busybox_image
from tests.xvfb import virtual_display

pytestmark = [pytest.mark.lab, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
# The committed pictures change only when asked for; a plain test run leaves the tree clean.
UPDATE = os.environ.get("EDGEGUI_UPDATE_SCREENSHOTS") == "1"
EXPECTED = [*SHOTS, *(f"{name}-dark" for name in SHOTS), LARGE_SHOT]


@pytest.fixture
def xvfb_display():
    with virtual_display() as display:
        if display is None:
            pytest.skip("Xvfb is not installed or did not start")
        yield display


def test_screenshots_of_every_main_screen(xvfb_display, tmp_path):
    out = ROOT / "docs" / "screenshots" if UPDATE else tmp_path / "screenshots"
    lab = start_lab(["retail"])
    try:
        device = lab.devices[0]
        for tag in ("edgegui/pos-service:latest", "edgegui/inventory-sync:latest", "ticker:latest"):
            import_busybox_image(device, tag)
        known_hosts = tmp_path / "known_hosts"
        known_hosts.write_text(device.known_hosts.read_text())
        env = {**os.environ, "DISPLAY": xvfb_display, "QT_QPA_PLATFORM": "xcb"}
        env["HOME"] = str(tmp_path)  # the Report screen's default paths, nothing else
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "tests.gui.screenshots",
                str(out),
                device.ssh_target,
                "--identity",
                str(device.key_path),
                "--known-hosts",
                str(known_hosts),
                "--store",
                str(tmp_path / "store.sqlite3"),
                "--problems",
                str(tmp_path / "layout-problems.json"),
            ],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
    finally:
        lab.stop()
    (tmp_path / "screenshots-stderr.txt").write_text(result.stderr)  # the whole story
    assert result.returncode == 0, result.stderr[-3000:]
    for name in EXPECTED:
        image = QImage(str(out / f"{name}.png"))
        expected = (1024, 600) if name == LARGE_SHOT else (1366, 768)
        assert (image.width(), image.height()) == expected, name
    problems = json.loads((tmp_path / "layout-problems.json").read_text())
    assert problems == {}
