"""Split raw probe output into its sections (``@@BEGIN name`` … ``@@END name status``)."""

from __future__ import annotations

from dataclasses import dataclass, field

from edgegui.core.errors import EdgeGUIError

HEADER = "@@EDGEGUI-PROBE"
SUPPORTED_VERSIONS = ("1",)
# The probe prints these in this order; a missing one means the output was cut short.
SECTION_NAMES = (
    "meta",
    "system",
    "docker",
    "disk",
    "network",
    "usb",
    "serial",
    "input",
    "gpu",
    "pci",
    "ids",
)


class ProbeOutputError(EdgeGUIError):
    """The text is not (or no longer) readable EdgeGUI probe output."""


@dataclass
class Section:
    name: str
    lines: list[str] = field(default_factory=list)
    status: str | None = None  # the section's exit status; None when cut short
    errors: list[str] = field(default_factory=list)

    def values(self) -> dict[str, str]:
        """``key=value`` lines as a dict (the first occurrence of a key wins)."""
        result: dict[str, str] = {}
        for line in self.lines:
            key, sep, value = line.partition("=")
            if sep and key and key not in result:
                result[key] = value
        return result

    def rows(self, tag: str) -> list[list[str]]:
        """Tab-separated lines starting with ``tag``, without the tag."""
        prefix = tag + "\t"
        return [line[len(prefix) :].split("\t") for line in self.lines if line.startswith(prefix)]

    def problem(self) -> str | None:
        """Why this section is incomplete, or None when it ran cleanly."""
        if self.errors:
            return "; ".join(self.errors)
        if self.status is None:
            return "output cut short"
        if self.status != "0":
            return f"probe section exited with status {self.status}"
        return None


def split_sections(raw: str, source: str = "probe output") -> dict[str, Section]:
    """Sections by name; raise ProbeOutputError when ``raw`` has no probe header."""
    lines = raw.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    start = _header_index(lines, source)
    sections: dict[str, Section] = {}
    current: Section | None = None
    for line in lines[start + 1 :]:
        if line.startswith("@@BEGIN "):
            current = Section(line[len("@@BEGIN ") :].strip())
            sections[current.name] = current
        elif line.startswith("@@END ") and current is not None:
            parts = line.split()
            current.status = parts[2] if len(parts) > 2 else "?"
            current = None
        elif line.startswith("@@ERROR ") and current is not None:
            current.errors.append(line[len("@@ERROR ") :].strip())
        elif current is not None:
            current.lines.append(line)
    return sections


def _header_index(lines: list[str], source: str) -> int:
    for index, line in enumerate(lines):
        if line.startswith(HEADER):
            version = line[len(HEADER) :].strip()
            if version not in SUPPORTED_VERSIONS:
                raise ProbeOutputError(
                    f"{source}: probe output version {version!r} is not supported "
                    f"(this EdgeGUI reads {', '.join(SUPPORTED_VERSIONS)})"
                )
            return index
    raise ProbeOutputError(f"{source}: not EdgeGUI probe output (no {HEADER} line)")
