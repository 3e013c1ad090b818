"""Pin a stack's image references to what a bundle holds: ``repository:tag@sha256:…``.

A registry digest (the manifest digest the office engine pulled the image by) pins the image
for any engine that pulls it. An image that never came from a registry has no such digest;
it is pinned by its image ID (``sha256:…``, the digest of its config), the only content
address an engine that loaded it from a bundle resolves offline.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from edgegui.core.bundle.errors import BundleError
from edgegui.core.bundle.manifest import BundleManifest


@dataclass(frozen=True)
class PinnedImage:
    """One reference and what it was pinned to."""

    ref: str
    pinned: str
    by: str  # "registry digest" or "image ID"

    def describe(self) -> str:
        return f"{self.ref} -> {self.pinned} ({self.by})"


def repository(ref: str) -> str:
    """``ghcr.io/openfaas/gateway:0.20.1`` -> ``ghcr.io/openfaas/gateway`` (ports kept)."""
    name = ref.split("@", 1)[0]
    head, _, tail = name.rpartition(":")
    return head if head and "/" not in tail else name


def pin_images(manifest: BundleManifest, refs: Iterable[str], source: str) -> list[PinnedImage]:
    """Every reference pinned; BundleError names the first the bundle does not hold."""
    pins = []
    for ref in sorted(set(refs)):
        entry = manifest.image(ref)
        if entry is None:
            raise BundleError(f"{source}: image {ref} is not in the bundle; it cannot be pinned")
        name = ref.split("@", 1)[0]
        digests = [d for d in entry.repo_digests if d.split("@", 1)[0] == repository(ref)]
        if digests:
            digest = digests[0].split("@", 1)[1]
            pins.append(PinnedImage(ref, f"{name}@{digest}", "registry digest"))
        else:
            pins.append(PinnedImage(ref, entry.image_id, "image ID"))
    return pins
