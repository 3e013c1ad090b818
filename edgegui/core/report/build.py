"""Assemble the handover report from a live device: discovery, preflight, the stacks'
state and containers, health, peripheral checks and the audit trail.

Typical use::

    report = build_report(transport, stack="retail", technician="A. Tech", site="Store 17")
    Path("report.html").write_text(render_html(report))
"""

from __future__ import annotations

import getpass
import time
from collections.abc import Sequence
from dataclasses import fields, is_dataclass
from datetime import UTC, datetime
from typing import Any

from edgegui import __version__
from edgegui.core.audit import AuditLog
from edgegui.core.deploy.remote_state import check_stack_name
from edgegui.core.diagnose.redact import Redactor
from edgegui.core.discovery import Inventory, Requirements, probe_inventory, run_preflight
from edgegui.core.events import CancelToken, Progress, ProgressCallback, no_progress
from edgegui.core.report import audit_rows, peripherals
from edgegui.core.report.facts import DeviceFacts, collect_facts
from edgegui.core.report.hardening import engine_notes
from edgegui.core.report.inventory_rows import device_identity, hardware_items
from edgegui.core.report.model import CheckRow, HandoverReport
from edgegui.core.report.stacks import health_rows, stack_reports
from edgegui.core.transport.base import Transport

STEPS = 5


def build_report(
    transport: Transport,
    *,
    stack: str | None = None,
    technician: str = "",
    site: str = "",
    customer: str = "",
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
    secret_values: Sequence[str] = (),
    audit: AuditLog | None = None,
    inventory: Inventory | None = None,
) -> HandoverReport:
    """Read everything from the device now; ``secret_values`` are blanked if found anywhere.
    ``inventory``: a discovery made moments ago (a fleet run's), instead of probing again."""
    if stack is not None:
        check_stack_name(stack)
    report_step = _stepper(progress or no_progress, cancel)
    audit = audit or AuditLog()
    report_step(0, "discovering the hardware")
    if inventory is None:
        inventory = probe_inventory(transport)
    keys = audit_rows.device_keys(transport, inventory)
    entries = audit_rows.local_entries(audit, keys)
    report_step(1, "updating the device's audit copy")
    device_copy, push_problem = audit_rows.update_device_copy(transport, entries)
    report_step(2, "reading the stacks and containers")
    laptop_now = time.time()
    facts = collect_facts(transport, stack)
    report = HandoverReport(
        target=transport.describe(),
        generated_at=_utc(laptop_now),
        device_clock=facts.clock_utc.replace("T", " ").rstrip("Z"),
        clock_offset_s=None if facts.clock_epoch is None else facts.clock_epoch - laptop_now,
        technician=technician or _os_user(),
        site=site,
        customer=customer,
        edgegui_version=__version__,
        device=device_identity(inventory, facts),
        hardware=hardware_items(inventory),
        problems=list(facts.problems)
        + [f"discovery {k}: {v}" for k, v in inventory.errors.items()],
    )
    report.stacks = stack_reports(facts)
    if stack is not None and not report.stacks:
        report.problems.append(f"stack {stack} was not deployed to this device by EdgeGUI")
    report.preflight = _preflight(inventory, report)
    report.engine_notes = engine_notes(facts.docker_info, inventory.docker)
    containers = [c for s in report.stacks for c in s.containers]
    report.health = health_rows(containers, facts.containers)
    report_step(3, "checking the peripherals on the device")
    report.peripherals = _peripherals(transport, inventory, facts)
    report_step(4, "reading the audit trail")
    report.audit = audit_rows.audit_section(audit, entries, device_copy, push_problem)
    report_step(5, "done")
    return scrub(report, secret_values)


def _preflight(inventory: Inventory, report: HandoverReport) -> list[CheckRow]:
    needs = Requirements()
    for stack in report.stacks:
        needs = _template_needs(stack.template) or needs
    return [CheckRow(c.check, c.status, c.message, c.hint) for c in run_preflight(inventory, needs)]


def _template_needs(name: str) -> Requirements | None:
    """The template's own minimums, when this laptop has the template."""
    from edgegui.core.errors import EdgeGUIError
    from edgegui.core.templates import load_template

    if not name:
        return None
    try:
        needs = load_template(name).requirements
    except EdgeGUIError:
        return None
    return Requirements(
        architectures=needs.architectures,
        min_memory_mib=needs.min_memory_mib,
        min_disk_mib=max(needs.min_disk_mib, Requirements().min_disk_mib),
    )


def _peripherals(transport: Transport, inventory: Inventory, facts: DeviceFacts) -> list[CheckRow]:
    devices = peripherals.bound_devices(facts.containers, inventory)
    rows = peripherals.check_devices(transport, devices)
    if not devices:
        rows.append(CheckRow("Bound devices", "info", "The stacks are given no device nodes."))
    return rows + peripherals.gpu_checks(transport, inventory, facts.containers)


def scrub(report: HandoverReport, secret_values: Sequence[str]) -> HandoverReport:
    """Blank every secret value that found its way into any text of the report."""
    # Every encoding a value can take in engine output (JSON-escaped, URL-quoted, base64).
    secrets = Redactor(secret_values).variants()
    if secrets:
        _scrub(report, secrets)
    return report


def _scrub(node: Any, secrets: list[str]) -> Any:
    if isinstance(node, str):
        for secret in secrets:
            node = node.replace(secret, "***")
        return node
    if isinstance(node, list):
        return [_scrub(item, secrets) for item in node]
    if is_dataclass(node) and not isinstance(node, type):
        for f in fields(node):
            setattr(node, f.name, _scrub(getattr(node, f.name), secrets))
    return node


def _stepper(progress: ProgressCallback, cancel: CancelToken | None) -> Any:
    started = time.monotonic()

    def step(done: int, message: str) -> None:
        if cancel is not None:
            cancel.raise_if_cancelled()
        progress(Progress("report", done, STEPS, message, unit="steps", started=started))

    return step


def _utc(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%d %H:%M:%S")


def _os_user() -> str:
    """The full name of the laptop's user where the OS has one, else the login name."""
    try:
        login = getpass.getuser()
    except (KeyError, OSError):
        return ""
    try:
        import pwd
    except ImportError:  # Windows
        return login
    try:
        gecos = pwd.getpwnam(login).pw_gecos
    except KeyError:
        return login
    return gecos.split(",")[0].strip() or login
