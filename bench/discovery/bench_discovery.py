"""Discovery benchmark: EdgeGUI's one-exec probe against ``ansible -m setup``, same lab device.

Starts one lab device (tests/lab, needs root) with the gateway hardware, then measures in the
same run: wall time to a full inventory over SSH (connect included, cold each time) and the
number of remote execs, for EdgeGUI and for Ansible's fact gathering (ansible-core, each run
with a fresh ControlPath folder so it is cold too); and the full inventory over the serial
console, with the bytes that cross it and what they would take at 115200 baud.

    sudo .venv/bin/python bench/discovery/bench_discovery.py [--runs 5] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from edgegui.core.discovery import probe_inventory  # noqa: E402
from edgegui.core.discovery.probe import probe_script  # noqa: E402
from edgegui.core.transport.factory import TransportOptions, open_transport  # noqa: E402
from tests.lab import Lab, lab_unavailable_reason  # noqa: E402

SERIAL_BYTES_PER_S = 115200 / 10


def edgegui_ssh(device: Any) -> dict[str, Any]:
    options = TransportOptions(identity=device.key_path, known_hosts=device.known_hosts)
    started = time.perf_counter()
    transport = open_transport(device.ssh_target, options)
    execs = 0
    real_run = transport.run

    def counting_run(*args: Any, **kwargs: Any) -> Any:
        nonlocal execs
        execs += 1
        return real_run(*args, **kwargs)

    transport.run = counting_run  # type: ignore[method-assign]
    try:
        inventory = probe_inventory(transport)
    finally:
        transport.close()
    wall = time.perf_counter() - started
    assert not inventory.errors, inventory.errors
    return {"wall_s": wall, "execs": execs, "usb_devices": len(inventory.usb_devices)}


def edgegui_serial(device: Any) -> dict[str, Any]:
    options = TransportOptions(user="tech", password=device.password)
    started = time.perf_counter()
    with open_transport(device.serial_target, options) as transport:
        login = time.perf_counter() - started
        inventory = probe_inventory(transport)
    wall = time.perf_counter() - started
    moved = len(probe_script().encode()) + inventory.probe["bytes"]
    return {
        "wall_s": wall,
        "login_s": login,
        "probe_s": inventory.probe["elapsed_s"],
        "bytes": moved,
        "at_115200_s": moved / SERIAL_BYTES_PER_S,
    }


def ansible_setup(device: Any, ansible: str) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="edgegui-bench-") as tmp:
        inventory = Path(tmp) / "hosts"
        inventory.write_text(
            f"{device.name} ansible_host={device.ip} ansible_user=tech "
            f"ansible_ssh_private_key_file={device.key_path} "
            "ansible_python_interpreter=/usr/bin/python3 "
            f"ansible_ssh_common_args='-o UserKnownHostsFile={device.known_hosts}'\n"
        )
        env = dict(
            os.environ,
            ANSIBLE_SSH_CONTROL_PATH_DIR=str(Path(tmp) / "cp"),
            ANSIBLE_LOCAL_TEMP=str(Path(tmp) / "local"),
            ANSIBLE_NOCOLOR="1",
        )
        started = time.perf_counter()
        result = subprocess.run(
            [ansible, "all", "-i", str(inventory), "-m", "setup", "-vvv"],
            capture_output=True,
            text=True,
            env=env,
            timeout=300,
            check=False,
        )
        wall = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"ansible failed: {result.stdout[-2000:]}{result.stderr[-2000:]}")
    execs = sum("SSH: EXEC ssh" in line for line in result.stdout.splitlines())
    transfers = sum(
        "SSH: EXEC sftp" in line or "SSH: EXEC scp" in line for line in result.stdout.splitlines()
    )
    return {"wall_s": wall, "execs": execs, "file_transfers": transfers}


def summarize(runs: list[dict[str, Any]]) -> dict[str, Any]:
    walls = [r["wall_s"] for r in runs]
    summary = {"median_wall_s": statistics.median(walls), "min_wall_s": min(walls), "runs": runs}
    for key in ("execs", "file_transfers", "bytes", "at_115200_s", "probe_s", "login_s"):
        if key in runs[0]:
            summary[key] = (
                runs[0][key] if key != "probe_s" else statistics.median(r[key] for r in runs)
            )
    return summary


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    reason = lab_unavailable_reason()
    ansible = shutil.which("ansible") or str(Path(sys.executable).with_name("ansible"))
    if reason or not Path(ansible).exists():
        raise SystemExit(reason or "ansible not found: pip install ansible-core")
    with Lab(["gateway"]) as lab:
        device = lab.devices[0]
        edgegui_ssh(device)  # warm the laptop side (imports) so both tools start equal
        results = {
            "edgegui_ssh": summarize([edgegui_ssh(device) for _ in range(args.runs)]),
            "ansible_setup": summarize([ansible_setup(device, ansible) for _ in range(args.runs)]),
            "edgegui_serial": summarize([edgegui_serial(device) for _ in range(args.runs)]),
        }
    ours, theirs = results["edgegui_ssh"], results["ansible_setup"]
    results["speedup"] = theirs["median_wall_s"] / ours["median_wall_s"]
    serial = results["edgegui_serial"]
    print(f"EdgeGUI over SSH : {ours['median_wall_s']:.3f} s median, {ours['execs']} remote exec")
    print(
        f"ansible -m setup : {theirs['median_wall_s']:.3f} s median, {theirs['execs']} ssh execs "
        f"({theirs['file_transfers']} file transfers)"
    )
    print(f"speed-up         : {results['speedup']:.1f}x")
    print(
        f"serial console   : {serial['median_wall_s']:.3f} s median incl. login "
        f"(probe {serial['probe_s']:.3f} s); {serial['bytes']} bytes = "
        f"{serial['at_115200_s']:.2f} s at 115200 baud"
    )
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
