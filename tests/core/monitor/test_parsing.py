"""Status parsing on output captured from a lab device (fixtures/SOURCES.md), and alerts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from edgegui.core.monitor import (
    ContainerStatus,
    DeviceMetrics,
    DiskUsage,
    LogError,
    Temperature,
    Thresholds,
    compute_alerts,
    parse_since,
)
from edgegui.core.monitor.alerts import parse_events
from edgegui.core.monitor.containers import container_status, parse_docker_time
from edgegui.core.monitor.device_metrics import parse_device_metrics
from edgegui.core.monitor.logs import _Demultiplexer, _LineSplitter
from edgegui.core.monitor.status import group_stacks

FIXTURES = Path(__file__).parent / "fixtures"


def load(name: str):
    return json.loads((FIXTURES / name).read_text())


def test_device_metrics_from_the_lab_device():
    metrics = parse_device_metrics((FIXTURES / "metrics-lab-device.txt").read_text())
    assert metrics.load == (1.29, 0.45, 0.28)
    assert metrics.cpus == 2
    assert metrics.mem_total_bytes == 24683656 * 1024
    assert metrics.mem_used_percent == 3.0
    assert metrics.clock_epoch == 1795840085
    assert [d.mount for d in metrics.disks] == ["/"]  # tmpfs, overlay, devtmpfs left out
    root = metrics.disks[0]
    assert root.used_percent == round(100 * 25615656 / (25615656 + 80775256), 1)
    assert metrics.temperatures == () and metrics.errors == ()


def test_truncated_metrics_say_so():
    metrics = parse_device_metrics("@@edgegui-metrics loadavg\ngarbage\n")
    assert metrics.load is None
    assert "incomplete" in metrics.errors[0] and "load average unreadable" in metrics.errors


def test_thermal_zones_in_millidegrees_and_degrees():
    text = (
        "@@edgegui-metrics thermal\nthermal_zone0 48250 x86_pkg_temp\n"
        "thermal_zone1 61 acpitz\nthermal_zone2 oops\n@@edgegui-metrics end\n"
    )
    temps = parse_device_metrics(text).temperatures
    assert temps == (
        Temperature("thermal_zone0", "x86_pkg_temp", 48.2),
        Temperature("thermal_zone1", "acpitz", 61.0),
    )


def test_running_container_with_one_shot_stats():
    row = container_status(
        load("inspect-running.json"),
        load("stats-one-shot.json"),
        now=parse_docker_time(load("inspect-running.json")["State"]["StartedAt"]) + 90,
        repo_digests={load("inspect-running.json")["Image"]: ["busybox@sha256:abc"]},
    )
    assert (row.name, row.stack, row.service, row.state) == ("shop-web-1", "shop", "web", "running")
    assert row.uptime_s == 90.0 and row.restarts == 0 and row.exit_code is None
    assert row.ports == ("0.0.0.0:18080->8080/tcp", "[::]:18080->8080/tcp")
    assert row.image_digest == "busybox@sha256:abc"
    assert row.cpu_percent is None  # one sample, no previous look
    assert row.cpu_total_ns == 19804095 and row.online_cpus == 2
    assert row.mem_bytes == 327680 and row.mem_limit and row.mem_limit > 2**30
    assert row.blk_read == 0 and row.blk_write == 0


def test_cpu_percent_from_the_previous_look():
    stats = load("stats-one-shot.json")
    before = ContainerStatus(
        id="x",
        name="w",
        stack="",
        service="",
        state="running",
        cpu_total_ns=stats["cpu_stats"]["cpu_usage"]["total_usage"] - 10_000_000,
        cpu_system_ns=stats["cpu_stats"]["system_cpu_usage"] - 1_000_000_000,
    )
    row = container_status(load("inspect-running.json"), stats, now=0, previous=before)
    assert row.cpu_percent == 2.0  # 10 ms of 1 s system time on 2 CPUs


def test_oom_killed_and_restarting_containers_raise_alerts():
    now = 1795840085.0
    hog = container_status(load("inspect-oom-killed.json"), None, now=now)
    crashy = container_status(load("inspect-restarting.json"), None, now=now)
    assert hog.oom_killed and hog.exit_code == 137 and hog.state == "exited"
    assert crashy.restarts >= 3
    events = parse_events(load("events.json"))
    assert {e.action for e in events} == {"create", "start", "die", "oom"}
    assert all(e.stack == "shop" for e in events)
    alerts = compute_alerts(DeviceMetrics(), [hog, crashy], events)
    kinds = sorted((a.kind, a.subject) for a in alerts)
    assert kinds == [("oom", "shop-hog-1"), ("restart_loop", "shop-crashy-1")]
    assert "limit 16 MiB" not in alerts[0].message  # no stats for an exited container


def test_device_alerts_over_thresholds():
    device = DeviceMetrics(
        disks=(DiskUsage("/", 100, 95, 95.0), DiskUsage("/data", 100, 50, 50.0)),
        temperatures=(Temperature("thermal_zone0", "cpu", 97.5), Temperature("z1", "", 40.0)),
    )
    alerts = compute_alerts(device, [], [], Thresholds(disk_percent=90, temperature_c=85))
    assert [(a.kind, a.subject, a.severity) for a in alerts] == [
        ("disk_full", "/", "warning"),
        ("temperature", "thermal_zone0", "critical"),
    ]


def test_stacks_grouped_by_compose_project():
    rows = [
        ContainerStatus(id=str(i), name=n, stack=s, service=v, state="running")
        for i, (n, s, v) in enumerate(
            [
                ("b-web-1", "b", "web"),
                ("lone", "", ""),
                ("a-db-1", "a", "db"),
                ("b-db-1", "b", "db"),
            ]
        )
    ]
    stacks = group_stacks(rows)
    assert [(s.name, [c.name for c in s.containers]) for s in stacks] == [
        ("a", ["a-db-1"]),
        ("b", ["b-db-1", "b-web-1"]),
        ("", ["lone"]),
    ]


def test_docker_times():
    assert parse_docker_time("0001-01-01T00:00:00Z") is None
    assert parse_docker_time("2026-11-28T04:28:05.154855903Z") == pytest.approx(1795840085.154855)


def test_since_forms():
    assert parse_since("10m", now=1000.0) == 400.0
    assert parse_since("1.5h", now=10000.0) == 4600.0
    assert parse_since("1700000000") == 1700000000.0
    assert parse_since("2026-11-28T04:28:05Z") == 1795840085.0
    with pytest.raises(LogError, match="--since 'yesterday'"):
        parse_since("yesterday")


def test_demultiplexing_and_line_splitting():
    lines: list[str] = []
    splitter = _LineSplitter(lines.append, None)
    demux = _Demultiplexer(splitter.feed)
    frames = b"".join(
        bytes([stream, 0, 0, 0]) + len(p).to_bytes(4, "big") + p
        for stream, p in [(1, b"one\ntw"), (2, b"o\r\n"), (1, b"three")]
    )
    for i in range(0, len(frames), 3):  # arrives in awkward pieces
        demux.feed(frames[i : i + 3])
    splitter.flush()
    assert lines == ["one", "two", "three"]


def test_device_clock_with_and_without_nanoseconds():
    gnu = parse_device_metrics("@@edgegui-metrics clock\n1795840085.250000000\n")
    busybox = parse_device_metrics("@@edgegui-metrics clock\n1795840085.N\n")
    assert (gnu.clock_epoch, busybox.clock_epoch) == (1795840085.25, 1795840085.0)


def test_device_cpu_percent_between_two_looks():
    def metrics(line: str) -> DeviceMetrics:
        return parse_device_metrics(f"@@edgegui-metrics cpustat\n{line}\n@@edgegui-metrics end\n")

    from edgegui.core.monitor.device_metrics import with_cpu_percent

    # user nice system idle iowait irq softirq steal guest guest_nice (a real /proc/stat line)
    first = metrics("cpu  4705 356 584 3699176 23060 0 277 0 0 0")
    second = metrics("cpu  4805 356 634 3699476 23110 0 277 0 0 0")
    assert first.cpu_ticks == (4705 + 356 + 584 + 277, 3699176 + 23060 + 4705 + 356 + 584 + 277)
    assert with_cpu_percent(first, None).cpu_percent is None  # one look says nothing
    assert with_cpu_percent(second, first).cpu_percent == 30.0  # 150 busy of 500 jiffies
    assert metrics("cpu garbage").cpu_ticks is None


def test_containers_made_from_image_ids_are_named_by_label_or_tag():
    from edgegui.core.monitor.containers import image_name

    image_id = "sha256:" + "f" * 64
    label = {"io.edgegui.image": "edgegui/pos-service:1.4"}
    assert image_name("edgegui/pos-service:1.4", {}, image_id, None) == "edgegui/pos-service:1.4"
    assert image_name(image_id, label, image_id, ["other:tag"]) == "edgegui/pos-service:1.4"
    assert image_name(image_id, {}, image_id, ["<none>:<none>", "shop/web:2"]) == "shop/web:2"
    assert image_name(image_id, {}, image_id, []) == image_id  # nothing names it
    inspect = load("inspect-running.json")
    inspect["Config"]["Image"] = inspect["Image"]
    row = container_status(inspect, None, now=0, repo_tags={inspect["Image"]: ["shop/web:2"]})
    assert row.image == "shop/web:2"
