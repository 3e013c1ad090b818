"""Container logs: followed through the Docker API, or through the docker CLI over serial."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from edgegui.core.errors import Cancelled, EdgeGUIError, Unsupported
from edgegui.core.events import CancelToken
from edgegui.core.monitor.status import docker_client_for
from edgegui.core.monitor.streams import close_stream
from edgegui.core.transport.base import Transport
from edgegui.core.transport.engine import docker_argv

FOLLOW_LIMIT_S = 7 * 24 * 3600.0  # a follow ends by cancel or when the container stops
_DURATION = re.compile(r"^(\d+(?:\.\d+)?)([smhd])$")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


class LogError(EdgeGUIError):
    """A log request is malformed or the container is unknown."""


def parse_since(text: str, now: float | None = None) -> float:
    """``10m``/``2h``/``30s``/``1d`` ago, an epoch number, or an ISO 8601 time → epoch seconds."""
    value = text.strip()
    now = time.time() if now is None else now
    match = _DURATION.match(value)
    if match:
        return now - float(match.group(1)) * _UNITS[match.group(2)]
    try:
        return float(value)
    except ValueError:
        pass
    try:
        stamp = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise LogError(f"--since {text!r}: use 10m, 2h, an epoch time or an ISO time") from None
    if stamp.tzinfo is None:
        stamp = stamp.astimezone()
    return stamp.timestamp()


class _LineSplitter:
    """Chunks in, whole lines out (filtered); the last partial line waits for its end."""

    def __init__(self, on_line: Callable[[str], None], pattern: re.Pattern[str] | None) -> None:
        self.on_line = on_line
        self.pattern = pattern
        self.pending = b""

    def feed(self, chunk: bytes) -> None:
        self.pending += chunk
        *lines, self.pending = self.pending.split(b"\n")
        for line in lines:
            self._emit(line)

    def flush(self) -> None:
        if self.pending:
            self._emit(self.pending)
            self.pending = b""

    def _emit(self, raw: bytes) -> None:
        line = raw.decode("utf-8", "replace").rstrip("\r")
        if self.pattern is None or self.pattern.search(line):
            self.on_line(line)


def follow_logs(
    transport: Transport,
    container: str,
    *,
    since: float | None = None,
    tail: int | None = None,
    pattern: str | None = None,
    on_line: Callable[[str], None],
    cancel: CancelToken | None = None,
    follow: bool = True,
) -> None:
    """Pass each log line (stdout and stderr) matching ``pattern`` to ``on_line``.

    With ``follow`` it keeps going until ``cancel`` is set or the container stops.
    The pattern is a regular expression applied here, never sent to the device.
    """
    try:
        compiled = re.compile(pattern) if pattern else None
    except re.error as exc:
        raise LogError(f"log filter {pattern!r} is not a valid regular expression: {exc}") from None
    if tail is not None and tail < 0:
        raise LogError(f"--tail {tail}: must be 0 or more")
    splitter = _LineSplitter(on_line, compiled)
    try:
        client = docker_client_for(transport)
    except Unsupported:
        _logs_over_cli(transport, _LogRequest(container, since, tail, follow), splitter, cancel)
    else:
        _logs_over_api(client.api, _LogRequest(container, since, tail, follow), splitter, cancel)
    if not (cancel and cancel.cancelled):  # after a cancel the tail may be half a line
        splitter.flush()


@dataclass(frozen=True)
class _LogRequest:
    container: str
    since: float | None
    tail: int | None
    follow: bool

    @property
    def tail_text(self) -> str:
        return "all" if self.tail is None else str(self.tail)


def _logs_over_api(
    api: Any, request: _LogRequest, splitter: _LineSplitter, cancel: CancelToken | None
) -> None:
    """The logs endpoint read and demultiplexed here.

    docker-py's own stream helper looks for a raw socket under the response, which a
    channel over SSH does not have; reading the HTTP body works on every transport.
    """
    import docker.errors

    container = request.container
    try:
        tty = bool((api.inspect_container(container).get("Config") or {}).get("Tty"))
    except docker.errors.NotFound:
        raise LogError(f"no container {container!r} on this device") from None
    params: dict[str, Any] = {
        "stdout": 1,
        "stderr": 1,
        "follow": int(request.follow),
        "tail": request.tail_text,
    }
    if request.since is not None:
        params["since"] = str(int(request.since))
    response = api._get(api._url("/containers/{0}/logs", container), params=params, stream=True)
    api._raise_for_status(response)
    done = threading.Event()
    if cancel is not None:
        # The read blocks on the connection; closing it from here is what ends the wait.
        threading.Thread(
            target=_close_on_cancel, args=(response, cancel, done), daemon=True
        ).start()
    feed = splitter.feed if tty else _Demultiplexer(splitter.feed).feed
    try:
        for chunk in response.iter_content(chunk_size=None):
            feed(chunk)
    except Exception:
        if not (cancel and cancel.cancelled):  # a stream closed by a cancel raises as it ends
            raise
    finally:
        done.set()
        close_stream(response)


class _Demultiplexer:
    """Docker's stdout/stderr framing: an 8-byte header (stream, 0, 0, 0, big-endian size)."""

    def __init__(self, sink: Callable[[bytes], None]) -> None:
        self.sink = sink
        self.buffer = b""

    def feed(self, data: bytes) -> None:
        self.buffer += data
        while len(self.buffer) >= 8:
            size = int.from_bytes(self.buffer[4:8], "big")
            if len(self.buffer) < 8 + size:
                return
            self.sink(self.buffer[8 : 8 + size])
            self.buffer = self.buffer[8 + size :]


def _close_on_cancel(stream: Any, cancel: CancelToken, done: threading.Event) -> None:
    while not done.wait(0.1):
        if cancel.cancelled:
            close_stream(stream)
            return


def _logs_over_cli(
    transport: Transport, request: _LogRequest, splitter: _LineSplitter, cancel: CancelToken | None
) -> None:
    container = request.container
    argv = docker_argv(transport, ["logs", "--tail", request.tail_text])
    if request.since is not None:
        argv += ["--since", f"{request.since:.3f}"]
    if request.follow:
        argv.append("--follow")
    argv += ["--", container]
    try:
        result = transport.run(
            argv,
            timeout=FOLLOW_LIMIT_S if request.follow else 120.0,
            on_output=splitter.feed,
            cancel=cancel,
        )
    except Cancelled:
        return  # the user stopped following: the normal end of a follow
    if result.exit_status != 0:
        splitter.pending = b""  # the tail is the CLI's error message, not a log line
        detail = (result.stderr or result.stdout).decode("utf-8", "replace").strip()
        last = detail.splitlines()[-1] if detail else f"exit status {result.exit_status}"
        raise LogError(f"{transport.describe()}: docker logs {container}: {last}")
