"""The project's one YAML loader: strict keys, YAML 1.2 scalars, located errors, stable dumps."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from edgegui.core.yamlload import (
    MAX_FILE_BYTES,
    YamlError,
    dump_yaml,
    dump_yaml_documents,
    load_yaml,
    load_yaml_document,
    load_yaml_file,
)


def test_scalars_resolve_as_yaml_1_2() -> None:
    data = load_yaml(
        "a: on\nb: no\nc: yes\nd: 8080:80\ne: 0403\nf: true\ng: 1\nh: 1.5\ni: ~\nj: 2024-05-01\n"
        "k: 0o17\nl: 1:30\nm: FALSE\n"
    )
    assert data == {
        "a": "on",
        "b": "no",
        "c": "yes",
        "d": "8080:80",
        "e": "0403",
        "f": True,
        "g": 1,
        "h": 1.5,
        "i": None,
        "j": "2024-05-01",
        "k": "0o17",
        "l": "1:30",
        "m": False,
    }


def test_duplicate_key_is_an_error_at_its_line() -> None:
    with pytest.raises(YamlError) as caught:
        load_yaml("services:\n  web: {}\n  db: {}\n  web: {}\n", "stack.yaml")
    assert str(caught.value) == "stack.yaml:4:3: duplicate key 'web' (first defined on line 2)"


def test_merge_key_overrides_are_not_duplicates() -> None:
    data = load_yaml("base: &base {a: 1, b: 2}\nchild:\n  <<: *base\n  b: 3\n")
    assert data["child"] == {"a": 1, "b": 3}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: [1,\n", "bad.yaml:2:1: expected the node content"),
        ("a: 1\n---\nb: 2\n", "bad.yaml:2:1: but found another document"),
        ("a:\n\tb: 1\n", "bad.yaml:2:1: found character '\\t' that cannot start any token"),
        ("? [1, 2]\n: x\n", "bad.yaml:1:3: a mapping key must be a plain value"),
    ],
)
def test_syntax_errors_are_one_located_line(text: str, expected: str) -> None:
    with pytest.raises(YamlError) as caught:
        load_yaml(text, "bad.yaml")
    assert str(caught.value).startswith(expected)
    assert "\n" not in str(caught.value)


def test_alias_expansion_is_bounded() -> None:
    lines = ["l0: &l0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 10) + "]" for i in range(1, 8)]
    with pytest.raises(YamlError, match="too many aliases"):
        load_yaml("\n".join(lines) + "\n", "bomb.yaml")


def test_deep_nesting_and_huge_files_are_refused() -> None:
    with pytest.raises(YamlError, match="nesting is too deep"):
        load_yaml("[" * 20000 + "]" * 20000)
    with pytest.raises(YamlError, match="larger than"):
        load_yaml("a: " + "x" * MAX_FILE_BYTES)


def test_non_utf8_and_unreadable_files(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes(b"name: caf\xe9\n")
    with pytest.raises(YamlError, match=r"latin1\.yaml: not UTF-8 text \(byte 9\)"):
        load_yaml_file(path)
    with pytest.raises(YamlError, match="missing.yaml: cannot read"):
        load_yaml_file(tmp_path / "missing.yaml")


def test_locations_of_keys_values_and_nearest_parent() -> None:
    document = load_yaml_document("a:\n  b: [10, {c: d}]\n", "f.yaml")
    assert str(document.location(("a", "b", 1, "c"))) == "f.yaml:2:15"
    assert str(document.location(("a", "b"), key=True)) == "f.yaml:2:3"
    assert str(document.location(("a", "b", 1, "missing"))) == "f.yaml:2:11"
    assert str(document.error(("a",), "broken")) == "f.yaml:2:3: broken"


@pytest.mark.parametrize(
    "value",
    [
        *("on", "8080:59", "0403", "1e3", "1E+3", ".5", "+12", "0o17", "0x1F", ".inf", "null"),
        *("", "- x", "#x", "a: b", "$$(x)", "two\nlines\n", True, 7, 1.5),
    ],
)
def test_dump_round_trips_tricky_scalars(value: object) -> None:
    text = dump_yaml({"key": value})
    assert load_yaml(text) == {"key": value}
    if isinstance(value, str) and value:
        # The strict loader and a YAML 1.1 reader must both see a string.
        assert yaml.safe_load(text) == {"key": value}


def test_dump_is_sorted_without_anchors_and_deterministic() -> None:
    shared = {"z": 1, "a": [1, 2]}
    first = dump_yaml({"b": shared, "a": shared})
    assert first == dump_yaml({"a": shared, "b": shared})
    assert "&" not in first and "*" not in first
    assert first.index("a:") < first.index("b:")
    assert dump_yaml_documents([{"x": 1}, {"y": 2}]) == "---\nx: 1\n---\ny: 2\n"
