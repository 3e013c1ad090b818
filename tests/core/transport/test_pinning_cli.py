"""``edgegui hostkeys pin``: what it refuses before touching a console."""

from __future__ import annotations

from edgegui.cli.main import main


def test_pinning_needs_a_serial_console(tmp_path, capsys):
    assert (
        main(["hostkeys", "pin", "ssh://tech@10.0.0.5", "--known-hosts", str(tmp_path / "k")]) == 1
    )
    assert "pinned over a serial:// console" in capsys.readouterr().err
    assert main(["hostkeys", "pin", "serial:///dev/null", "--host", "bad host!"]) == 1
    assert "--host 'bad host!': not an IP address or host name" in capsys.readouterr().err
