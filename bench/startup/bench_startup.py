"""Start-up benchmark: time to a usable EdgeGUI main window from process start, against a
bare QApplication window, both in the same run, each a fresh interpreter; and, with a lab
device (root), the time from clicking Connect to the discovered hardware on screen.

"Usable" means shown, painted once, and the asyncio loop answering (a task ran on it).
Targets: window under 1.0 s from process start (and under 3x the bare window); first
discovery result on screen under 0.5 s after Connect.

    .venv/bin/python bench/startup/bench_startup.py [--runs 7] [--lab] [--json FILE]
    .venv/bin/python bench/startup/bench_startup.py --edgegui-path /tmp/old  # another checkout

Uses QT_QPA_PLATFORM=offscreen unless DISPLAY is set (then the real X server, e.g. Xvfb:
``xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python bench/startup/bench_startup.py``).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bench.process import bench_env  # noqa: E402

TARGET_WINDOW_S = 1.0
TARGET_RATIO = 3.0
TARGET_DISCOVERY_S = 0.5

# Each child prints JSON: the wall-clock time its window became usable (the parent knows
# when it started the process), and for EdgeGUI with a device, Connect-to-inventory seconds.
BARE = """
import json, time
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow
app = QApplication([])
window = QMainWindow(); window.setCentralWidget(QLabel("hello")); window.resize(1366, 768)
window.show()
handle = lambda: window.windowHandle()  # noqa: E731
while handle() is None or not handle().isExposed():
    app.processEvents()
window.repaint(); app.processEvents()
print(json.dumps({"usable_at": time.time()}))
"""

EDGEGUI = """
import asyncio, json, sys, time
from pathlib import Path
from PySide6.QtWidgets import QApplication
from edgegui.gui.loop import close_loop, install_loop
from edgegui.gui.main_window import MainWindow
from edgegui.gui.store import DeviceStore
app = QApplication([])
loop = install_loop(app)
folder = Path(sys.argv[1])
window = MainWindow(store=DeviceStore(folder / "edgegui.sqlite3"), known_hosts=folder / "kh")
window.apply_preferences()
window.show()
result = {}
async def usable():
    while window.windowHandle() is None or not window.windowHandle().isExposed():
        await asyncio.sleep(0)
    window.repaint()
    result["usable_at"] = time.time()
async def discover(device):
    form = window.connect_screen.ssh
    form.host.setText(device["ip"]); form.user.setText("tech"); form.identity.setText(device["key"])
    found = asyncio.Event()
    window.hardware.discovered.connect(found.set)
    started = time.perf_counter()
    window.connect_screen.connect_button.click()
    await asyncio.wait_for(found.wait(), 60)
    window.hardware.tree.repaint()
    result["discovery_s"] = time.perf_counter() - started
loop.run_until_complete(usable())
if len(sys.argv) > 2:
    loop.run_until_complete(discover(json.loads(sys.argv[2])))
print(json.dumps(result))
window.shutdown(); close_loop(loop)
"""


def run_child(code: str, folder: Path, env: dict[str, str], device: str | None) -> dict[str, float]:
    started = time.time()
    out = subprocess.run(
        [sys.executable, "-c", code, str(folder), *([device] if device else [])],
        cwd=env.get("PYTHONPATH") or ROOT,  # "-c" puts the working folder first on sys.path
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    result = json.loads(out.stdout.strip().splitlines()[-1])
    result["window_s"] = result.pop("usable_at") - started
    return result


def measure(runs: int, device: Any | None, edgegui_path: Path | None) -> dict[str, Any]:
    env = bench_env(edgegui_path)
    if not env.get("DISPLAY"):
        env["QT_QPA_PLATFORM"] = "offscreen"
    spec = None
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        if device is not None:
            (folder / "kh").write_text(device.known_hosts.read_text())
            spec = json.dumps({"ip": device.ip, "key": str(device.key_path)})
        run_child(BARE, folder, env, None)  # warm the OS file cache for both, so neither
        run_child(EDGEGUI, folder, env, None)  # pays it alone
        bare, edgegui = [], []
        for _ in range(runs):  # interleaved, so drift in machine load hits both alike
            bare.append(run_child(BARE, folder, env, None))
            edgegui.append(run_child(EDGEGUI, folder, env, spec))
    result: dict[str, Any] = {
        "platform": os.environ.get("DISPLAY") and "xcb" or "offscreen",
        "runs": runs,
        "bare_s": [r["window_s"] for r in bare],
        "edgegui_s": [r["window_s"] for r in edgegui],
        "discovery_s": [r["discovery_s"] for r in edgegui if "discovery_s" in r],
    }
    for key in ("bare", "edgegui", "discovery"):
        values = result[f"{key}_s"]
        result[f"{key}_median_s"] = statistics.median(values) if values else None
    result["ratio"] = result["edgegui_median_s"] / result["bare_median_s"]
    met = result["edgegui_median_s"] < TARGET_WINDOW_S and result["ratio"] < TARGET_RATIO
    if result["discovery_median_s"] is not None:
        met = met and result["discovery_median_s"] < TARGET_DISCOVERY_S
    result["meets_targets"] = met
    return result


def report(result: dict[str, Any]) -> str:
    lines = [
        "| from process start | median | min | max | target |",
        "|---|---|---|---|---|",
    ]
    rows = [
        ("bare QApplication window", "bare", "anchor"),
        ("EdgeGUI main window", "edgegui", f"< {TARGET_WINDOW_S:g} s, < {TARGET_RATIO:g}× bare"),
        ("Connect → inventory on screen", "discovery", f"< {TARGET_DISCOVERY_S:g} s"),
    ]
    for label, key, target in rows:
        values = result[f"{key}_s"]
        if values:
            lines.append(
                f"| {label} | {statistics.median(values):.3f} s | {min(values):.3f} s "
                f"| {max(values):.3f} s | {target} |"
            )
    lines.append(
        f"\nratio {result['ratio']:.2f}x; platform {result['platform']}; "
        f"targets {'met' if result['meets_targets'] else 'NOT met'}"
    )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--lab", action="store_true", help="also time Connect → discovery")
    parser.add_argument("--edgegui-path", type=Path, help="import edgegui from this folder")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    if args.lab:
        from tests.lab import Lab, lab_unavailable_reason

        reason = lab_unavailable_reason()
        if reason:
            raise SystemExit(reason)
        with Lab(["gateway"]) as lab:
            result = measure(args.runs, lab.devices[0], args.edgegui_path)
    else:
        result = measure(args.runs, None, args.edgegui_path)
    print(report(result))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n")
    return 0 if result["meets_targets"] else 1


if __name__ == "__main__":
    sys.exit(main())
