"""Parsers on real captured probe outputs (tests/fixtures/probe/, see tests/fixtures/SOURCES.md).

All three were captured with resources/probe.sh on the EdgeGUI dev VM (Debian 12, x86_64,
cgroup v1, dockerd 20.10.24): as root with the engine up, as an unprivileged user against a
root:docker 0660 socket, and as root with no engine running.
"""

from __future__ import annotations

from edgegui.core.discovery import Inventory, parse_probe_output
from tests.core.discovery.probe_env import fixture_text


def captured(name: str) -> Inventory:
    return parse_probe_output(fixture_text(f"probe/{name}.txt"), name)


def test_system_facts_from_the_dev_vm() -> None:
    inv = captured("devvm-root-docker-reachable")
    s = inv.system
    assert (s.hostname, s.arch, s.platform) == ("vm", "x86_64", "linux/amd64")
    assert s.kernel == "6.18.44-fc-v769"
    assert s.os == "Debian GNU/Linux 12 (bookworm)" and (s.os_id, s.os_version) == ("debian", "12")
    assert s.cpu_model == "Intel(R) Xeon(R) Processor" and s.cpu_cores == 2
    assert s.mem_total_mib == 24683656 // 1024
    assert s.disk_free_root_mib == 82097820 // 1024
    assert s.disk_free_docker_mib == 82097820 // 1024
    assert s.docker_disk_path == "/tmp/dockerdata"
    assert s.uptime_s is not None and s.uptime_s > 0
    assert (s.cgroup_version, s.memory_cgroup) == (1, True)
    assert s.clock_utc.endswith("Z") and s.clock_offset_s is not None
    assert abs(s.clock_offset_s) < 5
    assert (s.user, s.uid) == ("root", 0)
    assert inv.errors == {}
    assert inv.probe["transport"] == "local" and inv.probe["complete"]


def test_network_from_the_dev_vm() -> None:
    net = captured("devvm-root-docker-reachable").network
    eth0 = next(i for i in net.interfaces if i.name == "eth0")
    assert (eth0.mac, eth0.state, eth0.mtu, eth0.driver) == (
        "02:fc:00:00:00:01",
        "up",
        1400,
        "virtio_net",
    )
    assert eth0.addresses == ["192.0.2.2/24", "fd00::2/64", "fe80::fc:ff:fe00:1/64"]
    assert net.default_route == {"interface": "eth0", "gateway": "192.0.2.1"}
    assert net.default_route6 == {"interface": "eth0", "gateway": "fd00::1"}
    assert net.dns == ["10.255.255.53"]
    assert net.interfaces[-1].name == "lo"


def test_reachable_engine() -> None:
    d = captured("devvm-root-docker-reachable").docker
    assert d.present and d.reachable and d.reason == ""
    assert (d.version, d.api_version) == ("20.10.24+dfsg1", "1.41")
    assert (d.storage_driver, d.cgroup_version, d.cgroup_driver) == ("overlay2", 1, "cgroupfs")
    assert d.memory_limit_enforced is True and d.live_restore is False
    assert d.runtimes == ["io.containerd.runc.v2", "io.containerd.runtime.v1.linux", "runc"]
    assert (d.data_root, d.socket, d.rootless) == (
        "/tmp/dockerdata",
        "/tmp/edgegui-dockerd.sock",
        False,
    )
    assert d.architecture == "x86_64" and d.cli == "/usr/local/bin/docker"


def test_permission_denied_is_explained() -> None:
    inv = captured("devvm-user-docker-denied")
    assert inv.system.user == "edgeprobe" and inv.system.uid == 1001
    d = inv.docker
    assert d.present and not d.reachable
    assert d.reason == (
        "permission denied on /tmp/edgegui-dockerd.sock (mode 660, owner root:docker)"
    )
    assert d.version == "" and d.memory_limit_enforced is None


def test_stopped_engine() -> None:
    d = captured("devvm-root-docker-stopped").docker
    assert d.present and not d.reachable
    assert d.reason == "the engine is not running (no Docker socket answers)"


def test_pci_devices_of_the_dev_vm() -> None:
    pci = captured("devvm-root-docker-reachable").pci_devices
    assert [(p.slot, p.vendor_id, p.device_id, p.class_id, p.driver) for p in pci][:2] == [
        ("0000:00:00.0", "8086", "0d57", "060000", ""),
        ("0000:00:01.0", "1af4", "1045", "ffff00", "virtio-pci"),
    ]
    assert len(pci) == 6


def test_json_keys_are_the_template_contract() -> None:
    data = captured("devvm-root-docker-reachable").to_dict()
    assert {
        "system",
        "network",
        "docker",
        "serial_adapters",
        "input_devices",
        "gpus",
        "usb_devices",
        "pci_devices",
        "errors",
    } <= set(data)
    assert {
        "hostname",
        "os",
        "kernel",
        "arch",
        "cpu_model",
        "cpu_cores",
        "mem_total_mib",
        "disk_free_root_mib",
        "disk_free_docker_mib",
        "uptime_s",
        "clock_utc",
        "clock_synced",
    } <= set(data["system"])
    assert {"interfaces", "default_route"} <= set(data["network"])
    assert {
        "present",
        "reachable",
        "version",
        "api_version",
        "storage_driver",
        "cgroup_version",
        "memory_limit_enforced",
        "runtimes",
        "live_restore",
        "data_root",
        "socket",
        "rootless",
    } <= set(data["docker"])


def test_engine_confinement_is_read_from_security_options() -> None:
    """The dev VM's engine filters syscalls but its kernel runs without AppArmor."""
    docker = captured("devvm-root-docker-reachable").docker
    assert docker.security_options == ["name=seccomp,profile=default"]
    assert (docker.seccomp, docker.apparmor) == (True, False)
    unreachable = captured("devvm-user-docker-denied").docker
    assert (unreachable.seccomp, unreachable.apparmor) == (None, None)
