"""An SSH banner sweep of a subnet the technician names: never automatic, rate-limited,
bounded in time and size. Each address gets one TCP connection to the SSH port; a server
that answers with ``SSH-…`` is listed with its banner, and with its MAC and vendor where
the neighbour (ARP) table learnt them. Nothing is sent; no login is tried.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from edgegui.core.errors import EdgeGUIError
from edgegui.core.events import CancelToken, Progress
from edgegui.core.lan.model import FoundDevice
from edgegui.core.lan.neighbours import neighbour_table
from edgegui.core.lan.oui import vendor_of

MAX_ADDRESSES = 1024  # a /22; more only with allow_large
HARD_MAX_ADDRESSES = 65536  # a /16, even with allow_large
MAX_RATE = 500.0
BANNER_BYTES = 256


class SweepError(EdgeGUIError):
    """The sweep was refused (subnet too large, bad rate or port)."""


@dataclass
class SweepResult:
    """What answered, how many addresses were tried, and why the sweep stopped early."""

    subnet: str
    found: list[FoundDevice] = field(default_factory=list)
    tried: int = 0
    total: int = 0
    stopped: str = ""  # why not every address was tried ('' when all were)
    elapsed_s: float = 0.0


def sweep_addresses(subnet: str, allow_large: bool = False) -> list[str]:
    """The host addresses of ``subnet``; SweepError for bad or too large ones."""
    try:
        network = ipaddress.ip_network(subnet.strip(), strict=False)
    except ValueError:
        raise SweepError(f"{subnet[:60]!r}: not a subnet (e.g. 192.168.1.0/24)") from None
    if network.is_multicast:
        raise SweepError(f"{network}: a multicast range has no devices to sweep")
    size = network.num_addresses
    if size > HARD_MAX_ADDRESSES:
        raise SweepError(f"{network}: {size} addresses; a sweep covers at most a /16")
    if size > MAX_ADDRESSES and not allow_large:
        raise SweepError(
            f"{network}: {size} addresses; sweeps stop at a /22 ({MAX_ADDRESSES}) unless "
            "you pass --allow-large"
        )
    hosts = list(network.hosts()) if size > 2 else list(network)
    return [str(address) for address in hosts]


def ssh_banner(address: str, port: int, timeout: float) -> str | None:
    """The server's first line if it speaks SSH, else None (closed, silent, other)."""
    try:
        with socket.create_connection((address, port), timeout=timeout) as conn:
            conn.settimeout(timeout)
            data = b""
            while b"\n" not in data and len(data) < BANNER_BYTES:
                chunk = conn.recv(BANNER_BYTES - len(data))
                if not chunk:
                    break
                data += chunk
    except OSError:
        return None
    line = data.split(b"\n", 1)[0].rstrip(b"\r").decode("ascii", errors="replace")
    return line if line.startswith("SSH-") else None


class _Pacer:
    """Starts at most ``rate`` connections a second across all workers."""

    def __init__(self, rate: float) -> None:
        self.interval = 1.0 / rate
        self.next = time.monotonic()
        self.lock = threading.Lock()

    def wait(self) -> None:
        with self.lock:
            now = time.monotonic()
            start = max(now, self.next)
            self.next = start + self.interval
        time.sleep(max(0.0, start - now))


def sweep_subnet(
    subnet: str,
    *,
    port: int = 22,
    rate: float = 50.0,
    connect_timeout: float = 1.0,
    time_limit: float = 120.0,
    allow_large: bool = False,
    workers: int = 32,
    cancel: CancelToken | None = None,
    progress: Callable[[Progress], None] | None = None,
) -> SweepResult:
    """Sweep ``subnet`` for SSH servers; returns what answered within ``time_limit``."""
    if not 0 < rate <= MAX_RATE:
        raise SweepError(f"--rate {rate:g}: use more than 0 and at most {MAX_RATE:g} a second")
    if not 0 < port < 65536:
        raise SweepError(f"--port {port}: not a TCP port")
    addresses = sweep_addresses(subnet, allow_large)
    result = SweepResult(subnet=subnet, total=len(addresses))
    started = time.monotonic()
    deadline = started + time_limit
    pacer = _Pacer(rate)
    lock = threading.Lock()
    queue: Iterator[str] = iter(addresses)
    banners: dict[str, str] = {}

    def worker() -> None:
        while True:
            if (cancel is not None and cancel.cancelled) or time.monotonic() >= deadline:
                return
            with lock:
                address = next(queue, None)
            if address is None:
                return
            pacer.wait()
            if time.monotonic() >= deadline:
                return
            banner = ssh_banner(address, port, connect_timeout)
            with lock:
                result.tried += 1
                if banner is not None:
                    banners[address] = banner
                tried = result.tried
            if progress is not None:
                progress(Progress("sweep", tried, len(addresses), address, "addresses", started))

    with ThreadPoolExecutor(max_workers=max(1, min(workers, len(addresses)))) as pool:
        for _ in range(max(1, min(workers, len(addresses)))):
            pool.submit(worker)
    if cancel is not None:
        cancel.raise_if_cancelled()
    if result.tried < result.total:
        result.stopped = f"time limit of {time_limit:g} s: {result.tried} of {result.total} tried"
    macs = neighbour_table()
    result.found = [
        FoundDevice(
            address=address,
            port=port,
            banner=banner,
            mac=macs.get(address, ""),
            vendor=vendor_of(macs.get(address, "")),
            services=("_ssh._tcp",),
            sources=("sweep",),
        )
        for address, banner in sorted(banners.items(), key=lambda i: ipaddress.ip_address(i[0]))
    ]
    result.elapsed_s = time.monotonic() - started
    return result
