"""Test images built in Python as ``docker save`` archives: no registry and no office engine.

The base layer is busybox-static with its applets, /tmp and /data (owned by 65534, so a
hardened service can write the volume mounted there); more layers are random filler.
"""

from __future__ import annotations

import io
import os
import tarfile
from pathlib import Path

from tests.core.bundle.savearchive import write_save_archive

BUSYBOX = Path("/bin/busybox")
APPLETS = ("sh", "sleep", "id", "cat", "echo", "ls", "stat", "touch", "wget", "httpd", "nc")
NOBODY = 65534


def busybox_layer() -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        for name, uid in (("bin", 0), ("tmp", 0), ("data", NOBODY), ("run", 0)):
            info = tarfile.TarInfo(name)
            info.type, info.mode, info.uid, info.gid = tarfile.DIRTYPE, 0o755, uid, uid
            if name == "tmp":
                info.mode = 0o1777
            tar.addfile(info)
        data = BUSYBOX.read_bytes()
        info = tarfile.TarInfo("bin/busybox")
        info.size, info.mode = len(data), 0o755
        tar.addfile(info, io.BytesIO(data))
        for applet in APPLETS:
            link = tarfile.TarInfo(f"bin/{applet}")
            link.type, link.linkname = tarfile.SYMTYPE, "busybox"
            tar.addfile(link)
    return buffer.getvalue()


def filler_layer(size: int, name: str = "filler", seed: bytes | None = None) -> bytes:
    """A layer holding ``size`` bytes that do not compress (random unless ``seed`` repeats)."""
    data = os.urandom(size) if seed is None else (seed * (size // len(seed) + 1))[:size]
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        info = tarfile.TarInfo(f"opt/{name}")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def image_archive(
    dest: Path, tag: str, extra_layers: tuple[bytes, ...] = (), arch: str = "amd64"
) -> Path:
    write_save_archive(
        dest, tag, [busybox_layer(), *extra_layers], architecture=arch, cmd=("/bin/sh",)
    )
    return dest
