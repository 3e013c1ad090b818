"""One device of a fleet run: connect, discover, render, skip if already there, deploy,
advertise, report. Runs on a worker thread; everything it says goes through ``listener``."""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from edgegui.core.errors import Cancelled, EdgeGUIError
from edgegui.core.events import CancelToken, Progress
from edgegui.core.fleet.devices_csv import FleetDevice
from edgegui.core.fleet.events import DeviceOutcome, FleetEvent, FleetListener
from edgegui.core.labels import SERVICE_LABEL
from edgegui.core.transport.base import Transport

if TYPE_CHECKING:
    from edgegui.core.bundle import SharedBundle
    from edgegui.core.templates import RenderedStack, Template

log = logging.getLogger(__name__)


@dataclass
class FleetPlan:
    """What every device gets: one template, shared values, one bundle, one report style."""

    template: Template
    stack: str
    values: Mapping[str, Any] = field(default_factory=dict)
    bindings: Mapping[str, str] = field(default_factory=dict)
    addons: tuple[str, ...] = ()
    public_key: Path | None = None
    health_timeout: float = 120.0
    report_dir: Path | None = None
    report_format: str = ".html"  # .html or .json written here; .pdf by the front end
    technician: str = ""
    customer: str = ""
    accept_new_host_key: bool = False
    connect_timeout: float = 15.0
    advertise: bool = True  # drop an avahi _edgegui._tcp service file where possible


def open_device(
    device: FleetDevice, *, accept_new_host_key: bool = False, connect_timeout: float = 15.0
) -> Transport:
    """Connect with the row's references; no prompts (many devices at once)."""
    from edgegui.core.transport.factory import TransportOptions, open_transport

    options = TransportOptions(
        identity=device.identity,
        password=device.password(),
        known_hosts=device.known_hosts,
        accept_new_host_key=accept_new_host_key,
        connect_timeout=connect_timeout,
    )
    return open_transport(device.target, options)


def given_secrets(plan: FleetPlan, device: FleetDevice) -> list[str]:
    """Secret values given (not generated) for this device: they decide "same version" too."""
    values = {**plan.values, **device.values, **device.secret_values()}
    specs = plan.template.parameters
    return [str(v) for k, v in values.items() if k in specs and specs[k].secret]


def at_version(
    transport: Transport, stack: str, rendered: RenderedStack, secrets: list[str]
) -> bool:
    """The device runs exactly this rendering already: same Compose file, configs and given
    secrets, and every service's container is running."""
    from edgegui.core.deploy import files
    from edgegui.core.deploy.reconcile import stack_containers
    from edgegui.core.deploy.remote_state import load_version
    from edgegui.core.deploy.stack import compose_digest

    current = load_version(transport, stack, "current")
    if current is None or current.rendered_sha256 != compose_digest(rendered):
        return False
    kept = set(current.file_digests.values())
    wanted = [files.digest_text(t) for t in rendered.config_files.values()]
    wanted += [files.digest_text(secret) for secret in secrets]
    if not all(digest in kept for digest in wanted):
        return False
    running = {
        c.labels.get(SERVICE_LABEL)
        for c in stack_containers(transport.docker_client(), stack)
        if c.status == "running"
    }
    return running >= set(rendered.compose["services"])


class DeviceJob:
    """Commission one device of the fleet; ``run()`` never raises."""

    def __init__(
        self,
        device: FleetDevice,
        plan: FleetPlan,
        bundle: SharedBundle | None,
        listener: FleetListener,
        cancel: CancelToken | None = None,
    ) -> None:
        self.device, self.plan, self.bundle = device, plan, bundle
        self.listener, self.cancel = listener, cancel
        self.outcome = DeviceOutcome(device.name, device.target, site=device.site)
        self._last_bytes = 0.0

    def say(self, state: str, message: str = "", **extra: Any) -> None:
        self.listener(FleetEvent(self.device.name, state, message, **extra))

    def run(self) -> DeviceOutcome:
        started = time.monotonic()
        try:
            if self.cancel is not None:
                self.cancel.raise_if_cancelled()
            self.say("connecting", self.device.target)
            transport = open_device(
                self.device,
                accept_new_host_key=self.plan.accept_new_host_key,
                connect_timeout=self.plan.connect_timeout,
            )
            try:
                self._commission(transport)
            finally:
                transport.close()
        except Cancelled:
            self.outcome.result, self.outcome.reason = "failed", "cancelled"
        except EdgeGUIError as exc:
            self.outcome.result, self.outcome.reason = "failed", _first_line(str(exc))
        except Exception as exc:  # noqa: BLE001 - one device's bug must not stop the others
            log.exception("fleet: %s", self.device.name)
            self.outcome.result = "failed"
            self.outcome.reason = f"unexpected {type(exc).__name__}: {_first_line(str(exc))}"
        self.outcome.duration_s = time.monotonic() - started
        self.say(self.outcome.result, self.outcome.reason)
        return self.outcome

    def _commission(self, transport: Transport) -> None:
        from edgegui.core.deploy import deploy_stack
        from edgegui.core.discovery import probe_inventory
        from edgegui.core.templates import render_stack

        plan, device = self.plan, self.device
        self.say("discovering")
        discovered = probe_inventory(transport)
        inventory = discovered.to_dict()
        values = {**plan.values, **device.values, **device.secret_values()}
        rendered = render_stack(
            plan.template, values, plan.bindings, addons=plan.addons, inventory=inventory
        )
        secrets = given_secrets(plan, device)
        if at_version(transport, plan.stack, rendered, secrets):
            self.outcome.result = "skipped"
            self.outcome.reason = f"already at this version of {plan.stack}"
        else:
            self.say("sending" if self.bundle is not None else "starting")
            result = deploy_stack(
                transport,
                rendered,
                stack=plan.stack,
                bundle=self.bundle,
                health_timeout=plan.health_timeout,
                progress=self._progress,
                cancel=self.cancel,
                public_key=plan.public_key,
            )
            self.outcome.bytes_sent = result.bytes_sent
            if not result.ok:
                rolled = " (rolled back)" if result.rolled_back else ""
                self.outcome.result, self.outcome.reason = "failed", result.reason + rolled
                return
            self.outcome.result = "deployed" if result.changed else "unchanged"
        if plan.advertise:
            self._advertise(transport, rendered)
        self._report(transport, secrets, discovered)

    def _progress(self, event: Progress) -> None:
        if event.task == "transfer" and event.unit == "B":
            now = time.monotonic()
            if now - self._last_bytes >= 0.5 or event.done == event.total:
                self._last_bytes = now
                self.say("sending", event.message, done=event.done, total=event.total)
        elif event.task == "deploy" and event.message == "starting services":
            self.say("starting")

    def _advertise(self, transport: Transport, rendered: RenderedStack) -> None:
        from edgegui.core.lan.avahi import advertise_device

        note = advertise_device(transport, self.plan.stack, rendered.source)
        if note:
            self.outcome.notes.append(note)

    def _report(self, transport: Transport, secrets: list[str], inventory: Any) -> None:
        plan = self.plan
        if plan.report_dir is None:
            return
        path = plan.report_dir / f"{self.device.name}{plan.report_format}"
        if self.outcome.result == "skipped" and path.exists():
            self.outcome.report_path = path
            return
        from edgegui.core.report import build_report, write_report

        self.say("reporting", "writing the handover report")
        report = build_report(
            transport,
            stack=plan.stack,
            technician=plan.technician,
            site=self.device.site,
            customer=plan.customer,
            secret_values=secrets,
            cancel=self.cancel,
            inventory=inventory,  # discovered at the start of this run: no second probe
        )
        self.outcome.report = report
        self.outcome.report_path = path
        if plan.report_format != ".pdf":
            write_report(report, path)


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else "failed"
