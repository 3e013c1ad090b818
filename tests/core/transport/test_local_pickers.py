"""What the Connect screen offers: hosts named in ~/.ssh/config, serial ports by model."""

from __future__ import annotations

from pathlib import Path

from edgegui.core.transport.ports import SerialPortInfo
from edgegui.core.transport.sshconfig import ConfiguredHost, configured_hosts


def test_configured_hosts_skip_patterns(tmp_path: Path):
    config = tmp_path / "config"
    config.write_text(
        "Host *\n  ServerAliveInterval 10\n"
        "Host gw-07 line3\n  HostName 10.1.2.7\n  User tech\n  Port 2222\n"
        "Host till-?\n  User pos\n"
        "Host !bastion cabinet\n  HostName cab.local\n"
    )
    hosts = configured_hosts(config)
    assert [h.alias for h in hosts] == ["cabinet", "gw-07", "line3"]
    assert hosts[1] == ConfiguredHost("gw-07", "10.1.2.7", "tech", 2222)
    assert hosts[1].target == "ssh://tech@gw-07"
    assert configured_hosts(tmp_path / "missing") == []


def test_serial_ports_are_named_by_vendor_and_model():
    ftdi = SerialPortInfo("/dev/ttyUSB0", None, "0403", "6001", "A1", "FTDI", "FT232R USB UART")
    assert ftdi.label == "FTDI FT232R, /dev/ttyUSB0"
    other = SerialPortInfo(
        "/dev/ttyACM0", None, "1234", "5678", None, "Acme", "Acme modem", product="Modem X"
    )
    assert other.label == "Acme Modem X, /dev/ttyACM0"
    plain = SerialPortInfo("/dev/ttyS0", None, None, None, None, None, "")
    assert plain.label == "/dev/ttyS0"
    assert ftdi.to_dict()["model"] == "FTDI FT232R"
