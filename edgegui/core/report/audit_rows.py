"""The report's audit section: this device's entries from the laptop's log and from the
device's own copy (other laptops' work included), and the laptop chain's head."""

from __future__ import annotations

import contextlib

from edgegui.core.audit import DEVICE_FILE, AuditEntry, AuditLog, device_key
from edgegui.core.audit.device_copy import DeviceCopy, read_device_copy, sync_copy
from edgegui.core.discovery.model import Inventory
from edgegui.core.errors import EdgeGUIError
from edgegui.core.report.model import AuditRow, AuditSection
from edgegui.core.transport.base import Transport

MAX_ROWS = 200


def device_keys(transport: Transport, inventory: Inventory) -> set[str]:
    """Every name the log may know this device by: the link used now and its addresses."""
    keys = {device_key(transport.target)}
    for interface in inventory.network.interfaces:
        if interface.name == "lo":
            continue
        for address in interface.addresses:
            keys.add(address.split("/")[0])  # port 22: known_hosts names it bare
    return keys


def local_entries(audit: AuditLog, keys: set[str]) -> list[AuditEntry]:
    return [entry for entry in audit.entries() if entry.device in keys]


def update_device_copy(transport: Transport, entries: list[AuditEntry]) -> tuple[DeviceCopy, str]:
    """Bring the device's copy up to date: the copy as it now stands, and '' or why the
    update failed (the copy is then read as it is, if it can be)."""
    try:
        return sync_copy(transport, entries)[0], ""
    except (EdgeGUIError, OSError) as exc:
        problem = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    try:
        return read_device_copy(transport), problem
    except (EdgeGUIError, OSError):
        return DeviceCopy(), problem


def audit_section(
    audit: AuditLog, entries: list[AuditEntry], copy: DeviceCopy, push_problem: str
) -> AuditSection:
    chain = audit.verify()
    section = AuditSection(
        head_seq=chain.head.seq,
        head_hash=chain.head.hash,
        chain_ok=chain.ok,
        chain_problems=[problem.message for problem in chain.problems],
    )
    section.device_copy = _copy_state(copy, push_problem)
    seen: dict[str, tuple[AuditEntry, set[str]]] = {}
    for entry in entries:
        seen.setdefault(entry.hash, (entry, set()))[1].add("laptop")
    for entry in copy.entries:
        seen.setdefault(entry.hash, (entry, set()))[1].add("device")
    ordered = sorted(seen.values(), key=lambda pair: pair[0].at)
    section.left_out = max(0, len(ordered) - MAX_ROWS)
    for entry, where in ordered[-MAX_ROWS:]:
        section.rows.append(
            AuditRow(
                seq=entry.seq,
                at=entry.at[:19].replace("T", " "),
                actor=entry.actor,
                device=entry.device,
                action=entry.action,
                summary=entry.summary(),
                hash=entry.hash,
                seen_in=" and ".join(sorted(where, reverse=True)),
            )
        )
    return section


def _copy_state(copy: DeviceCopy, push_problem: str) -> str:
    where = f"~/{DEVICE_FILE}"
    if not copy.present:
        state = f"No copy on the device yet ({where})."
    else:
        count = len(copy.entries)
        state = f"{count} {'entry' if count == 1 else 'entries'} on the device in {where}"
        damage = []
        with contextlib.suppress(ValueError):
            if copy.unreadable:
                damage.append(f"unreadable lines {_lines(copy.unreadable)}")
            if copy.broken_links:
                damage.append(f"lines {_lines(copy.broken_links)} do not follow the line before")
        state += f"; ALTERED: {'; '.join(damage)}." if damage else "; its chain is intact."
    if push_problem:
        state += f" Could not be updated: {push_problem}."
    return state


def _lines(numbers: list[int]) -> str:
    shown = ", ".join(str(n) for n in numbers[:10])
    return shown + (f" and {len(numbers) - 10} more" if len(numbers) > 10 else "")
