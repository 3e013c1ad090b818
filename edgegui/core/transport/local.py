"""This computer as a device, through subprocess (never a shell)."""

from __future__ import annotations

import contextlib
import os
import subprocess
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from edgegui.core.errors import CommandTimeout, TransportError
from edgegui.core.events import CancelToken, ProgressCallback
from edgegui.core.target import Target
from edgegui.core.transport.base import CommandResult, OutputCallback, Transport, quote_argv
from edgegui.core.transport.files import atomic_local_copy

if TYPE_CHECKING:
    import docker


class LocalTransport(Transport):
    """Runs commands on this computer; the embedded default device."""

    scheme = "local"

    def __init__(self, target: Target | None = None) -> None:
        super().__init__(target or Target(scheme="local"))

    def open(self, progress: ProgressCallback | None = None) -> None:
        """Nothing to connect."""

    def close(self) -> None:
        """Nothing to release."""

    def run(
        self,
        argv: Sequence[str],
        *,
        timeout: float = 60.0,
        stdin: bytes | None = None,
        on_output: OutputCallback | None = None,
        cancel: CancelToken | None = None,
    ) -> CommandResult:
        quote_argv(argv)  # same argument checks as the remote transports
        try:
            proc = subprocess.Popen(
                list(argv),
                stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                start_new_session=True,
            )
        except OSError as exc:
            return CommandResult(tuple(argv), 127, b"", f"{argv[0]}: {exc.strerror}\n".encode())
        out: list[bytes] = []
        err: list[bytes] = []
        assert proc.stdout is not None and proc.stderr is not None
        readers = [
            threading.Thread(target=_drain, args=(proc.stdout, out, on_output), daemon=True),
            threading.Thread(target=_drain, args=(proc.stderr, err, None), daemon=True),
        ]
        for reader in readers:
            reader.start()
        if stdin is not None:
            threading.Thread(target=_feed, args=(proc.stdin, stdin), daemon=True).start()
        deadline = time.monotonic() + timeout
        while proc.poll() is None:
            if cancel is not None and cancel.cancelled:
                _kill(proc)
                cancel.raise_if_cancelled()
            if time.monotonic() > deadline:
                _kill(proc)
                raise CommandTimeout(f"local: {argv[0]} did not finish within {timeout:g} s")
            time.sleep(0.01)
        for reader in readers:
            reader.join()
        return CommandResult(tuple(argv), proc.returncode, b"".join(out), b"".join(err))

    def put_file(
        self,
        local: Path,
        remote: str,
        *,
        mode: int | None = None,
        progress: ProgressCallback | None = None,
        cancel: CancelToken | None = None,
    ) -> None:
        task = f"copy {local.name}"
        try:
            atomic_local_copy(
                local, Path(remote), mode=mode, task=task, progress=progress, cancel=cancel
            )
        except OSError as exc:
            raise TransportError(f"local: cannot write {remote}: {exc.strerror}") from None

    def get_file(
        self,
        remote: str,
        local: Path,
        *,
        progress: ProgressCallback | None = None,
        cancel: CancelToken | None = None,
    ) -> None:
        task = f"copy {Path(remote).name}"
        try:
            atomic_local_copy(Path(remote), local, task=task, progress=progress, cancel=cancel)
        except OSError as exc:
            raise TransportError(f"local: cannot read {remote}: {exc.strerror}") from None

    def docker_client(self, **kwargs: Any) -> docker.DockerClient:
        import docker

        from edgegui.core.transport.engine import require_engine

        return docker.DockerClient(base_url=require_engine(self).host, **kwargs)


def _drain(stream: IO[bytes], sink: list[bytes], on_output: OutputCallback | None) -> None:
    for chunk in iter(lambda: stream.read1(65536), b""):  # type: ignore[attr-defined]
        sink.append(chunk)
        if on_output:
            on_output(chunk)
    stream.close()


def _feed(stream: IO[bytes] | None, data: bytes) -> None:
    if stream is None:
        return
    try:
        stream.write(data)
        stream.close()
    except BrokenPipeError:
        pass


def _kill(proc: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, 9)
    proc.wait()
