"""Peripheral checks run on the device for what the stack's containers were given:
a bound serial port opens at its baud, a scanner's node is there and readable by the
container's user or groups, and a GPU is visible inside a container (``nvidia-smi -L``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from edgegui.core.discovery.model import Inventory
from edgegui.core.report.model import CheckRow
from edgegui.core.transport.base import Transport
from edgegui.core.transport.engine import docker_argv

GPU_CHECK_TIMEOUT_S = 120.0
# Args: KIND PATH BAUD, repeated. Prints "N node REAL UID GID MODE", "N missing",
# "N baud SPEED user|sudo" or "N baudfail WHY" for the Nth device.
NODE_SCRIPT = """\
i=0
while [ $# -ge 3 ]; do
  kind=$1; path=$2; baud=$3; shift 3; i=$((i+1))
  if [ ! -e "$path" ]; then echo "$i missing"; continue; fi
  real=$(readlink -f "$path")
  echo "$i node $real $(stat -Lc '%u %g %a' "$path")"
  [ "$kind" = serial ] && [ -n "$baud" ] || continue
  if stty -F "$real" "$baud" 2>/dev/null && got=$(stty -F "$real" speed 2>/dev/null); then
    echo "$i baud $got user"
  elif sudo -n stty -F "$real" "$baud" 2>/dev/null \\
      && got=$(sudo -n stty -F "$real" speed 2>/dev/null); then
    echo "$i baud $got sudo"
  else
    echo "$i baudfail $(stty -F "$real" "$baud" 2>&1 | head -n 1)"
  fi
done
true
"""


@dataclass(frozen=True)
class BoundDevice:
    """A host device node handed to a container."""

    container: str
    path: str  # on the host, as the container was given it
    kind: str  # serial, scanner or device
    baud: str  # from the service's environment (…BAUD…), for serial ports
    uid: int | None
    gids: frozenset[int]
    write: bool


def bound_devices(
    containers: Sequence[Mapping[str, Any]], inventory: Inventory
) -> list[BoundDevice]:
    scanners = {p for s in inventory.scanners for p in _paths(s)}
    serial = {p for a in inventory.serial_adapters for p in _paths(a)}
    found = []
    for inspect in containers:
        config = inspect.get("Config") or {}
        host = inspect.get("HostConfig") or {}
        uid, gid = _user(str(config.get("User") or ""))
        gids = {gid} if gid is not None else set()
        gids |= {int(g) for g in host.get("GroupAdd") or [] if str(g).isdigit()}
        baud = _baud(config.get("Env") or [])
        for device in host.get("Devices") or []:
            path = str(device.get("PathOnHost", ""))
            kind = "scanner" if path in scanners else "serial" if path in serial else "device"
            if kind == "device" and re.search(r"/tty(USB|ACM|S|AMA)\d+$|/serial/", path):
                kind = "serial"
            found.append(
                BoundDevice(
                    container=str(inspect.get("Name", "")).lstrip("/"),
                    path=path,
                    kind=kind,
                    baud=baud if kind == "serial" else "",
                    uid=uid,
                    gids=frozenset(gids),
                    write="w" in str(device.get("CgroupPermissions", "rwm")),
                )
            )
    return found


def check_devices(transport: Transport, devices: list[BoundDevice]) -> list[CheckRow]:
    if not devices:
        return []
    args = [a for d in devices for a in (d.kind, d.path, d.baud)]
    result = transport.run_script(NODE_SCRIPT, args, timeout=60)
    answers: dict[int, list[str]] = {}
    for line in result.text.splitlines():
        number, _, rest = line.partition(" ")
        if number.isdigit():
            answers.setdefault(int(number), []).append(rest)
    rows = []
    for index, device in enumerate(devices, 1):
        rows.extend(_device_rows(device, answers.get(index, [])))
    return rows


def _device_rows(device: BoundDevice, answers: list[str]) -> list[CheckRow]:
    label = f"{device.kind.capitalize()} of {device.container}"
    node = next((a.split() for a in answers if a.startswith("node ")), None)
    if node is None or len(node) < 5:
        return [
            CheckRow(
                label,
                "fail",
                f"{device.path} is not present",
                "plug the device in (same USB port) and check `ls -l` of the path",
            )
        ]
    real, owner, group, mode = node[1], int(node[2]), int(node[3]), int(node[4], 8)
    need = "read and write" if device.kind == "serial" or device.write else "read"
    readable = _allowed(mode, owner, group, device, 4)
    writable = _allowed(mode, owner, group, device, 2)
    ok = readable and (writable or need == "read")
    access = (
        f"{device.path} → {real}, mode {mode:o}, owner {owner}, group {group}; the container "
        f"runs as {_who(device)}"
    )
    rows = [
        CheckRow(
            label,
            "pass" if ok else "fail",
            f"present, {need} allowed: {access}"
            if ok
            else f"the container cannot {need} it: {access}",
            "" if ok else f"set the template's group id to {group} (stat -c %g {device.path})",
        )
    ]
    if device.kind == "serial":
        rows.append(_baud_row(device, answers))
    return rows


def _baud_row(device: BoundDevice, answers: list[str]) -> CheckRow:
    label = f"Serial speed for {device.container}"
    if not device.baud:
        return CheckRow(label, "info", "the stack states no baud rate; the port's own is kept")
    for answer in answers:
        parts = answer.split()
        if parts[0] == "baud" and len(parts) >= 3:
            how = " (opened as root via sudo)" if parts[2] == "sudo" else ""
            if parts[1] == device.baud:
                return CheckRow(label, "pass", f"opens at {device.baud} baud{how}")
            return CheckRow(
                label,
                "fail",
                f"asked {device.baud} baud, the port runs at {parts[1]}",
                "the adapter or driver does not support this speed",
            )
        if parts[0] == "baudfail":
            why = " ".join(parts[1:]) or "stty failed"
            return CheckRow(
                label,
                "fail",
                f"cannot open at {device.baud} baud: {why}",
                "check the cable and that no other program holds the port",
            )
    return CheckRow(label, "warn", "the speed check gave no answer")


def gpu_checks(
    transport: Transport, inventory: Inventory, containers: Sequence[Mapping[str, Any]]
) -> list[CheckRow]:
    """``nvidia-smi -L`` inside a container where the device has an NVIDIA GPU."""
    nvidia = [g for g in inventory.gpus if g.vendor == "nvidia"]
    jetson = [g for g in inventory.gpus if g.vendor == "jetson"]
    if jetson and not nvidia:
        runtimes = inventory.docker.runtimes
        ok = "nvidia" in runtimes
        return [
            CheckRow(
                "GPU in a container",
                "pass" if ok else "fail",
                f"Jetson GPU; the engine's runtimes: {', '.join(runtimes) or 'none'}",
                "" if ok else "install JetPack's nvidia-container-toolkit",
            )
        ]
    if not nvidia:
        others = ", ".join(sorted({g.vendor for g in inventory.gpus}))
        extra = f" ({others} accelerators are not checked inside a container)" if others else ""
        return [CheckRow("GPU in a container", "info", f"No NVIDIA GPU on this device{extra}.")]
    image = _check_image(containers)
    if not image:
        return [
            CheckRow(
                "GPU in a container",
                "warn",
                f"{len(nvidia)} NVIDIA GPU(s) present; no image on the device to check with",
                "deploy the stack first, then make the report again",
            )
        ]
    argv = docker_argv(transport, ["run", "--rm", "--gpus", "all", "--network", "none",
                                   "--entrypoint", "nvidia-smi", image, "-L"])  # fmt: skip
    result = transport.run(argv, timeout=GPU_CHECK_TIMEOUT_S)
    output = (result.stdout + result.stderr).decode("utf-8", "replace").strip()
    listed = [line for line in output.splitlines() if line.startswith("GPU ")]
    if result.ok and listed:
        return [CheckRow("GPU in a container", "pass", "; ".join(listed))]
    why = output.splitlines()[-1][:200] if output else f"exit status {result.exit_status}"
    return [
        CheckRow(
            "GPU in a container",
            "fail",
            f"nvidia-smi -L in {image} failed: {why}",
            "install the NVIDIA Container Toolkit and run "
            "`sudo nvidia-ctk runtime configure --runtime=docker`",
        )
    ]


def _check_image(containers: Sequence[Mapping[str, Any]]) -> str:
    """The image of a container that asks for GPUs, else of any of the stack's."""
    for inspect in containers:
        if (inspect.get("HostConfig") or {}).get("DeviceRequests"):
            return str(inspect.get("Image", ""))
    return str(containers[0].get("Image", "")) if containers else ""


def _paths(item: Any) -> list[str]:
    values = [getattr(item, name, "") for name in ("by_id", "tty", "event")]
    return [v if v.startswith("/") else f"/dev/{v}" for v in values if v]


def _user(user: str) -> tuple[int | None, int | None]:
    name, _, group = user.partition(":")
    uid = int(name) if name.isdigit() else (0 if name in ("", "root") else None)
    gid = int(group) if group.isdigit() else (0 if uid == 0 and not group else None)
    return uid, gid


def _baud(env: list[str]) -> str:
    for item in env:
        name, _, value = str(item).partition("=")
        if "BAUD" in name.upper() and value.strip().isdigit():
            return value.strip()
    return ""


def _allowed(mode: int, owner: int, group: int, device: BoundDevice, bit: int) -> bool:
    if device.uid == 0:
        return True
    if device.uid is not None and device.uid == owner:
        return bool(mode & (bit << 6))
    if group in device.gids:
        return bool(mode & (bit << 3))
    return bool(mode & bit)


def _who(device: BoundDevice) -> str:
    uid = "an unknown user" if device.uid is None else f"uid {device.uid}"
    groups = ", ".join(str(g) for g in sorted(device.gids)) or "none"
    return f"{uid}, groups {groups}"
