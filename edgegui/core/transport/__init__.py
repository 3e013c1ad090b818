"""Transports to a device: SSH, serial console and this computer, behind one interface."""

from edgegui.core.transport.base import CommandResult, Transport
from edgegui.core.transport.factory import TransportOptions, open_transport

__all__ = ["CommandResult", "Transport", "TransportOptions", "open_transport"]
