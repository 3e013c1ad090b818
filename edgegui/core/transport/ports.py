"""List this computer's serial ports with USB identity, for the port picker and ``ports``."""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass
from pathlib import Path

from serial.tools import list_ports

BY_ID = Path("/dev/serial/by-id")


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

    @property
    def vid_pid(self) -> str:
        return f"{self.vid}:{self.pid}" if self.vid and self.pid else ""

    def to_dict(self) -> dict[str, str | None]:
        data = asdict(self)
        data["vid_pid"] = self.vid_pid
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
            )
        )
    return ports
