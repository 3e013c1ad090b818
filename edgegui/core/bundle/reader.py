"""Read a bundle without trusting it: member names are checked, digests verified, and nothing
is ever written outside the destination given."""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import os
import tarfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from edgegui.core.bundle.errors import BundleError, BundleTampered, UnsafeBundleMember
from edgegui.core.bundle.imagecheck import LayerUnpacking, check_images
from edgegui.core.bundle.manifest import (
    BLOB_NAME,
    MANIFEST_NAME,
    SIGNATURE_NAME,
    BundleManifest,
    parse_manifest,
)
from edgegui.core.bundle.signing import check_signature, load_public_key

_MAX_MANIFEST = 16 * 1024 * 1024
_READ = 1024 * 1024


def check_member(member: tarfile.TarInfo, source: str) -> None:
    """Refuse anything but a plain file with a known relative name."""
    name = member.name
    if name.startswith("/") or ".." in Path(name).parts or "\\" in name:
        raise UnsafeBundleMember(f"{source}: member {name!r} would be written outside the bundle")
    if not member.isreg():
        raise UnsafeBundleMember(f"{source}: member {name!r} is not a plain file (link or device)")
    if name not in (MANIFEST_NAME, SIGNATURE_NAME) and not BLOB_NAME.match(name):
        raise UnsafeBundleMember(f"{source}: unexpected member {name!r}")


class BundleReader:
    """An opened bundle: its members by name, with offsets for reading blobs in place."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.source = str(path)
        try:
            self._tar = tarfile.open(path, "r:")  # noqa: SIM115 - closed by close()
        except (OSError, tarfile.TarError) as exc:
            raise BundleError(f"{path}: cannot read the bundle: {exc}") from None
        try:
            self._index()
        except BaseException:
            self._tar.close()
            raise

    def _index(self) -> None:
        self.members: dict[str, tarfile.TarInfo] = {}
        for member in self._tar.getmembers():
            check_member(member, self.source)
            if member.name in self.members:
                raise UnsafeBundleMember(f"{self.source}: member {member.name!r} appears twice")
            self.members[member.name] = member
        if MANIFEST_NAME not in self.members:
            raise BundleError(f"{self.source}: no {MANIFEST_NAME}; not an EdgeGUI image bundle")
        self.manifest_bytes = self._read_small(MANIFEST_NAME)
        self.signature = (
            self._read_small(SIGNATURE_NAME) if SIGNATURE_NAME in self.members else None
        )
        self.manifest = parse_manifest(self.manifest_bytes, self.source)

    def close(self) -> None:
        self._tar.close()

    def __enter__(self) -> BundleReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _read_small(self, name: str) -> bytes:
        member = self.members[name]
        if member.size > _MAX_MANIFEST:
            raise BundleError(f"{self.source}: {name} is too large ({member.size} bytes)")
        handle = self._tar.extractfile(member)
        assert handle is not None  # a regular file, checked above
        return handle.read()

    def blob_span(self, name: str) -> tuple[int, int]:
        """(offset in the bundle file, size) of a blob, for reading it in place."""
        member = self.members.get(name)
        if member is None:
            raise BundleTampered(f"{self.source}: {name} is listed but missing")
        return member.offset_data, member.size

    @contextmanager
    def open_blob(self, name: str) -> Iterator[IO[bytes]]:
        offset, _ = self.blob_span(name)
        with open(self.path, "rb") as handle:
            handle.seek(offset)
            yield handle

    def read_blob(self, name: str) -> bytes:
        return self.read_range(name, 0, self.blob_span(name)[1])

    def read_range(self, name: str, start: int, length: int) -> bytes:
        """``length`` bytes of blob ``name`` from ``start`` (a chunk to send)."""
        offset, _ = self.blob_span(name)
        with open(self.path, "rb") as handle:
            handle.seek(offset + start)
            return handle.read(length)

    def iter_blob(self, name: str, size: int = _READ) -> Iterator[bytes]:
        """The blob in pieces of ``size`` bytes; BundleTampered if the file ends early."""
        offset, left = self.blob_span(name)
        with open(self.path, "rb") as handle:
            handle.seek(offset)
            while left:
                chunk = handle.read(min(size, left))
                if not chunk:
                    raise BundleTampered(f"{self.source}: {name} is truncated")
                left -= len(chunk)
                yield chunk

    def verify(self, public_key: Path | bytes | None = None) -> BundleManifest:
        """Check every member's sha256 and size, no extra members, the signature, and that
        each image is the one recorded (ID, platform, layers; see imagecheck)."""
        manifest = self.manifest
        extra = set(self.members) - set(manifest.members) - {MANIFEST_NAME, SIGNATURE_NAME}
        if extra:
            raise BundleTampered(f"{self.source}: members not in the manifest: {sorted(extra)}")
        # Layers are unpacked in the same read as their sha256: each blob is read once.
        layers = {layer.blob: layer for image in manifest.images for layer in image.layers}
        unpacked: dict[str, LayerUnpacking] = {}
        for name, (expected, size) in sorted(manifest.members.items()):
            _, actual_size = self.blob_span(name)
            if actual_size != size:
                raise BundleTampered(f"{self.source}: {name} has {actual_size} bytes, not {size}")
            if name in layers:
                unpacked[name] = LayerUnpacking(layers[name])
                digest = self._sha256_feeding(name, unpacked[name])
            else:
                digest = self.blob_sha256(name)
            if digest != expected:
                raise BundleTampered(f"{self.source}: {name} does not match its sha256")
        verified = False
        if public_key is not None:
            if self.signature is None:
                raise BundleTampered(f"{self.source}: not signed, but a public key was given")
            check_signature(
                self.manifest_bytes, self.signature, load_public_key(public_key), self.source
            )
            verified = True
        check_images(self, unpacked)
        return dataclasses.replace(
            manifest, signed=self.signature is not None, signature_verified=verified
        )

    def _sha256_feeding(self, name: str, unpacking: LayerUnpacking) -> str:
        digest = hashlib.sha256()
        for chunk in self.iter_blob(name):
            digest.update(chunk)
            unpacking.feed(chunk)
        return digest.hexdigest()

    def blob_sha256(self, name: str) -> str:
        digest = hashlib.sha256()
        for chunk in self.iter_blob(name):
            digest.update(chunk)
        return digest.hexdigest()

    def extract(self, dest: Path) -> list[Path]:
        """Write every member under ``dest`` (names were checked when the bundle was opened)."""
        root = dest.resolve()
        written = []
        for name, member in self.members.items():
            target = (root / name).resolve()
            if root not in target.parents:  # belt and braces after check_member
                raise UnsafeBundleMember(f"{self.source}: member {name!r} escapes {dest}")
            target.parent.mkdir(parents=True, exist_ok=True)
            source = self._tar.extractfile(member)
            assert source is not None
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW
            descriptor = os.open(target, flags, 0o644)
            with os.fdopen(descriptor, "wb") as out:
                while chunk := source.read(_READ):
                    out.write(chunk)
            written.append(target)
        return written


def opened(bundle: Path | BundleReader) -> contextlib.AbstractContextManager[BundleReader]:
    """A reader for a path (closed after use) or an already open, shared one (left open)."""
    if isinstance(bundle, BundleReader):
        return contextlib.nullcontext(bundle)
    return BundleReader(bundle)


def verify_bundle(path: Path, public_key: Path | bytes | None = None) -> BundleManifest:
    """Open ``path``, check every digest (and the signature when a key is given)."""
    with BundleReader(path) as reader:
        return reader.verify(public_key)
