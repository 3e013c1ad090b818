"""SSH host-key verification: never accept silently, never replace a changed key."""

from __future__ import annotations

import base64
import contextlib
import hashlib
from pathlib import Path

import paramiko

from edgegui.core.audit import record_action
from edgegui.core.errors import HostKeyMismatch, UnknownHostKey
from edgegui.core.transport.factory import HostKeyPrompt


def fingerprint(key: paramiko.PKey) -> str:
    """OpenSSH-style ``SHA256:…`` fingerprint of a public key."""
    digest = hashlib.sha256(key.asbytes()).digest()
    return "SHA256:" + base64.b64encode(digest).decode().rstrip("=")


class HostKeyStore:
    """EdgeGUI's own known_hosts file plus the user's ``~/.ssh/known_hosts`` (read only)."""

    def __init__(self, own_file: Path, user_file: Path | None = None) -> None:
        self.own_file = own_file
        self.user_file = user_file
        self.own = paramiko.HostKeys()
        self.user = paramiko.HostKeys()
        if own_file.exists():
            self.own.load(str(own_file))
        if user_file and user_file.exists():
            # An unreadable user file must not block EdgeGUI's own.
            with contextlib.suppress(OSError, paramiko.SSHException):
                self.user.load(str(user_file))

    def check(self, name: str, key: paramiko.PKey) -> bool:
        """True when known and equal; raise HostKeyMismatch when known and different."""
        for store, source in ((self.own, str(self.own_file)), (self.user, str(self.user_file))):
            known = store.lookup(name)
            if not known:
                continue
            if key.get_name() in known:
                if known[key.get_name()] == key:
                    return True
                raise HostKeyMismatch(name, key.get_name(), fingerprint(key), source)
            if known:  # the host is known under other key types only: still a change
                raise HostKeyMismatch(name, key.get_name(), fingerprint(key), source)
        return False

    def add(self, name: str, key: paramiko.PKey) -> None:
        """Record an accepted key in EdgeGUI's file (never in the user's)."""
        self.own.add(name, key.get_name(), key)
        self.own_file.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.own_file.with_suffix(".tmp")
        self.own.save(str(tmp))
        tmp.chmod(0o600)
        tmp.replace(self.own_file)


def verify_host_key(
    store: HostKeyStore,
    name: str,
    key: paramiko.PKey,
    *,
    accept_new: bool,
    prompt: HostKeyPrompt | None,
) -> None:
    """Accept a known key; ask about (or refuse) an unknown one; always refuse a changed one."""
    if store.check(name, key):
        return
    fp = fingerprint(key)
    if accept_new or (prompt is not None and prompt(name, key.get_name(), fp)):
        how = "--accept-new-host-key" if accept_new else "confirmed by the user"
        detail = {"key_type": key.get_name(), "fingerprint": fp, "how": how}
        record_action("host-key-accepted", device=name, target=f"ssh://{name}", detail=detail)
        store.add(name, key)
        return
    raise UnknownHostKey(name, key.get_name(), fp)
