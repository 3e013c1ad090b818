"""``edgegui gui --quit-after``: the smoke-run switch of installed apps."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def edgegui(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = os.environ | {"QT_QPA_PLATFORM": "offscreen", "XDG_DATA_HOME": str(tmp_path)}
    return subprocess.run(
        [sys.executable, "-m", "edgegui", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_quit_after_shows_the_window_then_exits_cleanly(tmp_path: Path) -> None:
    result = edgegui(tmp_path, "gui", "--quit-after", "0.3")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert (tmp_path / "edgegui" / "edgegui.sqlite3").exists()  # the window's store opened


def test_quit_after_refuses_a_bad_value_in_one_line(tmp_path: Path) -> None:
    result = edgegui(tmp_path, "gui", "--quit-after", "soon")
    assert result.returncode == 2
    assert "--quit-after: not a number of seconds: 'soon'" in result.stderr
    assert "Traceback" not in result.stderr
