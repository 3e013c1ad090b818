"""Logs from a lab device: through the Docker API over SSH, through ``docker logs`` over serial."""

from __future__ import annotations

import threading
import time

import pytest

from edgegui.core.events import CancelToken
from edgegui.core.monitor import LogError, follow_logs
from edgegui.core.transport.factory import TransportOptions, open_transport
from tests.core.monitor.labstack import device_running, run_service, shell, wait_for

pytestmark = pytest.mark.lab

# Ten numbered lines, then one "tick" line per 0.2 s so that a follow sees new lines arrive.
TALKER = (
    "i=1; while [ $i -le 10 ]; do echo line $i; echo err $i >&2; i=$((i+1)); done; "
    "n=0; while true; do n=$((n+1)); echo tick $n; sleep 0.2; done"
)


def start_talker(client):
    container = run_service(client, "talk", "talker", shell(TALKER))
    wait_for(lambda: b"tick" in container.logs(), what="the first tick")


@pytest.fixture(scope="module")
def talker():
    with device_running(start_talker) as device:
        yield device


def transports(device):
    yield "ssh", TransportOptions(identity=device.key_path, known_hosts=device.known_hosts)
    yield "serial", TransportOptions(user="tech", password=device.password)


def target_of(device, kind):
    return device.ssh_target if kind == "ssh" else device.serial_target


@pytest.mark.parametrize("kind", ["ssh", "serial"])
def test_filtered_lines_without_follow(talker, kind):
    options = dict(transports(talker))[kind]
    lines: list[str] = []
    with open_transport(target_of(talker, kind), options) as transport:
        follow_logs(
            transport,
            "talk-talker-1",
            pattern=r"^(line|err) [1-3]$",
            on_line=lines.append,
            follow=False,
        )
    assert sorted(lines) == sorted(f"{w} {i}" for w in ("line", "err") for i in (1, 2, 3))


@pytest.mark.parametrize("kind", ["ssh", "serial"])
def test_follow_sees_new_lines_until_cancelled(talker, kind):
    options = dict(transports(talker))[kind]
    cancel = CancelToken()
    seen: list[str] = []

    def on_line(line: str) -> None:
        seen.append(line)
        if sum(1 for s in seen if s.startswith("tick")) >= 4:
            cancel.cancel()

    with open_transport(target_of(talker, kind), options) as transport:
        worker = threading.Thread(
            target=follow_logs,
            args=(transport, "talk-talker-1"),
            kwargs={"tail": 1, "pattern": "tick", "on_line": on_line, "cancel": cancel},
        )
        worker.start()
        worker.join(30)
        assert not worker.is_alive(), "the follow did not stop on cancel"
        ticks = [int(s.split()[1]) for s in seen]
        assert len(ticks) >= 4 and ticks == sorted(ticks)
        # The console is usable again after the cancelled follow.
        assert transport.run(["echo", "back"]).stdout.strip() == b"back"


@pytest.mark.parametrize("kind", ["ssh", "serial"])
def test_since_and_tail(talker, kind):
    options = dict(transports(talker))[kind]
    with open_transport(target_of(talker, kind), options) as transport:
        recent: list[str] = []
        follow_logs(
            transport,
            "talk-talker-1",
            since=time.time() + 3600,
            on_line=recent.append,
            follow=False,
        )
        last: list[str] = []
        follow_logs(transport, "talk-talker-1", tail=2, on_line=last.append, follow=False)
    assert recent == []
    assert len(last) == 2 and all(line.startswith("tick") for line in last)


def test_unknown_container_is_one_line_error(talker):
    options = dict(transports(talker))["ssh"]
    with (
        open_transport(talker.ssh_target, options) as transport,
        pytest.raises(LogError, match="no container 'nope'"),
    ):
        follow_logs(transport, "nope", on_line=print, follow=False)
