"""Status benchmark: one EdgeGUI snapshot against the naive docker-py loop, same device, same run.

Starts one lab device (tests/lab, needs root), runs 20 labelled busybox containers in two
stacks, then over ONE SSH connection measures:

- ``snapshot()`` as shipped (``stats_source="auto"``: one-shot stats on engines that answer
  them at once, API 1.44+; cgroup counters in the metrics script on older ones);
- ``snapshot(stats_source="api")``: one-shot stats requests, concurrent on the connection;
- the naive loop: ``for c in client.containers.list(): c.stats(stream=False)``.

    sudo .venv/bin/python bench/status/bench_status.py [--runs 10] [--naive-runs 2] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from edgegui.core.monitor import snapshot  # noqa: E402
from edgegui.core.transport.factory import TransportOptions, open_transport  # noqa: E402
from tests.core.monitor.labstack import (  # noqa: E402
    engine,
    ensure_image,
    remove_all,
    run_service,
    shell,
)
from tests.lab import Lab, lab_unavailable_reason  # noqa: E402

CONTAINERS = 20


def start_containers(device: Any) -> None:
    client = engine(device)
    ensure_image(device, client)
    for i in range(CONTAINERS):
        stack = "line" if i % 2 else "shop"
        # A little work in each, so that CPU, memory and network figures are not all zero.
        run_service(
            client,
            stack,
            f"svc{i:02d}",
            shell("while :; do echo tick; sleep 1; done"),
            mem_limit="64m",
        )
    client.close()


def timed(job: Any, runs: int) -> list[float]:
    walls = []
    for _ in range(runs):
        started = time.perf_counter()
        job()
        walls.append(time.perf_counter() - started)
        time.sleep(0.3)  # let the engine's stats collector go idle between runs, as in use
    return walls


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--naive-runs", type=int, default=2)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    reason = lab_unavailable_reason()
    if reason:
        print(f"device lab unavailable: {reason}", file=sys.stderr)
        return 2
    lab = Lab([None]).start()
    try:
        device = lab.devices[0]
        start_containers(device)
        options = TransportOptions(identity=device.key_path, known_hosts=device.known_hosts)
        with open_transport(device.ssh_target, options) as transport:
            cold_started = time.perf_counter()
            first = snapshot(transport)  # includes making the Docker client on the connection
            cold = time.perf_counter() - cold_started
            assert len(first.containers) == CONTAINERS, first.errors
            assert all(c.mem_bytes for c in first.containers)
            auto = timed(lambda: snapshot(transport), args.runs)
            one_shot = timed(lambda: snapshot(transport, stats_source="api"), args.runs)
            client = transport.docker_client()

            def naive() -> None:
                for container in client.containers.list():
                    container.stats(stream=False)

            naive_walls = timed(naive, args.naive_runs)
        result = {
            "containers": CONTAINERS,
            "engine": first.engine,
            "stats_source_auto": first.engine.get("stats"),
            "snapshot_cold_s": round(cold, 4),
            "snapshot_median_s": round(statistics.median(auto), 4),
            "snapshot_max_s": round(max(auto), 4),
            "snapshot_one_shot_api_median_s": round(statistics.median(one_shot), 4),
            "naive_median_s": round(statistics.median(naive_walls), 3),
            "speedup": round(statistics.median(naive_walls) / statistics.median(auto), 1),
            "speedup_one_shot_api": round(
                statistics.median(naive_walls) / statistics.median(one_shot), 1
            ),
            "runs": args.runs,
            "naive_runs": args.naive_runs,
        }
    finally:
        try:
            remove_all(engine(lab.devices[0]))
        finally:
            lab.stop()
    print(json.dumps(result, indent=2))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
