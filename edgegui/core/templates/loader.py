"""Find and load templates and add-ons: built-in ones and the user's own.

User templates live in ``<user data dir>/edgegui/templates`` (add-ons in its ``addons/``).
A name defined twice, by the user and the built-ins or by two user files, is reported as a
conflict and never resolved silently.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import platformdirs

from edgegui.core.resources import resource_path
from edgegui.core.templates.errors import TemplateError, TemplateNotFound
from edgegui.core.templates.hardening import Waiver
from edgegui.core.templates.parameters import FIELDS_FOR_TYPES, ParameterSpec
from edgegui.core.templates.requirements import Requirements
from edgegui.core.templates.schema import SCHEMA_VERSION, template_error, validate_template_document
from edgegui.core.templates.slots import SlotSpec
from edgegui.core.templates.stackspec import StackSpec, read_stack
from edgegui.core.templates.units import parse_size
from edgegui.core.yamlload import YamlDocument, YamlError, load_yaml_file

# schema_version N -> function turning a version-N document into version N+1.
MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {}
_ARTICLE = {"template": "a template", "addon": "an add-on"}


@dataclass
class Template:
    """A loaded, fully checked template or add-on."""

    name: str
    kind: str
    title: str
    description: str
    version: str
    industry: str
    path: Path
    origin: str  # "built-in", "user" or "file"
    parameters: dict[str, ParameterSpec]
    slots: dict[str, SlotSpec]
    requirements: Requirements
    stack: StackSpec
    formats: tuple[str, ...] = ()  # the formats it can run in; empty: every format

    @property
    def waivers(self) -> list[Waiver]:
        return [
            Waiver(service.name, rule, reason)
            for service in self.stack.services.values()
            for rule, reason in sorted(service.waivers.items())
        ]

    def describe(self) -> dict[str, Any]:
        """Plain description for ``edgegui templates show``."""
        return {
            "name": self.name,
            "kind": self.kind,
            "title": self.title,
            "description": self.description,
            "version": self.version,
            "industry": self.industry,
            "origin": self.origin,
            "path": str(self.path),
            "parameters": [p.describe() for _, p in sorted(self.parameters.items())],
            "slots": [
                {
                    "name": s.name,
                    "kind": s.kind,
                    "needs": s.describe(),
                    "optional": s.optional,
                    "help": s.help,
                }
                for _, s in sorted(self.slots.items())
            ],
            "requirements": self.requirements.describe(),
            "formats": list(self.formats),
            "services": {
                name: {
                    "image": s.body["image"],
                    "waivers": dict(sorted(s.waivers.items())),
                    "seccomp": s.seccomp,
                    "apparmor": s.apparmor,
                }
                for name, s in sorted(self.stack.services.items())
            },
        }


@dataclass(frozen=True)
class TemplateEntry:
    """One template file found on disk, loaded or with the error that stopped it."""

    name: str
    kind: str
    origin: str
    path: Path
    title: str = ""
    error: str | None = None
    conflict: Path | None = None


def builtin_dir() -> Path:
    return resource_path("templates")


def user_dir() -> Path:
    return Path(platformdirs.user_data_dir("edgegui", appauthor=False)) / "templates"


def load_template_file(path: Path, *, origin: str = "file") -> Template:
    """Load and check one template or add-on file."""
    try:
        document = load_yaml_file(path)
    except YamlError as exc:
        raise TemplateError(str(exc)) from None
    if not isinstance(document.data, dict):
        raise template_error(
            document, (), "a template must be a mapping (schema_version, metadata, …)"
        )
    _migrate(document)
    validate_template_document(document)
    data = document.data
    meta = data["metadata"]
    kind = data.get("kind", "template")
    parameters = {
        name: _parameter(document, name, raw, meta["name"])
        for name, raw in sorted((data.get("parameters") or {}).items())
    }
    slots = {
        name: _slot(document, name, raw, meta["name"])
        for name, raw in sorted((data.get("slots") or {}).items())
    }
    for name, spec in parameters.items():
        if spec.device_group is not None and spec.device_group not in slots:
            raise template_error(
                document,
                ("parameters", name, "device_group"),
                f"no slot {spec.device_group!r} in this template",
            )
    stack = read_stack(document, parameters, slots, meta["name"])
    for section, declared, used in (
        ("parameters", parameters, stack.used_parameters),
        ("slots", slots, stack.used_slots),
    ):
        for name in sorted(set(declared) - used):
            raise template_error(
                document, (section, name), f"{name} is declared but never used", key=True
            )
    return Template(
        name=meta["name"],
        kind=kind,
        title=meta["title"],
        description=meta.get("description", ""),
        version=meta["version"],
        industry=meta.get("industry", ""),
        path=path,
        origin=origin,
        parameters=parameters,
        slots=slots,
        requirements=_requirements(document),
        stack=stack,
        formats=tuple(data.get("formats", ())),
    )


def _migrate(document: YamlDocument) -> None:
    version = document.data.get("schema_version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise template_error(
            document,
            ("schema_version",),
            f"must be an integer (this EdgeGUI reads {SCHEMA_VERSION})",
        )
    oldest = min(MIGRATIONS, default=SCHEMA_VERSION)
    if not oldest <= version <= SCHEMA_VERSION:
        raise template_error(
            document,
            ("schema_version",),
            f"version {version} is not supported; this EdgeGUI reads up to {SCHEMA_VERSION}",
        )
    while version < SCHEMA_VERSION:
        document.data = MIGRATIONS[version](document.data)
        version += 1
        document.data["schema_version"] = version


def _parameter(
    document: YamlDocument, name: str, raw: dict[str, Any], origin: str
) -> ParameterSpec:
    path = ("parameters", name)
    kind = raw["type"]
    for field_name, types in FIELDS_FOR_TYPES.items():
        if field_name in raw and kind not in types:
            raise template_error(
                document,
                (*path, field_name),
                f"{field_name!r} does not apply to {kind} parameters",
                key=True,
            )
    if kind == "enum" and "values" not in raw:
        raise template_error(document, path, "an enum parameter needs 'values'")
    if kind == "secret" and "default" in raw:
        raise template_error(
            document,
            (*path, "default"),
            "a secret has no default: use 'generate: N' or require a value",
            key=True,
        )
    spec = ParameterSpec(
        name=name,
        type=kind,
        help=raw["help"],
        pattern=raw.get("pattern"),
        minimum=raw.get("min"),
        maximum=raw.get("max"),
        values=tuple(str(v) for v in raw.get("values", ())),
        schemes=tuple(raw.get("schemes", ())),
        generate=raw.get("generate"),
        device_group=raw.get("device_group"),
        origin=origin,
    )
    try:
        re.compile(raw.get("pattern", ""))
    except re.error as exc:
        raise template_error(
            document, (*path, "pattern"), f"not a regular expression: {exc}"
        ) from None
    try:
        spec.check_bounds()
    except ValueError as exc:
        raise template_error(document, path, str(exc)) from None
    if "default" not in raw:
        return spec
    try:
        return replace(spec, default=spec.coerce(raw["default"]))
    except ValueError as exc:
        raise template_error(document, (*path, "default"), f"default {exc}") from None


def _slot(document: YamlDocument, name: str, raw: dict[str, Any], origin: str) -> SlotSpec:
    path = ("slots", name)
    gpu = raw["kind"] == "gpu"
    for field_name in ("vid", "pid", "vendors", "min_memory"):
        if field_name in raw and gpu != (field_name in ("vendors", "min_memory")):
            raise template_error(
                document,
                (*path, field_name),
                f"{field_name!r} does not apply to {raw['kind']} slots",
                key=True,
            )
    if "pid" in raw and "vid" not in raw:
        raise template_error(document, (*path, "pid"), "a pid needs its vid", key=True)
    return SlotSpec(
        name=name,
        kind=raw["kind"],
        help=raw["help"],
        optional=raw.get("optional", False),
        vid=raw.get("vid"),
        pid=raw.get("pid"),
        vendors=tuple(raw.get("vendors", ())),
        min_memory_mib=_mebibytes(document, (*path, "min_memory"), raw.get("min_memory")),
        origin=origin,
    )


def _mebibytes(document: YamlDocument, path: tuple[str, ...], value: Any) -> int | None:
    if value is None:
        return None
    try:
        return parse_size(value) // (1 << 20)
    except ValueError as exc:
        raise template_error(document, path, str(exc)) from None


def _requirements(document: YamlDocument) -> Requirements:
    raw = document.data.get("requirements") or {}
    return Requirements(
        architectures=tuple(raw.get("architectures", ())),
        min_memory_mib=_mebibytes(document, ("requirements", "min_memory"), raw.get("min_memory"))
        or 0,
        min_disk_mib=_mebibytes(document, ("requirements", "min_disk"), raw.get("min_disk")) or 0,
        engine_features=tuple(raw.get("engine_features", ())),
    )


def _scan(folder: Path, origin: str) -> list[tuple[TemplateEntry, Template | None]]:
    found: list[tuple[TemplateEntry, Template | None]] = []
    for path in sorted([*folder.glob("*.yaml"), *folder.glob("addons/*.yaml")]):
        try:
            template = load_template_file(path, origin=origin)
        except TemplateError as exc:
            kind = "addon" if path.parent.name == "addons" else "template"
            found.append((TemplateEntry(path.stem, kind, origin, path, error=str(exc)), None))
            continue
        entry = TemplateEntry(template.name, template.kind, origin, path, title=template.title)
        if path.stem == template.name:
            found.append((entry, template))
        else:
            problem = f"{path}: file name must be {template.name}.yaml (metadata.name)"
            found.append((replace(entry, error=problem), None))
    return found


def _catalogue() -> list[tuple[TemplateEntry, Template | None]]:
    found = _scan(builtin_dir(), "built-in") + _scan(user_dir(), "user")
    paths: dict[tuple[str, str], list[Path]] = {}
    for entry, _ in found:
        paths.setdefault((entry.kind, entry.name), []).append(entry.path)
    marked = []
    for entry, template in found:
        others = [p for p in paths[(entry.kind, entry.name)] if p != entry.path]
        marked.append((replace(entry, conflict=others[0]) if others else entry, template))
    return marked


def _only_file_named(name: str, kind: str) -> Template | None:
    """The template when exactly one folder holds ``name.yaml`` and it loads as ``name``.

    Checking one file instead of every template keeps a command quick; anything unusual
    (two files, a load error, another name inside) goes through the full catalogue, which
    explains it.
    """
    sub = "addons/" if kind == "addon" else ""
    found = [p for p in (builtin_dir(), user_dir()) if (p / f"{sub}{name}.yaml").is_file()]
    if len(found) != 1:
        return None
    origin = "built-in" if found[0] == builtin_dir() else "user"
    try:
        template = load_template_file(found[0] / f"{sub}{name}.yaml", origin=origin)
    except TemplateError:
        return None
    return template if template.name == name and template.kind == kind else None


def list_templates(kind: str | None = None) -> list[TemplateEntry]:
    """Every template and add-on found, built-in first, with load errors and conflicts."""
    return [entry for entry, _ in _catalogue() if kind is None or entry.kind == kind]


def loaded_templates(kind: str | None = None) -> list[tuple[TemplateEntry, Template]]:
    """Every template (or add-on) that loads, with the Template the scan loaded."""
    return [(e, t) for e, t in _catalogue() if t is not None and (kind is None or e.kind == kind)]


def load_template(name_or_path: str, *, kind: str = "template") -> Template:
    """Load a template (or add-on, ``kind="addon"``) by name, or from a file path."""
    if "/" in name_or_path or name_or_path.endswith((".yaml", ".yml")):
        template = load_template_file(Path(name_or_path).expanduser())
        if template.kind != kind:
            raise TemplateError(
                f"{name_or_path}: this file is {_ARTICLE[template.kind]}, not {_ARTICLE[kind]}"
            )
        return template
    quick = _only_file_named(name_or_path, kind)
    if quick is not None:
        return quick
    catalogue = _catalogue()
    matches = [(e, t) for e, t in catalogue if e.kind == kind and e.name == name_or_path]
    if not matches:
        names = sorted({e.name for e, _ in catalogue if e.kind == kind})
        close = difflib.get_close_matches(name_or_path, names, n=1)
        hint = f"did you mean {close[0]}?" if close else f"known: {', '.join(names) or 'none'}"
        raise TemplateNotFound(f"no {kind} named {name_or_path!r} ({hint})")
    entry, found = matches[0]
    if entry.conflict is not None:
        raise TemplateError(
            f"{kind} {name_or_path!r} is defined twice, in {entry.path} and {entry.conflict}; "
            "rename one (metadata.name and file name) or pass the file path"
        )
    if found is None:
        raise TemplateError(entry.error or f"{entry.path}: cannot be loaded")
    return found
