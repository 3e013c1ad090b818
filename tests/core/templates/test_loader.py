"""Finding templates: built-ins, the user's folder, conflicts that are never resolved silently."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from edgegui.core.templates import (
    TemplateError,
    TemplateNotFound,
    list_templates,
    load_template,
    user_dir,
)
from edgegui.core.templates.loader import MIGRATIONS, builtin_dir, load_template_file

BUILTIN_TEMPLATES = ["ai", "industrial", "retail", "telecom"]
BUILTIN_ADDONS = ["monitoring", "offline-buffer", "openfaas"]


def test_builtins_are_listed_and_load_cleanly() -> None:
    entries = list_templates()
    assert sorted(e.name for e in entries if e.kind == "template") == BUILTIN_TEMPLATES
    assert sorted(e.name for e in entries if e.kind == "addon") == BUILTIN_ADDONS
    assert all(e.origin == "built-in" and e.error is None and e.conflict is None for e in entries)
    for name in BUILTIN_TEMPLATES:
        assert load_template(name).kind == "template"
    for name in BUILTIN_ADDONS:
        assert load_template(name, kind="addon").kind == "addon"


def test_image_names_are_parameters_with_the_seed_defaults() -> None:
    defaults = {
        "industrial": [
            "edgegui/dashboard:latest",
            "edgegui/edge-analytics:latest",
            "edgegui/modbus-connector:latest",
        ],
        "retail": ["edgegui/inventory-sync:latest", "edgegui/pos-service:latest"],
        "telecom": ["edgegui/mec:latest", "edgegui/virtual-ran:latest"],
        "ai": ["edgegui/inference-server:latest"],
        "monitoring": ["prom/node-exporter:latest", "prom/prometheus:latest"],
        "offline-buffer": ["edgegui/offline-buffer:latest"],
    }
    for name, images in defaults.items():
        template = load_template(name, kind="addon" if name in BUILTIN_ADDONS else "template")
        assert (
            sorted(p.default for p in template.parameters.values() if p.type == "image") == images
        )
        assert all(s.body["image"].startswith("${") for s in template.stack.services.values())


def test_unknown_names_suggest_the_closest() -> None:
    with pytest.raises(
        TemplateNotFound, match=r"no template named 'industral' \(did you mean industrial\?\)"
    ):
        load_template("industral")
    with pytest.raises(TemplateNotFound, match="no addon named 'retail'"):
        load_template("retail", kind="addon")


def test_loading_by_path_checks_the_kind(tmp_path: Path) -> None:
    assert load_template(str(builtin_dir() / "retail.yaml")).name == "retail"
    with pytest.raises(TemplateError, match="this file is an add-on, not a template"):
        load_template(str(builtin_dir() / "addons" / "monitoring.yaml"))


def test_user_templates_are_listed_and_loaded(user_templates: Path) -> None:
    assert user_dir() == user_templates
    text = (
        (builtin_dir() / "telecom.yaml").read_text().replace("name: telecom", "name: telecom-lab")
    )
    (user_templates / "telecom-lab.yaml").write_text(text)
    entry = next(e for e in list_templates() if e.name == "telecom-lab")
    assert (entry.origin, entry.error, entry.conflict) == ("user", None, None)
    assert load_template("telecom-lab").origin == "user"


def test_a_user_template_never_silently_overrides_a_builtin(user_templates: Path) -> None:
    shutil.copy(builtin_dir() / "retail.yaml", user_templates / "retail.yaml")
    conflicted = [e for e in list_templates() if e.name == "retail"]
    assert {e.origin for e in conflicted} == {"built-in", "user"}
    assert all(e.conflict is not None for e in conflicted)
    with pytest.raises(TemplateError) as caught:
        load_template("retail")
    message = str(caught.value)
    assert "template 'retail' is defined twice" in message
    assert (
        str(builtin_dir() / "retail.yaml") in message
        and str(user_templates / "retail.yaml") in message
    )
    assert load_template(str(user_templates / "retail.yaml")).origin == "file"


def test_broken_or_misnamed_user_files_are_reported_not_fatal(user_templates: Path) -> None:
    (user_templates / "broken.yaml").write_text("schema_version: 1\nmetadata: [\n")
    text = (builtin_dir() / "ai.yaml").read_text().replace("name: ai", "name: vision")
    (user_templates / "wrong-name.yaml").write_text(text)
    entries = {e.path.name: e for e in list_templates()}
    assert entries["broken.yaml"].error is not None
    assert entries["broken.yaml"].error.startswith(f"{user_templates / 'broken.yaml'}:3:1: ")
    assert "file name must be vision.yaml" in str(entries["wrong-name.yaml"].error)
    assert load_template("industrial").name == "industrial"
    with pytest.raises(TemplateError, match="broken.yaml:3:1"):
        load_template("broken")


def test_migrations_run_from_older_schema_versions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An old file is upgraded step by step before it is checked (a pretend version 0 here)."""

    def rename_meta(data: dict[str, object]) -> dict[str, object]:
        upgraded = {k: v for k, v in data.items() if k != "meta"}
        upgraded["metadata"] = data["meta"]
        return upgraded

    monkeypatch.setitem(MIGRATIONS, 0, rename_meta)
    text = (builtin_dir() / "ai.yaml").read_text().replace("schema_version: 1", "schema_version: 0")
    path = tmp_path / "ai.yaml"
    path.write_text(text.replace("\nmetadata:", "\nmeta:"))
    assert load_template_file(path).name == "ai"


def test_describe_is_json_and_hides_secret_material() -> None:
    description = load_template("industrial").describe()
    json.dumps(description)
    password = next(p for p in description["parameters"] if p["name"] == "DASHBOARD_ADMIN_PASSWORD")
    assert "default" not in password and password["generate"] == 24
    assert description["slots"] == [
        {
            "name": "plc_port",
            "kind": "serial_adapter",
            "needs": "serial adapter",
            "optional": False,
            "help": "USB serial adapter wired to the PLC's RS-485 Modbus port.",
        }
    ]
