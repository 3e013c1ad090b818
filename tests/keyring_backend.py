"""A file-backed keyring for tests (PYTHON_KEYRING_BACKEND=tests.keyring_backend.FileKeyring).

It sits at the library boundary: EdgeGUI talks to the real ``keyring`` package, which loads
this backend in place of the desktop's Secret Service that a CI machine lacks.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from jaraco.classes import properties
from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError


class FileKeyring(KeyringBackend):
    @properties.classproperty
    def priority(cls) -> float:
        # Only where a test asks for it: keyring picks up every imported backend class.
        if "EDGEGUI_TEST_KEYRING" not in os.environ:
            raise RuntimeError("EDGEGUI_TEST_KEYRING is not set")
        return 1

    @property
    def path(self) -> Path:
        return Path(os.environ["EDGEGUI_TEST_KEYRING"])

    def _load(self) -> dict[str, str]:
        return json.loads(self.path.read_text()) if self.path.exists() else {}

    def get_password(self, service: str, username: str) -> str | None:
        return self._load().get(f"{service}/{username}")

    def set_password(self, service: str, username: str, password: str) -> None:
        data = self._load()
        data[f"{service}/{username}"] = password
        self.path.write_text(json.dumps(data))

    def delete_password(self, service: str, username: str) -> None:
        data = self._load()
        if data.pop(f"{service}/{username}", None) is None:
            raise PasswordDeleteError(username)
        self.path.write_text(json.dumps(data))
