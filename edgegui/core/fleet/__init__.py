"""Fleets: commission many devices from one CSV file, with one bundle read once for all.

Typical use::

    devices = read_devices(Path("devices.csv"))
    summary = run_fleet(devices, FleetPlan(load_template("retail"), stack="retail"),
                        bundle=Path("retail.bundle"), parallel=8, listener=print)
"""

from edgegui.core.fleet.devices_csv import DeviceListError, FleetDevice, read_devices
from edgegui.core.fleet.events import DeviceOutcome, FleetEvent, FleetSummary
from edgegui.core.fleet.job import FleetPlan
from edgegui.core.fleet.run import FleetError, run_fleet
from edgegui.core.fleet.status import DeviceStatus, fleet_status

__all__ = [
    "DeviceListError",
    "DeviceOutcome",
    "DeviceStatus",
    "FleetDevice",
    "FleetError",
    "FleetEvent",
    "FleetPlan",
    "FleetSummary",
    "fleet_status",
    "read_devices",
    "run_fleet",
]
