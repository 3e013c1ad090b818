"""The overview's cards, each filled from the inventory, preflight or a status snapshot."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from edgegui.gui.cards import Badge, Card, StatusLine, StatusList, wrapped
from edgegui.gui.icons import pixmap
from edgegui.gui.progress import human_bytes

HARDWARE_ICONS = {"serial": "cable", "scanner": "scan-barcode", "gpu": "microchip"}
SEVERITY_TONES = {"critical": "fail", "warning": "warn"}


class IdentityCard(Card):
    """Host name, OS, architecture, serial number and what the box is made of."""

    def __init__(self) -> None:
        super().__init__("Identity", "server", "Identity")
        # The form sits in the body for good (this card never calls clear()); its rows are
        # replaced, which keeps the height-for-width of wrapped values working.
        self.form = QFormLayout()
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft)
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.body.addLayout(self.form)
        self.serials: list[tuple[str, str]] = []
        self.show_inventory({})

    def show_inventory(self, data: dict[str, Any]) -> None:
        while self.form.rowCount():
            self.form.removeRow(0)
        system = data.get("system") or {}
        docker = data.get("docker") or {}
        if not system:
            self.form.addRow(wrapped("Connect to a device and discover its hardware."))
            return
        memory = system.get("mem_total_mib")
        free = system.get("disk_free_root_mib")
        engine = f"Docker {docker.get('version')}" if docker.get("version") else "no Docker Engine"
        rows = [
            ("Host name", system.get("hostname", "")),
            ("OS", system.get("os", "")),
            ("Architecture", system.get("arch", "")),
            ("Kernel", system.get("kernel", "")),
            ("CPU", _cpu(system)),
            ("Memory", human_bytes(memory * 2**20) if memory else ""),
            ("Free on /", human_bytes(free * 2**20) if free else ""),
            ("Engine", engine),
        ]
        rows += self.serials or [("Serial number", "reading…")]
        for name, value in rows:
            if value:
                self.form.addRow(f"{name}:", wrapped(str(value)))

    def set_serials(self, serials: list[tuple[str, str]], data: dict[str, Any]) -> None:
        self.serials = serials or [("Serial number", "none exposed by the device")]
        self.show_inventory(data)


def _cpu(system: dict[str, Any]) -> str:
    cores = system.get("cpu_cores")
    model = system.get("cpu_model") or ""
    return f"{model} ({cores} cores)" if model and cores else model


class HardwareItem(QWidget):
    """An icon, the device's human name, and its path as detail."""

    def __init__(self, kind: str, name: str, detail: str) -> None:
        super().__init__()
        glyph = QLabel()
        glyph.setPixmap(pixmap(HARDWARE_ICONS[kind], 24))
        glyph.setAlignment(Qt.AlignmentFlag.AlignTop)
        title = wrapped(f"<b>{_escape(name)}</b>")
        column = QVBoxLayout()
        column.setSpacing(0)
        column.addWidget(title)
        column.addWidget(wrapped(detail, "muted", paths=True))
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 2, 0, 2)
        row.addWidget(glyph)
        row.addLayout(column, 1)
        self.name = name


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def hardware_items(data: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(kind, human name, detail) of each serial adapter, scanner and GPU."""
    items = []
    for adapter in data.get("serial_adapters") or []:
        kind = "scanner" if adapter.get("is_scanner") else "serial"
        name = " ".join(p for p in (adapter.get("vendor"), adapter.get("product")) if p)
        what = "barcode scanner" if kind == "scanner" else "serial adapter"
        serial = f", S/N {adapter['serial']}" if adapter.get("serial") else ""
        detail = " · ".join(p for p in (adapter.get("by_id"), adapter.get("tty")) if p)
        items.append((kind, f"{name or what}{serial}", f"{what}: {detail}"))
    for device in data.get("input_devices") or []:
        if device.get("is_scanner"):
            detail = " · ".join(p for p in (device.get("by_id"), device.get("event")) if p)
            items.append(("scanner", device.get("name") or "barcode scanner", f"HID: {detail}"))
    for gpu in data.get("gpus") or []:
        memory = gpu.get("memory_mib")
        name = gpu.get("name") or str(gpu.get("vendor", "GPU")).upper()
        extra = [
            f"{memory} MiB" if memory else "",
            f"driver {gpu['driver']}" if gpu.get("driver") else "",
        ]
        detail = " · ".join(p for p in (str(gpu.get("vendor", "")), *extra) if p)
        items.append(("gpu", name, detail))
    return items


class HardwareCard(Card):
    def __init__(self) -> None:
        super().__init__("Hardware found", "cpu", "Hardware found")
        self.items: list[HardwareItem] = []

    def show_inventory(self, data: dict[str, Any]) -> None:
        self.clear()
        self.items = [HardwareItem(*item) for item in hardware_items(data)]
        for item in self.items:
            self.body.addWidget(item)
        if not self.items:
            self.body.addWidget(
                wrapped("No serial adapters, barcode scanners or GPUs found." if data else "—")
            )


class PreflightCard(Card):
    """One line per check, in its colour, with the fix under it."""

    def __init__(self) -> None:
        super().__init__("Preflight", "shield-check", "Preflight")
        self.summary = Badge("", "muted")
        self.header.addWidget(self.summary)
        self.lines = StatusList("preflightLines")
        self.body.addWidget(self.lines)

    def show_checks(self, checks: list[Any]) -> None:
        order = {"fail": 0, "warn": 1, "pass": 2}
        self.lines.set_items(
            [
                (c.status, f"{c.check}: {c.message}", c.hint)
                for c in sorted(checks, key=lambda c: order.get(c.status, 3))
            ]
        )
        failed = sum(c.status == "fail" for c in checks)
        warned = sum(c.status == "warn" for c in checks)
        if failed:
            self.summary.set(f"{failed} failed", "fail")
        elif warned:
            self.summary.set(f"{warned} to look at", "warn")
        else:
            self.summary.set("all passed" if checks else "", "pass" if checks else "muted")
        self.summary.setVisible(bool(checks))


class StacksCard(Card):
    """Each stack: running count and health, the images it runs."""

    def __init__(self) -> None:
        super().__init__("Stacks", "layers", "Stacks")

    def show_status(self, status: Any, problem: str = "") -> None:
        self.clear()
        if status is None:
            self.body.addWidget(wrapped(problem or "Reading…", "muted" if not problem else "warn"))
            return
        stacks = [s for s in status.stacks if s.name]
        if not stacks:
            self.body.addWidget(wrapped("No stack deployed yet.", "muted"))
        for stack in stacks:
            total = len(stack.containers)
            line = QWidget()  # a widget, not a bare layout: Card.clear() removes widgets only
            row = QHBoxLayout(line)
            row.setContentsMargins(0, 0, 0, 0)
            row.addWidget(QLabel(f"<b>{_escape(stack.name)}</b>"))
            row.addWidget(
                Badge(f"{stack.running}/{total} running", _running_tone(stack.running, total))
            )
            health = [c.health for c in stack.containers if c.health]
            if health:
                bad = sum(h != "healthy" for h in health)
                row.addWidget(
                    Badge("healthy" if not bad else f"{bad} unhealthy", "fail" if bad else "pass")
                )
            row.addStretch(1)
            self.body.addWidget(line)
            images = sorted({c.image for c in stack.containers})
            self.body.addWidget(wrapped(", ".join(images), "muted"))


def _running_tone(running: int, total: int) -> str:
    return "pass" if running == total else "fail" if running == 0 else "warn"


class AlertsCard(Card):
    def __init__(self) -> None:
        super().__init__("Alerts", "bell", "Alerts")

    def show_status(self, status: Any) -> None:
        self.clear()
        alerts = list(status.alerts) if status is not None else []
        for alert in alerts:
            tone = SEVERITY_TONES.get(alert.severity, "warn")
            self.body.addWidget(StatusLine(tone, f"{alert.subject}: {alert.message}"))
        if status is not None and not alerts:
            self.body.addWidget(StatusLine("pass", "No alerts."))
        if status is None:
            self.body.addWidget(wrapped("—", "muted"))
