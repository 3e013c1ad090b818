"""LAN discovery logic: vendors from MACs, the neighbour table, refusals, merging sources."""

from __future__ import annotations

import pytest

from edgegui.core.lan import FoundDevice, merge_found
from edgegui.core.lan.neighbours import parse_arp_a, parse_proc_arp
from edgegui.core.lan.oui import normalise_mac, vendor_of
from edgegui.core.lan.sweep import SweepError, sweep_addresses, sweep_subnet

# /proc/net/arp as Linux writes it (0x2: complete; 0x0: incomplete, no MAC yet).
PROC_ARP = """\
IP address       HW type     Flags       HW address            Mask     Device
10.0.0.5         0x1         0x2         dc:a6:32:11:22:33     *        eth0
10.0.0.6         0x1         0x0         00:00:00:00:00:00     *        eth0
10.0.0.7         0x1         0x2         00:90:e8:aa:bb:cc     *        eth0
"""


def test_vendors_from_the_bundled_excerpt() -> None:
    assert vendor_of("DC-A6-32-11-22-33") == "Raspberry Pi Trading Ltd"
    assert "NVIDIA" in vendor_of("48:b0:2d:00:00:01")
    assert vendor_of("02:42:ac:11:00:02").startswith("locally administered")
    assert vendor_of("not a mac") == ""
    assert normalise_mac("DCA632112233") == "dc:a6:32:11:22:33"


def test_neighbour_tables_of_linux_macos_and_windows() -> None:
    assert parse_proc_arp(PROC_ARP) == {
        "10.0.0.5": "dc:a6:32:11:22:33",
        "10.0.0.7": "00:90:e8:aa:bb:cc",
    }
    mac_os = "? (10.0.0.5) at dc:a6:32:1:2:3 on en0 ifscope [ethernet]\n"
    assert parse_arp_a(mac_os) == {"10.0.0.5": "dc:a6:32:01:02:03"}
    windows = "  10.0.0.9            dc-a6-32-01-02-03     dynamic\n"
    assert parse_arp_a(windows) == {"10.0.0.9": "dc:a6:32:01:02:03"}


@pytest.mark.parametrize(
    ("subnet", "problem"),
    [
        ("10.0.0.0/16", "unless you pass --allow-large"),
        ("10.0.0.0/8", "at most a /16"),
        ("224.0.0.0/24", "multicast"),
        ("10.0.0.300/24", "not a subnet"),
        ("; rm -rf /", "not a subnet"),
    ],
)
def test_sweeps_too_large_or_odd_are_refused(subnet: str, problem: str) -> None:
    with pytest.raises(SweepError, match=problem):
        sweep_addresses(subnet)


def test_large_sweeps_need_the_flag_and_rates_are_bounded() -> None:
    assert len(sweep_addresses("10.0.0.0/22")) == 1022
    assert len(sweep_addresses("10.0.0.0/20", allow_large=True)) == 4094
    assert sweep_addresses("127.0.0.1/32") == ["127.0.0.1"]
    with pytest.raises(SweepError, match="--rate 5000"):
        sweep_subnet("127.0.0.1/32", rate=5000)


def test_a_sweep_of_loopback_finds_nothing_without_an_ssh_server() -> None:
    result = sweep_subnet("127.0.0.1/32", port=9, connect_timeout=0.2, rate=100)
    assert result.tried == 1 and result.found == [] and not result.stopped


def test_mdns_and_sweep_results_merge_per_address() -> None:
    mdns = FoundDevice("10.0.0.5", name="pos-17", services=("_edgegui._tcp",), sources=("mdns",))
    swept = FoundDevice(
        "10.0.0.5", banner="SSH-2.0-OpenSSH_9.2p1", mac="dc:a6:32:11:22:33", sources=("sweep",)
    )
    other = FoundDevice("10.0.0.10", sources=("sweep",))
    merged = merge_found([other, mdns], [swept])
    assert [d.address for d in merged] == ["10.0.0.5", "10.0.0.10"]
    first = merged[0]
    assert first.name == "pos-17" and first.banner.startswith("SSH-2.0")
    assert first.sources == ("mdns", "sweep") and first.commissioned
    assert first.target == "ssh://10.0.0.5"
