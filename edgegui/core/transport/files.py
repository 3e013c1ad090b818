"""Chunked local file copying with progress and cancellation, shared by transports."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import BinaryIO

from edgegui.core.events import CancelToken, Progress, ProgressCallback

CHUNK = 256 * 1024


def copy_stream(
    src: BinaryIO,
    dst: BinaryIO,
    *,
    total: int | None,
    task: str,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
) -> int:
    """Copy ``src`` to ``dst`` in chunks, reporting progress; returns the bytes copied."""
    done = 0
    first = Progress(task=task, done=0, total=total)
    if progress:
        progress(first)
    while True:
        if cancel:
            cancel.raise_if_cancelled()
        chunk = src.read(CHUNK)
        if not chunk:
            break
        dst.write(chunk)
        done += len(chunk)
        if progress:
            progress(Progress(task=task, done=done, total=total, started=first.started))
    return done


def atomic_local_copy(
    src: Path,
    dst: Path,
    *,
    mode: int | None = None,
    task: str,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
) -> None:
    """Copy to a temp file beside ``dst`` and rename it in place, so a cut never leaves half."""
    dst.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{dst.name}.", dir=dst.parent)
    try:
        with src.open("rb") as fin, os.fdopen(fd, "wb") as fout:
            copy_stream(
                fin, fout, total=src.stat().st_size, task=task, progress=progress, cancel=cancel
            )
        os.chmod(tmp, mode if mode is not None else 0o644)
        os.replace(tmp, dst)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
