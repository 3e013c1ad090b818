"""installer/third_party.py: every distribution the app runs on is listed in the committed
installer/THIRD_PARTY.md, and an app bundle gets a license text for each of them."""

from __future__ import annotations

from pathlib import Path

from tests.installer.support import INSTALLER, load_script

third_party = load_script("third_party")


def test_the_runtime_closure_follows_requirements_without_extras() -> None:
    names = {third_party.normalize(d.metadata["Name"]) for d in third_party.runtime_closure()}
    assert {"edgegui", "pyside6-essentials", "shiboken6", "paramiko", "cryptography"} <= names
    assert {"pytest", "ruff", "mypy", "pyinstaller"}.isdisjoint(names)  # extras stay out


def test_the_committed_list_names_every_bundled_distribution() -> None:
    committed = (INSTALLER / "THIRD_PARTY.md").read_text()
    rows = {line.split("|")[1].strip() for line in committed.splitlines() if line.startswith("| ")}
    for component in third_party.components()[1:]:
        assert component.name in rows, f"{component.name}: run installer/third_party.py"


def test_a_bundle_gets_every_license_text(tmp_path: Path) -> None:
    items = third_party.components()
    third_party.write(tmp_path, items)
    assert not [c.name for c in items if not c.files]
    for component in items:
        folder = tmp_path / "licenses" / component.folder
        assert any(f.stat().st_size > 200 for f in folder.iterdir()), component.name
    assert (tmp_path / "licenses" / "PySide6_Essentials" / "LGPL-3.0.txt").is_file()
    assert (tmp_path / "licenses" / "edgegui" / "LICENSE").is_file()
    assert "ISC License" in (tmp_path / "licenses" / "lucide-icons" / "LICENSE").read_text()
    assert "| PySide6_Essentials |" in (tmp_path / "THIRD_PARTY.md").read_text()
