"""Recording an action: one local entry, then the device's copy brought up to date.

Call sites stay one line: ``record_action("deploy", transport=t, detail={...})``.
"""

from __future__ import annotations

import contextlib
import getpass
import logging
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from edgegui.core.audit.entry import AuditEntry
from edgegui.core.audit.store import AuditLog
from edgegui.core.errors import EdgeGUIError, TargetError
from edgegui.core.target import Target, known_hosts_name, parse_target

if TYPE_CHECKING:
    from edgegui.core.transport.base import Transport

log = logging.getLogger(__name__)


def actor() -> str:
    """Who acts: the OS user on this laptop."""
    user = "unknown"
    with contextlib.suppress(Exception):  # no passwd entry in a container: still record
        user = getpass.getuser()
    return f"{user}@{socket.gethostname()}"


def device_key(target: Target | str) -> str:
    """How the audit log names a device: its SSH address as known_hosts writes it,
    ``serial:PATH`` for a console, ``local`` for this computer."""
    if isinstance(target, str):
        try:
            parsed = parse_target(target)
        except TargetError:
            return target  # a host name or key given as such
    else:
        parsed = target
    return _key_of(parsed)


def _key_of(target: Target) -> str:
    if target.scheme == "ssh":
        return known_hosts_name(target.host, target.port or 22)
    if target.scheme == "serial":
        return f"serial:{target.path}"
    return "local"


def record_action(
    action: str,
    *,
    transport: Transport | None = None,
    device: str | None = None,
    target: str = "",
    detail: dict[str, Any] | None = None,
    log_path: Path | None = None,
) -> AuditEntry:
    """Append ``action`` to the local log and, with ``transport``, to the device's copy.

    ``detail`` must not hold secret values. A failing device copy is only logged: the
    device's file is brought up to date by the next action or report on it.
    """
    if transport is not None:
        target = target or transport.describe()
        device = device or device_key(transport.target)
    if device is None:
        device = device_key(target)
    audit = AuditLog(log_path)
    entry = audit.append(
        actor=actor(), device=device, target=target, action=action, detail=detail or {}
    )
    if transport is not None:
        sync_device_copy(transport, audit, also=entry)
    return entry


def sync_device_copy(
    transport: Transport, audit: AuditLog | None = None, also: AuditEntry | None = None
) -> int:
    """Write this laptop's entries for the device (and ``also``, one recorded under another
    name of it) that its copy lacks; 0 when that fails."""
    from edgegui.core.audit.device_copy import push_entries

    audit = audit or AuditLog()
    entries = audit.entries(device_key(transport.target))
    if also is not None and also not in entries:
        entries.append(also)
    try:
        return push_entries(transport, entries)
    except (EdgeGUIError, OSError) as exc:
        log.warning("%s: audit copy on the device not updated: %s", transport.describe(), exc)
        return 0


@contextlib.contextmanager
def audited(action: str, transport: Transport, detail: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Record ``action`` once the block ends: with what the block put in the yielded dict,
    or, when it raised, with the one-line error (the action may have changed the device)."""
    outcome: dict[str, Any] = {}
    try:
        yield outcome
    except BaseException as exc:
        error = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        with contextlib.suppress(EdgeGUIError):  # the original error matters more
            record_action(
                action, transport=transport, detail={**detail, "ok": False, "error": error}
            )
        raise
    record_action(action, transport=transport, detail={"ok": True, **detail, **outcome})
