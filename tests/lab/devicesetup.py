"""Bring one lab device up (namespaces, users, sshd, dockerd, console, hardware) and down."""

from __future__ import annotations

import contextlib
import shutil
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING

from tests.lab.console import console_link, field_device_link, login_loop
from tests.lab.mounts import setup_script
from tests.lab.proc import (
    kill_all,
    mount_ns_inode,
    nsenter_argv,
    pids_in_mount_ns,
    sh,
    spawn,
    wait_for,
)

if TYPE_CHECKING:
    from tests.lab.lab import LabDevice

HARDWARE_DIR = Path(__file__).parent / "devices"
SSHD_CONFIG = """\
Port 22
ListenAddress 0.0.0.0
HostKey /etc/ssh/ssh_host_ed25519_key
HostKey /etc/ssh/ssh_host_rsa_key
PidFile /run/sshd.pid
UsePAM no
PasswordAuthentication yes
PubkeyAuthentication yes
KbdInteractiveAuthentication no
PermitRootLogin no
AllowTcpForwarding yes
AllowStreamLocalForwarding yes
ClientAliveInterval 5
ClientAliveCountMax 3
Subsystem sftp /usr/lib/openssh/sftp-server
"""


def _hardware_plan(device: LabDevice) -> tuple[object | None, Path | None]:
    if not device.hardware:
        return None, None
    from tests.lab import hardware  # the hardware presenter (fake sysfs/procfs/devs)

    spec_path = Path(device.hardware)
    if not spec_path.is_absolute():
        spec_path = HARDWARE_DIR / f"{device.hardware}.yaml"
    tree = device.state / "hw"
    plan = hardware.build_hardware_tree(hardware.load_hardware_spec(spec_path), tree)
    return plan, tree


def start_device(device: LabDevice) -> None:
    state = device.state
    state.mkdir(parents=True, exist_ok=True)
    _make_netns(device)
    device.plan, tree = _hardware_plan(device)
    script = setup_script(
        device.name,
        state,
        device.plan,
        tree,
        device.lab.docker_size_mb,
        cgroup_v2=device.flags.cgroup == "v2",
    )
    (state / "setup.sh").write_text(script)
    device.holder = spawn(
        [
            "nsenter",
            f"--net=/run/netns/{device.netns}",
            "unshare",
            "--mount",
            "--uts",
            "--propagation",
            "private",
            "sh",
            str(state / "setup.sh"),
        ],
        state / "holder.log",
    )
    (state / "holder.pid").write_text(str(device.holder.pid))
    wait_for(
        lambda: (state / "ready").exists() or device.holder.poll() is not None,
        20,
        f"{device.name} namespaces",
    )
    if device.holder.poll() is not None:
        raise RuntimeError(
            f"lab: {device.name} set-up failed: {(state / 'holder.log').read_text()}"
        )
    _make_users(device)
    _allow_sudo(device)
    _configure_engine_lookup(device)
    _start_sshd(device)
    if device.flags.dockerd:
        _start_dockerd(device)
    _start_console(device)
    _start_field_devices(device)
    _give_nodes_their_groups(device)
    from tests.lab.lab import port_open

    wait_for(lambda: port_open(device.ip, 22), 20, f"{device.name} sshd")
    if not device.flags.dockerd:
        return
    wait_for(lambda: Path(device.docker_socket).exists(), 60, f"{device.name} dockerd")
    wait_for(
        lambda: device.exec(["docker", "version"], check=False) != "",
        60,
        f"{device.name} dockerd answering",
    )


def _make_netns(device: LabDevice) -> None:
    ns, host_if = device.netns, device.host_if
    sh(["ip", "link", "del", host_if], check=False)  # left by a lab that died mid-way
    sh(["ip", "netns", "del", ns], check=False)
    sh(["ip", "netns", "add", ns])
    sh(["ip", "link", "add", host_if, "type", "veth", "peer", "name", "eth0", "netns", ns])
    if device.lab.shared_link:
        sh(["ip", "link", "set", host_if, "master", device.lab.bridge])
    else:
        sh(["ip", "addr", "add", f"{device.host_ip}/30", "dev", host_if])
    sh(["ip", "link", "set", host_if, "up"])
    if device.flags.mac:  # a vendor's MAC (its OUI names the maker in a sweep)
        sh(["ip", "-n", ns, "link", "set", "eth0", "address", device.flags.mac])
    sh(["ip", "-n", ns, "addr", "add", f"{device.ip}/{device.prefix_len}", "dev", "eth0"])
    sh(["ip", "-n", ns, "link", "set", "eth0", "up"])
    sh(["ip", "-n", ns, "link", "set", "lo", "up"])
    sh(["ip", "-n", ns, "route", "add", "default", "via", device.host_ip])


def _make_users(device: LabDevice) -> None:
    user = "tech"
    # Every device has host keys of its own, not the host machine's.
    device.exec(["sh", "-c", "rm -f /etc/ssh/ssh_host_*_key* && ssh-keygen -A"])
    groups = ["-G", "docker"] if device.flags.docker_group else []
    device.exec(["useradd", "-m", "-s", "/bin/bash", *groups, user])
    device.uid = int(device.exec(["id", "-u", user]))  # the host's users decide which
    device.exec(["chpasswd"], input=f"{user}:{device.password}\n".encode())
    pub = Path(str(device.key_path) + ".pub").read_text()
    ssh_dir = device.state / "home" / user / ".ssh"
    ssh_dir.mkdir(mode=0o700, exist_ok=True)
    (ssh_dir / "authorized_keys").write_text(pub)
    device.exec(["chown", "-R", f"{user}:{user}", f"/home/{user}/.ssh"])
    device.exec(["chmod", "600", f"/home/{user}/.ssh/authorized_keys"])


# ``sudo service docker restart`` inside a device restarts the device's own dockerd, the way
# deploy code restarts it on a real device (tech may sudo, as a technician's account can).
SERVICE_SHIM = """\
#!/bin/sh
[ "$1" = docker ] || { echo "lab service: only docker is known" >&2; exit 1; }
case "$2" in restart|stop|start) ;; *) echo "usage: service docker restart" >&2; exit 1;; esac
if [ "$2" != start ] && [ -f /run/docker.pid ]; then
  pid=$(cat /run/docker.pid); kill "$pid" 2>/dev/null
  # The lab's first dockerd is a child of the test process: once it exits it stays a
  # zombie until reaped, so "gone" means no process or a zombie.
  i=0; while [ $i -lt 300 ] && kill -0 "$pid" 2>/dev/null \\
    && ! grep -q '^State:.*Z' "/proc/$pid/status" 2>/dev/null; do sleep 0.1; i=$((i+1)); done
fi
[ "$2" = stop ] && exit 0
setsid dockerd --host unix://{socket} --group docker --cgroup-parent {cgroup} \\
  >> /run/dockerd-restarted.log 2>&1 < /dev/null &
i=0; while [ $i -lt 300 ]; do docker version >/dev/null 2>&1 && exit 0; sleep 0.1; i=$((i+1)); done
exit 1
"""
SUDOERS = """\
Defaults secure_path="/etc/edgegui-lab/bin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
tech ALL=(root) NOPASSWD: ALL
"""


def _allow_sudo(device: LabDevice) -> None:
    if not shutil.which("sudo"):
        return  # scripts/system-deps lab installs it; tests that need it skip without
    shim = SERVICE_SHIM.replace("{cgroup}", device.cgroup_parent)
    shim = shim.replace("{socket}", device.engine_socket)
    device.exec(["sh", "-c", 'mkdir -p /etc/edgegui-lab/bin && cat > "$1" && chmod 755 "$1"',
                 "sh", "/etc/edgegui-lab/bin/service"], input=shim.encode())  # fmt: skip
    sudoers = SUDOERS.replace("NOPASSWD: ", "") if device.flags.sudo_password else SUDOERS
    device.exec(["sh", "-c", 'cat > "$1" && chmod 440 "$1"', "sh", "/etc/sudoers.d/edgegui-lab"],
                input=sudoers.encode())  # fmt: skip
    # sudo looks its host name up; without this it waits on DNS that the lab cannot reach.
    device.exec(["sh", "-c", f"grep -qw {device.name} /etc/hosts || "
                 f"echo '127.0.1.1 {device.name}' >> /etc/hosts"])  # fmt: skip


def _configure_engine_lookup(device: LabDevice) -> None:
    """How the user finds a non-default engine: a login profile line, a context, or the
    rootless socket's place (the socket itself comes when dockerd starts)."""
    flags = device.flags
    folder = str(Path(device.engine_socket).parent)
    device.exec(["mkdir", "-p", folder])
    if flags.engine == "rootless":
        device.exec(["chown", "tech:tech", folder])
        device.exec(["chmod", "700", folder])
    elif flags.engine == "dockerhost":
        line = f"export DOCKER_HOST=unix://{device.engine_socket}\n"
        device.exec(["sh", "-c", 'cat >> "$1"', "sh", "/home/tech/.profile"], input=line.encode())
    elif flags.engine == "context":
        device.exec(["runuser", "-l", "tech", "-c",
                     f"docker context create edge --docker host=unix://{device.engine_socket}"
                     " >/dev/null && docker context use edge >/dev/null"])  # fmt: skip


def _start_sshd(device: LabDevice) -> None:
    config = device.state / "sshd_config"
    text = SSHD_CONFIG
    if device.flags.max_sessions is not None:
        text += f"MaxSessions {device.flags.max_sessions}\n"
    if not device.flags.stream_forwarding:
        text = text.replace("AllowStreamLocalForwarding yes", "AllowStreamLocalForwarding no")
    config.write_text(text)
    device.procs["sshd"] = spawn(
        [*nsenter_argv(device.holder.pid), "/usr/sbin/sshd", "-D", "-e", "-f", str(config)],
        device.state / "sshd.log",
    )


def restart_sshd(device: LabDevice) -> None:
    from tests.lab.lab import port_open

    proc = device.procs.pop("sshd")
    kill_all([proc.pid], grace=3)
    proc.wait()
    _start_sshd(device)
    wait_for(lambda: port_open(device.ip, 22), 20, f"{device.name} sshd")


def _start_dockerd(device: LabDevice) -> None:
    device.procs["dockerd"] = spawn(
        [
            *nsenter_argv(device.holder.pid),
            "dockerd",
            "--host",
            f"unix://{device.engine_socket}",
            "--group",
            "docker",
            "--cgroup-parent",
            device.cgroup_parent,
        ],
        device.state / "dockerd.log",
    )


def restart_dockerd(device: LabDevice) -> None:
    proc = device.procs.pop("dockerd")
    kill_all([proc.pid], grace=20)
    proc.wait()
    _start_dockerd(device)
    wait_for(
        lambda: device.exec(["docker", "version"], check=False) != "",
        60,
        f"{device.name} dockerd answering after a restart",
    )


def _start_console(device: LabDevice) -> None:
    kind = device.flags.console
    link = console_link(device.state, kind)
    link.start()
    device.ptys["console"] = link
    getty = login_loop(
        device.holder.pid, device.state / "console-tty", device.state / "getty.log", kind
    )
    if getty is not None:
        device.procs["getty"] = getty


def _start_field_devices(device: LabDevice) -> None:
    for tty, kind in getattr(device.plan, "serial_ports", []) or []:
        link = field_device_link(device.state, tty, kind)
        link.start()
        device.ptys[tty] = link
        device.exec(
            ["sh", "-c", f': > /dev/{tty} && mount --bind "$1" /dev/{tty}', "sh", link.slave]
        )


def _give_nodes_their_groups(device: LabDevice) -> None:
    """Device nodes owned as udev leaves them: input events by ``input``, serial lines by
    ``dialout`` (a container reaches them through that group, not as root)."""
    plan = device.plan
    if plan is None:
        return
    inputs = [p for p in getattr(plan, "char_devices", {}) if p.startswith("/dev/input/")]
    ttys = [f"/dev/{tty}" for tty, _ in getattr(plan, "serial_ports", [])]
    if inputs:
        device.exec(["groupadd", "-f", "-r", "input"])
        device.exec(["chgrp", "input", *inputs])
    if ttys:
        device.exec(["chgrp", "dialout", *ttys])


def stop_device(device: LabDevice) -> None:
    dockerd = device.procs.pop("dockerd", None)
    if dockerd is not None:  # let dockerd stop its containers first
        kill_all([dockerd.pid], grace=20)
        dockerd.wait()
    for link in device.ptys.values():
        with contextlib.suppress(Exception):
            link.stop()
    if device.holder is not None:
        inode = mount_ns_inode(device.holder.pid)
        kill_all([p.pid for p in device.procs.values()], grace=2)  # respawners first
        for _ in range(5):  # then everything left in the device, until nothing is
            pids = pids_in_mount_ns(inode) if inode is not None else []
            if not pids:
                break
            kill_all(pids, grace=2)
        kill_all([device.holder.pid])
        for proc in [*device.procs.values(), device.holder]:
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=5)
    _remove_cgroups(device.cgroup_parent)
    # Deleting our end of the veth removes both, even if a copy of the netns lingers.
    sh(["ip", "link", "del", device.host_if], check=False)
    sh(["ip", "netns", "del", device.netns], check=False)
    shutil.rmtree(device.state, ignore_errors=True)


def _remove_cgroups(parent: str) -> None:
    """Kill anything left in the device's container cgroups and remove them."""
    for group in sorted(Path("/sys/fs/cgroup").glob(f"*/{parent}"), reverse=True):
        for sub in sorted(group.rglob("cgroup.procs"), key=lambda p: -len(p.parts)):
            with contextlib.suppress(OSError, ValueError):
                kill_all([int(pid) for pid in sub.read_text().split()], grace=1)
        for sub in sorted((p for p in group.rglob("*") if p.is_dir()), key=lambda p: -len(p.parts)):
            with contextlib.suppress(OSError):
                sub.rmdir()
        with contextlib.suppress(OSError):
            group.rmdir()
