"""The audit trail: every action that changes a device or what EdgeGUI trusts, in a
hash-chained SQLite log on the laptop and a copy on the device.

Typical use::

    record_action("rollback", transport=transport, detail={"stack": "retail"})
    report = AuditLog().verify()   # names each edited, deleted or reordered entry
"""

from edgegui.core.audit.actions import (
    actor,
    audited,
    device_key,
    record_action,
    sync_device_copy,
)
from edgegui.core.audit.chain import ChainHead, ChainProblem, ChainReport, verify_chain
from edgegui.core.audit.device_copy import DEVICE_FILE, DeviceCopy, read_device_copy
from edgegui.core.audit.entry import AuditEntry
from edgegui.core.audit.store import AuditError, AuditLog, default_audit_path

__all__ = [
    "DEVICE_FILE",
    "AuditEntry",
    "AuditError",
    "AuditLog",
    "ChainHead",
    "ChainProblem",
    "ChainReport",
    "DeviceCopy",
    "actor",
    "audited",
    "default_audit_path",
    "device_key",
    "read_device_copy",
    "record_action",
    "sync_device_copy",
    "verify_chain",
]
