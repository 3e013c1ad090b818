"""Passwords remembered in the OS keyring (Secret Service, Keychain, Windows Vault), on request.

EdgeGUI never writes a password into its own files; without a usable keyring nothing is kept.
"""

from __future__ import annotations

from typing import Any

from edgegui.core.errors import EdgeGUIError

SERVICE = "edgegui"


def _keyring() -> tuple[Any, tuple[type[BaseException], ...]]:
    """keyring and the errors it raises, imported on first use (it is slow to import)."""
    import keyring
    import keyring.errors

    return keyring, (keyring.errors.KeyringError, RuntimeError)


class CredentialStoreError(EdgeGUIError):
    """The OS keyring is unavailable or refused the password."""


def saved_password(target: str) -> str | None:
    """The password remembered for ``target``, or None (also when there is no keyring)."""
    store, _ = _keyring()
    try:
        password: str | None = store.get_password(SERVICE, target)
    except Exception:  # noqa: BLE001 - a broken keyring backend must never stop a login
        return None
    return password


def remember_password(target: str, password: str) -> None:
    store, errors = _keyring()
    try:
        store.set_password(SERVICE, target, password)
    except errors as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise CredentialStoreError(
            f"{target}: cannot save the password in the OS keyring: {reason}"
        ) from None
    from edgegui.core.audit import record_action

    record_action("password-saved", target=target, detail={"where": "OS keyring"})


def forget_password(target: str) -> None:
    store, errors = _keyring()
    try:
        store.delete_password(SERVICE, target)
    except errors:
        pass  # nothing saved, or no keyring: either way nothing is kept
