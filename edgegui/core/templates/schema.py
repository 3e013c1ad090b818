"""JSON Schema of template files (schema_version 1) and one-line, located error messages.

The stack body is a strict subset of the Compose specification: anything outside it is an
"unknown field" error, so a template cannot smuggle in settings the renderers do not handle.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from functools import cache
from typing import TYPE_CHECKING, Any

from edgegui.core.templates.errors import TemplateError
from edgegui.core.templates.hardening import WAIVER_RULES
from edgegui.core.templates.parameters import PARAMETER_TYPES
from edgegui.core.templates.rendered import FORMATS
from edgegui.core.templates.requirements import ARCHITECTURES, ENGINE_FEATURES
from edgegui.core.templates.seccomp import APPARMOR_NAME, PROFILE_NAME
from edgegui.core.templates.slots import GPU_VENDORS, SLOT_KINDS
from edgegui.core.yamlload import YamlDocument

if TYPE_CHECKING:
    import jsonschema
    from jsonschema.exceptions import ValidationError

SCHEMA_VERSION = 1
SERVICE_NAME = r"^[a-z]([a-z0-9-]{0,38}[a-z0-9])?$"
OBJECT_NAME = r"^[a-z]([a-z0-9-]{0,38}[a-z0-9])?$"

_TEXT = {"type": "string"}
_STRINGS = {"type": "array", "items": _TEXT}
_NUMBER_OR_TEXT = {"type": ["number", "string"]}
_INT_OR_TEXT = {"type": ["integer", "string"]}
_CAPABILITIES = {"type": "array", "items": {"type": "string", "pattern": "^[A-Z][A-Z_0-9]*$"}}


def _closed(properties: dict[str, Any], required: Sequence[str] = ()) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": properties,
        "required": list(required),
        "additionalProperties": False,
    }


def _named(pattern: str, value: Any, hint: str) -> dict[str, Any]:
    return {
        "type": "object",
        "propertyNames": {"pattern": pattern, "description": hint},
        "additionalProperties": value,
    }


def _list_of(*long_forms: dict[str, Any]) -> dict[str, Any]:
    return {"type": "array", "items": {"anyOf": [_TEXT, *long_forms]}}


_PARAMETER = _closed(
    {
        "type": {"enum": list(PARAMETER_TYPES)},
        "help": {"type": "string", "minLength": 1},
        "default": {"type": ["string", "integer", "boolean"]},
        "pattern": _TEXT,
        "min": _INT_OR_TEXT,
        "max": _INT_OR_TEXT,
        "values": {"type": "array", "items": {"type": ["string", "integer"]}, "minItems": 1},
        "schemes": {
            "type": "array",
            "items": {"type": "string", "pattern": "^[a-z][a-z0-9+.-]*$"},
            "minItems": 1,
        },
        "generate": {"type": "integer", "minimum": 16, "maximum": 256},
        "device_group": {"type": "string", "pattern": "^[a-z][a-z0-9_]{0,31}$"},
    },
    required=("type", "help"),
)

_SLOT = _closed(
    {
        "kind": {"enum": list(SLOT_KINDS)},
        "help": {"type": "string", "minLength": 1},
        "optional": {"type": "boolean"},
        "vid": {"type": "string", "pattern": "^[0-9a-f]{4}$", "description": "4 hex digits"},
        "pid": {"type": "string", "pattern": "^[0-9a-f]{4}$", "description": "4 hex digits"},
        "vendors": {"type": "array", "items": {"enum": list(GPU_VENDORS)}, "minItems": 1},
        "min_memory": _INT_OR_TEXT,
    },
    required=("kind", "help"),
)

_HEALTHCHECK = _closed(
    {
        "test": {
            "type": "array",
            "items": _TEXT,
            "minItems": 2,
            "prefixItems": [{"enum": ["CMD", "CMD-SHELL"]}],
        },
        "interval": _TEXT,
        "timeout": _TEXT,
        "start_period": _TEXT,
        "retries": {"type": "integer", "minimum": 1},
    },
    required=("test",),
)

_SERVICE = _closed(
    {
        "image": _TEXT,
        "command": _STRINGS,
        "entrypoint": _STRINGS,
        "environment": _named(
            "^[A-Za-z_][A-Za-z0-9_]*$",
            {"type": ["string", "number", "boolean"]},
            "an environment variable name",
        ),
        "devices": _list_of(
            _closed({"source": _TEXT, "target": _TEXT, "permissions": {"enum": ["r", "rw", "rwm"]}})
        ),
        "volumes": _list_of(
            _closed(
                {
                    "type": {"enum": ["volume", "bind"]},
                    "source": _TEXT,
                    "target": _TEXT,
                    "read_only": {"type": "boolean"},
                },
                required=("type", "source", "target"),
            )
        ),
        "ports": _list_of(
            _closed(
                {
                    "target": _INT_OR_TEXT,
                    "published": _INT_OR_TEXT,
                    "host_ip": _TEXT,
                    "protocol": {"enum": ["tcp", "udp"]},
                },
                required=("target", "published"),
            )
        ),
        "expose": {"type": "array", "items": _INT_OR_TEXT},
        "secrets": _list_of(_closed({"source": _TEXT, "target": _TEXT}, required=("source",))),
        "configs": _list_of(_closed({"source": _TEXT, "target": _TEXT}, required=("source",))),
        "healthcheck": _HEALTHCHECK,
        "labels": _named("^[a-z0-9][a-z0-9.-]*$", _TEXT, "a label key such as com.example.role"),
        "user": _TEXT,
        "working_dir": _TEXT,
        "read_only": {"type": "boolean"},
        "privileged": {"type": "boolean"},
        "network_mode": {"enum": ["host", "bridge"]},
        "cap_add": _CAPABILITIES,
        "cap_drop": _CAPABILITIES,
        "tmpfs": _STRINGS,
        "mem_limit": _INT_OR_TEXT,
        "cpus": _NUMBER_OR_TEXT,
        "pids_limit": _INT_OR_TEXT,
        "restart": {"enum": ["no", "always", "on-failure", "unless-stopped"]},
        "depends_on": {"type": "array", "items": {"type": "string", "pattern": SERVICE_NAME}},
        "group_add": {"type": "array", "items": _INT_OR_TEXT},
        "stop_grace_period": _TEXT,
        # Swarm placement (``node.role == manager``); other formats say they cannot place.
        "deploy": _closed(
            {
                "placement": _closed(
                    {"constraints": {"type": "array", "items": _TEXT, "minItems": 1}},
                    required=("constraints",),
                )
            },
            required=("placement",),
        ),
        "init": {"type": "boolean"},
        "x-edgegui": _closed(
            {
                "gpu": _TEXT,
                "seccomp": {
                    "type": "string",
                    "pattern": PROFILE_NAME,
                    "description": "the name of a built-in seccomp profile, e.g. edge-clock",
                },
                "apparmor": {
                    "type": "string",
                    "pattern": APPARMOR_NAME,
                    "description": "the name of an AppArmor profile loaded on the device",
                },
                "waivers": {
                    "type": "object",
                    "propertyNames": {"enum": list(WAIVER_RULES)},
                    "additionalProperties": {"type": "string", "minLength": 10},
                },
            }
        ),
    },
    required=("image",),
)

_VOLUME = {
    "type": ["object", "null"],
    "properties": {"x-edgegui": _closed({"size": _INT_OR_TEXT})},
    "additionalProperties": False,
}

TEMPLATE_SCHEMA: dict[str, Any] = _closed(
    {
        "schema_version": {"type": "integer"},
        "kind": {"enum": ["template", "addon"]},
        # The only output formats the stack can run in (e.g. [swarm]); default: every format.
        "formats": {"type": "array", "items": {"enum": list(FORMATS)}, "minItems": 1},
        "metadata": _closed(
            {
                "name": {
                    "type": "string",
                    "pattern": "^[a-z][a-z0-9-]{0,39}$",
                    "description": "lower-case letters, digits and '-'",
                },
                "industry": {"type": "string", "pattern": "^[a-z][a-z0-9-]{0,39}$"},
                "title": {"type": "string", "minLength": 1, "maxLength": 80},
                "description": _TEXT,
                "version": {
                    "type": "string",
                    "pattern": r"^[0-9]+\.[0-9]+\.[0-9]+$",
                    "description": "MAJOR.MINOR.PATCH",
                },
            },
            required=("name", "title", "version", "description"),
        ),
        "parameters": _named("^[A-Z][A-Z0-9_]{0,63}$", _PARAMETER, "UPPER_CASE letters and digits"),
        "slots": _named("^[a-z][a-z0-9_]{0,31}$", _SLOT, "lower_case letters and digits"),
        "requirements": _closed(
            {
                "architectures": {"type": "array", "items": {"enum": list(ARCHITECTURES)}},
                "min_memory": _INT_OR_TEXT,
                "min_disk": _INT_OR_TEXT,
                "engine_features": {"type": "array", "items": {"enum": sorted(ENGINE_FEATURES)}},
            }
        ),
        "stack": _closed(
            {
                "services": {
                    **_named(SERVICE_NAME, _SERVICE, "lower-case letters, digits and '-'"),
                    "minProperties": 1,
                },
                "volumes": _named(OBJECT_NAME, _VOLUME, "lower-case letters, digits and '-'"),
                "networks": _closed(
                    {
                        "default": _closed(
                            {
                                "attachable": {"type": "boolean"},
                                "labels": _named(
                                    "^[a-z0-9][a-z0-9.-]*$", _TEXT, "a label key such as openfaas"
                                ),
                            }
                        )
                    }
                ),
                "configs": _named(
                    OBJECT_NAME,
                    _closed({"content": _TEXT}, required=("content",)),
                    "lower-case letters, digits and '-'",
                ),
            },
            required=("services",),
        ),
    },
    required=("schema_version", "metadata", "stack"),
)


@cache
def _validator() -> jsonschema.Draft202012Validator:
    """Built on first use: importing jsonschema and compiling the schema take a while."""
    import jsonschema

    return jsonschema.Draft202012Validator(TEMPLATE_SCHEMA)


def validate_template_document(document: YamlDocument) -> None:
    """Raise TemplateError at the first schema violation, as ``file:line:column: what``."""
    errors = list(_validator().iter_errors(document.data))
    if not errors:
        return
    path, message, at_key = _explain(_most_specific(errors))
    raise template_error(document, path, message, key=at_key)


def template_error(
    document: YamlDocument, path: Sequence[Any], message: str, *, key: bool = False
) -> TemplateError:
    """``file:line:column: dotted.path: message`` for a problem at ``path``."""
    dotted = _dotted(path)
    prefix = f"{dotted}: " if dotted else ""
    return TemplateError(f"{document.location(path, key=key)}: {prefix}{message}")


def _most_specific(errors: list[ValidationError]) -> ValidationError:
    """The deepest error; inside "one of these forms", the form that has the right type."""

    def depth(error: ValidationError) -> tuple[int, bool]:
        return (len(error.absolute_path), error.validator not in ("anyOf", "oneOf"))

    best = max(errors, key=depth)
    while best.validator in ("anyOf", "oneOf") and best.context:
        same_place = tuple(best.absolute_path)
        relevant = [
            e
            for e in best.context
            if not (e.validator == "type" and tuple(e.absolute_path) == same_place)
        ]
        if not relevant:
            break
        best = max(relevant, key=depth)
    return best


def _explain(error: ValidationError) -> tuple[tuple[Any, ...], str, bool]:
    path = tuple(error.absolute_path)
    kind = error.validator
    schema = error.schema if isinstance(error.schema, dict) else {}
    if kind == "additionalProperties" and isinstance(error.instance, dict):
        allowed = sorted(schema.get("properties", {}))
        extra = sorted(k for k in error.instance if k not in allowed)
        name = str(extra[0]) if extra else "?"
        close = difflib.get_close_matches(name, allowed, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else _allowed_hint(allowed)
        return (*path, name), f"unknown field {name!r}{hint}", True
    if kind == "propertyNames":
        name = str(error.instance)
        what = error.validator_value.get("description", "")
        detail = f"must be {what}" if what else error.message
        if "enum" in error.validator_value:
            detail = f"must be one of {', '.join(error.validator_value['enum'])}"
        return (*path, name), f"invalid name {name!r}: {detail}", True
    if kind == "required":
        missing = str(error.validator_value[0]) if error.validator_value else "?"
        for field_name in error.validator_value:
            if isinstance(error.instance, dict) and field_name not in error.instance:
                missing = str(field_name)
                break
        return path, f"missing required field {missing!r}", False
    if kind == "type":
        expected = error.validator_value
        names = " or ".join(expected) if isinstance(expected, list) else str(expected)
        got = _type_name(error.instance)
        if isinstance(error.instance, str | int | float) and not isinstance(error.instance, bool):
            got += f" {error.instance!r}"
        return path, f"must be {names.replace('object', 'a mapping')}, got {got}", False
    if kind == "enum":
        return (
            path,
            f"must be one of {', '.join(map(str, error.validator_value))}; got {error.instance!r}",
            False,
        )
    if kind == "pattern":
        what = schema.get("description")
        detail = f"must be {what}" if what else f"must match {error.validator_value}"
        return path, f"{error.instance!r}: {detail}", False
    if kind == "minLength" and error.validator_value > 1:
        return path, f"must be at least {error.validator_value} characters", False
    if kind in ("minProperties", "minItems", "minLength"):
        return path, "must not be empty", False
    if kind in ("anyOf", "oneOf"):
        return path, f"has the wrong form ({_type_name(error.instance)})", False
    return path, " ".join(error.message.split()), False


def _allowed_hint(allowed: list[str]) -> str:
    if not allowed:
        return ""
    return f" (allowed: {', '.join(allowed)})" if len(allowed) <= 12 else ""


def _type_name(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "a boolean"
    return {"dict": "a mapping", "list": "a list", "str": "text", "int": "an integer"}.get(
        type(value).__name__, type(value).__name__
    )


def _dotted(path: Sequence[Any]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out
