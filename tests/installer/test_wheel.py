"""The wheel is complete: built from a copy of the sources and installed into a fresh venv
outside the checkout, it lists templates, renders with an add-on and discovers this computer
from another folder, with resources read from the installed package, never the checkout."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from tests.installer.support import RENDER_ENV, check_discovered, check_rendered, render_retail_args

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ("edgegui", "resources", "setup.py", "pyproject.toml", "README.md", "LICENSE")


def build_wheel(workdir: Path) -> Path:
    """``pip wheel`` on a copy of the sources (a stale build/ in the checkout stays out)."""
    source = workdir / "src"
    source.mkdir()
    for name in SOURCES:
        copy = shutil.copytree if (ROOT / name).is_dir() else shutil.copy2
        copy(ROOT / name, source / name)  # type: ignore[operator]
    for cache in source.rglob("__pycache__"):
        shutil.rmtree(cache)
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(workdir), str(source)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (wheel,) = workdir.glob("edgegui-*.whl")
    return wheel


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_wheel(tmp_path_factory.mktemp("wheel"))


@pytest.fixture(scope="module")
def fresh_venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new venv holding only the wheel; its dependencies are borrowed from the test venv
    through a .pth line, which adds that folder without running its .pth files (so the
    editable install's import hook for the checkout is never loaded)."""
    venv = tmp_path_factory.mktemp("fresh") / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(wheel)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    (Path(site) / "borrowed-dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    return venv


def run_installed(
    venv: Path, cwd: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    environment |= {"XDG_DATA_HOME": str(cwd / "data"), "XDG_CONFIG_HOME": str(cwd / "config")}
    return subprocess.run(
        [str(venv / "bin" / "edgegui"), *args],
        cwd=cwd,
        env=environment | (env or {}),
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.slow
def test_wheel_carries_every_resource_as_package_data(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    on_disk = {
        "edgegui/resources/" + p.relative_to(ROOT / "resources").as_posix()
        for p in (ROOT / "resources").rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }
    assert on_disk <= names, sorted(on_disk - names)
    assert "edgegui/resources/probe.sh" in names
    assert "edgegui/resources/icons/edgegui.svg" in names
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)
    assert not [n for n in names if n.split("/")[0] in ("resources", "tests", "bench")]


@pytest.mark.slow
def test_installed_wheel_finds_its_resources_outside_the_checkout(
    fresh_venv: Path, tmp_path: Path
) -> None:
    code = "from edgegui.core.resources import resources_root; print(resources_root())"
    where = subprocess.run(
        [str(fresh_venv / "bin" / "python"), "-c", code],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert Path(where).is_relative_to(fresh_venv)
    assert not Path(where).is_relative_to(ROOT)


@pytest.mark.slow
def test_installed_wheel_lists_renders_and_discovers(fresh_venv: Path, tmp_path: Path) -> None:
    listing = run_installed(fresh_venv, tmp_path, "templates", "list", "--json")
    assert listing.returncode == 0, listing.stderr
    entries = {e["name"]: e for e in json.loads(listing.stdout)}
    assert {"industrial", "retail", "telecom", "ai", "monitoring", "offline-buffer"} <= set(entries)
    assert all(e["error"] is None and e["origin"] == "built-in" for e in entries.values())
    assert Path(entries["retail"]["path"]).is_relative_to(fresh_venv)

    output = tmp_path / "site" / "compose.yaml"
    rendered = run_installed(fresh_venv, tmp_path, *render_retail_args(output), env=RENDER_ENV)
    check_rendered(rendered, output)
    check_discovered(run_installed(fresh_venv, tmp_path, "discover", "local://", "--json"))
