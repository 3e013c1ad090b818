"""Only our one-line error reaches the terminal; library logging waits for --debug."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator

import pytest

from tests.cli.run import edgegui


@pytest.fixture
def not_ssh() -> Iterator[int]:
    """A loopback port that accepts and says something that is not an SSH banner."""
    server = socket.create_server(("127.0.0.1", 0))
    port = server.getsockname()[1]
    stop = threading.Event()

    def serve() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except TimeoutError:
                continue
            with conn:
                conn.sendall(b"HTTP/1.0 400 Bad Request\r\n\r\n")

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield port
    stop.set()
    thread.join()
    server.close()


def test_a_bad_banner_is_one_line(not_ssh: int, tmp_path):
    args = ["exec", f"ssh://tech@127.0.0.1:{not_ssh}", "--connect-timeout", "3"]
    args += ["--known-hosts", str(tmp_path / "known_hosts"), "--", "true"]
    quiet = edgegui(*args, env={"HOME": str(tmp_path)})
    assert quiet.returncode == 1
    assert quiet.stderr.count("\n") == 1 and quiet.stderr.startswith("edgegui: "), quiet.stderr
    assert "SSH handshake failed" in quiet.stderr
    loud = edgegui("--debug", *args, env={"HOME": str(tmp_path)})
    assert "paramiko" in loud.stderr and "Traceback" in loud.stderr
