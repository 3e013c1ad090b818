"""Remembered passwords go to the OS keyring (here a file-backed test backend), or nowhere."""

import keyring
import pytest
from keyring.backends import fail

from edgegui.core.credentials import (
    CredentialStoreError,
    forget_password,
    remember_password,
    saved_password,
)
from tests.keyring_backend import FileKeyring


@pytest.fixture
def file_keyring(tmp_path, monkeypatch):
    monkeypatch.setenv("EDGEGUI_TEST_KEYRING", str(tmp_path / "keyring.json"))
    previous = keyring.get_keyring()
    keyring.set_keyring(FileKeyring())
    yield tmp_path / "keyring.json"
    keyring.set_keyring(previous)


def test_remember_and_forget(file_keyring):
    remember_password("ssh://tech@gw-01", "s3cret")
    assert saved_password("ssh://tech@gw-01") == "s3cret"
    forget_password("ssh://tech@gw-01")
    assert saved_password("ssh://tech@gw-01") is None
    forget_password("ssh://tech@gw-01")  # forgetting twice is harmless


def test_the_test_backend_is_never_picked_by_default(monkeypatch):
    monkeypatch.delenv("EDGEGUI_TEST_KEYRING", raising=False)
    assert not FileKeyring.viable  # so keyring's own backend search passes it over


def test_without_a_keyring_nothing_is_kept_and_saving_says_why():
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        assert saved_password("ssh://tech@gw-01") is None
        with pytest.raises(CredentialStoreError, match="cannot save the password"):
            remember_password("ssh://tech@gw-01", "s3cret")
    finally:
        keyring.set_keyring(previous)
