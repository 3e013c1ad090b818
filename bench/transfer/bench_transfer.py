"""Transfer benchmark: EdgeGUI's layer-diff bundle transfer against ``docker save | ssh …
docker load``, all in one run against one lab device.

Bytes "on the wire" are the host side veth's transmit counter (host -> device: Ethernet, IP,
TCP and SSH overhead included); "payload" is the bundle bytes EdgeGUI sent. Measures:

1. first transfer of a ~100 MB image (device holds nothing): payload and wire vs the
   compressed image size;
2. update that changes one small layer: EdgeGUI vs ``cat image.tar | ssh … docker load``
   (the bytes ``docker save`` would pipe), wire bytes and time;
3. resume after a cut at 50%: total wire bytes vs the uninterrupted first transfer;
4. throughput on a link shaped to 10 Mbit/s with ``tc … tbf``.

    sudo .venv/bin/python bench/transfer/bench_transfer.py [--size-mb 96] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from edgegui.core.bundle import create_bundle  # noqa: E402
from edgegui.core.deploy.remote_state import home_dir  # noqa: E402
from edgegui.core.deploy.transfer import send_images  # noqa: E402
from edgegui.core.errors import EdgeGUIError  # noqa: E402
from edgegui.core.events import Progress  # noqa: E402
from edgegui.core.transport.base import Transport  # noqa: E402
from edgegui.core.transport.factory import TransportOptions, open_transport  # noqa: E402
from tests.core.deploy.images import filler_layer, image_archive  # noqa: E402
from tests.lab import Lab, lab_unavailable_reason  # noqa: E402

V1, V2, SHAPED = "bench/app:1", "bench/app:2", "bench/shaped:1"


def wire_bytes(device: Any) -> int:
    return int(Path(f"/sys/class/net/{device.host_if}/statistics/tx_bytes").read_text())


def connect(device: Any) -> Transport:
    options = TransportOptions(identity=device.key_path, known_hosts=device.known_hosts)
    return open_transport(device.ssh_target, options)


def edgegui_send(device: Any, bundle: Path, ref: str, cut_at: float | None = None) -> dict:
    """Send ``ref`` from ``bundle``; with ``cut_at``, cut the link there and resume.
    ``payload_bytes`` counts the finishing attempt; the wire counter counts both."""
    cut = threading.Event()

    def maybe_cut(event: Progress) -> None:
        if cut_at is None or cut.is_set() or not event.total:
            return
        if event.task == "transfer" and event.done >= event.total * cut_at:
            cut.set()
            device.cut_link()

    before, started, payload = wire_bytes(device), time.perf_counter(), 0
    for _attempt in range(2):
        transport = connect(device)
        try:
            client = transport.docker_client()
            home = home_dir(transport)
            report = send_images(transport, client, bundle, [ref], home=home, progress=maybe_cut)
            payload += report.bytes_sent
            break
        except EdgeGUIError:
            if not cut.is_set():
                raise
            device.restore_link()
        finally:
            transport.close()
    return {
        "payload_bytes": payload,
        "wire_bytes": wire_bytes(device) - before,
        "seconds": time.perf_counter() - started,
        "cut": cut.is_set(),
    }


def save_pipe_load(device: Any, archive: Path) -> dict:
    """What ``docker save IMAGE | ssh tech@device docker load`` puts on the wire."""
    before, started = wire_bytes(device), time.perf_counter()
    with open(archive, "rb") as stream:
        subprocess.run(
            [
                "ssh", "-i", str(device.key_path), "-o", f"UserKnownHostsFile={device.known_hosts}",
                "-o", "StrictHostKeyChecking=yes", "-o", "BatchMode=yes",
                f"tech@{device.ip}", "docker", "load",
            ],
            stdin=stream, check=True, capture_output=True,
        )  # fmt: skip
    return {"wire_bytes": wire_bytes(device) - before, "seconds": time.perf_counter() - started}


def forget_images(device: Any, *refs: str, prune: bool = False) -> None:
    """Remove ``refs``; with ``prune`` also every layer no image uses any more."""
    device.exec(["docker", "rmi", "-f", *refs], check=False)
    if prune:
        device.exec(["docker", "image", "prune", "-a", "-f"], check=False)


def run(size_mb: int, work: Path) -> dict[str, Any]:
    big = filler_layer(size_mb * 1024 * 1024, "data.bin")
    small_v1 = filler_layer(64 * 1024, "app.bin")
    small_v2 = filler_layer(64 * 1024, "app.bin")
    archive_v1 = image_archive(work / "v1.tar", V1, (big, small_v1))
    archive_v2 = image_archive(work / "v2.tar", V2, (big, small_v2))
    bundle_v1, bundle_v2 = work / "v1.edgebundle", work / "v2.edgebundle"
    compressed = create_bundle(bundle_v1, archives=[archive_v1]).images[0].compressed_size
    create_bundle(bundle_v2, archives=[archive_v2])
    shaped_archive = image_archive(work / "s.tar", SHAPED, (filler_layer(16 * 1024 * 1024),))
    shaped_bundle = work / "s.edgebundle"
    create_bundle(shaped_bundle, archives=[shaped_archive])

    lab = Lab([None]).start()
    try:
        device = lab.devices[0]
        first = edgegui_send(device, bundle_v1, V1)
        baseline = save_pipe_load(device, archive_v2)
        forget_images(device, V2)
        update = edgegui_send(device, bundle_v2, V2)
        forget_images(device, V1, V2, prune=True)
        resumed = edgegui_send(device, bundle_v1, V1, cut_at=0.5)
        device.limit_rate(10)
        try:
            shaped = edgegui_send(device, shaped_bundle, SHAPED)
        finally:
            device.clear_rate()
    finally:
        lab.stop()
    shaped_mbit = shaped["payload_bytes"] * 8 / shaped["seconds"] / 1e6
    return {
        "image_bytes": archive_v2.stat().st_size,
        "compressed_image_bytes": compressed,
        "first": first,
        "first_payload_vs_compressed": first["payload_bytes"] / compressed,
        "first_wire_vs_compressed": first["wire_bytes"] / compressed,
        "update": update,
        "save_pipe_load": baseline,
        "update_fewer_bytes_x": baseline["wire_bytes"] / update["wire_bytes"],
        "update_faster_x": baseline["seconds"] / update["seconds"],
        "resume": resumed,
        "resume_vs_uninterrupted": resumed["wire_bytes"] / first["wire_bytes"],
        "shaped_10mbit": shaped,
        "shaped_payload_mbit_s": shaped_mbit,
        "shaped_fraction_of_link": shaped_mbit / 10,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=int, default=96, help="size of the big layer")
    parser.add_argument("--json", type=Path, help="write the figures here too")
    args = parser.parse_args()
    reason = lab_unavailable_reason()
    if reason:
        print(f"bench: {reason}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="edgegui-bench-") as work:
        figures = run(args.size_mb, Path(work))
    text = json.dumps(figures, indent=2)
    print(text)
    if args.json:
        args.json.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
