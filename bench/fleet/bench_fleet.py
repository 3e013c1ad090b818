"""Fleet benchmark: 10 lab devices commissioned at once against 1 device, same run, same
bundle, each measured as the whole ``edgegui fleet deploy`` command (process start to exit).

The bundle holds one image (busybox and an 8 MiB layer of random bytes, which does not
compress). Both commands run under ``strace -f --seccomp-bpf`` tracing only openat/read/
pread64 of the bundle file (socket traffic is recv/send and is not stopped), so the bytes
read from the bundle are counted by the kernel's account of the syscalls, not by EdgeGUI;
the two runs carry the same instrumentation, so the ratio stays fair.

    sudo .venv/bin/python bench/fleet/bench_fleet.py [--devices 10] [--layer-mb 8] [--json F]
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from edgegui.core.bundle import BundleReader, create_bundle  # noqa: E402
from tests.core.deploy.conftest import TEMPLATE  # noqa: E402
from tests.core.deploy.images import filler_layer, image_archive  # noqa: E402
from tests.lab import Lab, lab_unavailable_reason  # noqa: E402

IMAGE = "edgegui-test/busybox:1"  # what web.yaml runs
_READ = re.compile(r"(?:\bread|\bpread64)(?:\(| resumed>).*= (\d+)$")
_OPEN = re.compile(r"openat\(.*\) = \d+$")


def make_bundle(work: Path, layer_mb: int) -> Path:
    archive = image_archive(work / "image.tar", IMAGE, (filler_layer(layer_mb << 20),))
    path = work / "fleet.edgebundle"
    create_bundle(path, archives=[archive], template="deploytest")
    return path


def write_csv(path: Path, devices: list[Any]) -> Path:
    rows = ["target,name,identity,known_hosts"]
    rows += [f"{d.ssh_target},{d.name},{d.key_path},{d.known_hosts}" for d in devices]
    path.write_text("\n".join(rows) + "\n")
    return path


def fleet_deploy(csv: Path, bundle: Path, parallel: int, trace: Path) -> dict[str, Any]:
    """The whole command under strace; returns wall time, its JSON summary and read counts."""
    argv = ["strace", "-f", "--seccomp-bpf", "-qq", "-e", "trace=openat,read,pread64",
            "-e", "signal=none", "-P", str(bundle), "-o", str(trace),
            sys.executable, "-m", "edgegui", "fleet", "deploy", "--devices", str(csv),
            "--template", str(TEMPLATE), "--bundle", str(bundle), "--parallel", str(parallel),
            "--health-timeout", "60", "--json"]  # fmt: skip
    started = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, text=True, timeout=1800)
    wall = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"fleet deploy failed ({done.returncode}): {done.stderr[-2000:]}")
    lines = trace.read_text().splitlines()
    return {
        "wall_s": wall,
        "summary": json.loads(done.stdout),
        "bundle_opens": sum(1 for line in lines if _OPEN.search(line)),
        "bundle_bytes_read": sum(int(m.group(1)) for m in map(_READ.search, lines) if m),
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--devices", type=int, default=10)
    parser.add_argument("--layer-mb", type=int, default=8)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    reason = lab_unavailable_reason() or (None if shutil.which("strace") else "needs strace")
    if reason:
        print(f"bench: {reason}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="bench-fleet-") as tmp:
        work = Path(tmp)
        bundle = make_bundle(work, args.layer_mb)
        size = bundle.stat().st_size
        with BundleReader(bundle) as reader:
            blobs = sum(s for _, s in reader.manifest.members.values())
        started = time.perf_counter()
        lab = Lab([None] * (args.devices + 1)).start()
        lab_start = time.perf_counter() - started
        try:
            single = fleet_deploy(write_csv(work / "one.csv", lab.devices[-1:]), bundle, 1,
                                  work / "one.trace")  # fmt: skip
            fleet = fleet_deploy(write_csv(work / "fleet.csv", lab.devices[:-1]), bundle,
                                 args.devices, work / "fleet.trace")  # fmt: skip
        finally:
            started = time.perf_counter()
            lab.stop()
            lab_stop = time.perf_counter() - started
    results = {
        "devices": args.devices,
        "bundle_bytes": size,
        "blob_bytes": blobs,
        "lab_start_s": lab_start,
        "lab_stop_s": lab_stop,
        "single": single,
        "fleet": fleet,
        "ratio": fleet["wall_s"] / single["wall_s"],
    }
    print_table(results)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    return 0


def print_table(r: dict[str, Any]) -> None:
    single, fleet = r["single"], r["fleet"]
    sent = sum(d["bytes_sent"] for d in fleet["summary"]["devices"])
    mb = 1e6
    print(f"| | 1 device | {r['devices']} devices at once |")
    print("|---|---|---|")
    print(f"| whole command, wall | {single['wall_s']:.1f} s | {fleet['wall_s']:.1f} s "
          f"(**{r['ratio']:.2f}×**, target ≤ 2×) |")  # fmt: skip
    print(
        f"| bundle file read (strace), bytes | {single['bundle_bytes_read'] / mb:.2f} MB | "
        f"{fleet['bundle_bytes_read'] / mb:.2f} MB (bundle {r['bundle_bytes'] / mb:.2f} MB) |"
    )
    print(f"| bundle file opens (strace) | {single['bundle_opens']} | {fleet['bundle_opens']} |")
    inner = fleet["summary"]["bundle_reads"]
    print(f"| blobs read more than once (EdgeGUI's count) | "
          f"{len(single['summary']['bundle_reads']['blobs_read_more_than_once'])} | "
          f"{len(inner['blobs_read_more_than_once'])} |")  # fmt: skip
    print(
        f"| image bytes sent over SSH | "
        f"{single['summary']['devices'][0]['bytes_sent'] / mb:.2f} MB | {sent / mb:.2f} MB |"
    )
    print(
        f"\nlab of {r['devices'] + 1} devices: started in {r['lab_start_s']:.1f} s, "
        f"stopped in {r['lab_stop_s']:.1f} s"
    )


if __name__ == "__main__":
    sys.exit(main())
