"""Installer benchmark: package sizes, and the start time of the frozen app against the venv
install, both measured in the same run, each command timed whole (process start to exit).

    installer/build-linux                              # builds dist/ (once)
    .venv/bin/python bench/installer/bench_installer.py [--build dist] [--runs 7] [--json F]

Commands timed, frozen (dist/edgegui/edgegui) against venv (.venv/bin/edgegui):
- ``edgegui --version``;
- ``edgegui gui --quit-after 0``: the main window shown, closed at the first turn of the
  event loop, the process gone (offscreen, and on a virtual X display when Xvfb is here).
Runs are interleaved, after one warm-up each, so machine load and the OS file cache hit
both alike; figures are medians.
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
sys.path.insert(0, str(ROOT))  # tests.xvfb, when run as a script

from tests.xvfb import virtual_display  # noqa: E402

MIB = 2**20


def tree_size(folder: Path) -> int:
    return sum(p.lstat().st_size for p in folder.rglob("*") if p.is_file() or p.is_symlink())


def venv_runtime_size() -> int:
    """Bytes the venv install's runtime distributions (edgegui and its requirements) take."""
    sys.path.insert(0, str(ROOT / "installer"))
    from third_party import runtime_closure

    total = 0
    for dist in runtime_closure():
        for entry in dist.files or []:
            path = Path(str(dist.locate_file(entry)))
            total += path.stat().st_size if path.is_file() else 0
    return total


def sizes(build: Path) -> dict[str, int]:
    (deb,) = build.glob("edgegui_*.deb")
    (tarball,) = build.glob("edgegui-*-linux-*.tar.xz")
    (wheel,) = build.glob("edgegui-*.whl")
    return {
        ".deb": deb.stat().st_size,
        "tarball (.tar.xz)": tarball.stat().st_size,
        "one-folder app (installed)": tree_size(build / "edgegui"),
        "wheel (needs its dependencies)": wheel.stat().st_size,
        "venv: edgegui + runtime dependencies": venv_runtime_size(),
    }


def timed(argv: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    result = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=120)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"bench: {' '.join(argv)} failed: {result.stderr.strip()[-500:]}")
    return elapsed


def measure(build: Path, runs: int) -> dict[str, Any]:
    programs = {
        "venv": str(ROOT / ".venv" / "bin" / "edgegui"),
        "frozen": str(build / "edgegui" / "edgegui"),
    }
    with tempfile.TemporaryDirectory() as home, virtual_display() as display:
        base = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
        base |= {"XDG_DATA_HOME": home, "XDG_CONFIG_HOME": home}
        cases = {
            "edgegui --version": (["--version"], base),
            "GUI shown and closed (offscreen)": (
                ["gui", "--quit-after", "0"],
                base | {"QT_QPA_PLATFORM": "offscreen"},
            ),
        }
        if display:
            cases["GUI shown and closed (Xvfb)"] = (
                ["gui", "--quit-after", "0"],
                base | {"DISPLAY": display, "QT_QPA_PLATFORM": "xcb"},
            )
        times: dict[str, dict[str, list[float]]] = {c: {"venv": [], "frozen": []} for c in cases}
        for case, (args, env) in cases.items():
            for program in programs.values():
                timed([program, *args], env)  # warm-up: file cache, fontconfig cache
            for _ in range(runs):
                for kind, program in programs.items():
                    times[case][kind].append(timed([program, *args], env))
    return {
        case: {
            "venv_median_s": statistics.median(t["venv"]),
            "frozen_median_s": statistics.median(t["frozen"]),
            "ratio": statistics.median(t["frozen"]) / statistics.median(t["venv"]),
            "venv_s": t["venv"],
            "frozen_s": t["frozen"],
        }
        for case, t in times.items()
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", type=Path, default=ROOT / "dist", help="build-linux --out")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    if not (args.build / "edgegui" / "edgegui").is_file():
        parser.error(f"no frozen app in {args.build}: run installer/build-linux first")
    result = {"sizes_bytes": sizes(args.build), "start": measure(args.build, args.runs)}
    print("| package | size |\n| --- | ---: |")
    for name, size in result["sizes_bytes"].items():
        print(f"| {name} | {size / MIB:.1f} MiB |")
    print(f"\n| command ({args.runs} runs: median, min) | venv | frozen | frozen / venv |")
    print("| --- | ---: | ---: | ---: |")
    for case, figures in result["start"].items():
        venv, frozen = (
            f"{figures[f'{kind}_median_s'] * 1000:.0f} ms ({min(figures[f'{kind}_s']) * 1000:.0f})"
            for kind in ("venv", "frozen")
        )
        print(f"| {case} | {venv} | {frozen} | {figures['ratio']:.2f}x |")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
