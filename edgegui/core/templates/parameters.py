"""Typed template parameters: declaration, validation of values, and ``--set K=V`` parsing.

Secret values never appear in an error message.
"""

from __future__ import annotations

import difflib
import ipaddress
import re
import secrets
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from edgegui.core.templates.errors import ParameterError
from edgegui.core.templates.units import parse_duration, parse_size

PARAMETER_NAME_RE = re.compile(r"^[A-Z][A-Z0-9_]{0,63}$")
MAX_VALUE_LENGTH = 4096
# Docker image reference: [registry[:port]/]path[:tag][@sha256:digest], lowercase path.
_IMAGE_RE = re.compile(
    r"^(?:[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?(?::[0-9]{1,5})?/)?"
    r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*"
    r"(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$"
)
# Host paths a user may give: absolute, plain characters, no "..", nothing a shell or a
# Compose short syntax would split on.
_PATH_RE = re.compile(r"^(?:/[A-Za-z0-9._@%+=,-]+)+/?$|^/$")
_TRUE_WORDS = {"true", "yes", "on", "1"}
_FALSE_WORDS = {"false", "no", "off", "0"}


@dataclass(frozen=True)
class ParameterSpec:
    """One declared parameter. ``default`` is already validated; None means required."""

    name: str
    type: str
    help: str
    default: Any = None
    pattern: str | None = None
    minimum: Any = None
    maximum: Any = None
    values: tuple[str, ...] = ()
    schemes: tuple[str, ...] = ()
    generate: int | None = None
    # Filled from the device when not given: the group owning this slot's device node.
    device_group: str | None = None
    origin: str = ""

    @property
    def secret(self) -> bool:
        return self.type == "secret"

    @property
    def required(self) -> bool:
        return self.default is None and self.generate is None

    def coerce(self, raw: Any) -> Any:
        """The typed value of ``raw``; ValueError names the problem (never a secret value)."""
        if raw is None:
            raise ValueError("has no value")
        return _COERCERS[self.type](self, raw)

    def check_bounds(self) -> None:
        """ValueError if ``min`` or ``max`` make no sense for this parameter."""
        low = _limit(self, self.minimum)
        high = _limit(self, self.maximum)
        if low is not None and high is not None and low > high:
            raise ValueError(f"min {self.minimum} is above max {self.maximum}")

    def describe(self) -> dict[str, Any]:
        """Plain description for ``templates show`` (defaults of secrets are never shown)."""
        out: dict[str, Any] = {"name": self.name, "type": self.type, "help": self.help}
        if self.default is not None and not self.secret:
            out["default"] = self.default
        out["required"] = self.required
        for key in ("pattern", "minimum", "maximum", "generate", "device_group"):
            if getattr(self, key) is not None:
                out[key] = getattr(self, key)
        if self.values:
            out["values"] = list(self.values)
        if self.schemes:
            out["schemes"] = list(self.schemes)
        return out


def _text(spec: ParameterSpec, raw: Any) -> str:
    if isinstance(raw, bool) or not isinstance(raw, str | int | float):
        raise ValueError(f"must be text, got {type(raw).__name__}")
    text = str(raw)
    if len(text) > MAX_VALUE_LENGTH:
        raise ValueError(f"is longer than {MAX_VALUE_LENGTH} characters")
    if any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in text):
        raise ValueError("contains control characters (newline, tab, escape …)")
    if spec.pattern and not re.fullmatch(spec.pattern, text):
        shown = "the secret value" if spec.secret else _shown(text)
        raise ValueError(f"{shown} does not match the pattern {spec.pattern}")
    return text


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "…'"


def _coerce_string(spec: ParameterSpec, raw: Any) -> str:
    return _text(spec, raw)


def _coerce_secret(spec: ParameterSpec, raw: Any) -> str:
    text = _text(spec, raw)
    if not text:
        raise ValueError("secret value is empty")
    return text


def _coerce_int(spec: ParameterSpec, raw: Any) -> int:
    if isinstance(raw, bool):
        raise ValueError("must be an integer, got a boolean")
    if isinstance(raw, int):
        value = raw
    elif isinstance(raw, str) and re.fullmatch(r"[-+]?[0-9]{1,18}", raw.strip()):
        value = int(raw.strip())
    else:
        raise ValueError(f"must be an integer, got {_shown(raw)}")
    _check_range(spec, value, value, str(value))
    return value


def _check_range(spec: ParameterSpec, value: float, shown_value: Any, shown: str) -> None:
    low = _limit(spec, spec.minimum)
    high = _limit(spec, spec.maximum)
    if (low is not None and value < low) or (high is not None and value > high):
        bounds = f"from {spec.minimum} to {spec.maximum}"
        if spec.maximum is None:
            bounds = f"at least {spec.minimum}"
        elif spec.minimum is None:
            bounds = f"at most {spec.maximum}"
        raise ValueError(f"must be {bounds}, got {shown}")


def _limit(spec: ParameterSpec, bound: Any) -> float | None:
    if bound is None:
        return None
    if spec.type == "duration":
        return parse_duration(str(bound))
    if spec.type == "size":
        return float(parse_size(bound))
    if isinstance(bound, int) and not isinstance(bound, bool):
        return float(bound)
    raise ValueError(f"bound {bound!r} must be an integer")


def _coerce_bool(spec: ParameterSpec, raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    word = str(raw).strip().lower()
    if word in _TRUE_WORDS:
        return True
    if word in _FALSE_WORDS:
        return False
    raise ValueError(f"must be true or false, got {_shown(raw)}")


def _coerce_enum(spec: ParameterSpec, raw: Any) -> str:
    text = str(raw).strip() if not isinstance(raw, bool) else str(raw).lower()
    if text not in spec.values:
        raise ValueError(f"must be one of {', '.join(spec.values)}; got {_shown(raw)}")
    return text


def _coerce_duration(spec: ParameterSpec, raw: Any) -> str:
    text = str(raw).strip()
    try:
        seconds = parse_duration(text)
    except ValueError as exc:
        raise ValueError(f"{exc}, got {_shown(raw)}") from None
    _check_range(spec, seconds, text, text)
    return text


def _coerce_size(spec: ParameterSpec, raw: Any) -> str:
    text = str(raw).strip()
    try:
        size = parse_size(raw if isinstance(raw, int) and not isinstance(raw, bool) else text)
    except ValueError as exc:
        raise ValueError(f"{exc}, got {_shown(raw)}") from None
    _check_range(spec, size, text, text)
    return text


def _coerce_path(spec: ParameterSpec, raw: Any) -> str:
    text = _text(spec, raw)
    parts = text.split("/")
    if not _PATH_RE.match(text) or ".." in parts or "." in parts:
        raise ValueError(
            "must be an absolute path of letters, digits and ._@%+=,- (no '..', spaces or ':'), "
            f"got {_shown(raw)}"
        )
    return text


def _coerce_url(spec: ParameterSpec, raw: Any) -> str:
    text = _text(spec, raw)
    schemes = spec.schemes or ("http", "https")
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        raise ValueError(f"is not a valid URL: {_shown(raw)}") from None
    if parts.scheme not in schemes or not parts.hostname:
        raise ValueError(f"must be a {'/'.join(schemes)} URL with a host, got {_shown(raw)}")
    if parts.username or parts.password:
        raise ValueError("must not carry a user name or password; use a secret parameter")
    if any(ch in text for ch in " \"'`\\<>{}|^"):
        raise ValueError(f"contains characters not allowed in a URL: {_shown(raw)}")
    return text


def _coerce_address(spec: ParameterSpec, raw: Any) -> str:
    text = _text(spec, raw).strip()
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        raise ValueError(f"must be an IPv4 or IPv6 address, got {_shown(raw)}") from None


def _coerce_image(spec: ParameterSpec, raw: Any) -> str:
    text = _text(spec, raw).strip()
    if not _IMAGE_RE.match(text) or len(text) > 255:
        raise ValueError(
            "must be an image reference such as registry.example.com/team/app:1.2, "
            f"got {_shown(raw)}"
        )
    return text


_COERCERS: dict[str, Callable[[ParameterSpec, Any], Any]] = {
    "string": _coerce_string,
    "secret": _coerce_secret,
    "int": _coerce_int,
    "bool": _coerce_bool,
    "enum": _coerce_enum,
    "duration": _coerce_duration,
    "size": _coerce_size,
    "path": _coerce_path,
    "url": _coerce_url,
    "address": _coerce_address,
    "image": _coerce_image,
}
PARAMETER_TYPES = tuple(_COERCERS)
# Which optional declaration fields make sense for which types.
FIELDS_FOR_TYPES: dict[str, frozenset[str]] = {
    "pattern": frozenset({"string", "secret"}),
    "min": frozenset({"int", "duration", "size"}),
    "max": frozenset({"int", "duration", "size"}),
    "values": frozenset({"enum"}),
    "schemes": frozenset({"url"}),
    "generate": frozenset({"secret"}),
    "device_group": frozenset({"int"}),
}


def parse_set_values(items: Iterable[str]) -> dict[str, str]:
    """Parse ``["NAME=VALUE", …]`` from the command line; the value may contain ``=``."""
    values: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        name = name.strip()
        if not sep or not PARAMETER_NAME_RE.match(name):
            shown = _shown(name if sep else item)
            raise ParameterError(f"--set {shown}: expected NAME=VALUE with an upper-case NAME")
        if name in values:
            raise ParameterError(f"--set {name}: given twice")
        values[name] = value
    return values


@dataclass
class ResolvedValues:
    """Validated values for every parameter, and which ones are secret."""

    values: dict[str, Any] = field(default_factory=dict)
    secret_names: frozenset[str] = frozenset()

    def __repr__(self) -> str:  # secrets must never reach a log through a repr
        shown = {k: ("***" if k in self.secret_names else v) for k, v in self.values.items()}
        return f"ResolvedValues({shown!r})"


def resolve_values(
    specs: Mapping[str, ParameterSpec], given: Mapping[str, Any], *, subject: str
) -> ResolvedValues:
    """Validate ``given`` against ``specs``, fill defaults and generated secrets."""
    unknown = sorted(set(given) - set(specs))
    if unknown:
        name = unknown[0]
        close = difflib.get_close_matches(name, list(specs), n=1)
        hint = f" (did you mean {close[0]}?)" if close else f" (known: {', '.join(sorted(specs))})"
        raise ParameterError(f"{subject}: unknown parameter {name}{hint}")
    resolved = ResolvedValues(secret_names=frozenset(n for n, s in specs.items() if s.secret))
    missing = []
    for name, spec in sorted(specs.items()):
        raw = given.get(name)
        if raw is None:
            if spec.default is not None:
                raw = spec.default
            elif spec.generate is not None:
                raw = secrets.token_urlsafe(spec.generate)
            else:
                missing.append(name)
                continue
        try:
            resolved.values[name] = spec.coerce(raw)
        except ValueError as exc:
            raise ParameterError(f"{subject}: parameter {name}: {exc}") from None
    if missing:
        raise ParameterError(
            f"{subject}: no value for required parameter{'s' if len(missing) > 1 else ''} "
            f"{', '.join(missing)} (set with --set NAME=VALUE; see `edgegui templates show`)"
        )
    return resolved
