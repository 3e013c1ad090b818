"""The shell script that builds a device's private file-system view inside its mount namespace.

It runs once, as the namespace's first process: its own /etc (overlay), /run, /tmp, /home,
/var/lib/docker, a tmpfs /dev with the usual nodes, and the fake hardware of the device's
HardwarePlan laid over /sys, /proc and /usr/local/bin.
"""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import Any

DEV_NODES = ("null", "zero", "full", "random", "urandom", "tty", "kmsg")


def _q(value: object) -> str:
    return shlex.quote(str(value))


def existing_ancestor(path: str) -> str:
    """Nearest existing folder at or above ``path`` (a mount point must exist)."""
    current = Path(path)
    while not current.exists():
        current = current.parent
    return str(current)


REPO_ROOT = Path(__file__).resolve().parents[2]


def _keep_visible(state: Path) -> list[str]:
    if not REPO_ROOT.is_relative_to("/tmp"):
        return []
    inside = REPO_ROOT.relative_to("/tmp")
    return [
        f"mkdir -p {_q(REPO_ROOT)} && mount --bind {_q(state / 'hosttmp' / inside)} {_q(REPO_ROOT)}"
    ]


def setup_script(
    hostname: str,
    state: Path,
    plan: Any | None,
    tree: Path | None,
    docker_size_mb: int | None = None,
    cgroup_v2: bool = False,
) -> str:
    """POSIX sh that prepares the namespace, then execs the holder (sleep).

    ``docker_size_mb`` puts the engine's data-root on a tmpfs of that size (disk-full tests).
    """
    d = _q(state)
    lines = [
        "set -eu",
        f"hostname {_q(hostname)}",
        f"mkdir -p {d}/etc-upper {d}/etc-work {d}/home {d}/docker {d}/etc-docker {d}/hostdev",
        f"mount -t overlay overlay -o lowerdir=/etc,upperdir={d}/etc-upper,workdir={d}/etc-work"
        " /etc",
        f"echo {_q(hostname)} > /etc/hostname",
        # No name server: lookups (an engine trying a registry) fail at once instead of
        # waiting on the host's resolver, and no test traffic leaves this machine.
        "rm -f /etc/resolv.conf && echo 'nameserver 127.0.0.1' > /etc/resolv.conf",
        "mount -t tmpfs -o mode=755 tmpfs /run",
        "mkdir -p /run/sshd /run/lock && chmod 1777 /run/lock",
        # A /tmp of its own, but a checkout living under the host's /tmp stays visible (the
        # tests run our code inside the device as 'local://').
        f"mkdir -p {d}/hosttmp && mount --bind /tmp {d}/hosttmp",
        "mount -t tmpfs -o mode=1777 tmpfs /tmp",
        *_keep_visible(state),
        f"mount --bind {d}/home /home",
        "mkdir -p /var/lib/docker /etc/docker",
        f"mount -t tmpfs -o size={int(docker_size_mb)}m tmpfs /var/lib/docker"
        if docker_size_mb
        else f"mount --bind {d}/docker /var/lib/docker",
        f"mount --bind {d}/etc-docker /etc/docker",
        # A device of its own under /dev: the usual nodes from the host, and nothing else.
        f"mount --rbind /dev {d}/hostdev",
        "mount -t tmpfs -o mode=755,nosuid tmpfs /dev",
    ]
    for node in DEV_NODES:
        lines.append(
            f"if [ -e {d}/hostdev/{node} ]; then : > /dev/{node}; "
            f"mount --bind {d}/hostdev/{node} /dev/{node}; fi"
        )
    lines += [
        f"mkdir -p /dev/pts /dev/shm && mount --bind {d}/hostdev/pts /dev/pts",
        "mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs /dev/shm",
        # A bound ptmx node cannot find its devpts; the link to pts/ptmx can (sshd's ptys).
        "ln -s pts/ptmx /dev/ptmx",
        "ln -s /proc/self/fd /dev/fd && ln -s fd/0 /dev/stdin",
        "ln -s fd/1 /dev/stdout && ln -s fd/2 /dev/stderr",
    ]
    if cgroup_v2:
        # The unified hierarchy alone, as a cgroup v2 device has it: the engine and the
        # stats path see only the controllers the host left to it.
        lines.append("umount -R /sys/fs/cgroup 2>/dev/null || umount -l /sys/fs/cgroup || true")
        lines.append("mount -t cgroup2 cgroup2 /sys/fs/cgroup")
    if plan is not None and tree is not None:
        lines += _hardware_lines(plan, tree)
    # Tell the lab we are ready, then hold the namespaces open.
    lines += [f"touch {d}/ready", "exec sleep infinity"]
    return "\n".join(lines) + "\n"


def _hardware_lines(plan: Any, tree: Path) -> list[str]:
    lines: list[str] = []
    if (tree / "dev").is_dir():  # by-id links and the like go straight into our tmpfs /dev
        lines.append(f"cp -a {_q(tree / 'dev')}/. /dev/")
    for path, (major, minor) in sorted(getattr(plan, "char_devices", {}).items()):
        lines.append(
            f"mkdir -p {_q(Path(path).parent)} && mknod -m 0660 {_q(path)} c {major} {minor}"
        )
    mounted: set[str] = set()
    for wanted in sorted(getattr(plan, "overlay_dirs", [])):
        if wanted == "/dev" or wanted.startswith("/dev/"):
            continue
        point = existing_ancestor(wanted)
        if point in mounted or not (tree / point.lstrip("/")).exists():
            continue
        mounted.add(point)
        lower = tree / point.lstrip("/")
        lines.append(f"mount -t overlay overlay -o lowerdir={_q(lower)}:{_q(point)} {_q(point)}")
    for path, source in sorted(getattr(plan, "bind_files", {}).items()):
        # A file the host lacks (e.g. /etc/nv_tegra_release) needs a mount point first.
        lines.append(f"[ -e {_q(path)} ] || : > {_q(path)}")
        lines.append(f"mount --bind {_q(source)} {_q(path)}")
    return lines
