"""Start-up benchmark: time to a usable EdgeGUI main window against a bare QApplication
window, both measured in the same run, each in a fresh interpreter (imports included).

"Usable" means shown, painted once, and the asyncio loop answering (a task ran on it).
Targets: under 1.5 s, and under 3x the bare window.

    .venv/bin/python bench/startup/bench_startup.py [--runs 7] [--json FILE]

Uses QT_QPA_PLATFORM=offscreen unless DISPLAY is set (then the real X server, e.g. Xvfb).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
TARGET_S = 1.5
TARGET_RATIO = 3.0

# Each child prints the seconds from its own start to the usable window.
BARE = """
import time; t0 = time.perf_counter()
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow
app = QApplication([])
window = QMainWindow(); window.setCentralWidget(QLabel("hello")); window.resize(1366, 768)
window.show()
handle = lambda: window.windowHandle()  # noqa: E731
while handle() is None or not handle().isExposed():
    app.processEvents()
window.repaint(); app.processEvents()
print(time.perf_counter() - t0)
"""

EDGEGUI = """
import time; t0 = time.perf_counter()
import asyncio, sys
from PySide6.QtWidgets import QApplication
from edgegui.gui.loop import close_loop, install_loop
from edgegui.gui.main_window import MainWindow
from edgegui.gui.store import DeviceStore
app = QApplication([])
loop = install_loop(app)
window = MainWindow(store=DeviceStore(__import__("pathlib").Path(sys.argv[1])))
window.apply_preferences()
window.show()
async def usable():
    while window.windowHandle() is None or not window.windowHandle().isExposed():
        await asyncio.sleep(0)
    window.repaint()
loop.run_until_complete(usable())
print(time.perf_counter() - t0)
window.shutdown(); close_loop(loop)
"""


def run_child(code: str, store: Path) -> float:
    env = dict(os.environ)
    if not env.get("DISPLAY"):
        env["QT_QPA_PLATFORM"] = "offscreen"
    out = subprocess.run(
        [sys.executable, "-c", code, str(store)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return float(out.stdout.strip().splitlines()[-1])


def measure(runs: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        store = Path(tmp) / "edgegui.sqlite3"
        run_child(BARE, store)  # warm the OS file cache for both, so neither pays it alone
        run_child(EDGEGUI, store)
        bare, edgegui = [], []
        for _ in range(runs):  # interleaved, so drift in machine load hits both alike
            bare.append(run_child(BARE, store))
            edgegui.append(run_child(EDGEGUI, store))
    result = {
        "platform": os.environ.get("DISPLAY") and "xcb" or "offscreen",
        "runs": runs,
        "bare_median_s": statistics.median(bare),
        "edgegui_median_s": statistics.median(edgegui),
        "bare_s": bare,
        "edgegui_s": edgegui,
    }
    result["ratio"] = result["edgegui_median_s"] / result["bare_median_s"]
    result["meets_targets"] = (
        result["edgegui_median_s"] < TARGET_S and result["ratio"] < TARGET_RATIO
    )
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    result = measure(args.runs)
    print(
        f"bare QApplication window: {result['bare_median_s'] * 1000:.0f} ms (median)\n"
        f"EdgeGUI main window:      {result['edgegui_median_s'] * 1000:.0f} ms (median)\n"
        f"ratio {result['ratio']:.2f}x (target < {TARGET_RATIO}x), "
        f"target < {TARGET_S} s: {'met' if result['meets_targets'] else 'NOT met'}"
    )
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n")
    return 0 if result["meets_targets"] else 1


if __name__ == "__main__":
    sys.exit(main())
