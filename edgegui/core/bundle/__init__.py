"""Offline image bundles: images a stack needs, packed with a manifest of digests, optionally
signed (ed25519), carried to site on the laptop; no registry is ever needed.

Typical use::

    create_bundle(Path("site.edgebundle"), images=["edgegui/dashboard:1.2"], client=docker_client)
    manifest = verify_bundle(Path("site.edgebundle"), public_key=Path("office.pub"))
"""

from edgegui.core.bundle.create import create_bundle, save_from_engine
from edgegui.core.bundle.errors import BundleError, BundleTampered, UnsafeBundleMember
from edgegui.core.bundle.manifest import BundleManifest, ImageEntry, LayerEntry
from edgegui.core.bundle.reader import BundleReader, opened, verify_bundle
from edgegui.core.bundle.shared import SharedBundle
from edgegui.core.bundle.signing import generate_key_pair

__all__ = [
    "BundleError",
    "BundleManifest",
    "BundleReader",
    "BundleTampered",
    "ImageEntry",
    "LayerEntry",
    "SharedBundle",
    "UnsafeBundleMember",
    "create_bundle",
    "generate_key_pair",
    "opened",
    "save_from_engine",
    "verify_bundle",
]
