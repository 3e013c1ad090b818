"""Commission many devices at once: bounded concurrency, one bundle read once for all.

Typical use::

    devices = devices_for_template(Path("devices.csv"), template)
    summary = run_fleet(devices, FleetPlan(template, stack="retail"), bundle=Path("r.bundle"),
                        parallel=8, listener=print)
    sys.exit(0 if summary.ok else 1)
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from edgegui.core.errors import EdgeGUIError
from edgegui.core.events import CancelToken
from edgegui.core.fleet.devices_csv import FleetDevice
from edgegui.core.fleet.events import DeviceOutcome, FleetEvent, FleetListener, FleetSummary
from edgegui.core.fleet.job import DeviceJob, FleetPlan

MAX_PARALLEL = 64


class FleetError(EdgeGUIError):
    """The fleet run cannot start (bad options, unreadable bundle)."""


def run_fleet(
    devices: Sequence[FleetDevice],
    plan: FleetPlan,
    *,
    bundle: Path | None = None,
    parallel: int = 4,
    listener: FleetListener | None = None,
    cancel: CancelToken | None = None,
    memory_budget: int | None = None,
) -> FleetSummary:
    """Commission ``devices`` with at most ``parallel`` at a time; never raises for one
    device's failure (its outcome says why). The bundle is verified once before any device
    is touched, and each of its blobs is read from disk once for all of them."""
    if not 1 <= parallel <= MAX_PARALLEL:
        raise FleetError(f"--parallel {parallel}: use 1 to {MAX_PARALLEL}")
    started = time.monotonic()
    lock = threading.Lock()

    def tell(event: FleetEvent) -> None:
        if listener is not None:
            with lock:  # one line at a time, in the order they happened
                listener(event)

    if plan.report_dir is not None:
        try:
            plan.report_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise FleetError(f"{plan.report_dir}: cannot create: {exc.strerror}") from None
    with _shared(bundle, plan, memory_budget) as shared:
        for device in devices:
            tell(FleetEvent(device.name, "queued", device.target))
        jobs = [DeviceJob(d, plan, shared, tell, cancel) for d in devices]
        with ThreadPoolExecutor(max_workers=parallel, thread_name_prefix="fleet") as pool:
            outcomes: list[DeviceOutcome] = list(pool.map(lambda job: job.run(), jobs))
        reads = shared.stats.to_dict() if shared is not None else None
    return FleetSummary(outcomes, time.monotonic() - started, reads)


@contextlib.contextmanager
def _shared(bundle: Path | None, plan: FleetPlan, memory_budget: int | None):  # type: ignore[no-untyped-def]
    if bundle is None:
        yield None
        return
    from edgegui.core.bundle import SharedBundle
    from edgegui.core.bundle.shared import DEFAULT_BUDGET

    with SharedBundle(bundle, memory_budget=memory_budget or DEFAULT_BUDGET) as shared:
        shared.verify(plan.public_key)  # once, before any device: tampered sends nothing
        yield shared
