"""Keep the session channels of one SSH connection within what the server accepts.

OpenSSH limits shell, exec and subsystem sessions per connection (``MaxSessions``, 10 by
default, 2-4 on hardened boxes). We never know the limit in advance, so the first refusal
while others are open teaches it; from then on callers queue for a free session, idle
holders (an SFTP session, pooled ``dial-stdio`` channels) give theirs back, and the user is
told once that the device is slowing us down.
"""

from __future__ import annotations

import logging
import threading
import time
import weakref
from collections.abc import Callable
from typing import Any

import paramiko

from edgegui.core.errors import CommandTimeout, TransportError

log = logging.getLogger(__name__)
Reclaimer = Callable[[], bool]  # frees one idle session; False when it had none
REFUSAL_PATIENCE_S = 5.0  # refused with nothing open for this long: a real refusal


class SessionGate:
    """Counts the open session channels of a connection and queues what does not fit."""

    def __init__(self, where: str, notice: Callable[[str], None] | None = None) -> None:
        self.where = where
        self.notice = notice
        self.limit: int | None = None  # learnt from the server's first refusal
        self._peak = 0  # the most sessions that were ever open at once
        self._channels: list[Any] = []
        self._lock = threading.Lock()
        self._reclaimers: list[weakref.WeakMethod[Reclaimer]] = []

    def add_reclaimer(self, reclaimer: Reclaimer) -> None:
        """``reclaimer`` (a bound method) is held weakly: a Docker client dropped by its
        user takes its pool of channels with it instead of living as long as the link."""
        with self._lock:
            self._reclaimers.append(weakref.WeakMethod(reclaimer))

    def _live_reclaimers(self) -> list[Reclaimer]:
        alive = [(ref, ref()) for ref in self._reclaimers]
        self._reclaimers = [ref for ref, method in alive if method is not None]
        return [method for _ref, method in alive if method is not None]

    @property
    def busy(self) -> int:
        with self._lock:
            return self._prune()

    def _prune(self) -> int:
        self._channels = [channel for channel in self._channels if _still_counted(channel)]
        return len(self._channels)

    def open(self, opener: Callable[[], Any], timeout: float) -> Any:
        """Open a session with ``opener``, waiting for a free one when the server is full."""
        deadline = time.monotonic() + timeout
        refused_since: float | None = None
        while True:
            self._wait_for_room(deadline)
            try:
                channel = opener()
            except paramiko.ChannelException as exc:
                refused_since = refused_since or time.monotonic()
                self._refused(exc, time.monotonic() - refused_since)
                time.sleep(0.05)
                continue
            with self._lock:
                self._channels.append(channel)
                self._peak = max(self._peak, self._prune())
            return channel

    def _wait_for_room(self, deadline: float) -> None:
        while True:
            with self._lock:
                busy = self._prune()
                if self.limit is None or busy < self.limit:
                    return
                reclaimers = self._live_reclaimers()
            if not any(reclaim() for reclaim in reclaimers):
                if time.monotonic() > deadline:
                    raise CommandTimeout(
                        f"{self.where}: all {self.limit} SSH sessions the device allows stayed "
                        "busy; try again when other work on it has finished"
                    )
                time.sleep(0.05)

    def _refused(self, exc: paramiko.ChannelException, refused_for: float) -> None:
        """Learn the limit from a refusal at the most sessions we ever had open at once.

        The server frees a closed session a moment after our side sees it closed, so a
        refusal below that peak is a session still being freed: wait and try again.
        """
        with self._lock:
            busy = self._prune()
            if busy == 0 and refused_for > REFUSAL_PATIENCE_S:
                raise TransportError(
                    f"{self.where}: the SSH server refused a session: {exc.text or exc}"
                ) from None
            if self.limit is not None or busy == 0 or busy < self._peak:
                return
            self.limit = busy
        message = (
            f"{self.where} allows only {busy} SSH sessions per connection (sshd "
            "MaxSessions); further commands wait for a free one, which may be slower"
        )
        log.info(message)
        if self.notice is not None:
            self.notice(message)


def _still_counted(channel: Any) -> bool:
    """The server counts a session until its own close arrived, not when we closed ours."""
    if not channel.closed:
        return True
    transport = getattr(channel, "transport", None)
    return transport is not None and transport._channels.get(channel.chanid) is not None
