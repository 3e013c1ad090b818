"""The one YAML loader and dumper of EdgeGUI (model: labgrid ``util/yaml.py``).

Loading is strict: duplicate keys are errors, every error names ``file:line:column``, and
scalars resolve as in YAML 1.2 (``on``, ``no``, ``1:30`` and ``0755`` stay strings), so a
Compose port such as ``8080:80`` is never read as a base-60 number. Dumping is deterministic.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from edgegui.core.errors import EdgeGUIError

MAX_FILE_BYTES = 1024 * 1024
# Aliases let a few lines expand to billions of nodes ("billion laughs"); walking the
# expanded tree is bounded so a hostile file fails fast instead of eating memory.
MAX_EXPANDED_NODES = 200_000

# A path into loaded data: mapping keys and sequence indexes.
DataPath = tuple[str | int, ...]


class YamlError(EdgeGUIError):
    """A YAML file is malformed; the message starts with ``file:line:column``."""


@dataclass(frozen=True)
class Location:
    """Where something is in a source file (1-based line and column)."""

    source: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.source}:{self.line}:{self.column}"

    @classmethod
    def from_mark(cls, source: str, mark: yaml.Mark) -> Location:
        return cls(source, mark.line + 1, mark.column + 1)


@dataclass
class YamlDocument:
    """Loaded data plus the location of every key and value, for precise error messages."""

    data: Any
    source: str
    value_locations: dict[DataPath, Location] = field(default_factory=dict, repr=False)
    key_locations: dict[DataPath, Location] = field(default_factory=dict, repr=False)

    def location(self, path: Sequence[str | int], *, key: bool = False) -> Location:
        """Location of ``path`` (its key with ``key=True``), or of its nearest known parent."""
        parts = tuple(path)
        while parts:
            table = self.key_locations if key else self.value_locations
            if parts in table:
                return table[parts]
            parts = parts[:-1]
            key = False
        return self.value_locations.get((), Location(self.source, 1, 1))

    def error(self, path: Sequence[str | int], message: str, *, key: bool = False) -> YamlError:
        """A one-line error at ``path``: ``file:line:column: message``."""
        return YamlError(f"{self.location(path, key=key)}: {message}")


class StrictLoader(yaml.SafeLoader):
    """SafeLoader with YAML 1.2 scalar resolution that rejects duplicate keys."""

    yaml_implicit_resolvers: dict[Any, list[tuple[str, re.Pattern[str]]]] = {}

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        first_seen: dict[Any, yaml.Node] = {}
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue
            key = self.construct_object(key_node, deep=True)
            try:
                earlier = first_seen.get(key)
            except TypeError:
                raise yaml.constructor.ConstructorError(
                    None, None, "a mapping key must be a plain value", key_node.start_mark
                ) from None
            if earlier is not None:
                raise yaml.constructor.ConstructorError(
                    None,
                    None,
                    f"duplicate key {key!r} (first defined on line {earlier.start_mark.line + 1})",
                    key_node.start_mark,
                )
            first_seen[key] = key_node
        return super().construct_mapping(node, deep=deep)


# YAML 1.2 core schema, minus octal/hex and leading-zero integers (kept as strings, so a USB
# id such as 0403 stays "0403").
StrictLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
StrictLoader.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$"), list("-+0123456789")
)
StrictLoader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?(?:0|[1-9][0-9]*)(?:\.[0-9]*)?(?:[eE][-+]?[0-9]+)?$"),
    list("-+0123456789"),
)
StrictLoader.add_implicit_resolver(
    "tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""]
)
StrictLoader.add_implicit_resolver("tag:yaml.org,2002:merge", re.compile(r"^<<$"), ["<"])


def _strict_bool(loader: StrictLoader, node: yaml.ScalarNode) -> bool:
    return str(loader.construct_scalar(node)).lower() == "true"


StrictLoader.add_constructor("tag:yaml.org,2002:bool", _strict_bool)


def load_yaml_document(text: str | bytes, source: str) -> YamlDocument:
    """Parse one YAML document; raise YamlError with ``source:line:column`` on any problem."""
    if len(text) > MAX_FILE_BYTES:
        raise YamlError(f"{source}: file is larger than {MAX_FILE_BYTES // 1024} KiB")
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise YamlError(f"{source}: not UTF-8 text (byte {exc.start})") from None
    loader = StrictLoader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        raise _located(exc, source) from None
    except yaml.YAMLError as exc:
        raise YamlError(f"{source}: {_one_line(str(exc))}") from None
    except RecursionError:
        raise YamlError(f"{source}: nesting is too deep") from None
    finally:
        loader.dispose()
    document = YamlDocument(data, source)
    if node is not None:
        _record_locations(document, node)
    return document


def load_yaml_file(path: Path) -> YamlDocument:
    """Read and parse a YAML file (at most 1 MiB)."""
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise YamlError(f"{path}: cannot read: {exc.strerror or exc}") from None
    return load_yaml_document(raw, str(path))


def load_yaml(text: str | bytes, source: str = "<string>") -> Any:
    """Parse YAML text into plain data (strict rules as above)."""
    return load_yaml_document(text, source).data


def _located(exc: yaml.MarkedYAMLError, source: str) -> YamlError:
    mark = exc.problem_mark or exc.context_mark
    problem = _one_line(exc.problem or exc.context or "invalid YAML")
    if exc.context and exc.problem and exc.context not in problem:
        problem = f"{problem} ({_one_line(exc.context)})"
    if mark is None:
        return YamlError(f"{source}: {problem}")
    return YamlError(f"{Location.from_mark(source, mark)}: {problem}")


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _record_locations(document: YamlDocument, root: yaml.Node) -> None:
    budget = MAX_EXPANDED_NODES
    for path, key_node, value_node in _walk(root, ()):
        budget -= 1
        if budget < 0:
            raise YamlError(
                f"{Location.from_mark(document.source, root.start_mark)}: document expands to "
                f"more than {MAX_EXPANDED_NODES} nodes (too many aliases)"
            )
        document.value_locations[path] = Location.from_mark(document.source, value_node.start_mark)
        if key_node is not None:
            document.key_locations[path] = Location.from_mark(document.source, key_node.start_mark)


def _walk(
    node: yaml.Node, path: DataPath, key_node: yaml.Node | None = None
) -> Iterator[tuple[DataPath, yaml.Node | None, yaml.Node]]:
    yield path, key_node, node
    if isinstance(node, yaml.MappingNode):
        for child_key, child_value in node.value:
            if isinstance(child_key, yaml.ScalarNode):
                yield from _walk(child_value, (*path, str(child_key.value)), child_key)
    elif isinstance(node, yaml.SequenceNode):
        for index, child in enumerate(node.value):
            yield from _walk(child, (*path, index))


class _StableDumper(yaml.SafeDumper):
    """Deterministic output: sorted keys, no anchors, block style, literal multi-line text."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if "\n" in value and not value.endswith((" ", "\t")):
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_StableDumper.add_representer(str, _represent_str)
# Quote what a YAML 1.2 reader (Go's yaml.v3 in Compose, Kubernetes) would take for a number,
# on top of everything YAML 1.1 would: "1e3", "0o17" and "0x1F" stay strings.
_StableDumper.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(
        r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$"
        r"|^[-+]?\.(?:inf|Inf|INF)$|^\.(?:nan|NaN|NAN)$"
    ),
    list("-+0123456789."),
)
_StableDumper.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(r"^0o[0-7]+$|^0x[0-9a-fA-F]+$"), ["0"]
)


def dump_yaml(data: Any) -> str:
    """Serialise plain data to YAML text; the same data always gives the same bytes."""
    return yaml.dump(
        data,
        Dumper=_StableDumper,
        sort_keys=True,
        default_flow_style=False,
        allow_unicode=True,
        width=4096,
        indent=2,
    )


def dump_yaml_documents(documents: Sequence[Any]) -> str:
    """Serialise several documents separated by ``---`` lines."""
    return yaml.dump_all(
        documents,
        Dumper=_StableDumper,
        sort_keys=True,
        default_flow_style=False,
        allow_unicode=True,
        width=4096,
        indent=2,
        explicit_start=True,
    )
