"""Check that each image of a bundle is exactly the image its manifest records.

Member digests alone prove the blobs are the ones listed; these checks prove the listing is
honest: every blob is named by its own sha256 (so the image ID is the digest of the config
it names), the config's layer DiffIDs and platform are the recorded ones, and every layer
unpacks to the DiffID the config promises. ``docker load`` would only find a mismatch after
the images were sent and half the device's tags moved; this finds it before anything is sent.
"""

from __future__ import annotations

import hashlib
import json
import zlib
from typing import TYPE_CHECKING, Any

from edgegui.core.bundle.errors import BundleTampered
from edgegui.core.bundle.manifest import BundleManifest, ImageEntry, LayerEntry

if TYPE_CHECKING:
    from edgegui.core.bundle.reader import BundleReader

_READ = 1024 * 1024


def check_blob_names(manifest: BundleManifest, source: str) -> None:
    """Content addressing: ``blobs/sha256/<hex>`` holds content whose sha256 is ``<hex>``."""
    for name, (hex_digest, _) in sorted(manifest.members.items()):
        if name.rsplit("/", 1)[-1] != hex_digest:
            raise BundleTampered(f"{source}: {name} is listed with the sha256 of other content")


def check_images(reader: BundleReader, unpacked: dict[str, LayerUnpacking] | None = None) -> None:
    """BundleTampered naming the first image that is not what the manifest records.

    ``unpacked``: layer blob name -> its unpacking, fed while the blob was read for its
    sha256 (verify reads each blob once); a layer missing from it is read here.
    """
    source = reader.source
    check_blob_names(reader.manifest, source)
    checked_layers: set[str] = set()
    for image in reader.manifest.images:
        where = f"{source}: image {image.refs[0]} ({image.image_id[:19]})"
        config = _config(reader, image, where)
        diff_ids = list((config.get("rootfs") or {}).get("diff_ids") or [])
        if diff_ids != [layer.diff_id for layer in image.layers]:
            raise BundleTampered(f"{where}: its layers are not the ones its config lists")
        for field_name, recorded in (
            ("architecture", image.architecture),
            ("os", image.os),
            ("variant", image.variant),
        ):
            actual = str(config.get(field_name, "") or "")
            if actual != recorded:
                raise BundleTampered(
                    f"{where}: recorded {field_name} {recorded or '(none)'!r}, "
                    f"the image is {actual or '(none)'!r}"
                )
        for index, layer in enumerate(image.layers):
            if layer.digest in checked_layers:
                continue
            unpacking = (unpacked or {}).get(layer.blob) or _unpack(reader, layer)
            problem = unpacking.problem()
            if problem:
                raise BundleTampered(f"{where}: layer {index + 1}: {problem}")
            checked_layers.add(layer.digest)


def _config(reader: BundleReader, image: ImageEntry, where: str) -> dict[str, Any]:
    try:
        config = json.loads(reader.read_blob(image.config_blob))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise BundleTampered(f"{where}: its config is not JSON") from None
    if not isinstance(config, dict):
        raise BundleTampered(f"{where}: its config is not a JSON object")
    return config


class LayerUnpacking:
    """A gzip layer fed in pieces: whether it unpacks to exactly ``layer.size`` bytes with
    sha256 DiffID, with bounded output (no gzip bomb in memory)."""

    def __init__(self, layer: LayerEntry) -> None:
        self.layer = layer
        self.digest = hashlib.sha256()
        self.size = 0
        self.trailing = 0  # bytes after the end of the gzip stream
        self.error = ""
        self.unpack = zlib.decompressobj(wbits=zlib.MAX_WBITS | 16)  # gzip framing

    def feed(self, data: bytes) -> None:
        if self.unpack.eof:
            self.trailing += len(data)
            return
        try:
            while data and self.size <= self.layer.size and not self.error:
                chunk = self.unpack.decompress(data, _READ)
                self.digest.update(chunk)
                self.size += len(chunk)
                data = self.unpack.unconsumed_tail
        except zlib.error as exc:
            self.error = self.error or f"not a gzip layer ({exc})"

    def problem(self) -> str:
        """'' when the layer is what its DiffID says, else what is wrong with it."""
        if self.error:
            return self.error
        if not self.unpack.eof or self.trailing or self.unpack.unused_data:
            return "not one complete gzip layer"
        if "sha256:" + self.digest.hexdigest() != self.layer.diff_id or (
            self.size != self.layer.size
        ):
            return f"does not unpack to its recorded digest {self.layer.diff_id}"
        return ""


def _unpack(reader: BundleReader, layer: LayerEntry) -> LayerUnpacking:
    unpacking = LayerUnpacking(layer)
    for data in reader.iter_blob(layer.blob, _READ):
        unpacking.feed(data)
    return unpacking
