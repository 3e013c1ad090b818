import pytest

from edgegui.core.errors import TargetError
from edgegui.core.target import parse_target


@pytest.mark.parametrize(
    ("uri", "scheme", "host", "user", "port"),
    [
        ("ssh://tech@10.0.0.5", "ssh", "10.0.0.5", "tech", None),
        ("ssh://gw-01.plant.example:2222", "ssh", "gw-01.plant.example", None, 2222),
        ("ssh://root@[fe80::1]:22", "ssh", "fe80::1", "root", 22),
        ("local://", "local", "", None, None),
        ("local", "local", "", None, None),
    ],
)
def test_valid_targets(uri: str, scheme: str, host: str, user: str | None, port: int | None):
    target = parse_target(uri)
    assert (target.scheme, target.host, target.user, target.port) == (scheme, host, user, port)


def test_serial_target_params():
    target = parse_target("serial:///dev/ttyUSB0?baud=9600&parity=E")
    assert target.path == "/dev/ttyUSB0"
    assert target.params == {"baud": "9600", "parity": "E"}
    assert str(target) == "serial:///dev/ttyUSB0?baud=9600&parity=E"


@pytest.mark.parametrize(
    ("uri", "message"),
    [
        ("ftp://host", "unknown scheme"),
        ("ssh://", "missing host"),
        ("ssh://tech@-oProxyCommand=x", "invalid host name"),
        ("ssh://tech@host:99999", "port"),
        ("ssh://ba$d@host", "invalid user"),
        ("ssh://host;reboot", "invalid host name"),
        ("ssh://ho\nst", "control characters"),
        ("serial://dev/ttyUSB0", "serial targets take a path"),
        ("serial:///dev/ttyUSB0?speed=9600", "unknown serial option"),
        ("serial:///dev/ttyUSB0?baud=fast", "baud must be a number"),
        ("serial:///dev/../etc/passwd", "absolute device path"),
        ("10.0.0.5", "not a target URI"),
    ],
)
def test_bad_targets_give_one_clear_line(uri: str, message: str):
    with pytest.raises(TargetError) as info:
        parse_target(uri)
    assert message in str(info.value)
    assert "\n" not in str(info.value)
