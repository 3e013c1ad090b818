"""Every page of the window, by name, and realistic content for them without a device.

The content is the captured dev-VM probe (tests/fixtures/probe) plus a Datalogic scanner,
an FTDI adapter and an NVIDIA GPU as discovery reports them, a retail stack rendered for it,
and a status snapshot shaped like the lab's. The layout tests fill the widgets with it; the
lab screenshot run fills them from a real device instead.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from edgegui.core.discovery import Gpu, InputDevice, Inventory, SerialAdapter, parse_probe_output
from edgegui.core.discovery.preflight import run_preflight
from edgegui.core.events import Progress
from edgegui.core.fleet.devices_csv import FleetDevice
from edgegui.core.fleet.events import FleetEvent
from edgegui.core.monitor.model import (
    Alert,
    ContainerStatus,
    DeviceMetrics,
    DeviceStatus,
    DiskUsage,
    StackStatus,
)
from edgegui.gui import services
from edgegui.gui.main_window import MainWindow
from tests.core.discovery.probe_env import fixture_text


def show(window: MainWindow, screen: str) -> Callable[[], None]:
    return lambda: window.screens.setCurrentWidget(getattr(window, screen))


def pages(window: MainWindow) -> dict[str, Callable[[], None]]:
    """Name -> make that page the visible one."""
    w = window

    def connect(mode: int) -> Callable[[], None]:
        return lambda: (show(w, "connect_screen")(), w.connect_screen.mode.setCurrentIndex(mode))

    def wizard(step: int) -> Callable[[], None]:
        return lambda: (show(w, "wizard")(), w.wizard._show(step))

    def monitor(tab: str) -> Callable[[], None]:
        return lambda: (
            show(w, "monitor")(),
            w.monitor.tabs.setCurrentWidget(getattr(w.monitor, tab)),
        )

    def raw(on: bool) -> Callable[[], None]:
        return lambda: (show(w, "overview")(), w.overview.raw_button.setChecked(on))

    return {
        "connect-ssh": connect(0),
        "connect-serial": connect(1),
        "connect-local": connect(2),
        "overview": raw(False),
        "overview-raw": raw(True),
        "commission-industry": wizard(0),
        "commission-settings": wizard(1),
        "commission-hardware": wizard(2),
        "commission-review": wizard(3),
        "commission-deploy": wizard(4),
        "monitor-containers": monitor("containers"),
        "monitor-logs": monitor("logs"),
        "monitor-terminal": monitor("terminal"),
        "report": show(w, "reports"),
        "fleet": show(w, "fleet"),
    }


def sample_inventory() -> Inventory:
    inventory = parse_probe_output(fixture_text("probe/devvm-root-docker-reachable.txt"), "vm")
    inventory.serial_adapters.append(
        SerialAdapter(
            tty="/dev/ttyUSB0",
            by_id="/dev/serial/by-id/usb-FTDI_FT232R_USB_UART_A10K5Q9B-if00-port0",
            vid="0403",
            pid="6001",
            vendor="FTDI",
            product="FT232R USB UART",
            serial="A10K5Q9B",
            driver="ftdi_sio",
        )
    )
    inventory.input_devices.append(
        InputDevice(
            name="Datalogic ADC, Inc. Handheld Barcode Scanner",
            vid="05f9",
            pid="2206",
            bus="usb",
            event="/dev/input/event5",
            by_id="/dev/input/by-id/usb-Datalogic_ADC__Inc._Handheld_Barcode_Scanner_S_N_G19N41235-event-kbd",
            is_scanner=True,
            node_gid=995,
        )
    )
    inventory.gpus.append(
        Gpu(vendor="nvidia", name="NVIDIA RTX A2000", memory_mib=6138, index=0, driver="535.183.01")
    )
    return inventory


def sample_status() -> DeviceStatus:
    def container(service: str, image: str, health: str | None, restarts: int) -> ContainerStatus:
        return ContainerStatus(
            id=service,
            name=f"retail-{service}-1",
            stack="retail",
            service=service,
            state="running",
            health=health,
            restarts=restarts,
            uptime_s=3 * 3600 + 720,
            image=image,
            cpu_percent=1.4,
            mem_bytes=38 * 2**20,
            mem_limit=256 * 2**20,
        )

    containers = (
        container("inventory-sync", "edgegui/inventory-sync:1.2", None, 0),
        container("pos-service", "edgegui/pos-service:1.4", "healthy", 2),
    )
    metrics = DeviceMetrics(
        cpus=2,
        mem_total_bytes=8 * 2**30,
        mem_available_bytes=5 * 2**30,
        disks=(DiskUsage("/", 64 * 2**30, 40 * 2**30, 62.5),),
        cpu_percent=12.0,
    )
    alerts = (
        Alert("restart_loop", "warning", "retail-pos-service-1", "restarted 2 times in 10 min"),
    )
    return DeviceStatus(
        "ssh://tech@gw", 0.0, 0.1, metrics, (StackStatus("retail", containers),), alerts=alerts
    )


def fill(window: MainWindow, pyqtgraph: object | None = None) -> None:
    """Put the sample content into every page (no device, no event loop needed)."""
    inventory = sample_inventory()
    data = inventory.to_dict()
    checks = run_preflight(inventory)
    overview = window.overview
    overview.show_inventory(data, checks)
    overview.identity.set_serials([("Product serial (DMI)", "PF3X9K2A")], data)
    status = sample_status()
    overview.stacks.show_status(status)
    overview.alerts.show_status(status)

    wizard = window.wizard
    wizard.choose.set_templates(services.template_cards(inventory))
    wizard.templates_loaded = True
    wizard.templates_task = object()  # type: ignore[assignment]  # no loading on show
    wizard.choose.select("retail")
    template = services.template("retail")
    wizard.template = template
    wizard.params.set_parameters(template.parameters)
    wizard.params.fields["CLOUD_API_TOKEN"].set_value("token-for-the-layout")
    choices = services.hardware_choices(template, inventory)
    wizard.bind.set_slots(template.slots, choices, True, data)
    wizard.bind.choose("scanner", "Datalogic")
    rendered = services.render(template, wizard.params.values(), wizard.bind.bindings(), inventory)
    wizard.rendered = rendered
    wizard.review.show_rendered(
        f"{rendered.source} for ssh://tech@gw; services: {', '.join(rendered.services)}",
        rendered.to_compose_yaml(),
        "(stack retail does not run on this device yet: everything is new)",
        rendered.notes + ["memory limits: the device's engine cannot enforce them (cgroup v1)"],
        rendered,
    )
    deploy = wizard.deploy
    deploy.prepare(rendered.compose, True)
    deploy.progress.start("Deploying retail to ssh://tech@gw…")
    emit = window.ctx.bridge.progress.emit
    emit("deploy", Progress("transfer", 96 * 2**20, 160 * 2**20, "retail.bundle", started=0.0))
    emit("deploy", Progress("deploy", 2, 4, "writing files", unit="steps"))
    emit("deploy", Progress("deploy", 0, 2, "starting inventory-sync", unit="services"))
    deploy.progress.finish("")
    fill_fleet(window)
    deploy.show_outcome(
        True,
        "",
        False,
        {
            "inventory-sync": {"state": "running", "health": None},
            "pos-service": {"state": "running", "health": "healthy"},
        },
    )

    pane = window.monitor.containers
    if pyqtgraph is not None:
        pane.charts.build(pyqtgraph)
    pane.charts_task = object()  # no loading on show
    pane.show_view(services.monitor_view(status))
    logs = window.monitor.logs
    logs.set_containers(["retail-pos-service-1", "retail-inventory-sync-1"])
    for line in ("pos-service listening on :8080", "scanner /dev/scanner opened"):
        logs.view.appendPlainText(line)


def fill_fleet(window: MainWindow) -> None:
    """Three stores, one mid-transfer, one done: the Fleet screen as a run looks."""
    fleet = window.fleet
    devices = [
        FleetDevice(f"ssh://tech@10.20.{n}.5", f"store-{n:03d}", n + 1, site=f"Store {n}")
        for n in (12, 14, 27)
    ]
    fleet.show_devices(devices, Path("/home/tech/rollout/stores-north.csv"))
    fleet.template.addItems(["retail"])
    emit = window.ctx.bridge.progress.emit
    emit("fleet", FleetEvent("store-012", "sending", done=41 * 10**6, total=96 * 10**6))
    emit("fleet", FleetEvent("store-014", "verified", "2 services healthy"))
