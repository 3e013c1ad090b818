"""Start and stop simulated edge devices (see tests/lab/__init__.py)."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.lab import devicesetup
from tests.lab.console import PtyLink, type_on_console
from tests.lab.flags import DeviceFlags
from tests.lab.proc import (
    kill_all,
    mount_ns_inode,
    pids_in_mount_ns,
    pids_mentioning,
    sh,
)

LAB_ROOT = Path(os.environ.get("EDGEGUI_LAB_ROOT", "/var/tmp/edgegui-lab"))
NETNS_PREFIX = "eglab"
SUBNET = "10.213"
USER = "tech"
START_WORKERS = 4  # devices started (and stopped) at once
TOOLS = ("sshd", "dockerd", "socat", "nsenter", "unshare", "ip", "login", "setsid")


def lab_unavailable_reason() -> str | None:
    """Why the lab cannot run here, or None."""
    if os.geteuid() != 0:
        return "the device lab needs root"
    for tool in TOOLS:
        if not (shutil.which(tool) or Path(f"/usr/sbin/{tool}").exists()):
            return f"the device lab needs {tool} (run scripts/test as root to install it)"
    return None


@dataclass
class LabDevice:
    """One simulated edge device and the paths and credentials to reach it."""

    lab: Lab
    index: int
    hardware: str | None = None
    flags: DeviceFlags = field(default_factory=DeviceFlags)
    holder: subprocess.Popen[bytes] | None = None
    procs: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    ptys: dict[str, PtyLink] = field(default_factory=dict)
    plan: Any = None
    uid: int = 0  # the login user's, known once the device has made it

    @property
    def engine_socket(self) -> str:
        return self.flags.engine_socket(self.uid)

    # -- identity ------------------------------------------------------------
    @property
    def name(self) -> str:
        return f"edge{self.index}"

    @property
    def netns(self) -> str:
        return f"{NETNS_PREFIX}{self.lab.slot}d{self.index}"

    @property
    def host_if(self) -> str:
        return f"egh{self.lab.slot}d{self.index}"

    @property
    def ip(self) -> str:
        return f"{SUBNET}.{self.lab.slot}.{4 * self.index + 2}"

    @property
    def host_ip(self) -> str:
        """The host's address on the device's link (the bridge's, on a shared link)."""
        if self.lab.shared_link:
            return f"{SUBNET}.{self.lab.slot}.1"
        return f"{SUBNET}.{self.lab.slot}.{4 * self.index + 1}"

    @property
    def prefix_len(self) -> int:
        return 24 if self.lab.shared_link else 30

    @property
    def state(self) -> Path:
        return self.lab.root / self.name

    @property
    def ssh_target(self) -> str:
        return f"ssh://{USER}@{self.ip}"

    @property
    def ssh_cli(self) -> list[str]:
        """``edgegui VERB`` arguments that reach this device over SSH with the lab's key."""
        return [
            self.ssh_target,
            "--identity",
            str(self.key_path),
            "--known-hosts",
            str(self.known_hosts),
        ]

    @property
    def serial_path(self) -> Path:
        return self.state / "console"

    @property
    def serial_target(self) -> str:
        return f"serial://{self.serial_path}?baud=115200"

    @property
    def password(self) -> str:
        return self.lab.password

    @property
    def key_path(self) -> Path:
        return self.lab.key_path

    @property
    def known_hosts(self) -> Path:
        return self.lab.known_hosts

    @property
    def docker_socket(self) -> str:
        """The device's engine socket, reached from the host through the holder's root."""
        assert self.holder is not None
        return f"/proc/{self.holder.pid}/root{self.engine_socket}"

    @property
    def cgroup_parent(self) -> str:
        return f"edgegui-lab-{self.lab.slot}-{self.index}"

    # -- running things inside ---------------------------------------------
    def exec(self, argv: list[str], check: bool = True, input: bytes | None = None) -> str:
        """Run a command as root inside the device (for test set-up and checks)."""
        assert self.holder is not None
        socket = self.engine_socket
        engine = [] if self.flags.engine == "default" else ["env", f"DOCKER_HOST=unix://{socket}"]
        return sh(
            ["nsenter", "-t", str(self.holder.pid), "-m", "-u", "-n", "--", *engine, *argv],
            check=check,
            input=input,
        )

    def host_key_line(self) -> str:
        pub = self.exec(["cat", "/etc/ssh/ssh_host_ed25519_key.pub"]).split()
        return f"{self.ip} {pub[0]} {pub[1]}"

    # -- life cycle ----------------------------------------------------------
    def start(self) -> None:
        devicesetup.start_device(self)

    def stop(self) -> None:
        devicesetup.stop_device(self)

    def restart_sshd(self) -> None:
        devicesetup.restart_sshd(self)

    def restart_dockerd(self) -> None:
        """Stop the device's dockerd (as a service restart would) and start it again."""
        devicesetup.restart_dockerd(self)

    def cut_link(self) -> None:
        """Drop every packet in and out of the device (a pulled cable; TCP sees nothing)."""
        for chain in ("INPUT", "OUTPUT"):
            self.exec(["iptables", "-I", chain, "1", "-j", "DROP"])

    def restore_link(self) -> None:
        for chain in ("INPUT", "OUTPUT"):
            self.exec(["iptables", "-D", chain, "-j", "DROP"], check=False)

    def limit_rate(self, mbit: float) -> None:
        """Shape traffic from the host to the device to ``mbit`` Mbit/s (token bucket)."""
        sh(
            ["tc", "qdisc", "replace", "dev", self.host_if, "root", "tbf"]
            + ["rate", f"{mbit}mbit", "burst", "32kbit", "latency", "400ms"]
        )

    def clear_rate(self) -> None:
        sh(["tc", "qdisc", "del", "dev", self.host_if, "root"], check=False)

    def shape_link(self, mbit: float, delay_ms: int, loss_pct: float) -> list[str]:
        """A field link (4G router, long cable): ``mbit`` towards the device, ``delay_ms``
        each way and ``loss_pct`` of packets lost each way. Returns what this kernel could
        not do (no netem: no delay; loss then comes from iptables' statistic match)."""
        missing: list[str] = []
        netem = ["netem", "delay", f"{delay_ms}ms", "loss", f"{loss_pct}%"]
        sh(["tc", "qdisc", "replace", "dev", self.host_if, "root", "handle", "1:", *netem],
           check=False)  # fmt: skip
        if _qdisc_is(self.host_if, "netem"):
            sh(["tc", "qdisc", "add", "dev", self.host_if, "parent", "1:", "handle", "2:", "tbf",
                "rate", f"{mbit}mbit", "burst", "32kbit", "latency", "400ms"])  # fmt: skip
            self.exec(["tc", "qdisc", "replace", "dev", "eth0", "root", *netem])
            return missing
        missing.append(f"no netem in this kernel: no {delay_ms} ms delay")
        self.limit_rate(mbit)
        probability = f"{loss_pct / 100:.4f}"
        for chain in ("INPUT", "OUTPUT"):
            self.exec(["iptables", "-I", chain, "1", "-m", "statistic", "--mode", "random",
                       "--probability", probability, "-j", "DROP"])  # fmt: skip
        self._lossy = probability
        return missing

    def clear_shaping(self) -> None:
        self.clear_rate()
        self.exec(["tc", "qdisc", "del", "dev", "eth0", "root"], check=False)
        probability = getattr(self, "_lossy", None)
        for chain in ("INPUT", "OUTPUT") if probability else ():
            self.exec(["iptables", "-D", chain, "-m", "statistic", "--mode", "random",
                       "--probability", probability, "-j", "DROP"], check=False)  # fmt: skip

    def type_on_console(self, text: str) -> None:
        """Type on the console as someone at the device would (the port stays free)."""
        type_on_console(self.serial_path, text.encode())

    def kernel_message(self, text: str) -> None:
        """Print a line on the console the way the kernel does (printk), from the device end."""
        with (self.state / "console-tty").open("w") as handle:
            handle.write(f"\r\n[{time.monotonic() % 10000:11.6f}] {text}\r\n")

    def unplug_console(self) -> None:
        self.ptys["console"].stop()

    def replug_console(self) -> None:
        self.ptys["console"].start()

    def to_dict(self) -> dict[str, str]:
        return {
            "name": self.name,
            "ssh": self.ssh_target,
            "serial": self.serial_target,
            "docker_socket": self.docker_socket,
            "hardware": self.hardware or "",
        }


class Lab:
    """A set of devices sharing one key pair, one password and one known_hosts file."""

    def __init__(
        self,
        hardware: list[str | None],
        docker_size_mb: int | None = None,
        flags: list[DeviceFlags] | None = None,
        shared_link: bool = False,
    ) -> None:
        self.docker_size_mb = docker_size_mb  # engine data-root on a tmpfs this size
        # shared_link: every device on one bridge, one /24 (a site LAN: devices reach each
        # other, multicast flows, a sweep finds them all); otherwise a /30 link each.
        self.shared_link = shared_link
        self.slot = _claim_slot()
        self.root = LAB_ROOT / f"slot{self.slot}"
        self.password = "Tech-" + os.urandom(6).hex()
        flags = flags or [DeviceFlags()] * len(hardware)
        self.devices = [LabDevice(self, i + 1, hw, flags[i]) for i, hw in enumerate(hardware)]

    @property
    def key_path(self) -> Path:
        return self.root / "id_ed25519"

    @property
    def bridge(self) -> str:
        return f"egb{self.slot}"

    @property
    def subnet(self) -> str:
        """The shared link's subnet (devices at .6, .10, …; the host at .1)."""
        return f"{SUBNET}.{self.slot}.0/24"

    @property
    def known_hosts(self) -> Path:
        return self.root / "known_hosts"

    def start(self) -> Lab:
        self.root.mkdir(parents=True, exist_ok=True)
        sh(
            [
                "ssh-keygen",
                "-q",
                "-t",
                "ed25519",
                "-N",
                "",
                "-C",
                "edgegui-lab",
                "-f",
                str(self.key_path),
            ]
        )
        try:
            if self.shared_link:
                _make_bridge(self.bridge, f"{SUBNET}.{self.slot}.1/24")
            # Devices start side by side: most of a start is waiting for sshd and dockerd.
            with ThreadPoolExecutor(max_workers=START_WORKERS) as pool:
                for future in [pool.submit(device.start) for device in self.devices]:
                    future.result()
        except BaseException:
            self.stop()
            raise
        self.known_hosts.write_text("".join(d.host_key_line() + "\n" for d in self.devices))
        (self.root / "lab.json").write_text(
            json.dumps([d.to_dict() for d in self.devices], indent=2)
        )
        return self

    def stop(self) -> None:
        def stop_one(device: LabDevice) -> None:
            with contextlib.suppress(Exception):
                device.stop()

        with ThreadPoolExecutor(max_workers=START_WORKERS) as pool:
            list(pool.map(stop_one, self.devices))
        sh(["ip", "link", "del", self.bridge], check=False)
        shutil.rmtree(self.root, ignore_errors=True)
        _release_slot(self.slot)

    def __enter__(self) -> Lab:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _claim_slot() -> int:
    """A lab slot no other live lab holds (labs of other test runs may coexist)."""
    LAB_ROOT.mkdir(parents=True, exist_ok=True)
    taken = sh(["ip", "-br", "link"], check=False)
    for slot in range(1, 250):
        if f"egh{slot}d" in taken:  # interfaces of a lab this host's /var/tmp cannot see
            continue
        marker = LAB_ROOT / f"slot{slot}.owner"
        try:
            fd = os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            if _owner_alive(marker):
                continue
            cleanup_slot(slot)
            try:
                fd = os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                continue
        os.write(fd, str(os.getpid()).encode())
        os.close(fd)
        return slot
    raise RuntimeError("lab: no free slot")


def _owner_alive(marker: Path) -> bool:
    try:
        pid = int(marker.read_text() or "0")
        os.kill(pid, 0)
    except (ValueError, ProcessLookupError, FileNotFoundError):
        return False
    return True


def _release_slot(slot: int) -> None:
    (LAB_ROOT / f"slot{slot}.owner").unlink(missing_ok=True)


def cleanup_slot(slot: int) -> None:
    """Remove whatever a dead lab left in ``slot``: processes, namespaces, files."""
    root = LAB_ROOT / f"slot{slot}"
    for holder_file in root.glob("*/holder.pid"):
        with contextlib.suppress(ValueError, OSError):
            inode = mount_ns_inode(int(holder_file.read_text()))
            if inode is not None:
                kill_all(pids_in_mount_ns(inode))
    kill_all(pids_mentioning(f"{root}/"), grace=1)  # socat ptys, login loops
    for line in sh(["ip", "netns", "list"], check=False).splitlines():
        name = line.split()[0] if line.split() else ""
        if name.startswith(f"{NETNS_PREFIX}{slot}d"):
            sh(["ip", "netns", "del", name], check=False)
    for line in sh(["ip", "-br", "link"], check=False).splitlines():
        name = line.split("@")[0].split()[0] if line.strip() else ""
        if name.startswith(f"egh{slot}d") or name == f"egb{slot}":
            sh(["ip", "link", "del", name], check=False)
    shutil.rmtree(root, ignore_errors=True)
    _release_slot(slot)


def cleanup_all() -> None:
    """Tear down every lab whose owner is gone (``python -m tests.lab down``)."""
    if not LAB_ROOT.exists():
        return
    for marker in LAB_ROOT.glob("slot*.owner"):
        slot = int(marker.name[4:].split(".")[0])
        if not _owner_alive(marker):
            cleanup_slot(slot)


def _make_bridge(name: str, address: str) -> None:
    sh(["ip", "link", "del", name], check=False)  # left by a lab that died mid-way
    sh(["ip", "link", "add", name, "type", "bridge"])
    # No IGMP snooping: mDNS between namespaces flows like on a plain switch.
    sh(["ip", "link", "set", name, "type", "bridge", "mcast_snooping", "0"])
    sh(["ip", "addr", "add", address, "dev", name])
    sh(["ip", "link", "set", name, "up"])


def _qdisc_is(interface: str, kind: str) -> bool:
    return f"qdisc {kind} " in sh(["tc", "qdisc", "show", "dev", interface], check=False)


def port_open(host: str, port: int) -> bool:
    with contextlib.suppress(OSError), socket.create_connection((host, port), timeout=0.5):
        return True
    return False


__all__ = ["Lab", "LabDevice", "cleanup_all", "lab_unavailable_reason", "port_open"]
