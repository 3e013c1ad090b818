"""The GUI's one adapter onto edgegui.core: every blocking core call the screens make.

Functions here block (network, serial, Docker): screens call them through
``tasks.blocking`` on a worker thread. Core modules still being written (deploy, monitor
snapshot, diagnostics, reports) are looked up when called, so a missing one only disables
its button with a one-line reason.
"""

from __future__ import annotations

import difflib
import importlib
import threading
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from edgegui.core.errors import EdgeGUIError

if TYPE_CHECKING:  # templates and discovery load jsonschema and YAML: not before they are used
    from edgegui.core.discovery import CheckResult, Inventory
    from edgegui.core.events import CancelToken, ProgressCallback
    from edgegui.core.templates import RenderedStack, SlotCandidate, Template, TemplateEntry
    from edgegui.core.transport import Transport, TransportOptions


class FeatureUnavailable(EdgeGUIError):
    """A core feature this screen needs is not part of this build yet."""


# feature -> (module, function) in edgegui.core
FEATURES = {
    "deploy": ("edgegui.core.deploy", "deploy_stack"),
    "current_compose": ("edgegui.core.deploy", "current_compose"),
    "snapshot": ("edgegui.core.monitor", "snapshot"),
    "follow_logs": ("edgegui.core.monitor", "follow_logs"),
    "diagnostics": ("edgegui.core.diagnose", "collect_diagnostics"),
    "report": ("edgegui.core.report", "build_report"),
}


def core_function(feature: str) -> Callable[..., Any] | None:
    module_name, name = FEATURES[feature]
    try:
        module = importlib.import_module(module_name)
    except ImportError:
        return None
    found = getattr(module, name, None)
    return found if callable(found) else None


def available(feature: str) -> bool:
    return core_function(feature) is not None


def _required(feature: str) -> Callable[..., Any]:
    found = core_function(feature)
    if found is None:
        module_name, name = FEATURES[feature]
        raise FeatureUnavailable(f"{feature}: {module_name}.{name} is not in this build yet")
    return found


# -- connect and discover ----------------------------------------------------
# What a first Connect, discovery, status and deploy import (paramiko and the Docker SDK
# take ~0.15 s each). Loaded on a background thread once the window is up, so that the
# technician's click does not wait, and no import competes with the event loop later.
WARM_UP_MODULES = (
    "edgegui.core.transport.ssh",
    "edgegui.core.discovery",
    "edgegui.core.discovery.preflight",
    "edgegui.core.transport.docker_ssh",
    "docker",
    "edgegui.core.monitor",
    "edgegui.core.deploy",
)


def warm_up() -> threading.Thread:
    def load() -> None:
        for name in WARM_UP_MODULES:
            importlib.import_module(name)

    thread = threading.Thread(target=load, name="edgegui-warm-up", daemon=True)
    thread.start()
    return thread


def connect(target: str, options: TransportOptions, progress: ProgressCallback | None) -> Transport:
    transport = open_transport_unopened(target, options)
    transport.open(progress)
    return transport


def open_transport_unopened(target: str, options: TransportOptions) -> Transport:
    from edgegui.core.transport.factory import make_transport

    return make_transport(target, options)


def discover(
    transport: Transport, progress: ProgressCallback | None
) -> tuple[Inventory, list[CheckResult]]:
    from edgegui.core.discovery import probe_inventory, run_preflight

    inventory = probe_inventory(transport, progress)
    return inventory, run_preflight(inventory)


def sudo_needs_password(transport: Transport) -> bool:
    from edgegui.core.engine_access import sudo_needs_password as needs

    return needs(transport)


def grant_docker_access(transport: Transport, user: str, group: str, password: str | None) -> str:
    """Add the user to the engine's group, then log in again so the group counts."""
    from edgegui.core.engine_access import grant_engine_access

    access = grant_engine_access(transport, user, group, password)
    transport.close()
    transport.open()
    return access.describe()


def local_serial_ports() -> list[Any]:
    from edgegui.core.transport.ports import list_serial_ports

    return list_serial_ports()


_ssh_config_read: dict[Path, tuple[float, list[Any]]] = {}  # file -> (mtime, its hosts)


def ssh_config_hosts() -> list[Any]:
    """The hosts ~/.ssh/config names; parsed again only when the file has changed (the
    Connect screen asks each time it is shown), and no file loads no paramiko."""
    path = Path.home() / ".ssh" / "config"
    try:
        mtime = path.stat().st_mtime
    except OSError:
        return []
    known = _ssh_config_read.get(path)
    if known is None or known[0] != mtime:
        from edgegui.core.transport.sshconfig import configured_hosts

        known = _ssh_config_read[path] = (mtime, configured_hosts(path))
    return known[1]


# -- templates ---------------------------------------------------------------
def templates() -> list[TemplateEntry]:
    from edgegui.core.templates import list_templates

    return [t for t in list_templates("template") if t.error is None]


class TemplateCardInfo(NamedTuple):
    name: str
    title: str
    description: str
    industry: str
    version: str
    origin: str
    fit: list[Any]  # templates.fit.FitLine
    template: Any = None  # the loaded Template, to check the fit again without reloading


def template_cards(inventory: Inventory | None) -> list[TemplateCardInfo]:
    """Every usable template with its purpose and its fit against ``inventory``."""
    from edgegui.core.templates import loaded_templates
    from edgegui.core.templates.fit import template_fit

    data = inventory.to_dict() if inventory is not None else None
    cards = []
    for _entry, tpl in loaded_templates("template"):  # those that fail: the CLI says why
        cards.append(
            TemplateCardInfo(
                tpl.name,
                tpl.title,
                tpl.description,
                tpl.industry,
                tpl.version,
                tpl.origin,
                template_fit(tpl, data),
                tpl,
            )
        )
    return cards


def template_fits(
    templates: Mapping[str, Any], inventory: Inventory | None
) -> dict[str, list[Any]]:
    """The fit of already loaded templates against a new inventory (no reloading, no schema
    checks: cheap, as it runs beside a deploy and monitoring after each discovery)."""
    from edgegui.core.templates.fit import template_fit

    data = inventory.to_dict() if inventory is not None else None
    return {name: template_fit(tpl, data) for name, tpl in templates.items()}


def template(name: str) -> Template:
    from edgegui.core.templates import load_template

    return load_template(name)


def hardware_choices(tpl: Template, inventory: Inventory | None) -> dict[str, list[SlotCandidate]]:
    from edgegui.core.templates import slot_choices

    if inventory is None:
        return {name: [] for name in tpl.slots}
    return slot_choices(tpl.slots, inventory.to_dict())


def binding_value(candidate: SlotCandidate) -> str:
    """What ``render_stack`` takes for a chosen candidate (as ``--bind`` does)."""
    if candidate.kind == "gpu":
        return candidate.gpu_id or "all"
    return candidate.stable_path or candidate.node or ""


def render(
    tpl: Template,
    values: Mapping[str, Any],
    bindings: Mapping[str, str],
    inventory: Inventory | None,
) -> RenderedStack:
    from edgegui.core.templates import render_stack

    return render_stack(
        tpl, values, bindings, inventory=inventory.to_dict() if inventory is not None else None
    )


def compose_diff(transport: Transport | None, rendered: RenderedStack) -> str:
    """Unified diff of what runs now (if known) against the rendered Compose file."""
    new = rendered.to_compose_yaml()
    fetch = core_function("current_compose")
    if transport is None or fetch is None:
        return "(what runs now is unknown: the deploy module is not in this build yet)"
    old = fetch(transport, rendered.name)
    if old is None:
        return f"(stack {rendered.name} does not run on this device yet: everything is new)"
    lines = difflib.unified_diff(
        old.splitlines(keepends=True),
        new.splitlines(keepends=True),
        fromfile="running now",
        tofile="after deploy",
    )
    return "".join(lines) or "(no change)"


# -- deploy ------------------------------------------------------------------
class DeployOutcome(NamedTuple):
    ok: bool
    reason: str
    rolled_back: bool
    services: dict[str, Any]


def deploy(
    transport: Transport,
    rendered: RenderedStack,
    progress: ProgressCallback | None,
    cancel: CancelToken | None,
    bundle: Path | None = None,
) -> DeployOutcome:
    result = _required("deploy")(
        transport, rendered, stack=rendered.name, bundle=bundle, progress=progress, cancel=cancel
    )
    data = result.to_dict() if hasattr(result, "to_dict") else {}
    services = data.get("services") or {}
    if isinstance(services, list):
        services = {str(s.get("name", i)): s for i, s in enumerate(services)}
    return DeployOutcome(
        ok=bool(result.ok),
        reason=str(getattr(result, "reason", "") or ""),
        rolled_back=bool(getattr(result, "rolled_back", False)),
        services=dict(services),
    )


# -- monitor -----------------------------------------------------------------
# NamedTuples, not dataclasses: they are defined at start-up, and each dataclass costs
# several compile() calls there (bench/startup).
class ContainerRow(NamedTuple):
    name: str
    stack: str
    image: str
    state: str
    health: str
    restarts: int
    cpu_percent: float | None
    mem_bytes: int | None
    mem_limit: int | None
    uptime_s: float | None = None


class AlertRow(NamedTuple):
    severity: str  # warning | critical
    text: str


class DeviceSample(NamedTuple):
    """One point of each device chart; None where the device did not say."""

    cpu_percent: float | None
    mem_percent: float | None
    disk_percent: float | None
    temperature: float | None


class MonitorView(NamedTuple):
    taken_at: float
    containers: tuple[ContainerRow, ...]
    alerts: tuple[AlertRow, ...]
    raw: Any = None  # the core's DeviceStatus, handed back for CPU deltas
    device: DeviceSample = DeviceSample(None, None, None, None)


def monitor_snapshot(transport: Transport, previous: MonitorView | None = None) -> MonitorView:
    status = _required("snapshot")(transport, previous=previous.raw if previous else None)
    return monitor_view(status)


def monitor_view(status: Any) -> MonitorView:
    """What the Monitor screen shows of a core ``DeviceStatus``."""
    rows = tuple(
        ContainerRow(
            name=c.name,
            stack=c.stack,
            image=c.image,
            state=c.state,
            health=c.health or "",
            restarts=c.restarts,
            cpu_percent=c.cpu_percent,
            mem_bytes=c.mem_bytes,
            mem_limit=c.mem_limit,
            uptime_s=c.uptime_s,
        )
        for c in status.containers
    )
    alerts = tuple(AlertRow(a.severity, f"{a.subject}: {a.message}") for a in status.alerts)
    return MonitorView(time.time(), rows, alerts, status, device_sample(status.device))


def device_sample(metrics: Any) -> DeviceSample:
    root = next((d for d in metrics.disks if d.mount == "/"), None)
    temps = [t.celsius for t in metrics.temperatures]
    return DeviceSample(
        metrics.cpu_percent,
        metrics.mem_used_percent,
        root.used_percent if root else None,
        max(temps) if temps else None,
    )


def follow_logs(
    transport: Transport,
    container: str,
    on_line: Callable[[str], None],
    cancel: CancelToken,
    tail: int = 200,
) -> None:
    """Stream a container's log lines to ``on_line`` until cancelled (filtering is local)."""
    _required("follow_logs")(transport, container, tail=tail, on_line=on_line, cancel=cancel)


# -- reports -----------------------------------------------------------------
def collect_diagnostics(
    transport: Transport,
    out_path: Path,
    progress: ProgressCallback,
    cancel: CancelToken,
    secret_values: tuple[str, ...] = (),
) -> Path:
    """A redacted tar.gz; ``secret_values`` (typed in the wizard) are blanked out too."""
    return _write("diagnostics", transport, out_path, progress, cancel, secret_values=secret_values)


class ReportDetails(NamedTuple):
    """What the technician types on the Report screen."""

    technician: str = ""
    site: str = ""
    customer: str = ""
    stack: str | None = None


def build_report(
    transport: Transport,
    details: ReportDetails,
    progress: ProgressCallback,
    cancel: CancelToken,
    secret_values: tuple[str, ...] = (),
) -> Any:
    """Read the device for the handover report; secrets typed this session are blanked."""
    return _required("report")(
        transport,
        stack=details.stack,
        technician=details.technician,
        site=details.site,
        customer=details.customer,
        progress=progress,
        cancel=cancel,
        secret_values=secret_values,
    )


def save_report(report: Any, out_path: Path) -> Path:
    """PDF (laid out by Qt; safe off the GUI thread), HTML or JSON, by the file's suffix."""
    from edgegui.report_pdf import save_report as save

    return save(report, out_path)


def report_preview_html(report: Any) -> str:
    """The report as Qt's rich text shows it on screen."""
    from edgegui.core.report import PrintLayout, render_html

    return render_html(report, PrintLayout(dpi=96))


def _write(
    feature: str,
    transport: Transport,
    out_path: Path,
    progress: ProgressCallback,
    cancel: CancelToken,
    **extra: Any,
) -> Path:
    _required(feature)(transport, out_path, progress=progress, cancel=cancel, **extra)
    return out_path


# -- host keys pinned over the serial console ---------------------------------
def known_hosts_file(chosen: Path | None) -> Path:
    from edgegui.core.transport.ssh import default_known_hosts

    return chosen or default_known_hosts()


def plan_host_key_pins(transport: Transport, hosts: list[str], port: int, known: Path) -> Any:
    """Read the device's SSH host keys over its console; raises on a conflicting known key."""
    from edgegui.core.transport.pinning import plan_pins

    return plan_pins(transport, hosts, port, known)


def pin_host_keys(
    transport: Transport, hosts: list[str], port: int, known: Path, keys: list[Any]
) -> Any:
    """Pin ``keys`` (those the technician saw and confirmed, not a second read)."""
    from edgegui.core.transport.pinning import apply_pins, plan_pins

    plan = plan_pins(transport, hosts, port, known, keys)
    apply_pins(transport, plan, known)
    return plan


# -- the device overview ---------------------------------------------------------
class OverviewDetails(NamedTuple):
    serials: list[tuple[str, str]]
    status: Any  # the core's DeviceStatus, or None when the engine could not be read
    problem: str = ""


def overview_details(transport: Transport, serials: bool = True) -> OverviewDetails:
    """Serial numbers (unless ``serials`` is False: they do not change with a deploy) and a
    status snapshot (stacks, health, alerts) for the overview."""
    from edgegui.core.report.facts import collect_serial_numbers

    found: list[tuple[str, str]] = []
    if serials:
        try:
            found = collect_serial_numbers(transport)
        except EdgeGUIError:
            pass
    try:
        status = _required("snapshot")(transport)
    except EdgeGUIError as exc:
        return OverviewDetails(found, None, str(exc).splitlines()[0])
    return OverviewDetails(found, status)
