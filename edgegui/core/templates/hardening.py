"""Hardening defaults applied to every service, and the written waivers that opt out of them.

A template may only weaken a default (or run privileged, or on the host network) by naming
the rule under ``x-edgegui.waivers`` with a reason; the reason then travels with the
rendered service as a label or annotation, so it is shown wherever the stack is.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

WAIVER_RULES = {
    "read_only": "writable root filesystem",
    "tmpfs_tmp": "no noexec tmpfs on /tmp",
    "cap_drop": "keeps the default capabilities (no cap_drop: [ALL])",
    "capabilities": "adds powerful capabilities",
    "no_new_privileges": "may gain privileges through setuid programs",
    "non_root": "runs as root",
    "limits": "no default memory, CPU or pids limit",
    "restart": "no restart policy",
    "log_rotation": "no log rotation",
    "port_binding": "publishes ports on every address",
    "privileged": "runs privileged (all devices and capabilities)",
    "host_network": "shares the host's network stack",
    "seccomp": "runs with the engine's default seccomp profile, not EdgeGUI's edge profile",
    "docker_socket": "mounts the Docker socket (control of the engine, root on the device)",
    "init": "no init process (a PID 1 that ignores SIGTERM makes every stop wait out its grace)",
}
# Rules with no setting that triggers them: declaring the waiver is the opt-out itself.
OPT_OUT_RULES = frozenset({"tmpfs_tmp", "no_new_privileges", "limits", "log_rotation", "seccomp"})
# Host paths that hand a container the Docker Engine: the socket and every folder above it.
DOCKER_SOCKET_PATHS = frozenset(
    {"/var/run/docker.sock", "/run/docker.sock", "/var/run", "/run", "/var", "/"}
)
# Capabilities that amount to (near) root on the host; adding one needs a waiver.
POWERFUL_CAPABILITIES = frozenset(
    {
        "ALL",
        "SYS_ADMIN",
        "SYS_MODULE",
        "SYS_RAWIO",
        "SYS_PTRACE",
        "SYS_BOOT",
        "SYS_TIME",
        "NET_ADMIN",
        "DAC_READ_SEARCH",
        "DAC_OVERRIDE",
        "BPF",
        "PERFMON",
        "MAC_ADMIN",
        "MAC_OVERRIDE",
        "SYSLOG",
    }
)

DEFAULT_USER = "65534:65534"
DEFAULT_TMPFS = "/tmp:rw,noexec,nosuid,nodev,size=64m"
DEFAULT_MEMORY = "256M"
DEFAULT_CPUS = 1.0
DEFAULT_PIDS = 256
DEFAULT_RESTART = "unless-stopped"
DEFAULT_LOG_OPTIONS = {"max-size": "10m", "max-file": "3"}
NO_NEW_PRIVILEGES = "no-new-privileges:true"
WAIVER_LABEL_PREFIX = "io.edgegui.waiver."


@dataclass(frozen=True)
class Waiver:
    """A service's written exception to one hardening rule."""

    service: str
    rule: str
    reason: str

    def describe(self) -> str:
        return f"{self.service}: {WAIVER_RULES[self.rule]} ({self.rule}): {self.reason}"


def is_root_user(user: Any) -> bool:
    name = str(user).split(":", 1)[0].strip()
    return name in ("root", "0")


def waivers_needed(service: Mapping[str, Any]) -> dict[str, str]:
    """Rules this service's own settings break, mapped to the setting (a field name)."""
    needed: dict[str, str] = {}
    if service.get("read_only") is False:
        needed["read_only"] = "read_only"
    if service.get("privileged") is True:
        needed["privileged"] = "privileged"
    if service.get("network_mode") == "host":
        needed["host_network"] = "network_mode"
    if "user" in service and is_root_user(service["user"]):
        needed["non_root"] = "user"
    if POWERFUL_CAPABILITIES.intersection(service.get("cap_add", ())):
        needed["capabilities"] = "cap_add"
    if "cap_drop" in service and "ALL" not in service["cap_drop"]:
        needed["cap_drop"] = "cap_drop"
    if service.get("restart") == "no":
        needed["restart"] = "restart"
    if service.get("init") is False:
        needed["init"] = "init"
    if any(not port.get("host_ip") for port in service.get("ports", ())):
        needed["port_binding"] = "ports"
    if any(mounts_docker_socket(volume) for volume in service.get("volumes", ())):
        needed["docker_socket"] = "volumes"
    return needed


def mounts_docker_socket(volume: Any) -> bool:
    """A bind mount of the Docker socket or of a folder holding it."""
    if not isinstance(volume, Mapping) or volume.get("type") != "bind":
        return False
    source = str(volume.get("source", ""))
    return (source.rstrip("/") or "/") in DOCKER_SOCKET_PATHS


def unused_waivers(service: Mapping[str, Any], waivers: Mapping[str, str]) -> list[str]:
    """Declared waivers the service does not need (they would mislead a reviewer)."""
    needed = waivers_needed(service)
    return sorted(rule for rule in waivers if rule not in needed and rule not in OPT_OUT_RULES)


def harden(service: dict[str, Any], waived: Mapping[str, str]) -> dict[str, Any]:
    """Fill in every default the service has not waived; returns the same dict."""
    privileged = service.get("privileged") is True
    if "read_only" not in waived:
        service["read_only"] = True
    if "tmpfs_tmp" not in waived and not any(
        entry.split(":", 1)[0] == "/tmp" for entry in service.get("tmpfs", ())
    ):
        service["tmpfs"] = [DEFAULT_TMPFS, *service.get("tmpfs", ())]
    if "cap_drop" not in waived and not privileged:
        service["cap_drop"] = ["ALL"]
    if "no_new_privileges" not in waived:
        options = [o for o in service.get("security_opt", ()) if o != NO_NEW_PRIVILEGES]
        service["security_opt"] = [NO_NEW_PRIVILEGES, *options]
    service.setdefault("user", DEFAULT_USER)
    if "limits" not in waived:
        service.setdefault("mem_limit", DEFAULT_MEMORY)
        service.setdefault("cpus", DEFAULT_CPUS)
        service.setdefault("pids_limit", DEFAULT_PIDS)
    if "restart" not in waived:
        service.setdefault("restart", DEFAULT_RESTART)
    if "init" not in waived:
        service["init"] = True  # an init as PID 1 forwards signals and reaps zombies
    if "log_rotation" not in waived:
        service["logging"] = {"driver": "json-file", "options": dict(DEFAULT_LOG_OPTIONS)}
    labels = service.setdefault("labels", {})
    for rule, reason in sorted(waived.items()):
        labels[WAIVER_LABEL_PREFIX + rule] = reason
    return service
