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


def check_images(reader: BundleReader) -> None:
    """BundleTampered naming the first image that is not what the manifest records."""
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
            if layer.digest not in checked_layers:
                _check_layer(reader, layer, f"{where}: layer {index + 1}")
                checked_layers.add(layer.digest)


def _config(reader: BundleReader, image: ImageEntry, where: str) -> dict[str, Any]:
    try:
        config = json.loads(reader.read_blob(image.config_blob))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise BundleTampered(f"{where}: its config is not JSON") from None
    if not isinstance(config, dict):
        raise BundleTampered(f"{where}: its config is not a JSON object")
    return config


def _check_layer(reader: BundleReader, layer: LayerEntry, where: str) -> None:
    """The compressed blob unpacks to exactly ``layer.size`` bytes with sha256 DiffID."""
    digest, size = hashlib.sha256(), 0
    unpack = zlib.decompressobj(wbits=zlib.MAX_WBITS | 16)  # gzip framing
    left = reader.blob_span(layer.blob)[1]
    try:
        for data in reader.iter_blob(layer.blob, _READ):
            left -= len(data)
            while data and size <= layer.size:  # bounded output: no gzip bomb in memory
                chunk = unpack.decompress(data, _READ)
                digest.update(chunk)
                size += len(chunk)
                data = unpack.unconsumed_tail
            if unpack.eof:
                break
    except zlib.error as exc:
        raise BundleTampered(f"{where}: not a gzip layer ({exc})") from None
    if not unpack.eof or left or unpack.unused_data:
        raise BundleTampered(f"{where}: not one complete gzip layer")
    if "sha256:" + digest.hexdigest() != layer.diff_id or size != layer.size:
        raise BundleTampered(f"{where}: does not unpack to its recorded digest {layer.diff_id}")
