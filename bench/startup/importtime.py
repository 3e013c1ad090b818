"""The top import-time offenders of one ``edgegui`` command, from ``python -X importtime``.

A module's own import time is charged to the outermost third-party package that pulled it
in (paramiko pays for its invoke); what EdgeGUI or the standard library import directly
pays for itself, EdgeGUI grouped by subpackage (``edgegui.core.templates``). Medians of N
runs; the charges add up to the total.

    .venv/bin/python bench/startup/importtime.py [--runs 5] [--top 12] -- --version
    .venv/bin/python bench/startup/importtime.py --edgegui-path /tmp/old -- exec local:// -- true
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bench.process import bench_env  # noqa: E402


def group(module: str) -> str:
    parts = module.split(".")
    return ".".join(parts[:3]) if parts[0] == "edgegui" else parts[0]


def third_party(module: str) -> bool:
    root = module.split(".")[0]
    return root != "edgegui" and root not in sys.stdlib_module_names


def charges(stderr: str) -> tuple[dict[str, float], float]:
    """Milliseconds per group and the total, from one run's ``-X importtime`` lines.

    Each module's own time goes to the outermost third-party package that pulled it in
    (paramiko pays for invoke); modules that EdgeGUI or the standard library import
    directly pay for themselves, by group.
    """
    rows = []
    for line in stderr.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        own, _, name = line.split("|")
        depth = (len(name) - len(name.lstrip(" ")) - 1) // 2
        rows.append((depth, int(own.split(":")[-1]) / 1000, name.strip()))
    result: dict[str, float] = defaultdict(float)
    for index, (depth, own, name) in enumerate(rows):
        chain = [name]  # self, then ancestors outwards (lines come children first)
        for ancestor_depth, _, ancestor in rows[index + 1 :]:
            if ancestor_depth < depth:
                chain.append(ancestor)
                depth = ancestor_depth
        owner = next((group(m) for m in reversed(chain) if third_party(m)), group(name))
        result[owner] += own
    return result, sum(result.values())


def measure(args: list[str], runs: int, edgegui_path: Path | None) -> tuple[list[str], float]:
    env = bench_env(edgegui_path)
    per_run, totals = [], []
    for _ in range(runs + 1):  # the first run warms the OS file cache
        result = subprocess.run(
            [sys.executable, "-X", "importtime", "-m", "edgegui", *args],
            env=env,
            cwd=edgegui_path or ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
        found, total = charges(result.stderr)
        per_run.append(found)
        totals.append(total)
    per_run, totals = per_run[1:], totals[1:]
    names = {name for found in per_run for name in found}
    medians = {n: statistics.median(f.get(n, 0.0) for f in per_run) for n in names}
    ranked = sorted(medians.items(), key=lambda item: -item[1])
    return [f"{name} {ms:.0f} ms" for name, ms in ranked], statistics.median(totals)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--top", type=int, default=12)
    parser.add_argument("--edgegui-path", type=Path, help="import edgegui from this folder")
    parser.add_argument("args", nargs=argparse.REMAINDER, help="the edgegui command line")
    options = parser.parse_args()
    args = options.args[1:] if options.args[:1] == ["--"] else options.args
    ranked, total = measure(args, options.runs, options.edgegui_path)
    print(f"edgegui {' '.join(args)}: imports {total:.0f} ms (median of {options.runs})")
    print("; ".join(ranked[: options.top]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
