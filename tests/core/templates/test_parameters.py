"""Typed parameters: every type, ranges, bad --set values and injection strings."""

from __future__ import annotations

from dataclasses import replace

import pytest

from edgegui.core.templates import ParameterError, ParameterSpec, parse_set_values
from edgegui.core.templates.parameters import resolve_values

INJECTIONS = ("$(touch /tmp/pwned)", "`touch /tmp/pwned`", "x; rm -rf /", "a\nb: c", "${HOME}")


def spec(kind: str, **fields: object) -> ParameterSpec:
    return ParameterSpec(name="P", type=kind, help="test", **fields)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kind", "fields", "raw", "value"),
    [
        ("string", {}, "gateway-01", "gateway-01"),
        ("string", {"pattern": "[a-z]+"}, "abc", "abc"),
        ("int", {"minimum": 1, "maximum": 65535}, "8080", 8080),
        ("int", {}, 7, 7),
        ("bool", {}, "yes", True),
        ("bool", {}, "OFF", False),
        ("bool", {}, True, True),
        ("enum", {"values": ("9600", "19200")}, 19200, "19200"),
        ("duration", {"minimum": "100ms", "maximum": "1h"}, "1m30s", "1m30s"),
        ("size", {"minimum": "64M"}, "1G", "1G"),
        ("path", {}, "/srv/edge-data", "/srv/edge-data"),
        (
            "url",
            {"schemes": ("https",)},
            "https://example.com:8443/a?b=c",
            "https://example.com:8443/a?b=c",
        ),
        ("address", {}, "::1", "::1"),
        ("address", {}, "192.168.7.20", "192.168.7.20"),
        (
            "image",
            {},
            "registry.example.com:5000/team/app:1.2",
            "registry.example.com:5000/team/app:1.2",
        ),
        ("image", {}, "prom/prometheus@sha256:" + "a" * 64, "prom/prometheus@sha256:" + "a" * 64),
        ("secret", {}, "s3cr3t value!", "s3cr3t value!"),
    ],
)
def test_valid_values(kind: str, fields: dict[str, object], raw: object, value: object) -> None:
    assert spec(kind, **fields).coerce(raw) == value


@pytest.mark.parametrize(
    ("kind", "fields", "raw", "problem"),
    [
        ("int", {"minimum": 1, "maximum": 65535}, "70000", "must be from 1 to 65535, got 70000"),
        ("int", {"minimum": 1}, "0", "must be at least 1"),
        ("int", {}, "8080.5", "must be an integer, got '8080.5'"),
        ("int", {}, True, "must be an integer, got a boolean"),
        ("bool", {}, "maybe", "must be true or false"),
        ("enum", {"values": ("fast", "slow")}, "medium", "must be one of fast, slow"),
        ("duration", {"maximum": "1h"}, "2h", "must be at most 1h, got 2h"),
        ("duration", {}, "5", "expected a duration"),
        ("size", {"minimum": "64M"}, "1M", "must be at least 64M"),
        ("size", {}, "lots", "expected a size"),
        ("path", {}, "relative/dir", "must be an absolute path"),
        ("path", {}, "/srv/../etc", "must be an absolute path"),
        ("path", {}, "/srv/a b", "must be an absolute path"),
        ("path", {}, "/srv/a:b", "must be an absolute path"),
        ("url", {"schemes": ("https",)}, "http://example.com", "must be a https URL"),
        ("url", {}, "https://user:pw@example.com", "must not carry a user name or password"),
        ("url", {}, "https://example.com:99999", "is not a valid URL"),
        ("url", {}, "not a url", "must be a http/https URL"),
        ("address", {}, "localhost", "must be an IPv4 or IPv6 address"),
        ("image", {}, "Bad/Image", "must be an image reference"),
        ("string", {"pattern": "[a-z]+"}, "abc1", "does not match the pattern"),
        ("string", {}, "two\nlines", "contains control characters"),
        ("string", {}, "x" * 5000, "is longer than 4096 characters"),
        ("secret", {}, "", "secret value is empty"),
    ],
)
def test_invalid_values(kind: str, fields: dict[str, object], raw: object, problem: str) -> None:
    with pytest.raises(ValueError) as caught:
        spec(kind, **fields).coerce(raw)
    assert problem in str(caught.value)


@pytest.mark.parametrize(
    "kind", ["int", "bool", "duration", "size", "path", "url", "address", "image"]
)
@pytest.mark.parametrize("injection", INJECTIONS)
def test_injection_strings_fail_every_structured_type(kind: str, injection: str) -> None:
    with pytest.raises(ValueError):
        spec(kind).coerce(injection)


def test_secret_values_never_appear_in_messages() -> None:
    secret = spec("secret", pattern="[a-z]{8}")
    for value in ("Hunter2!", "tab\tinside"):
        with pytest.raises(ValueError) as caught:
            secret.coerce(value)
        assert value not in str(caught.value)


def test_parse_set_values() -> None:
    assert parse_set_values(["A=1", "B=x=y", "C="]) == {"A": "1", "B": "x=y", "C": ""}


@pytest.mark.parametrize(
    ("items", "message"),
    [
        (["NOEQUALS"], "--set 'NOEQUALS': expected NAME=VALUE"),
        (["lower=1"], "--set 'lower': expected NAME=VALUE with an upper-case NAME"),
        (["A=1", "A=2"], "--set A: given twice"),
        (["$(reboot)=1"], "expected NAME=VALUE"),
    ],
)
def test_bad_set_values(items: list[str], message: str) -> None:
    with pytest.raises(ParameterError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_set_values(items)


SPECS = {
    "POLL_INTERVAL": replace(spec("duration"), name="POLL_INTERVAL", default="1s"),
    "DEVICE_ID": replace(spec("string"), name="DEVICE_ID"),
    "SITE": replace(spec("string"), name="SITE"),
    "TOKEN": replace(spec("secret", generate=16), name="TOKEN"),
}


def test_resolve_fills_defaults_and_generates_secrets() -> None:
    resolved = resolve_values(SPECS, {"DEVICE_ID": "gw", "SITE": "plant"}, subject="t")
    assert resolved.values["POLL_INTERVAL"] == "1s"
    token = resolved.values["TOKEN"]
    assert len(token) >= 16
    assert token not in repr(resolved)
    other = resolve_values(SPECS, {"DEVICE_ID": "gw", "SITE": "plant"}, subject="t")
    assert other.values["TOKEN"] != token


def test_resolve_names_unknown_and_missing_parameters() -> None:
    with pytest.raises(
        ParameterError,
        match=r"t: unknown parameter POLL_INTERVALL \(did you mean POLL_INTERVAL\?\)",
    ):
        resolve_values(SPECS, {"POLL_INTERVALL": "1s"}, subject="t")
    with pytest.raises(ParameterError, match="t: no value for required parameters DEVICE_ID, SITE"):
        resolve_values(SPECS, {}, subject="t")
    with pytest.raises(ParameterError, match="t: parameter POLL_INTERVAL: expected a duration"):
        resolve_values(
            SPECS, {"DEVICE_ID": "a", "SITE": "b", "POLL_INTERVAL": "$(touch /tmp/x)"}, subject="t"
        )
