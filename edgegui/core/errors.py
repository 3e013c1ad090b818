"""Errors the user sees as one line: every one names what is wrong and where."""

from __future__ import annotations


class EdgeGUIError(Exception):
    """Base of every error shown to the user as a one-line message."""


class TargetError(EdgeGUIError):
    """A target URI or connection option is malformed."""


class TransportError(EdgeGUIError):
    """A transport could not connect, or lost its link."""


class HostKeyError(TransportError):
    """Base of host-key refusals (unknown or changed keys)."""


class UnknownHostKey(HostKeyError):
    """The server's key is not known; the user must accept its fingerprint."""

    def __init__(self, host: str, key_type: str, fingerprint: str) -> None:
        self.host = host
        self.key_type = key_type
        self.fingerprint = fingerprint
        super().__init__(
            f"{host}: unknown host key {key_type} {fingerprint}; "
            "verify it and accept it (--accept-new-host-key) to connect"
        )


class HostKeyMismatch(HostKeyError):
    """The server's key changed: refused always, never replaced silently."""

    def __init__(self, host: str, key_type: str, fingerprint: str, known_in: str) -> None:
        self.host = host
        self.key_type = key_type
        self.fingerprint = fingerprint
        self.known_in = known_in
        super().__init__(
            f"{host}: HOST KEY CHANGED (now {key_type} {fingerprint}, differs from {known_in}); "
            "refusing to connect — possible man-in-the-middle; remove the old key by hand if "
            "the device was really reinstalled"
        )


class AuthenticationError(TransportError):
    """The device refused our credentials."""


class CommandTimeout(TransportError):
    """A command or read did not finish within its time bound."""


class LinkLost(TransportError):
    """The link to the device dropped (keepalive timeout, unplugged adapter)."""


class UnsafeArgument(EdgeGUIError):
    """A value would be unsafe to send to a remote shell (e.g. control characters)."""


class Cancelled(EdgeGUIError):
    """The user cancelled a long operation."""


class Unsupported(EdgeGUIError):
    """The transport cannot do this (e.g. the Docker API over a serial console)."""
