"""resources_root: a frozen app's bundle first, then the installed package, then a checkout."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from edgegui.core import resources
from edgegui.core.errors import EdgeGUIError

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def fresh_lookup() -> Iterator[None]:
    resources.resources_root.cache_clear()
    yield
    resources.resources_root.cache_clear()


def test_a_checkout_uses_the_top_level_resources_folder() -> None:
    assert resources.resources_root() == ROOT / "resources"
    assert resources.resource_path("templates", "retail.yaml").is_file()


def test_a_frozen_app_uses_its_bundle(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bundled = tmp_path / "edgegui" / "resources"
    bundled.mkdir(parents=True)
    (bundled / "probe.sh").write_text("#!/bin/sh\n")
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert resources.resources_root() == bundled


def test_an_incomplete_installation_is_one_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(resources, "_PACKAGE", tmp_path / "site-packages" / "edgegui")
    with pytest.raises(EdgeGUIError, match=r"resources are missing \(looked in .*site-packages"):
        resources.resources_root()
