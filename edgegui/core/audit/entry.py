"""One audit entry and how it is hashed into the chain.

Each entry's hash covers its own fields and the hash of the entry before it, so editing,
removing or moving an entry breaks the chain at a place that names it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from typing import Any

GENESIS = "0" * 64  # the "previous hash" of the first entry of a log
HASHED_FIELDS = ("log", "seq", "at", "actor", "device", "target", "action", "detail", "prev")


def canonical_json(data: Any) -> str:
    """The one byte-exact spelling of ``data`` that hashes are computed over."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=True)


@dataclass(frozen=True)
class AuditEntry:
    """An action that changed a device or what EdgeGUI trusts.

    ``device`` is the device key (``10.0.0.5``, ``[gw]:2222``, ``serial:/dev/ttyUSB0``,
    ``local``); ``detail`` never holds a secret value.
    """

    log: str  # id of the laptop's log this entry was first written to
    seq: int
    at: str  # UTC, ISO 8601 with milliseconds
    actor: str  # OS user @ laptop host name
    device: str
    target: str
    action: str
    detail: dict[str, Any] = field(default_factory=dict)
    prev: str = GENESIS
    hash: str = ""

    def hashed_content(self) -> dict[str, Any]:
        data = asdict(self)
        return {name: data[name] for name in HASHED_FIELDS}

    def computed_hash(self) -> str:
        return hashlib.sha256(canonical_json(self.hashed_content()).encode()).hexdigest()

    def sealed(self) -> AuditEntry:
        """This entry with its hash filled in."""
        return AuditEntry(**{**self.hashed_content(), "hash": self.computed_hash()})

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> AuditEntry:
        """Build from stored JSON; raises ValueError when a field is missing or mistyped."""
        try:
            entry = cls(
                log=str(data["log"]),
                seq=int(data["seq"]),
                at=str(data["at"]),
                actor=str(data["actor"]),
                device=str(data["device"]),
                target=str(data["target"]),
                action=str(data["action"]),
                detail=dict(data.get("detail") or {}),
                prev=str(data["prev"]),
                hash=str(data["hash"]),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"not an audit entry: {exc}") from None
        return entry

    def describe(self) -> str:
        """``#12 2025-01-02 10:03 deploy 10.0.0.5``: how a message names this entry."""
        return f"#{self.seq} {self.at[:16].replace('T', ' ')} {self.action} {self.device}"

    def summary(self) -> str:
        """The detail as one line a person reads (lists, reports)."""
        d = self.detail
        subject = {
            "deploy": f"stack {d.get('stack')} from {d.get('source')}",
            "rollback": f"stack {d.get('stack')} back to {d.get('to')}",
            "remove": f"stack {d.get('stack')}" + (" and its volumes" if d.get("volumes") else ""),
            "daemon-profile": f"profile {d.get('profile')} ({', '.join(d.get('settings') or [])})",
            "host-key-accepted": f"{d.get('key_type')} {d.get('fingerprint')}, {d.get('how')}",
            "host-keys-pinned": ", ".join(f"{k} {v}" for k, v in (d.get("keys") or {}).items())
            + f" read over {d.get('via')}",
            "password-saved": f"in the {d.get('where', 'OS keyring')}",
        }.get(self.action)
        if subject is None:
            subject = "; ".join(f"{k}: {v}" for k, v in sorted(d.items()) if v not in ("", None))
        if "ok" not in d:
            return subject
        if not d["ok"]:
            why = d.get("error") or d.get("reason") or "failed"
            rolled = " (rolled back)" if d.get("rolled_back") else ""
            return f"{subject}: FAILED: {why}{rolled}"
        changed = d.get("changed")
        return f"{subject}: done" + (f", restarted {', '.join(changed)}" if changed else "")
