"""SSH against real sshd in lab devices: auth, host keys, dead links, injection, Docker, files."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from edgegui.core.errors import (
    AuthenticationError,
    HostKeyMismatch,
    LinkLost,
    UnknownHostKey,
)
from edgegui.core.transport.factory import TransportOptions, open_transport
from tests.core.transport.corpus import INJECTION_CORPUS

pytestmark = pytest.mark.lab


def key_options(device, **extra) -> TransportOptions:
    return TransportOptions(identity=device.key_path, known_hosts=device.known_hosts, **extra)


@pytest.fixture
def ssh(device):
    transport = open_transport(device.ssh_target, key_options(device))
    yield transport
    transport.close()


def test_exec_with_key_returns_output_and_status(ssh, device):
    result = ssh.run(["sh", "-c", "hostname; echo oops >&2; exit 5"])
    assert result.exit_status == 5
    assert result.stdout == f"{device.name}\n".encode()
    assert result.stderr == b"oops\n"


def test_password_auth(device):
    options = TransportOptions(password=device.password, known_hosts=device.known_hosts)
    with open_transport(device.ssh_target, options) as transport:
        assert transport.run(["id", "-un"]).stdout == b"tech\n"


def test_wrong_password_is_one_clear_line(device):
    options = TransportOptions(password="wrong", known_hosts=device.known_hosts)
    with pytest.raises(AuthenticationError, match="authentication failed .*password"):
        open_transport(device.ssh_target, options)


def test_injection_corpus_creates_nothing_and_is_echoed_verbatim(ssh):
    for value in INJECTION_CORPUS:
        assert ssh.run(["printf", "%s", value]).stdout.decode() == value
    assert ssh.run(["test", "-e", "/tmp/pwned"]).exit_status == 1


def test_unknown_host_key_is_refused_then_accepted_with_the_flag(device, tmp_path: Path):
    own = tmp_path / "known_hosts"
    options = TransportOptions(identity=device.key_path, known_hosts=own)
    with pytest.raises(UnknownHostKey, match=r"SHA256:\S+"):
        open_transport(device.ssh_target, options)
    assert not own.exists()
    options.accept_new_host_key = True
    with open_transport(device.ssh_target, options) as transport:
        assert transport.run(["true"]).ok
    assert device.ip in own.read_text()
    options.accept_new_host_key = False  # now known: no flag needed
    with open_transport(device.ssh_target, options) as transport:
        assert transport.run(["true"]).ok


def test_prompt_decides_about_an_unknown_key(device, tmp_path: Path):
    asked: list[tuple[str, str, str]] = []
    options = TransportOptions(
        identity=device.key_path,
        known_hosts=tmp_path / "kh",
        host_key_prompt=lambda *seen: asked.append(seen) or False,
    )
    with pytest.raises(UnknownHostKey):
        open_transport(device.ssh_target, options)
    assert asked and asked[0][0] == device.ip and asked[0][2].startswith("SHA256:")


def test_changed_host_key_is_always_refused(scratch_device):
    device = scratch_device
    options = key_options(device, accept_new_host_key=True)
    with open_transport(device.ssh_target, options) as transport:
        assert transport.run(["true"]).ok
    before = device.known_hosts.read_text()
    device.exec(["sh", "-c", "rm -f /etc/ssh/ssh_host_*_key* && ssh-keygen -A"])
    device.restart_sshd()
    with pytest.raises(HostKeyMismatch, match="HOST KEY CHANGED"):
        open_transport(device.ssh_target, options)
    assert device.known_hosts.read_text() == before  # never replaced silently


def test_dead_link_is_reported_within_15_seconds(scratch_device):
    device = scratch_device
    transport = open_transport(device.ssh_target, key_options(device))
    failure: list[BaseException] = []

    def long_command() -> None:
        try:
            transport.run(["sleep", "120"], timeout=300)
        except BaseException as exc:  # noqa: BLE001 - handed to the test thread
            failure.append(exc)

    worker = threading.Thread(target=long_command)
    worker.start()
    time.sleep(1)
    for chain in ("INPUT", "OUTPUT"):
        device.exec(["iptables", "-I", chain, "1", "-j", "DROP"])
    cut = time.monotonic()
    worker.join(timeout=60)
    elapsed = time.monotonic() - cut
    transport.close()
    assert failure and isinstance(failure[0], LinkLost), failure
    assert elapsed < 15, f"dead link took {elapsed:.1f} s to report"


def test_files_round_trip_with_progress(ssh, tmp_path: Path):
    source = tmp_path / "payload.bin"
    source.write_bytes(bytes(range(256)) * 4000)
    seen: list[int] = []
    ssh.put_file(source, "/tmp/payload.bin", mode=0o600, progress=lambda p: seen.append(p.done))
    assert ssh.run(["stat", "-c", "%a %s", "/tmp/payload.bin"]).stdout == b"600 1024000\n"
    assert seen[-1] == 1024000
    ssh.get_file("/tmp/payload.bin", tmp_path / "back.bin")
    assert (tmp_path / "back.bin").read_bytes() == source.read_bytes()


def test_docker_api_over_the_same_connection(ssh, device):
    client = ssh.docker_client()
    assert client.version()["ApiVersion"]
    assert client.info()["Name"] == device.name
    # Several requests in parallel share the one SSH connection.
    results: list[object] = []
    threads = [threading.Thread(target=lambda: results.append(client.ping())) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [True] * 8
    client.close()


def test_docker_log_streams_over_ssh(ssh, device):
    from tests.lab.images import import_busybox_image

    import_busybox_image(device, "lab/busybox:logs", '["sh", "-c", "echo one; echo two >&2"]')
    client = ssh.docker_client()
    container = client.containers.run("lab/busybox:logs", detach=True, network_mode="none")
    try:
        container.wait(timeout=60)
        streamed = b"".join(container.logs(stream=True))
        assert sorted(streamed.split()) == [b"one", b"two"]
    finally:
        container.remove(force=True)
        client.images.remove("lab/busybox:logs")
        client.close()
