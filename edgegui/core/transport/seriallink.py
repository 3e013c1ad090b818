"""A serial port that bounds every read, and reopens after an adapter is unplugged."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass

import serial

from edgegui.core.errors import LinkLost, TargetError, TransportError
from edgegui.core.target import Target

_PARITY = {"N": serial.PARITY_NONE, "E": serial.PARITY_EVEN, "O": serial.PARITY_ODD}


@dataclass(frozen=True)
class SerialSettings:
    """Port settings from a ``serial://`` target's query string."""

    path: str
    baud: int = 115200
    parity: str = "N"
    bytesize: int = 8
    stopbits: float = 1
    flow: str = "none"
    dtr: bool | None = None
    rts: bool | None = None

    @classmethod
    def from_target(cls, target: Target) -> SerialSettings:
        p = target.params
        where = str(target)
        try:
            settings = cls(
                path=target.path,
                baud=int(p.get("baud", 115200)),
                parity=p.get("parity", "N").upper()[:1],
                bytesize=int(p.get("bytesize", 8)),
                stopbits=float(p.get("stopbits", 1)),
                flow=p.get("flow", "none").lower(),
                dtr=_flag(p.get("dtr")),
                rts=_flag(p.get("rts")),
            )
        except ValueError as exc:
            raise TargetError(f"{where}: bad serial option: {exc}") from None
        if settings.parity not in _PARITY:
            raise TargetError(f"{where}: parity must be N, E or O")
        if settings.flow not in ("none", "rtscts", "xonxoff", "dsrdtr"):
            raise TargetError(f"{where}: flow must be none, rtscts, xonxoff or dsrdtr")
        if settings.bytesize not in (5, 6, 7, 8) or settings.stopbits not in (1, 1.5, 2):
            raise TargetError(f"{where}: bytesize must be 5-8 and stopbits 1, 1.5 or 2")
        return settings


def _flag(value: str | None) -> bool | None:
    if value is None:
        return None
    if value.lower() in ("1", "on", "true", "yes"):
        return True
    if value.lower() in ("0", "off", "false", "no"):
        return False
    raise ValueError(f"expected 0 or 1, got {value!r}")


class SerialLink:
    """Owns the pyserial port; every read is bounded in time and size."""

    def __init__(self, settings: SerialSettings, reopen_wait: float = 10.0) -> None:
        self.settings = settings
        self.reopen_wait = reopen_wait
        self._port: serial.Serial | None = None

    @property
    def is_open(self) -> bool:
        return self._port is not None

    def open(self) -> bool:
        """Open the port, waiting for a replugged adapter to reappear; True if newly opened."""
        if self._port is not None:
            return False
        s = self.settings
        deadline = time.monotonic() + self.reopen_wait
        while not os.path.exists(s.path):
            if time.monotonic() > deadline:
                raise TransportError(f"serial://{s.path}: no such port (adapter unplugged?)")
            time.sleep(0.2)
        try:
            port = serial.Serial(
                s.path,
                baudrate=s.baud,
                parity=_PARITY[s.parity],
                bytesize=s.bytesize,
                stopbits=s.stopbits,
                rtscts=s.flow == "rtscts",
                xonxoff=s.flow == "xonxoff",
                dsrdtr=s.flow == "dsrdtr",
                timeout=0,
                exclusive=True,
            )
        except (serial.SerialException, OSError) as exc:
            raise TransportError(f"serial://{s.path}: cannot open: {exc}") from None
        if s.dtr is not None:
            port.dtr = s.dtr
        if s.rts is not None:
            port.rts = s.rts
        self._port = port
        return True

    def close(self) -> None:
        if self._port is not None:
            try:
                self._port.close()
            except (serial.SerialException, OSError):
                pass
            self._port = None

    def _fail(self, exc: Exception) -> LinkLost:
        self.close()
        return LinkLost(f"serial://{self.settings.path}: link lost ({exc})")

    def write(self, data: bytes) -> None:
        port = self._require()
        try:
            port.write(data)
            port.flush()
        except (serial.SerialException, OSError) as exc:
            raise self._fail(exc) from None

    def read(self, wait: float) -> bytes:
        """What arrives within ``wait`` seconds (at most 64 KiB)."""
        port = self._require()
        try:
            port.timeout = wait
            first: bytes = port.read(1)
            if not first:
                return b""
            port.timeout = 0
            rest: bytes = port.read(min(port.in_waiting or 0, 65535))
            return first + rest
        except (serial.SerialException, OSError, TypeError) as exc:
            raise self._fail(exc) from None

    def drain(self, quiet: float = 0.1, limit: float = 1.0) -> None:
        """Discard input until the line has been quiet for ``quiet`` seconds."""
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline and self.read(quiet):
            pass

    def _require(self) -> serial.Serial:
        if self._port is None:
            raise LinkLost(f"serial://{self.settings.path}: port is not open")
        return self._port
