"""Preflight checks on inventories parsed from real captures (tests/fixtures/probe/)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from edgegui.core.discovery import (
    CheckResult,
    DeviceNeed,
    Inventory,
    Requirements,
    parse_probe_output,
    run_preflight,
)
from tests.core.discovery.probe_env import build_device_tree, fixture_text, run_probe


def captured(name: str) -> Inventory:
    return parse_probe_output(fixture_text(f"probe/{name}.txt"))


def by_check(results: list[CheckResult]) -> dict[str, CheckResult]:
    return {r.check: r for r in results}


def test_healthy_engine_passes_everything() -> None:
    results = run_preflight(captured("devvm-root-docker-reachable"))
    assert {r.check: r.status for r in results} == {
        "docker-installed": "pass",
        "docker-usable": "pass",
        "docker-version": "pass",
        "engine-limits": "pass",
        "memory-cgroup": "pass",
        "disk-space": "pass",
        "architecture": "pass",
        "clock": "pass",
        "seccomp": "pass",
        "apparmor": "warn",  # the captured VM's kernel runs without AppArmor: said, not hidden
    }
    assert all(r.hint == "" for r in results if r.status == "pass")
    apparmor = by_check(results)["apparmor"]
    assert "not enabled" in apparmor.message and "apparmor" in apparmor.hint


def test_limits_the_engine_cannot_enforce_are_named() -> None:
    inventory = captured("devvm-root-docker-reachable")
    inventory.docker.cpu_cfs_quota = inventory.docker.pids_limit = False
    inventory.docker.cgroup_version = 2
    check = by_check(run_preflight(inventory))["engine-limits"]
    assert check.status == "warn"
    assert "CPU quota, PIDs limits" in check.message and "cgroup v2" in check.message
    assert "subtree_control" in check.hint


def test_permission_denied_suggests_the_docker_group() -> None:
    check = by_check(run_preflight(captured("devvm-user-docker-denied")))["docker-usable"]
    assert check.status == "fail"
    assert "permission denied" in check.message
    assert check.hint.startswith(
        "add edgeprobe to the docker group: sudo usermod -aG docker edgeprobe, then reconnect"
    )
    assert "edgegui docker-access" in check.hint


def test_stopped_engine_suggests_starting_it() -> None:
    check = by_check(run_preflight(captured("devvm-root-docker-stopped")))["docker-usable"]
    assert (check.status, check.hint) == (
        "fail",
        "start the engine: sudo systemctl enable --now docker",
    )


def test_no_docker_at_all() -> None:
    inv = captured("devvm-root-docker-stopped")
    inv.docker = replace(inv.docker, present=False, cli="", socket="")
    checks = by_check(run_preflight(inv))
    assert checks["docker-installed"].status == "fail" and "docker-usable" not in checks


def test_raspberry_pi_without_memory_cgroup() -> None:
    inv = captured("devvm-root-docker-reachable")
    inv.docker = replace(inv.docker, memory_limit_enforced=False)
    check = by_check(run_preflight(inv))["memory-cgroup"]
    assert check.status == "fail" and "cgroup_enable=memory" in check.hint
    relaxed = run_preflight(inv, Requirements(needs_memory_limits=False))
    assert by_check(relaxed)["memory-cgroup"].status == "warn"


def test_old_engine_and_small_disk() -> None:
    inv = captured("devvm-root-docker-reachable")
    inv.docker = replace(inv.docker, version="19.03.13")
    inv.system = replace(inv.system, disk_free_docker_mib=900)
    checks = by_check(run_preflight(inv))
    assert checks["docker-version"].status == "fail"
    assert checks["disk-space"].status == "fail"
    assert checks["disk-space"].message == "900 MiB free on /tmp/dockerdata, 2048 MiB needed"
    inv.system = replace(inv.system, disk_free_docker_mib=3000)
    assert by_check(run_preflight(inv))["disk-space"].status == "warn"


def test_architecture_must_match_the_images() -> None:
    inv = captured("devvm-root-docker-reachable")
    check = by_check(run_preflight(inv, Requirements(architectures=("arm64", "linux/arm/v7"))))
    assert check["architecture"].status == "fail"
    assert check["architecture"].hint == "use images (or a multi-arch tag) built for linux/amd64"
    ok = run_preflight(inv, Requirements(architectures=("amd64",)))
    assert by_check(ok)["architecture"].status == "pass"


def test_clock_sanity() -> None:
    inv = captured("devvm-root-docker-reachable")
    cases = [
        (replace(inv.system, clock_offset_s=2 * 86400.0), "fail"),
        (replace(inv.system, clock_offset_s=-600.0), "warn"),
        (replace(inv.system, clock_utc="1970-01-01T00:00:42Z", clock_offset_s=None), "fail"),
        (replace(inv.system, clock_synced=False), "warn"),
        (replace(inv.system, clock_offset_s=1.0, clock_synced=True), "pass"),
    ]
    for system, status in cases:
        inv.system = system
        assert by_check(run_preflight(inv))["clock"].status == status, system


def test_devices_a_template_needs(tmp_path: Path) -> None:
    gateway = parse_probe_output(run_probe(build_device_tree("gateway", tmp_path / "gw")))
    needs = (
        DeviceNeed("serial", count=2),
        DeviceNeed("scanner"),
        DeviceNeed("path", path="/dev/serial/by-id/usb-FTDI_FT232R_USB_UART_A50285BI-if00-port0"),
        DeviceNeed("gpu", vendor="nvidia"),
    )
    checks = run_preflight(gateway, Requirements(devices=needs))
    devices = [(c.check, c.status) for c in checks if c.check.startswith("device:")]
    assert devices == [
        ("device:serial", "pass"),
        ("device:scanner", "pass"),
        ("device:/dev/serial/by-id/usb-FTDI_FT232R_USB_UART_A50285BI-if00-port0", "pass"),
        ("device:nvidia gpu", "fail"),
    ]


def test_nvidia_gpu_without_the_container_runtime(tmp_path: Path) -> None:
    aibox = parse_probe_output(run_probe(build_device_tree("aibox", tmp_path / "ai")))
    aibox.docker = captured("devvm-root-docker-reachable").docker  # runc only
    checks = by_check(
        run_preflight(aibox, Requirements(devices=(DeviceNeed("gpu", vendor="nvidia"),)))
    )
    assert checks["device:nvidia gpu"].status == "pass"
    assert checks["nvidia-runtime"].status == "warn"
    assert "nvidia-ctk runtime configure" in checks["nvidia-runtime"].hint
