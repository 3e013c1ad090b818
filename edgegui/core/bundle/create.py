"""Make a bundle from ``docker save`` archives or from images in a local Docker Engine."""

from __future__ import annotations

import dataclasses
import datetime
import gzip
import hashlib
import io
import json
import os
import shutil
import tarfile
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from edgegui.core.bundle.errors import BundleError
from edgegui.core.bundle.manifest import (
    MANIFEST_NAME,
    SIGNATURE_NAME,
    BundleManifest,
    ImageEntry,
    LayerEntry,
    blob_name,
)
from edgegui.core.bundle.signing import load_private_key, sign
from edgegui.core.events import CancelToken, Progress, ProgressCallback

if TYPE_CHECKING:
    import docker

_READ = 1024 * 1024
# Level 6 is gzip's default; the transfer is the bottleneck on site, not the office laptop.
_GZIP_LEVEL = 6


class _BlobStore:
    """Content-addressed blobs in a work folder, each written once."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.members: dict[str, tuple[str, int]] = {}

    def add_bytes(self, data: bytes) -> str:
        hex_digest = hashlib.sha256(data).hexdigest()
        name = blob_name(hex_digest)
        if name not in self.members:
            (self.root / hex_digest).write_bytes(data)
            self.members[name] = (hex_digest, len(data))
        return hex_digest

    def add_compressed_layer(self, layer: Any) -> LayerEntry:
        """Gzip an uncompressed layer tar; its DiffID is the digest of the bytes read."""
        raw_digest, raw_size = hashlib.sha256(), 0
        temp = self.root / f"incoming-{os.getpid()}"
        # mtime=0 and no name: the same layer always compresses to the same blob.
        with (
            open(temp, "wb") as out,
            gzip.GzipFile(fileobj=out, mode="wb", compresslevel=_GZIP_LEVEL, mtime=0) as gz,
        ):
            while chunk := layer.read(_READ):
                raw_digest.update(chunk)
                raw_size += len(chunk)
                gz.write(chunk)
        packed = hashlib.sha256()
        with open(temp, "rb") as handle:
            while chunk := handle.read(_READ):
                packed.update(chunk)
        hex_digest = packed.hexdigest()
        name = blob_name(hex_digest)
        if name in self.members:
            temp.unlink()
        else:
            temp.rename(self.root / hex_digest)
            self.members[name] = (hex_digest, temp.parent.joinpath(hex_digest).stat().st_size)
        return LayerEntry(
            diff_id="sha256:" + raw_digest.hexdigest(),
            size=raw_size,
            digest="sha256:" + hex_digest,
            compressed_size=self.members[name][1],
        )


def _images_from_archive(
    archive: Path, store: _BlobStore, cancel: CancelToken | None
) -> list[ImageEntry]:
    """Read a ``docker save`` archive (Docker's or OCI layout's ``manifest.json``)."""
    try:
        tar = tarfile.open(archive, "r:*")  # noqa: SIM115 - closed by the with below
    except (OSError, tarfile.TarError) as exc:
        raise BundleError(f"{archive}: cannot read the image archive: {exc}") from None
    with tar:
        try:
            entries = json.loads(_member_bytes(tar, "manifest.json", archive))
        except json.JSONDecodeError as exc:
            raise BundleError(f"{archive}: manifest.json is not JSON: {exc}") from None
        images = []
        for entry in entries:
            config_bytes = _member_bytes(tar, entry["Config"], archive)
            config = json.loads(config_bytes)
            diff_ids = list(config.get("rootfs", {}).get("diff_ids", []))
            if len(diff_ids) != len(entry["Layers"]):
                raise BundleError(f"{archive}: {entry['Config']}: layer count does not match")
            config_hex = store.add_bytes(config_bytes)
            layers = []
            for expected, path in zip(diff_ids, entry["Layers"], strict=True):
                if cancel is not None:
                    cancel.raise_if_cancelled()
                handle = tar.extractfile(_member(tar, path, archive))
                if handle is None:
                    raise BundleError(f"{archive}: {path} is not a file")
                layer = store.add_compressed_layer(handle)
                if layer.diff_id != expected:
                    raise BundleError(f"{archive}: {path} does not match DiffID {expected}")
                layers.append(layer)
            refs = tuple(entry.get("RepoTags") or ()) or ("sha256:" + config_hex,)
            images.append(
                ImageEntry(
                    refs=refs,
                    image_id="sha256:" + config_hex,
                    architecture=str(config.get("architecture", "")),
                    variant=str(config.get("variant", "")),
                    os=str(config.get("os", "")),
                    layers=tuple(layers),
                )
            )
        return images


def _member(tar: tarfile.TarFile, name: str, archive: Path) -> tarfile.TarInfo:
    try:
        return tar.getmember(name)
    except KeyError:
        raise BundleError(f"{archive}: no member {name}") from None


def _member_bytes(tar: tarfile.TarFile, name: str, archive: Path) -> bytes:
    handle = tar.extractfile(_member(tar, name, archive))
    if handle is None:
        raise BundleError(f"{archive}: {name} is not a file")
    return handle.read()


def save_from_engine(client: docker.DockerClient, ref: str, dest: Path) -> tuple[str, ...]:
    """``docker save`` one image from ``client`` into ``dest``; returns the registry digests
    the engine knows it by (``docker save`` archives do not carry them)."""
    import docker.errors

    try:
        image = client.images.get(ref)
    except docker.errors.ImageNotFound:
        raise BundleError(f"image {ref} is not in the local Docker Engine") from None
    with open(dest, "wb") as out:
        for chunk in image.save(named=ref):
            out.write(chunk)
    return tuple(sorted(str(d) for d in image.attrs.get("RepoDigests") or ()))


def create_bundle(
    output: Path,
    *,
    archives: Sequence[Path] = (),
    images: Sequence[str] = (),
    client: docker.DockerClient | None = None,
    template: str | None = None,
    signing_key: Path | None = None,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
) -> BundleManifest:
    """Pack ``archives`` and the ``images`` found in ``client`` into the bundle ``output``."""
    if not archives and not images:
        raise BundleError(f"{output}: no images to bundle")
    key = load_private_key(signing_key) if signing_key else None
    report = progress or (lambda _: None)
    steps = len(archives) + len(images)
    work = Path(tempfile.mkdtemp(prefix=".edgegui-bundle-", dir=output.parent or None))
    try:
        store = _BlobStore(work)
        entries: list[ImageEntry] = []
        sources = list(archives)
        known_digests: dict[str, tuple[str, ...]] = {}
        for ref in images:
            if client is None:
                raise BundleError(f"image {ref}: no Docker Engine to take it from")
            report(Progress("bundle", len(entries), steps, f"saving {ref}", unit="images"))
            sources.append(work / f"save-{len(sources)}.tar")
            known_digests[ref] = save_from_engine(client, ref, sources[-1])
        for source in sources:
            report(Progress("bundle", len(entries), steps, f"packing {source.name}", unit="images"))
            entries.extend(_images_from_archive(source, store, cancel))
        entries = [_with_digests(entry, known_digests) for entry in entries]
        manifest = BundleManifest(
            images=_merge_refs(entries),
            members=store.members,
            template=template,
            created=datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        )
        _write_tar(output, manifest, store, key)
        report(Progress("bundle", steps, steps, f"wrote {output}", unit="images"))
        return manifest
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _with_digests(entry: ImageEntry, known: dict[str, tuple[str, ...]]) -> ImageEntry:
    digests = {d for ref in entry.refs for d in known.get(ref, ())}
    return dataclasses.replace(entry, repo_digests=tuple(sorted(digests)))


def _merge_refs(entries: list[ImageEntry]) -> tuple[ImageEntry, ...]:
    """One entry per image ID, with every reference and registry digest that named it."""
    merged: dict[str, ImageEntry] = {}
    for entry in entries:
        known = merged.get(entry.image_id)
        if known is not None:
            entry = dataclasses.replace(
                known,
                refs=tuple(dict.fromkeys([*known.refs, *entry.refs])),
                repo_digests=tuple(sorted({*known.repo_digests, *entry.repo_digests})),
            )
        merged[entry.image_id] = entry
    return tuple(merged.values())


def _write_tar(output: Path, manifest: BundleManifest, store: _BlobStore, key: Any) -> None:
    data = manifest.to_json()
    temp = output.with_name(output.name + ".part")
    with tarfile.open(temp, "w", format=tarfile.PAX_FORMAT) as tar:
        _add_bytes(tar, MANIFEST_NAME, data)
        if key is not None:
            _add_bytes(tar, SIGNATURE_NAME, sign(data, key))
        for name, (hex_digest, size) in sorted(store.members.items()):
            info = tarfile.TarInfo(name)
            info.size, info.mode = size, 0o644
            with open(store.root / hex_digest, "rb") as handle:
                tar.addfile(info, handle)
    temp.replace(output)


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mode = len(data), 0o644
    tar.addfile(info, io.BytesIO(data))
