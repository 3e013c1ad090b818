"""Building blocks of the report's HTML: escaping, badges, tables and headings.

In print mode the output is for Qt's rich text engine (the PDF): long unbroken values get
zero-width spaces (Qt wraps nowhere else), cell padding is an attribute in device pixels
(Qt ignores CSS padding on cells), and ``PrintLayout`` says where to start new pages: the
PDF writer measures a layout, then asks for a table to be split before a row that would
straddle two pages (with its header row repeated), or for a heading to move down.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

_LONG = re.compile(r"[^\s]{22,}")
_BADGES = {
    "pass": ("PASS", "#1e7b34", "#e3f4e7"),
    "ok": ("OK", "#1e7b34", "#e3f4e7"),
    "warn": ("WARN", "#8a5a00", "#fff3d6"),
    "waived": ("WAIVED", "#1f4f8f", "#e4edfa"),
    "fail": ("FAIL", "#b3261e", "#fde7e5"),
    "attention": ("CHECK", "#b3261e", "#fde7e5"),
    "info": ("INFO", "#4a5560", "#eceff2"),
}
NO_VALUE = '<span class="muted">—</span>'
PAGE_BREAK = ' style="page-break-before: always"'


@dataclass
class EmittedTable:
    """One ``<table>`` as written: which logical table, from which row, with a header?
    ``heading`` is the heading just before the table (nothing but text between them)."""

    table: int
    first_row: int
    header_rows: int
    heading: int | None = None
    rows: int = 0  # of the whole logical table


@dataclass
class PrintLayout:
    """Where the PDF writer wants new pages; filled in over a few layout passes."""

    dpi: int = 300
    table_breaks: set[tuple[int, int]] = field(default_factory=set)  # (table, row)
    heading_breaks: set[int] = field(default_factory=set)  # heading numbers
    emitted: list[EmittedTable] = field(default_factory=list)


class HtmlWriter:
    def __init__(self, layout: PrintLayout | None) -> None:
        self.layout = layout
        # Qt ignores CSS padding on cells; cellpadding is in CSS pixels (1/96 in).
        self.padding = 3 if layout else 4
        self.parts: list[str] = []
        self.tables = 0
        self.headings = 0
        self.open_heading: int | None = None  # the last heading, until a table follows it
        if layout is not None:
            layout.emitted.clear()

    def add(self, *chunks: str) -> None:
        self.parts.extend(chunks)

    def html(self) -> str:
        return "\n".join(self.parts)

    def text(self, value: object, mono: bool = False) -> str:
        escaped = html.escape(str(value))
        if self.layout is not None:
            escaped = _LONG.sub(lambda m: _breakable(m.group(0)), escaped)
        return f'<span class="mono">{escaped}</span>' if mono else escaped

    def heading(self, level: int, text: str, css: str = "") -> None:
        """``text`` already escaped."""
        number = self.headings
        self.headings += 1
        moved = self.layout is not None and number in self.layout.heading_breaks
        klass = f' class="{css}"' if css else ""
        self.add(f"<h{level}{klass}{PAGE_BREAK if moved else ''}>{text}</h{level}>")
        self.open_heading = number

    def table(
        self, headers: Sequence[tuple[str, int]], rows: Iterable[Sequence[str]], css: str = ""
    ) -> None:
        """``headers``: (title, width %) or empty for none; ``rows``: cells already escaped."""
        number = self.tables
        self.tables += 1
        head = ""
        if headers:
            cells = "".join(f'<th width="{w}%">{html.escape(t)}</th>' for t, w in headers)
            head = f"<thead><tr>{cells}</tr></thead>"
        breaks = self.layout.table_breaks if self.layout is not None else set()
        rows = list(rows)
        self._open(number, 0, head, css, moved=(number, 0) in breaks)
        widths = [w for _, w in headers]
        for index, row in enumerate(rows):
            if index and (number, index) in breaks:
                self.add("</tbody></table>")
                self._open(number, index, head, css, moved=True)
            cells = "".join(_cell(cell, widths, i) for i, cell in enumerate(row))
            self.add(f"<tr>{cells}</tr>")
        self.add("</tbody></table>")
        if self.layout is not None:  # Qt drops a table's bottom margin: space it here
            self.add('<p style="margin: 0; font-size: 5pt;">&nbsp;</p>')
        if self.layout is not None:
            for part in self.layout.emitted:
                if part.table == number:
                    part.rows = len(rows)

    def pairs(self, rows: Iterable[tuple[str, str]], css: str = "") -> None:
        """Labels (plain text) beside values (escaped), without a header row."""
        self.table(
            [],
            [(f'<span class="label">{html.escape(label)}</span>', value) for label, value in rows],
            f"pairs {css}".strip(),
        )

    def _open(self, number: int, first_row: int, head: str, css: str, moved: bool) -> None:
        if self.layout is not None:
            heading = self.open_heading if first_row == 0 else None
            self.layout.emitted.append(EmittedTable(number, first_row, 1 if head else 0, heading))
        self.open_heading = None
        self.add(
            f'<table class="{css}" width="100%" cellspacing="0" cellpadding="{self.padding}"'
            f"{PAGE_BREAK if moved else ''}>{head}<tbody>"
        )


def _cell(cell: str, widths: list[int], index: int) -> str:
    if widths:
        return f"<td>{cell}</td>"
    width = ' width="28%"' if index == 0 else ""  # label column of a pairs table
    return f"<td{width}>{cell}</td>"


def _breakable(token: str) -> str:
    """Zero-width spaces after separators, and every 8 characters in long runs."""
    token = re.sub(r"([/:_.,=-])", "\\1\u200b", token)
    return re.sub(r"([^\u200b]{8})(?=[^\u200b])", "\\1\u200b", token)


def badge(status: str) -> str:
    label, color, background = _BADGES.get(status, (status.upper(), "#1d2329", "#eceff2"))
    return (
        f'<span class="badge" style="color:{color}; background-color:{background};">'
        f"&nbsp;{label}&nbsp;</span>"
    )
