"""Whole-command benchmark: what a technician pays, from process start to exit.

Starts one lab device (gateway hardware, 20 running containers; needs root like the lab) and
times each command N times as a fresh process, interleaved round-robin so that drift in the
machine's load hits all of them alike, beside its anchors measured in the same run:
``python -c pass`` (the interpreter alone), OpenSSH ``ssh host true`` (the connection alone)
and ``ansible all -m setup`` (the tool a discovery is compared with).

    sudo .venv/bin/python bench/cli/bench_cli.py [--runs 9] [--ansible-runs 3] [--json FILE]
    sudo .venv/bin/python bench/cli/bench_cli.py --edgegui-path /tmp/old  # another checkout

Bytecode is compiled first (an installed wheel has it; a checkout run with
PYTHONDONTWRITEBYTECODE would pay the compiler on every start).
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bench.process import bench_env, edgegui_command, run_timed, summary  # noqa: E402
from bench.status.bench_status import start_containers  # noqa: E402
from tests.core.monitor.labstack import engine, remove_all  # noqa: E402
from tests.lab import Lab, lab_unavailable_reason  # noqa: E402


@dataclass
class Case:
    """One command line to time; ``anchor`` names the row it is compared with."""

    label: str
    argv: list[str]
    target_s: float | None = None
    anchor: str | None = None
    target_ratio: float | None = None  # the anchor must be at least this many times slower
    walls: list[float] = field(default_factory=list)


def cases(device: Any, edgegui: list[str], ansible_hosts: Path) -> list[Case]:
    target = device.ssh_target
    conn = ["-i", str(device.key_path), "--known-hosts", str(device.known_hosts)]
    reuse = ["--control-persist", "120"]
    ssh = ["ssh", "-i", str(device.key_path), "-o", f"UserKnownHostsFile={device.known_hosts}"]
    ssh += ["-o", "BatchMode=yes", "-o", "ControlMaster=no", "-o", "ControlPath=none"]
    ansible = shutil.which("ansible") or str(Path(sys.executable).with_name("ansible"))
    return [
        Case("python -c pass", [sys.executable, "-c", "pass"]),
        Case("edgegui --version", [*edgegui, "--version"], 0.15),
        Case("edgegui --help", [*edgegui, "--help"], 0.15),
        Case("ssh host true (OpenSSH)", [*ssh, f"tech@{device.ip}", "true"]),
        Case("edgegui exec -- true", [*edgegui, "exec", target, *conn, "--", "true"], 0.3),
        Case(
            "edgegui exec -- true (reused)",
            [*edgegui, "exec", target, *conn, *reuse, "--", "true"],
        ),
        Case(
            "ansible all -m setup",
            [ansible, "all", "-i", str(ansible_hosts), "-m", "setup"],
        ),
        Case(
            "edgegui discover --json",
            [*edgegui, "discover", target, *conn, "--json"],
            0.4,
            anchor="ansible all -m setup",
            target_ratio=6.0,
        ),
        Case(
            "edgegui status --json (20 containers)",
            [*edgegui, "status", target, *conn, "--json"],
            0.5,
        ),
        Case(
            "edgegui status --json (20, reused)",
            [*edgegui, "status", target, *conn, *reuse, "--json"],
        ),
    ]


def ansible_inventory(device: Any, folder: Path) -> Path:
    hosts = folder / "hosts"
    hosts.write_text(
        f"{device.name} ansible_host={device.ip} ansible_user=tech "
        f"ansible_ssh_private_key_file={device.key_path} "
        "ansible_python_interpreter=/usr/bin/python3 "
        f"ansible_ssh_common_args='-o UserKnownHostsFile={device.known_hosts}'\n"
    )
    return hosts


def measure(device: Any, args: argparse.Namespace, folder: Path) -> list[Case]:
    (folder / "run").mkdir(mode=0o700)
    env = bench_env(
        args.edgegui_path,
        ANSIBLE_NOCOLOR="1",
        ANSIBLE_LOCAL_TEMP=str(folder / "ansible"),
        XDG_RUNTIME_DIR=str(folder / "run"),  # this run's own control sockets
        # Each ansible run cold, as ours: no ControlPersist master left by the previous one.
        ANSIBLE_SSH_ARGS="-o ControlMaster=no -o ControlPath=none",
    )
    edgegui = edgegui_command(args.edgegui_path)
    all_cases = cases(device, edgegui, ansible_inventory(device, folder))
    if args.edgegui_path:  # an older checkout has no --control-persist
        all_cases = [c for c in all_cases if "reused" not in c.label]
    for case in all_cases:
        run_timed(case.argv, env, case.label)  # warm the OS file cache; starts kept connections
    for index in range(max(args.runs, args.ansible_runs)):
        for case in all_cases:
            runs = args.ansible_runs if case.label.startswith("ansible") else args.runs
            if index < runs:
                case.walls.append(run_timed(case.argv, env, case.label)[0])
    if not args.edgegui_path:
        run_timed([*edgegui, "control", "stop"], env, "control stop")
    return all_cases


def table(all_cases: list[Case]) -> str:
    by_label = {c.label: c for c in all_cases}
    lines = [
        "| command | runs | median | min | max | target | met |",
        "|---|---|---|---|---|---|---|",
    ]
    for case in all_cases:
        median = statistics.median(case.walls)
        goals, met = [], []
        if case.target_s is not None:
            goals.append(f"≤ {case.target_s:g} s")
            met.append(median <= case.target_s)
        if case.anchor and case.target_ratio and case.anchor in by_label:
            ratio = statistics.median(by_label[case.anchor].walls) / median
            goals.append(f"≥ {case.target_ratio:g}× faster than {case.anchor} ({ratio:.1f}×)")
            met.append(ratio >= case.target_ratio)
        verdict = ("yes" if all(met) else "NO") if met else ""
        lines.append(
            f"| {case.label} | {len(case.walls)} | {summary(case.walls)} "
            f"| {'; '.join(goals) or 'anchor'} | {verdict} |"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--ansible-runs", type=int, default=3)
    parser.add_argument("--edgegui-path", type=Path, help="import edgegui from this folder")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    reason = lab_unavailable_reason()
    if reason:
        raise SystemExit(reason)
    with Lab(["gateway"]) as lab, tempfile.TemporaryDirectory(prefix="edgegui-bench-") as tmp:
        device = lab.devices[0]
        start_containers(device)
        try:
            all_cases = measure(device, args, Path(tmp))
        finally:
            remove_all(engine(device))
    print(table(all_cases))
    if args.json:
        figures = {c.label: {"argv": c.argv, "walls_s": c.walls} for c in all_cases}
        args.json.write_text(json.dumps(figures, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
