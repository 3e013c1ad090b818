"""Deploy-update benchmark: ``edgegui deploy`` of a new image version, whole command.

Starts two lab devices (retail and gateway hardware; needs root like the lab) and, for the
built-in retail and industrial templates, builds versions of every image that differ by a
few bytes (a new layer each), each with the common pitfall of a PID 1 that ignores SIGTERM
(``sleep`` or ``httpd`` run directly). After a first deploy of version 1, it times updates
to versions 2, 3, … from a bundle (new layers sent, every service replaced), from process
start to exit.

    sudo .venv/bin/python bench/deploy/bench_deploy_update.py [--runs 5] [--json FILE]
    sudo .venv/bin/python bench/deploy/bench_deploy_update.py --edgegui-path /tmp/old
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bench.process import bench_env, edgegui_command, run_timed, summary  # noqa: E402
from edgegui.core.bundle import create_bundle  # noqa: E402
from tests.core.bundle.savearchive import layer_tar, write_save_archive  # noqa: E402
from tests.core.deploy.images import busybox_layer  # noqa: E402
from tests.lab import Lab, lab_unavailable_reason  # noqa: E402

TARGET_S = 3.0
SLEEPER = ("/bin/sleep", "2147483647")  # PID 1 without a SIGTERM handler ignores SIGTERM
WEB = ("/bin/sh", "-c", "echo ok > /tmp/health && exec httpd -f -p 8080 -h /tmp")
TOKEN = "bench-token-" + "x" * 20


@dataclass
class Stack:
    template: str
    hardware: str
    images: dict[str, tuple[str, tuple[str, ...]]]  # parameter -> (name, command)
    slot: str
    slot_kind: str  # "scanner" or "serial": which discovered serial port the slot binds
    gid_parameter: str
    values: dict[str, str] = field(default_factory=dict)
    binds: dict[str, str] = field(default_factory=dict)
    walls: list[float] = field(default_factory=list)
    steps: list[dict[str, float]] = field(default_factory=list)


STACKS = [
    Stack(
        "retail",
        "retail",
        {
            "POS_SERVICE_IMAGE": ("pos-service", SLEEPER),
            "INVENTORY_SYNC_IMAGE": ("inventory-sync", SLEEPER),
        },
        slot="scanner",
        slot_kind="scanner",
        gid_parameter="SCANNER_GID",
    ),
    Stack(
        "industrial",
        "gateway",
        {
            "MODBUS_CONNECTOR_IMAGE": ("modbus-connector", SLEEPER),
            "EDGE_ANALYTICS_IMAGE": ("edge-analytics", SLEEPER),
            "DASHBOARD_IMAGE": ("dashboard", WEB),
        },
        slot="plc_port",
        slot_kind="serial",
        gid_parameter="SERIAL_GID",
    ),
]


def image_ref(name: str, version: int) -> str:
    return f"edgegui-bench/{name}:v{version}"


def make_bundle(stack: Stack, version: int, folder: Path) -> Path:
    """Both versions share the busybox layer; a few bytes of their own tell them apart."""
    archives = []
    for name, command in stack.images.values():
        archive = folder / f"{name}-v{version}.tar"
        marker = layer_tar({"etc/bench-version": f"{name} v{version}\n".encode()})
        write_save_archive(
            archive, image_ref(name, version), [busybox_layer(), marker], cmd=command
        )
        archives.append(archive)
    bundle = folder / f"{stack.template}-v{version}.edgebundle"
    create_bundle(bundle, archives=archives, template=stack.template)
    return bundle


def bind_hardware(stack: Stack, device: Any, edgegui: list[str], env: dict[str, str]) -> None:
    """The slot's stable path from a discovery, and the group owning it on the device."""
    conn = ["-i", str(device.key_path), "--known-hosts", str(device.known_hosts)]
    _, out = run_timed([*edgegui, "discover", device.ssh_target, *conn, "--json"], env, "discover")
    inventory = json.loads(out)
    adapters = [a for a in inventory["serial_adapters"] if a["by_id"]]
    if stack.slot_kind == "scanner":  # the scanner in serial mode (CDC-ACM)
        adapters = [a for a in adapters if a["is_scanner"]]
    path = adapters[0]["by_id"]
    gid = device.exec(["stat", "-L", "-c", "%g", path]).strip()
    stack.binds, stack.values = {stack.slot: path}, {stack.gid_parameter: gid}


def deploy_argv(
    stack: Stack, device: Any, edgegui: list[str], bundle: Path, version: int
) -> list[str]:
    argv = [*edgegui, "deploy", device.ssh_target, "--template", stack.template, "--json"]
    argv += ["-i", str(device.key_path), "--known-hosts", str(device.known_hosts)]
    argv += ["--bundle", str(bundle), "--health-timeout", "120"]
    for parameter, (name, _) in stack.images.items():
        argv += ["--set", f"{parameter}={image_ref(name, version)}"]
    for key, value in stack.values.items():
        argv += ["--set", f"{key}={value}"]
    for slot, path in stack.binds.items():
        argv += ["--bind", f"{slot}={path}"]
    # Secrets from the environment, as on site: a generated one would change every time.
    secret = "CLOUD_API_TOKEN" if stack.template == "retail" else "DASHBOARD_ADMIN_PASSWORD"
    argv += ["--set-env", f"{secret}=BENCH_TOKEN"]
    return argv


def measure(stack: Stack, device: Any, args: argparse.Namespace, folder: Path) -> None:
    env = bench_env(args.edgegui_path, BENCH_TOKEN=TOKEN)
    edgegui = edgegui_command(args.edgegui_path)
    bind_hardware(stack, device, edgegui, env)
    first = make_bundle(stack, 1, folder)
    run_timed(deploy_argv(stack, device, edgegui, first, 1), env, "first deploy")
    for version in range(2, args.runs + 2):  # each update brings new layers to send
        bundle = make_bundle(stack, version, folder)
        argv = deploy_argv(stack, device, edgegui, bundle, version)
        wall, out = run_timed(argv, env, f"{stack.template} update")
        report = json.loads(out)
        if not report["ok"] or len(report["changed"]) != len(stack.images):
            raise SystemExit(f"{stack.template}: update did not replace every service: {out}")
        stack.walls.append(wall)
        if "steps" in report:
            stack.steps.append({s["step"]: s["seconds"] for s in report["steps"]})


def table(stacks: list[Stack]) -> str:
    lines = [
        "| update | runs | median | min | max | target | met |",
        "|---|---|---|---|---|---|---|",
    ]
    for stack in stacks:
        met = statistics.median(stack.walls) <= TARGET_S
        lines.append(
            f"| {stack.template} ({len(stack.images)} services) | {len(stack.walls)} "
            f"| {summary(stack.walls)} | ≤ {TARGET_S:g} s | {'yes' if met else 'NO'} |"
        )
    for stack in stacks:
        if stack.steps:
            names = list(stack.steps[0])
            cells = [
                f"{n} {statistics.median(s.get(n, 0) for s in stack.steps):.2f}" for n in names
            ]
            lines.append(f"\n{stack.template} steps (median s): " + ", ".join(cells))
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--edgegui-path", type=Path, help="import edgegui from this folder")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    reason = lab_unavailable_reason()
    if reason:
        raise SystemExit(reason)
    with Lab([s.hardware for s in STACKS]) as lab, tempfile.TemporaryDirectory() as tmp:
        for stack, device in zip(STACKS, lab.devices, strict=True):
            measure(stack, device, args, Path(tmp))
    print(table(STACKS))
    if args.json:
        figures = {s.template: {"walls_s": s.walls, "steps": s.steps} for s in STACKS}
        args.json.write_text(json.dumps(figures, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
