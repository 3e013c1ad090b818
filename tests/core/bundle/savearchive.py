"""Build small ``docker save`` archives (Docker 20.10 layout) without an engine, for unit tests."""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
from pathlib import Path


def layer_tar(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        for name, data in sorted(files.items()):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def write_save_archive(
    dest: Path,
    tag: str,
    layers: list[bytes],
    architecture: str = "amd64",
    cmd: tuple[str, ...] = ("/bin/sh",),
) -> str:
    """Write ``dest`` holding one image made of ``layers``; returns the image ID."""
    diff_ids = ["sha256:" + hashlib.sha256(layer).hexdigest() for layer in layers]
    config = json.dumps(
        {
            "architecture": architecture,
            "os": "linux",
            "config": {"Cmd": list(cmd), "Env": ["PATH=/bin"]},
            "rootfs": {"type": "layers", "diff_ids": diff_ids},
        }
    ).encode()
    config_hex = hashlib.sha256(config).hexdigest()
    members = {f"{config_hex}.json": config}
    paths = []
    for diff_id, layer in zip(diff_ids, layers, strict=True):
        path = f"{diff_id.removeprefix('sha256:')}/layer.tar"
        members[path] = layer
        paths.append(path)
    members["manifest.json"] = json.dumps(
        [{"Config": f"{config_hex}.json", "RepoTags": [tag], "Layers": paths}]
    ).encode()
    with tarfile.open(dest, "w") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return "sha256:" + config_hex
