"""List this computer's serial ports with USB identity, for the port picker and ``ports``."""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass
from pathlib import Path

from serial.tools import list_ports

BY_ID = Path("/dev/serial/by-id")
# Common USB-serial adapters by VID:PID -> (vendor, model), the names technicians know them by.
USB_SERIAL_MODELS = {
    ("0403", "6001"): ("FTDI", "FT232R"),
    ("0403", "6010"): ("FTDI", "FT2232"),
    ("0403", "6011"): ("FTDI", "FT4232"),
    ("0403", "6014"): ("FTDI", "FT232H"),
    ("0403", "6015"): ("FTDI", "FT-X"),
    ("10c4", "ea60"): ("Silicon Labs", "CP210x"),
    ("10c4", "ea70"): ("Silicon Labs", "CP2105"),
    ("1a86", "7523"): ("WCH", "CH340"),
    ("1a86", "55d4"): ("WCH", "CH9102"),
    ("067b", "2303"): ("Prolific", "PL2303"),
    ("067b", "23a3"): ("Prolific", "PL2303GC"),
}


@dataclass(frozen=True)
class SerialPortInfo:
    """One local serial port."""

    device: str
    by_id: str | None
    vid: str | None
    pid: str | None
    serial_number: str | None
    manufacturer: str | None
    description: str
    product: str | None = None

    @property
    def vid_pid(self) -> str:
        return f"{self.vid}:{self.pid}" if self.vid and self.pid else ""

    @property
    def model(self) -> str:
        """Vendor and model as a technician names them, e.g. ``FTDI FT232R``; "" if unknown."""
        known = USB_SERIAL_MODELS.get((self.vid or "", self.pid or ""))
        if known:
            return " ".join(known)
        named = " ".join(p for p in (self.manufacturer, self.product) if p)
        return named or (self.description if self.description != self.device else "")

    @property
    def label(self) -> str:
        """``FTDI FT232R, /dev/ttyUSB0``: what the port picker lists."""
        return f"{self.model}, {self.device}" if self.model else self.device

    def to_dict(self) -> dict[str, str | None]:
        data = asdict(self)
        data["vid_pid"] = self.vid_pid
        data["model"] = self.model
        return data


def _by_id_links() -> dict[str, str]:
    links: dict[str, str] = {}
    if BY_ID.is_dir():
        for link in sorted(BY_ID.iterdir()):
            links[os.path.realpath(link)] = str(link)
    return links


def list_serial_ports() -> list[SerialPortInfo]:
    """Every serial port pyserial sees, USB ones with VID:PID and the stable by-id path."""
    links = _by_id_links()
    ports = []
    for port in sorted(list_ports.comports(), key=lambda p: p.device):
        ports.append(
            SerialPortInfo(
                device=port.device,
                by_id=links.get(os.path.realpath(port.device)),
                vid=f"{port.vid:04x}" if port.vid is not None else None,
                pid=f"{port.pid:04x}" if port.pid is not None else None,
                serial_number=port.serial_number,
                manufacturer=port.manufacturer,
                description=port.description if port.description != "n/a" else "",
                product=port.product,
            )
        )
    return ports
