"""The device's own copy of its audit entries: ``~/.local/share/edgegui/audit.jsonl``.

The next technician, on another laptop, sees what was done. Each line is one entry as the
laptop's log sealed it plus ``line_prev``, the SHA-256 of the line before it in this file,
so the file is a chain of its own. Lines travel base64-encoded in short script lines: a
serial console bounds line length and must never see control characters.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from edgegui.core.audit.entry import GENESIS, AuditEntry, canonical_json

if TYPE_CHECKING:
    from edgegui.core.transport.base import Transport

DEVICE_FILE = ".local/share/edgegui/audit.jsonl"  # under the login user's home
MAX_LINES = 5000  # the newest this many are read back
_CHUNK = 600  # base64 characters per script line

_READ = f'f="$HOME/{DEVICE_FILE}"; [ -f "$f" ] || exit 3; tail -n {MAX_LINES} "$f"'
_APPEND_HEAD = f"""set -e
f="$HOME/{DEVICE_FILE}"
umask 077
mkdir -p "$(dirname "$f")"
t="$f.part.$$"
: > "$t"
"""
_APPEND_TAIL = 'base64 -d "$t" >> "$f"\nrm -f "$t"\n'


@dataclass
class DeviceCopy:
    """What the device's file holds: entries, lines that are not entries, chain breaks."""

    entries: list[AuditEntry] = field(default_factory=list)
    unreadable: list[int] = field(default_factory=list)  # line numbers
    broken_links: list[int] = field(default_factory=list)  # lines whose line_prev is wrong
    last_line_hash: str = GENESIS
    present: bool = False

    @property
    def hashes(self) -> set[str]:
        return {entry.hash for entry in self.entries}


def parse_device_copy(text: str) -> DeviceCopy:
    copy = DeviceCopy(present=True)
    previous = None
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        line_hash = hashlib.sha256(line.encode()).hexdigest()
        try:
            data = json.loads(line)
            line_prev = str(data.pop("line_prev", ""))
            copy.entries.append(AuditEntry.from_dict(data))
        except (ValueError, TypeError, AttributeError):
            copy.unreadable.append(number)
            previous = line_hash
            continue
        # The file may be cut to its last MAX_LINES: the first line read cannot be checked.
        if previous is not None and line_prev != previous:
            copy.broken_links.append(number)
        previous = line_hash
    copy.last_line_hash = previous or GENESIS
    return copy


def read_device_copy(transport: Transport) -> DeviceCopy:
    result = transport.run(["sh", "-c", _READ], timeout=60)
    if result.exit_status == 3:
        return DeviceCopy()
    if not result.ok:
        return DeviceCopy(present=True, unreadable=[0])
    return parse_device_copy(result.text)


def device_lines(entries: list[AuditEntry], last_line_hash: str) -> list[str]:
    """JSON lines for ``entries``, each chained to the line before it."""
    lines = []
    previous = last_line_hash
    for entry in entries:
        line = canonical_json({**entry.to_dict(), "line_prev": previous})
        lines.append(line)
        previous = hashlib.sha256(line.encode()).hexdigest()
    return lines


def append_script(lines: list[str]) -> str:
    encoded = base64.b64encode("".join(line + "\n" for line in lines).encode()).decode()
    body = [
        f"printf %s '{encoded[i : i + _CHUNK]}' >> \"$t\"" for i in range(0, len(encoded), _CHUNK)
    ]
    return _APPEND_HEAD + "\n".join(body) + "\n" + _APPEND_TAIL


def push_entries(transport: Transport, entries: list[AuditEntry]) -> int:
    """Append the entries the device's file lacks; returns how many were written."""
    return sync_copy(transport, entries)[1]


def sync_copy(transport: Transport, entries: list[AuditEntry]) -> tuple[DeviceCopy, int]:
    """Append the entries the device's file lacks; returns the file as it now stands (read
    once, with what was appended) and how many entries were written."""
    copy = read_device_copy(transport)
    have = copy.hashes
    missing = [entry for entry in entries if entry.hash not in have]
    if not missing:
        return copy, 0
    lines = device_lines(missing, copy.last_line_hash)
    result = transport.run_script(append_script(lines), timeout=60)
    if not result.ok:
        detail = (result.stderr or result.stdout).decode("utf-8", "replace").strip()
        raise OSError(detail.splitlines()[-1] if detail else f"exit status {result.exit_status}")
    copy.entries.extend(missing)
    copy.last_line_hash = hashlib.sha256(lines[-1].encode()).hexdigest()
    copy.present = True
    return copy, len(missing)
