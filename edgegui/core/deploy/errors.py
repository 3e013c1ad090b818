"""Errors raised while deploying, rolling back or removing a stack."""

from __future__ import annotations

from edgegui.core.errors import EdgeGUIError


class DeployError(EdgeGUIError):
    """A deploy cannot go on (missing image, engine refused a container)."""


class ArchitectureMismatch(DeployError):
    """A bundle's image is built for another CPU architecture than the device's."""


class TransferError(DeployError):
    """Layers could not be sent or loaded (digest mismatch on the device, load refused)."""


class NothingToRollBack(DeployError):
    """The device keeps no previous version of the stack."""
