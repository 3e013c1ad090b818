"""Trust changes that happen on the laptop are audited: an accepted host key, a saved
password (never the password itself)."""

from __future__ import annotations

from pathlib import Path

import keyring
import paramiko
import pytest

from edgegui.core.audit import AuditLog
from edgegui.core.credentials import remember_password
from edgegui.core.errors import UnknownHostKey
from edgegui.core.transport.hostkeys import HostKeyStore, fingerprint, verify_host_key
from tests.keyring_backend import FileKeyring


@pytest.fixture(autouse=True)
def data_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    return tmp_path / "data"


def test_an_accepted_host_key_is_audited_and_a_refused_one_is_not(tmp_path: Path):
    store = HostKeyStore(tmp_path / "known_hosts")
    key = paramiko.ECDSAKey.generate()
    with pytest.raises(UnknownHostKey):
        verify_host_key(store, "10.0.0.9", key, accept_new=False, prompt=lambda *_: False)
    assert AuditLog().entries() == []
    verify_host_key(store, "[10.0.0.9]:2222", key, accept_new=False, prompt=lambda *_: True)
    (entry,) = AuditLog().entries("[10.0.0.9]:2222")
    assert entry.action == "host-key-accepted"
    assert entry.detail == {
        "key_type": key.get_name(),
        "fingerprint": fingerprint(key),
        "how": "confirmed by the user",
    }
    verify_host_key(store, "[10.0.0.9]:2222", key, accept_new=True, prompt=None)
    assert len(AuditLog().entries()) == 1  # known now: nothing changed, nothing recorded


def test_a_saved_password_is_audited_without_its_value(tmp_path, monkeypatch, data_home):
    monkeypatch.setenv("EDGEGUI_TEST_KEYRING", str(tmp_path / "keyring.json"))
    previous = keyring.get_keyring()
    keyring.set_keyring(FileKeyring())
    try:
        remember_password("ssh://tech@gw-01", "Very-Secret-1234")
    finally:
        keyring.set_keyring(previous)
    (entry,) = AuditLog().entries("gw-01")
    assert (entry.action, entry.target) == ("password-saved", "ssh://tech@gw-01")
    assert b"Very-Secret-1234" not in (data_home / "edgegui" / "audit.sqlite3").read_bytes()
