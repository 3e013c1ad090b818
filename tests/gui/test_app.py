"""run_app: the entry point of ``edgegui gui`` starts, shows the window and quits cleanly."""

from __future__ import annotations

import sys

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from edgegui.gui.app import run_app
from edgegui.gui.main_window import MainWindow


def test_run_app_shows_the_window_and_quits(qapp, monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))  # the store goes to a temp folder
    seen: list[str] = []

    def look_and_quit() -> None:
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]
        seen.extend(w.devices.currentItem().data(256) for w in windows if w.isVisible())
        for window in windows:
            window.close()  # ends run_app; qapp.quit() would stop pytest-qt's later waits

    QTimer.singleShot(300, look_and_quit)
    assert run_app("ssh://tech@10.0.0.5") == 0
    assert seen == ["ssh://tech@10.0.0.5"]
    assert (tmp_path / "edgegui" / "edgegui.sqlite3").exists()
    assert sys.excepthook is sys.__excepthook__


def test_start_up_imports_no_device_libraries():
    """paramiko, docker, pyte and jsonschema load when first used, not before the window
    shows (bench/startup keeps the window under 3x a bare one)."""
    import subprocess

    code = (
        "import sys, edgegui.gui.app; "
        "print(sorted(m for m in ('paramiko', 'docker', 'pyte', 'jsonschema', 'serial') "
        "if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
