"""The bundle manifest: what images a bundle holds, their layers, and a digest of every member.

A bundle is an uncompressed tar (so members can be read in place) holding ``manifest.json``,
an optional ``manifest.sig`` (ed25519 over the manifest bytes) and content-addressed blobs
``blobs/sha256/<hex>``: each image's config and its gzip-compressed layers.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from edgegui.core.bundle.errors import BundleError

FORMAT = "edgegui-image-bundle"
VERSION = 1
MANIFEST_NAME = "manifest.json"
SIGNATURE_NAME = "manifest.sig"
BLOB_NAME = re.compile(r"^blobs/sha256/[0-9a-f]{64}$")
DIGEST = re.compile(r"^sha256:[0-9a-f]{64}$")
REPO_DIGEST = re.compile(r"^[a-z0-9][a-z0-9._/:-]*@sha256:[0-9a-f]{64}$")


def blob_name(hex_digest: str) -> str:
    return f"blobs/sha256/{hex_digest}"


@dataclass(frozen=True)
class LayerEntry:
    """One layer: its DiffID (digest of the uncompressed tar) and the compressed blob."""

    diff_id: str
    size: int
    digest: str  # sha256 of the compressed blob
    compressed_size: int

    @property
    def blob(self) -> str:
        return blob_name(self.digest.removeprefix("sha256:"))

    def to_dict(self) -> dict[str, Any]:
        return {
            "diff_id": self.diff_id,
            "size": self.size,
            "digest": self.digest,
            "compressed_size": self.compressed_size,
        }


@dataclass(frozen=True)
class ImageEntry:
    """One image: references, config digest (the image ID), platform and layers in order."""

    refs: tuple[str, ...]
    image_id: str
    architecture: str
    os: str
    layers: tuple[LayerEntry, ...]
    variant: str = ""
    # Registry manifest digests (repository@sha256:…) the office engine knew the image by;
    # empty for an image built locally or taken from an archive.
    repo_digests: tuple[str, ...] = ()

    @property
    def platform(self) -> str:
        return "/".join(p for p in (self.os, self.architecture, self.variant) if p)

    @property
    def config_blob(self) -> str:
        return blob_name(self.image_id.removeprefix("sha256:"))

    @property
    def compressed_size(self) -> int:
        return sum(layer.compressed_size for layer in self.layers)

    def to_dict(self) -> dict[str, Any]:
        return {
            "refs": list(self.refs),
            "id": self.image_id,
            "architecture": self.architecture,
            "variant": self.variant,
            "os": self.os,
            "repo_digests": list(self.repo_digests),
            "layers": [layer.to_dict() for layer in self.layers],
        }


@dataclass(frozen=True)
class BundleManifest:
    """The parsed ``manifest.json``; ``members`` maps member name -> (sha256 hex, size)."""

    images: tuple[ImageEntry, ...]
    members: dict[str, tuple[str, int]]
    template: str | None = None
    created: str = ""
    signed: bool = False
    signature_verified: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    def image(self, ref: str) -> ImageEntry | None:
        return next((image for image in self.images if ref in image.refs), None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "version": VERSION,
            "template": self.template,
            "created": self.created,
            "images": [image.to_dict() for image in self.images],
            "members": {
                name: {"sha256": digest, "size": size}
                for name, (digest, size) in sorted(self.members.items())
            },
        }

    def to_json(self) -> bytes:
        return json.dumps(self.to_dict(), indent=1, sort_keys=True).encode()

    def summary(self) -> dict[str, Any]:
        """What ``bundle verify --json`` prints."""
        return {
            "template": self.template,
            "created": self.created,
            "signed": self.signed,
            "signature_verified": self.signature_verified,
            "images": [
                {
                    "refs": list(image.refs),
                    "id": image.image_id,
                    "platform": image.platform,
                    "repo_digests": list(image.repo_digests),
                    "layers": len(image.layers),
                    "compressed_size": image.compressed_size,
                }
                for image in self.images
            ],
        }


def _digest(value: Any, where: str) -> str:
    if not isinstance(value, str) or not DIGEST.match(value):
        raise BundleError(f"{where}: not a sha256 digest: {value!r}")
    return value


def _count(value: Any, where: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise BundleError(f"{where}: not a size: {value!r}")
    return value


def parse_manifest(data: bytes, source: str) -> BundleManifest:
    """Parse and check ``manifest.json``; every field has the type the rest of the code expects."""
    try:
        raw = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BundleError(f"{source}: {MANIFEST_NAME} is not JSON: {exc}") from None
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        raise BundleError(f"{source}: not an EdgeGUI image bundle")
    if raw.get("version") != VERSION:
        raise BundleError(f"{source}: bundle version {raw.get('version')!r} is not supported")
    try:
        members = {
            str(name): (
                _digest("sha256:" + str(entry["sha256"]), f"{source}: {name}").removeprefix(
                    "sha256:"
                ),
                _count(entry["size"], f"{source}: {name}"),
            )
            for name, entry in dict(raw["members"]).items()
        }
        images = tuple(_parse_image(entry, source) for entry in list(raw["images"]))
    except (KeyError, TypeError, ValueError) as exc:
        raise BundleError(f"{source}: malformed {MANIFEST_NAME}: {exc}") from None
    for name in members:
        if not BLOB_NAME.match(name):
            raise BundleError(f"{source}: manifest names an unexpected member {name!r}")
    for image in images:
        for needed in [image.config_blob, *(layer.blob for layer in image.layers)]:
            if needed not in members:
                raise BundleError(f"{source}: {image.refs[0]} needs {needed}, not in the manifest")
    template = raw.get("template")
    return BundleManifest(
        images=images,
        members=members,
        template=str(template) if template else None,
        created=str(raw.get("created", "")),
    )


def _parse_image(entry: dict[str, Any], source: str) -> ImageEntry:
    refs = tuple(str(ref) for ref in entry["refs"])
    if not refs:
        raise BundleError(f"{source}: an image has no reference")
    where = f"{source}: {refs[0]}"
    layers = tuple(
        LayerEntry(
            diff_id=_digest(layer["diff_id"], where),
            size=_count(layer["size"], where),
            digest=_digest(layer["digest"], where),
            compressed_size=_count(layer["compressed_size"], where),
        )
        for layer in entry["layers"]
    )
    repo_digests = tuple(str(d) for d in entry.get("repo_digests", ()))
    for digest in repo_digests:
        if not REPO_DIGEST.match(digest):
            raise BundleError(f"{where}: not a repository@sha256 digest: {digest!r}")
    return ImageEntry(
        refs=refs,
        image_id=_digest(entry["id"], where),
        architecture=str(entry["architecture"]),
        variant=str(entry.get("variant", "")),
        os=str(entry["os"]),
        layers=layers,
        repo_digests=repo_digests,
    )
