"""Cgroup counters parsed into stats-shaped dicts (engines before API 1.44)."""

from __future__ import annotations

from pathlib import Path

from edgegui.core.monitor.cgroup_stats import parse_cgroup_section, system_cpu_ns
from edgegui.core.monitor.containers import container_status
from edgegui.core.monitor.device_metrics import parse_device_metrics, split_sections

FIXTURES = Path(__file__).parent / "fixtures"
CID = "dda7051806a7bf21fbc31e09b7e2b5600a145bc20419cfd09bf1d320d0ff8896"


def test_cgroup_v1_capture():
    text = (FIXTURES / "metrics-cgroup-v1.txt").read_text()
    metrics = parse_device_metrics(text)
    stats = parse_cgroup_section(
        split_sections(text)["cgroups"], online_cpus=metrics.cpus, mem_total=metrics.mem_total_bytes
    )
    assert list(stats) == [CID]
    row = container_status(
        {"Id": CID, "Name": "/line-plc-1", "State": {"Status": "running"}}, stats[CID], now=0
    )
    assert row.mem_limit == 64 * 2**20
    assert row.mem_bytes == 442368  # no inactive_file to subtract
    assert row.cpu_total_ns and row.cpu_system_ns == system_cpu_ns(
        "cpu  58599 0 19757 604650 2361 0 568 27 0 0"
    )
    assert row.net_rx is not None and row.net_tx is not None
    assert row.blk_read is not None and row.online_cpus == metrics.cpus


def test_system_cpu_time_in_nanoseconds():
    assert system_cpu_ns("cpu  1 2 3 4 5 6 7 8 9 10") == 28 * 10_000_000
    assert system_cpu_ns("intr 5") is None


def test_cgroup_v2_files_and_unlimited_memory():
    # Shaped after the kernel's cgroup-v2 documentation (no v2 device in the lab).
    lines = [
        "cpu  100 0 100 800 0 0 0 0 0 0",
        "@@c abc",
        "@@f memory.usage",
        "1048576",
        "@@f memory.limit",
        "max",
        "@@f memory.stat",
        "anon 4096",
        "inactive_file 524288",
        "@@f cpu.stat",
        "usage_usec 2500",
        "user_usec 2000",
        "@@f io.stat",
        "8:0 rbytes=4096 wbytes=8192 rios=1 wios=2 dbytes=0 dios=0",
        "@@f net",
        "Inter-|   Receive",
        " face |bytes",
        "    lo: 10 1 0 0 0 0 0 0 10 1 0 0 0 0 0 0",
        "  eth0: 300 3 0 0 0 0 0 0 200 2 0 0 0 0 0 0",
        "@@c gone",
    ]
    stats = parse_cgroup_section(lines, online_cpus=4, mem_total=8 * 2**30)
    assert list(stats) == ["abc"]  # a container whose files vanished is left to the engine
    row = container_status({"Id": "abc", "State": {"Status": "running"}}, stats["abc"], now=0)
    assert row.mem_limit == 8 * 2**30 and row.mem_bytes == 524288
    assert row.cpu_total_ns == 2_500_000
    assert (row.blk_read, row.blk_write) == (4096, 8192)
    assert (row.net_rx, row.net_tx) == (300, 200)
