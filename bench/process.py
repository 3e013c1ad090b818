"""Timing whole commands the way a user runs them: a fresh process, from start to exit."""

from __future__ import annotations

import compileall
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def edgegui_command(edgegui_path: Path | None) -> list[str]:
    """The console script, or ``python -m edgegui`` for another checkout (via PYTHONPATH)."""
    script = Path(sys.executable).with_name("edgegui")
    if edgegui_path is None and script.exists():
        return [str(script)]
    return [sys.executable, "-m", "edgegui"]


def bench_env(edgegui_path: Path | None, **extra: str) -> dict[str, str]:
    """The environment of timed commands; compiles the package's bytecode first.

    An installed wheel has its bytecode; a checkout run under PYTHONDONTWRITEBYTECODE would
    pay the compiler on every start, which no user does.
    """
    compileall.compile_dir(str((edgegui_path or ROOT) / "edgegui"), quiet=1)
    env = dict(os.environ, **extra)
    env.pop("EDGEGUI_CONTROL_PERSIST", None)
    if edgegui_path is not None:
        env["PYTHONPATH"] = str(edgegui_path)
    return env


def run_timed(argv: list[str], env: dict[str, str], label: str) -> tuple[float, str]:
    """Wall seconds of one run and its stdout; a failure stops the benchmark."""
    # ``python -m`` puts the working folder first on sys.path: run in the checkout under test.
    folder = env.get("PYTHONPATH") or str(ROOT)
    started = time.perf_counter()
    result = subprocess.run(argv, env=env, cwd=folder, capture_output=True, text=True, timeout=600)
    wall = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"{label} failed ({result.returncode}): {result.stderr[-2000:]}")
    return wall, result.stdout


def summary(walls: list[float]) -> str:
    """``median | min | max`` cells of a Markdown table row."""
    return (
        f"{statistics.median(walls):.3f} s | {min(walls):.3f} s | {max(walls):.3f} s"
        if walls
        else "- | - | -"
    )
