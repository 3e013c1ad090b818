"""What a fleet run tells its front end: per-device state changes and each device's outcome."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# A device's states, in the order a run moves through them.
STATES = (
    "queued",
    "connecting",
    "discovering",
    "sending",
    "starting",
    "reporting",
    "deployed",
    "unchanged",
    "skipped",
    "failed",
)
FINAL = frozenset({"deployed", "unchanged", "skipped", "failed"})


@dataclass(frozen=True)
class FleetEvent:
    """``device`` (its name) moved to ``state``; ``done``/``total`` bytes while sending."""

    device: str
    state: str
    message: str = ""
    done: int | None = None
    total: int | None = None
    at: float = field(default_factory=time.monotonic)


FleetListener = Callable[[FleetEvent], None]


@dataclass
class DeviceOutcome:
    """How one device ended: ``result`` is deployed, unchanged, skipped or failed."""

    name: str
    target: str
    result: str = "failed"
    reason: str = ""
    duration_s: float = 0.0
    bytes_sent: int = 0
    report_path: Path | None = None
    report: Any = None  # HandoverReport, for a front end that writes it itself (PDF)
    site: str = ""
    notes: list[str] = field(default_factory=list)  # what the run could not do (advertise…)

    @property
    def ok(self) -> bool:
        return self.result != "failed"

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "target": self.target,
            "site": self.site,
            "result": self.result,
            "reason": self.reason,
            "duration_s": round(self.duration_s, 2),
            "bytes_sent": self.bytes_sent,
            "report": str(self.report_path) if self.report_path else None,
            "notes": list(self.notes),
        }


@dataclass
class FleetSummary:
    """Every device's outcome and what was read from the bundle."""

    outcomes: list[DeviceOutcome]
    duration_s: float
    bundle_reads: dict[str, Any] | None = None

    @property
    def ok(self) -> bool:
        return all(outcome.ok for outcome in self.outcomes)

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "duration_s": round(self.duration_s, 2),
            "devices": [outcome.to_dict() for outcome in self.outcomes],
            "bundle_reads": self.bundle_reads,
        }
