"""The command protocol every transport implements (labgrid's CommandProtocol + FileTransfer).

A transport is created from a ``Target`` (the resource), opened explicitly, used, and closed.
"""

from __future__ import annotations

import shlex
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from edgegui.core.errors import UnsafeArgument, Unsupported
from edgegui.core.events import CancelToken, ProgressCallback
from edgegui.core.target import Target

if TYPE_CHECKING:
    import docker

OutputCallback = Callable[[bytes], None]


@dataclass(frozen=True)
class CommandResult:
    """What a finished command gave back. Serial consoles merge stderr into stdout."""

    argv: tuple[str, ...]
    exit_status: int
    stdout: bytes
    stderr: bytes = b""

    @property
    def ok(self) -> bool:
        return self.exit_status == 0

    @property
    def text(self) -> str:
        return self.stdout.decode("utf-8", "replace")


def quote_argv(argv: Sequence[str]) -> str:
    """Quote an argv for POSIX sh; every value that reaches a remote shell goes through here."""
    if not argv:
        raise UnsafeArgument("empty command")
    for arg in argv:
        if "\x00" in arg:
            raise UnsafeArgument(f"argument {arg!r} contains a NUL byte")
    return " ".join(shlex.quote(arg) for arg in argv)


class Transport(ABC):
    """Run commands on a device, copy files to and from it, and reach its Docker Engine."""

    scheme: str = ""

    def __init__(self, target: Target) -> None:
        self.target = target

    # -- life cycle --------------------------------------------------------
    @abstractmethod
    def open(self, progress: ProgressCallback | None = None) -> None:
        """Connect (log in, verify host keys). Idempotent."""

    @abstractmethod
    def close(self) -> None:
        """Release the link. Idempotent."""

    def __enter__(self) -> Transport:
        self.open()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # -- commands ----------------------------------------------------------
    @abstractmethod
    def run(
        self,
        argv: Sequence[str],
        *,
        timeout: float = 60.0,
        stdin: bytes | None = None,
        on_output: OutputCallback | None = None,
        cancel: CancelToken | None = None,
    ) -> CommandResult:
        """Run ``argv`` (never through a local shell; quoted for the remote one) and wait."""

    def run_script(
        self,
        script: str,
        args: Sequence[str] = (),
        *,
        timeout: float = 60.0,
        on_output: OutputCallback | None = None,
    ) -> CommandResult:
        """Run a POSIX sh script as one remote exec (script on stdin, args as $1…)."""
        return self.run(
            ["sh", "-s", "--", *args],
            stdin=script.encode(),
            timeout=timeout,
            on_output=on_output,
        )

    def shell_line(self, argv: Sequence[str]) -> str:
        """The quoted command line this transport would send for ``argv``."""
        return quote_argv(argv)

    # -- files -------------------------------------------------------------
    @abstractmethod
    def put_file(
        self,
        local: Path,
        remote: str,
        *,
        mode: int | None = None,
        progress: ProgressCallback | None = None,
        cancel: CancelToken | None = None,
    ) -> None:
        """Copy a local file to ``remote`` (written to a temp name, then renamed)."""

    @abstractmethod
    def get_file(
        self,
        remote: str,
        local: Path,
        *,
        progress: ProgressCallback | None = None,
        cancel: CancelToken | None = None,
    ) -> None:
        """Copy ``remote`` to a local file."""

    # -- docker ------------------------------------------------------------
    def docker_client(self, **kwargs: Any) -> docker.DockerClient:
        """A Docker SDK client talking to the device's engine over this transport."""
        raise Unsupported(f"{self.target}: the Docker API is not reachable over {self.scheme}")

    def describe(self) -> str:
        return str(self.target)
