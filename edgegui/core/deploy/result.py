"""What a deploy, update or rollback did, for the CLI's ``--json`` and the GUI."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any


@dataclass
class ServiceState:
    """One service after the operation: container state, health and whether we restarted it."""

    name: str
    state: str = "missing"
    health: str = "none"
    changed: bool = False
    problems: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "state": self.state,
            "health": self.health,
            "changed": self.changed,
            "problems": list(self.problems),
        }


@dataclass
class DeployResult:
    """``ok`` is False when the stack did not come up; ``rolled_back`` says whether we undid it."""

    stack: str
    ok: bool = False
    services: dict[str, ServiceState] = field(default_factory=dict)
    rolled_back: bool = False
    reason: str = ""
    bytes_sent: int = 0
    images_loaded: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what rendering adapted to this device
    # service -> {"image": reference, "id": image ID that runs}; the handover report lists them
    images: dict[str, dict[str, str]] = field(default_factory=dict)
    security: list[str] = field(default_factory=list)  # what seccomp/AppArmor confine
    steps: list[tuple[str, float]] = field(default_factory=list)  # (step, seconds) in order

    @contextlib.contextmanager
    def timed(self, step: str) -> Iterator[None]:
        """Record how long ``step`` took (also when it fails, so the report shows where)."""
        started = time.monotonic()
        try:
            yield
        finally:
            self.steps.append((step, round(time.monotonic() - started, 3)))

    @property
    def changed(self) -> list[str]:
        return sorted(name for name, service in self.services.items() if service.changed)

    def to_dict(self) -> dict[str, Any]:
        return {
            "stack": self.stack,
            "ok": self.ok,
            "rolled_back": self.rolled_back,
            "reason": self.reason,
            "bytes_sent": self.bytes_sent,
            "images_loaded": list(self.images_loaded),
            "notes": list(self.notes),
            "images": {name: dict(image) for name, image in sorted(self.images.items())},
            "security": list(self.security),
            "changed": self.changed,
            "services": {name: s.to_dict() for name, s in sorted(self.services.items())},
            "steps": [{"step": step, "seconds": seconds} for step, seconds in self.steps],
        }
