"""The parser knows every verb without importing what runs it (edgegui/cli/main.py)."""

from __future__ import annotations

import argparse
import subprocess
import sys

import pytest

from edgegui.cli.main import build_parser, load_handler
from edgegui.cli.verbs import RENDER_FORMATS, VERBS
from edgegui.core.templates import FORMATS

HEAVY = ("paramiko", "docker", "jsonschema", "yaml", "PySide6", "requests", "keyring", "serial")


def imported_modules(*args: str) -> set[str]:
    """Top-level packages a whole ``python -m edgegui ARGS`` process imported."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "edgegui", *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    names = set()
    for line in result.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            names.add(line.rsplit("|", 1)[1].strip().split(".")[0])
    assert names, result.stderr[-2000:]
    return names


@pytest.mark.parametrize("args", [("--version",), ("--help",), ("deploy", "--help")])
def test_version_and_help_import_no_heavy_library(args: tuple[str, ...]) -> None:
    assert sorted(set(HEAVY) & imported_modules(*args)) == []


def _handlers(parser: argparse.ArgumentParser) -> list[str]:
    found = [parser.get_default("handler")]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                found += _handlers(sub)
    return [h for h in found if h]


def test_every_verb_names_a_handler_that_exists() -> None:
    handlers = _handlers(build_parser())
    assert len(handlers) >= 16
    for spec in handlers:
        assert callable(load_handler(spec)), spec


def test_render_formats_match_the_core() -> None:
    assert tuple(FORMATS) == RENDER_FORMATS


def test_each_verb_is_listed_under_the_name_it_adds() -> None:
    for name in VERBS:
        parser = build_parser((name,))
        (verbs,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
        assert list(verbs.choices) == [name]
