"""Secret redaction for diagnostics: known values, secret-looking names, URL passwords.

A value is secret when the user or a template says so (parameters of type ``secret``,
rendered secret files) or when it sits in an environment variable whose name ends in
TOKEN, PASSWORD, PASSWD, SECRET, KEY or CREDENTIALS. Every such value is then removed
from every text in the bundle (logs and journal included), in the encodings it is
likely to appear in (JSON-escaped, URL-quoted, base64).
"""

from __future__ import annotations

import base64
import json
import re
import urllib.parse
from collections.abc import Iterable, Mapping
from typing import Any

MASK = "[REDACTED]"
MIN_GLOBAL_LENGTH = 4  # shorter values are masked only where a secret name points at them
SECRET_NAME = re.compile(r"(TOKEN|PASSWORD|PASSWD|SECRET|KEY|CREDENTIALS?)$", re.IGNORECASE)
_WORD = r"(?:TOKEN|PASSWORD|PASSWD|SECRET|KEY|CREDENTIALS?)"
# In free text the secret word must be a whole part of the name (API_KEY, db.password,
# apiKey), so that "monkey=banana" stays readable.
_NAME = rf"(?<![A-Za-z0-9])(?:[A-Za-z0-9]+[_.-]|[a-z0-9]+(?=(?-i:[A-Z])))*{_WORD}"
# NAME=value, NAME: value, "NAME": "value", --name=value, --name value in free text.
_ASSIGNMENT = re.compile(
    rf"""(?ix)
    (?P<head>(?:--(?P<flag>{_NAME})["']?\s*(?:=|\s)|(?P<name>{_NAME})["']?\s*[=:])\s*["']?)
    (?P<value>[^\s"',;&]+)
    """
)
_URL_PASSWORD = re.compile(
    r"(?P<head>[a-z][a-z0-9+.-]*://[^:/\s@]+:)(?P<value>[^@\s/]+)(?=@)", re.I
)
_BEARER = re.compile(r"(?P<head>\b(?:Bearer|Basic)\s+)(?P<value>[A-Za-z0-9._~+/=-]{8,})")


def is_secret_name(name: str) -> bool:
    return bool(SECRET_NAME.search(name.strip()))


def secret_template_values(values: Mapping[str, Any], secret_names: Iterable[str]) -> list[str]:
    """The values of a template's secret parameters (a ResolvedValues' two fields)."""
    return [str(values[n]) for n in secret_names if n in values and values[n] not in (None, "")]


class Redactor:
    """Collects secret values, then masks them (and secret-looking assignments) in texts."""

    def __init__(self, secret_values: Iterable[str] = ()) -> None:
        self._values: set[str] = set()
        self.masked = 0
        for value in secret_values:
            self.add(value)

    def __repr__(self) -> str:
        return f"Redactor({len(self._values)} values)"

    def add(self, value: str) -> None:
        value = str(value)
        if len(value.strip()) >= MIN_GLOBAL_LENGTH:
            self._values.add(value)

    def learn_from_inspect(self, inspect: Mapping[str, Any]) -> None:
        """Remember the values of a container's secret-looking environment variables."""
        for entry in (inspect.get("Config") or {}).get("Env") or []:
            name, sep, value = str(entry).partition("=")
            if sep and is_secret_name(name):
                self.add(value)

    def variants(self) -> list[str]:
        """Each value in the encodings engine output may hold it in, longest first."""
        variants: set[str] = set()
        for value in self._values:
            variants.add(value)
            variants.add(json.dumps(value)[1:-1])
            variants.add(urllib.parse.quote(value, safe=""))
            variants.add(urllib.parse.quote_plus(value))
            variants.add(base64.b64encode(value.encode()).decode().rstrip("="))
        # Longest first, so a value containing another is masked whole.
        return sorted((v for v in variants if len(v) >= MIN_GLOBAL_LENGTH), key=len, reverse=True)

    def holds_known(self, text: str) -> bool:
        """Whether ``text`` still contains a known secret value in any of its encodings."""
        return any(variant in text for variant in self.variants())

    def text(self, text: str) -> str:
        """``text`` with every known secret value and secret-looking assignment masked."""
        for variant in self.variants():
            if variant in text:
                self.masked += text.count(variant)
                text = text.replace(variant, MASK)
        text = _URL_PASSWORD.sub(self._mask_match, text)
        text = _BEARER.sub(self._mask_match, text)
        return _ASSIGNMENT.sub(self._mask_match, text)

    def _mask_match(self, match: re.Match[str]) -> str:
        if match.group("value") == MASK or match.group("value").startswith(MASK):
            return match.group(0)
        self.masked += 1
        return match.group("head") + MASK

    def tree(self, tree: Any) -> Any:
        """A JSON-like tree (inspect output) with env values, flag values and strings masked."""
        if isinstance(tree, Mapping):
            out: dict[str, Any] = {}
            for key, value in tree.items():
                if isinstance(value, str) and is_secret_name(str(key)) and value:
                    self.masked += 1
                    out[key] = MASK
                else:
                    out[self.text(str(key)) if isinstance(key, str) else key] = self.tree(value)
            return out
        if isinstance(tree, list):
            return self._list(tree)
        if isinstance(tree, str):
            return self.text(tree)
        return tree

    def _list(self, items: list[Any]) -> list[Any]:
        out: list[Any] = []
        mask_next = False
        for item in items:
            if mask_next and isinstance(item, str):
                self.masked += 1
                out.append(MASK)
                mask_next = False
                continue
            mask_next = False
            if isinstance(item, str):
                name, sep, value = item.partition("=")
                if sep and is_secret_name(name.lstrip("-")) and value:
                    self.masked += 1
                    out.append(f"{name}={MASK}")
                    continue
                # ["--db-password", "value"]: the flag names the next argument as secret.
                mask_next = item.startswith("-") and not sep and is_secret_name(item.lstrip("-"))
            out.append(self.tree(item))
        return out
