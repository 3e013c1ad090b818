"""File copies over an SFTP session: written to a temporary name, then renamed into place.

Shared by the SSH transport and by commands reusing a kept connection (control_client).
"""

from __future__ import annotations

import contextlib
import time
from pathlib import Path
from typing import Any

import paramiko

from edgegui.core.errors import TransportError
from edgegui.core.events import CancelToken, Progress, ProgressCallback


def sftp_put(
    sftp: paramiko.SFTPClient,
    local: Path,
    remote: str,
    where: str,
    *,
    mode: int | None = None,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
) -> None:
    """Copy ``local`` to ``remote`` on the device; ``where`` names the device in errors."""
    partial = f"{remote}.edgegui-part"
    callback = _sftp_progress(f"upload {local.name}", progress, cancel)
    try:
        with local.open("rb") as handle:
            sftp.putfo(handle, partial, file_size=local.stat().st_size, callback=callback)
        sftp.chmod(partial, mode if mode is not None else 0o644)
        sftp.posix_rename(partial, remote)
    except OSError as exc:
        _remove_quietly(sftp, partial)
        raise TransportError(f"{where}: cannot write {remote}: {exc}") from None
    except BaseException:
        _remove_quietly(sftp, partial)
        raise


def sftp_get(
    sftp: paramiko.SFTPClient,
    remote: str,
    local: Path,
    where: str,
    *,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
) -> None:
    """Copy ``remote`` on the device to ``local``."""
    callback = _sftp_progress(f"download {Path(remote).name}", progress, cancel)
    partial = local.with_name(local.name + ".part")
    try:
        sftp.get(remote, str(partial), callback=callback)
        partial.replace(local)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise TransportError(f"{where}: cannot read {remote}: {exc}") from None


def _sftp_progress(task: str, progress: ProgressCallback | None, cancel: CancelToken | None) -> Any:
    started = time.monotonic()

    def callback(done: int, total: int) -> None:
        if cancel is not None:
            cancel.raise_if_cancelled()
        if progress:
            progress(Progress(task=task, done=done, total=total, started=started))

    return callback


def _remove_quietly(sftp: paramiko.SFTPClient, path: str) -> None:
    with contextlib.suppress(OSError, paramiko.SSHException):
        sftp.remove(path)
