"""Run the probe script on a device in one remote exec and parse what it prints."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from functools import cache

from edgegui.core.discovery.inventory import collector_section, parse_probe_output
from edgegui.core.discovery.model import Inventory
from edgegui.core.discovery.sections import HEADER, ProbeOutputError
from edgegui.core.events import Progress, ProgressCallback, no_progress
from edgegui.core.resources import device_script
from edgegui.core.transport.base import Transport
from edgegui.core.transport.engine import EngineEndpoint, remember_endpoint

PROBE_TIMEOUT_S = 120.0  # above the sum of the probe's own per-command bounds


@cache
def probe_script() -> str:
    """The probe as sent: shared helpers, the engine lookup, then resources/probe.sh."""
    return device_script("shlib.sh", "engine.sh", "probe.sh")


def collect_probe_output(transport: Transport, progress: ProgressCallback | None = None) -> str:
    """Run the probe once on an opened transport; return its raw output plus a collector trailer."""
    report = progress or no_progress
    target = transport.describe()
    report(Progress("discover", 0, 2, f"probing {target}", unit="step"))
    started = time.monotonic()
    result = transport.run_script(probe_script(), timeout=PROBE_TIMEOUT_S)
    elapsed = time.monotonic() - started
    received = time.time()
    text = result.stdout.decode("utf-8", "replace")
    if HEADER not in text:
        detail = (result.stderr or result.stdout).decode("utf-8", "replace").strip()
        first = detail.splitlines()[0] if detail else "no output"
        raise ProbeOutputError(
            f"{target}: the probe did not run (exit status {result.exit_status}): {first}"
        )
    report(Progress("discover", 1, 2, f"parsing {len(result.stdout)} bytes", unit="step"))
    trailer = collector_section(
        transport=transport.scheme,
        target=target,
        received_epoch=f"{received:.3f}",
        received_utc=datetime.fromtimestamp(received, UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        elapsed_s=f"{elapsed:.3f}",
        exit_status=result.exit_status,
    )
    return (text if text.endswith("\n") else text + "\n") + trailer


def probe_inventory(transport: Transport, progress: ProgressCallback | None = None) -> Inventory:
    """Discover an opened device: exactly one ``run_script`` call, then parsing on this side."""
    raw = collect_probe_output(transport, progress)
    inventory = parse_probe_output(raw, transport.describe())
    if inventory.docker.engine:  # the Docker paths use this answer rather than ask again
        remember_endpoint(
            transport, EngineEndpoint(inventory.docker.engine, inventory.docker.engine_from)
        )
    (progress or no_progress)(Progress("discover", 2, 2, "done", unit="step"))
    return inventory
