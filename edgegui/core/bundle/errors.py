"""Errors raised while writing, reading or checking an image bundle."""

from __future__ import annotations

from edgegui.core.errors import EdgeGUIError


class BundleError(EdgeGUIError):
    """A bundle cannot be made or read (missing image, unreadable archive)."""


class BundleTampered(BundleError):
    """A bundle's contents or signature do not match its manifest."""


class UnsafeBundleMember(BundleError):
    """A bundle member would be written outside its destination (``..``, absolute, link)."""
