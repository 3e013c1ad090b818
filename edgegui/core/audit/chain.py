"""Check a hash chain of audit entries and name each entry that was edited, deleted or moved.

Pure logic: the store hands over its rows in storage order and the head it recorded.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from edgegui.core.audit.entry import GENESIS, AuditEntry

Tampering = Literal["edited", "deleted", "reordered", "duplicated"]


@dataclass(frozen=True)
class ChainProblem:
    seq: int
    kind: Tampering
    message: str


@dataclass(frozen=True)
class ChainHead:
    """The last entry's number and hash: what a report embeds to pin the log's state."""

    seq: int = 0
    hash: str = GENESIS


@dataclass
class ChainReport:
    entries: int
    head: ChainHead
    problems: list[ChainProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_chain(rows: Sequence[AuditEntry], recorded_head: ChainHead) -> ChainReport:
    """``rows`` in storage order; ``recorded_head`` as the log wrote it with the last entry."""
    found = _Findings()
    flag, flagged = found.flag, found.flagged
    by_seq: dict[int, AuditEntry] = {}
    for entry in rows:
        if entry.seq in by_seq:
            flag(entry.seq, "duplicated", f"entry {entry.describe()} appears twice")
            continue
        by_seq[entry.seq] = entry
        if entry.computed_hash() != entry.hash:
            flag(entry.seq, "edited", f"entry {entry.describe()} was edited (its hash differs)")
    _check_order(rows, found)
    last = max([recorded_head.seq, *by_seq])
    for seq in range(1, last + 1):
        if seq not in by_seq:
            flag(seq, "deleted", f"entry #{seq} was deleted{_neighbours(by_seq, seq)}")
    for seq, entry in sorted(by_seq.items()):
        before = by_seq.get(seq - 1)
        expected = GENESIS if seq == 1 else (before.hash if before else None)
        if expected is not None and entry.prev != expected and seq - 1 not in flagged:
            # The entry before was changed and re-hashed: only the link shows it.
            if seq == 1:
                flag(seq, "edited", f"entry {entry.describe()} was edited (not a log's start)")
            else:
                assert before is not None
                why = f"(entry #{seq} no longer links to it)"
                flag(seq - 1, "edited", f"entry {before.describe()} was edited and re-hashed {why}")
    head_entry = by_seq.get(recorded_head.seq)
    if head_entry is not None and recorded_head.seq and head_entry.hash != recorded_head.hash:
        why = "(the log's recorded head differs)"
        flag(recorded_head.seq, "edited", f"entry {head_entry.describe()} was re-hashed {why}")
    top = by_seq.get(last)
    head = ChainHead(last, top.hash) if top is not None else recorded_head
    return ChainReport(len(rows), head, sorted(found.problems, key=lambda p: p.seq))


class _Findings:
    """Problems found so far; one per entry (the first reason found names it)."""

    def __init__(self) -> None:
        self.problems: list[ChainProblem] = []
        self.flagged: set[int] = set()

    def flag(self, seq: int, kind: Tampering, message: str) -> None:
        if seq not in self.flagged:
            self.flagged.add(seq)
            self.problems.append(ChainProblem(seq, kind, message))


def _check_order(rows: Sequence[AuditEntry], found: _Findings) -> None:
    """An entry stored after one with a higher number was moved."""
    highest: AuditEntry | None = None
    for entry in rows:
        if highest is not None and entry.seq < highest.seq:
            found.flag(
                entry.seq,
                "reordered",
                f"entry {entry.describe()} is stored after entry #{highest.seq} (reordered)",
            )
        elif highest is None or entry.seq > highest.seq:
            highest = entry


def _neighbours(by_seq: dict[int, AuditEntry], seq: int) -> str:
    before, after = by_seq.get(seq - 1), by_seq.get(seq + 1)
    parts = []
    if before is not None:
        parts.append(f"after {before.describe()}")
    if after is not None:
        parts.append(f"before {after.describe()}")
    return f" (it stood {' and '.join(parts)})" if parts else ""
