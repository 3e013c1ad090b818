"""Building blocks the screens share: cards, badges, status lines and a step checklist."""

from __future__ import annotations

import html

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from edgegui.gui.icons import pixmap, status_icon, tone_icon
from edgegui.gui.theme import set_tone, tone_colour

ICON_PX = 20


class Card(QFrame):
    """A titled box with an icon; ``body`` holds its content."""

    def __init__(self, title: str, icon_name: str, name: str = "") -> None:
        super().__init__()
        self.setObjectName("card")
        if name:
            self.setAccessibleName(name)
        self.title = QLabel(title)
        self.title.setObjectName("cardTitle")
        glyph = QLabel()
        glyph.setPixmap(pixmap(icon_name, ICON_PX))
        header = QHBoxLayout()
        header.setSpacing(6)
        header.addWidget(glyph)
        header.addWidget(self.title, 1)
        self.header = header
        self.body = QVBoxLayout()
        self.body.setSpacing(4)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(10, 8, 10, 10)
        outer.addLayout(header)
        outer.addLayout(self.body)
        outer.addStretch(1)  # a card taller than its content keeps it at the top

    def clear(self) -> None:
        """Remove what the body shows (cards are refilled after each discovery).

        Cards that clear hold widgets only in their body (a row is a widget with its own
        layout), so removing one is hiding and deleting it.
        """
        while self.body.count():
            item = self.body.takeAt(0)
            widget = item.widget()
            assert widget is not None, "Card bodies hold widgets, not layouts"
            widget.hide()  # gone now, not only when the loop deletes it
            widget.deleteLater()


ZERO_WIDTH_SPACE = "\u200b"


def breakable(text: str) -> str:
    """Let long paths (``/dev/input/by-id/usb-Datalogic_…``) wrap after / _ - and . ."""
    for mark in "/_-.":
        text = text.replace(mark, mark + ZERO_WIDTH_SPACE)
    return text


def wrapped(text: str, tone: str = "", *, paths: bool = False) -> QLabel:
    """A label that wraps (never widens the window) in an optional tone.

    ``paths``: the text may hold long paths; they wrap anywhere. Such a label is not
    selectable (a copied path would carry the invisible break marks); its tooltip holds
    the exact text.
    """
    label = QLabel(breakable(text) if paths else text)
    label.setWordWrap(True)
    if paths:
        label.setToolTip(text)
    else:
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if tone:
        set_tone(label, tone)
    return label


class Badge(QLabel):
    """A coloured pill: ``running``, ``healthy``, ``3 restarts``."""

    def __init__(self, text: str = "", tone: str = "muted") -> None:
        super().__init__(text)
        self.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        self.set(text, tone)

    def set(self, text: str, tone: str) -> None:
        self.setText(text)
        set_tone(self, tone, "badge")


class StatusLine(QWidget):
    """✓/⚠/✗ icon, a message in the status colour, and a fix hint under it."""

    def __init__(self, status: str, text: str, hint: str = "") -> None:
        super().__init__()
        glyph = QLabel()
        glyph.setPixmap(status_icon(status).pixmap(ICON_PX - 4, ICON_PX - 4))
        glyph.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.message = wrapped(text, status, paths=True)
        column = QVBoxLayout()
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.message)
        prefix = "Fix: " if status in ("warn", "fail") else ""
        self.hint = wrapped(prefix + hint, "muted", paths=True) if hint else None
        if self.hint is not None:
            column.addWidget(self.hint)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(glyph)
        row.addLayout(column, 1)


class Checklist(QListWidget):
    """Ordered steps with a state each: pending ○, running ◌, done ✓, failed ✗, skipped."""

    STATE_ICONS = {
        "pending": ("circle-dashed", "muted"),
        "running": ("loader-circle", "info"),
        "done": ("circle-check", "pass"),
        "failed": ("circle-x", "fail"),
        "skipped": ("circle-dashed", "muted"),
    }

    def __init__(self, name: str) -> None:
        super().__init__()
        self.setObjectName(name)
        self.setAccessibleName(name)
        self.setSelectionMode(QListWidget.SelectionMode.NoSelection)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setWordWrap(True)
        self.states: list[str] = []

    def set_steps(self, titles: list[str]) -> None:
        self.clear()
        self.states = []
        for title in titles:
            self.addItem(QListWidgetItem(title))
            self.states.append("")
            self.set_state(self.count() - 1, "pending")

    def append(self, title: str, state: str = "running") -> int:
        self.addItem(QListWidgetItem(title))
        self.states.append("")
        self.set_state(self.count() - 1, state)
        return self.count() - 1

    def set_state(self, index: int, state: str, text: str | None = None) -> None:
        item = self.item(index)
        if item is None:
            return
        name, tone = self.STATE_ICONS[state]
        item.setIcon(tone_icon(name, tone))
        if text is not None:
            item.setText(text)
        item.setForeground(
            tone_colour("muted")
            if state in ("pending", "skipped")
            else self.palette().text().color()
        )
        item.setData(Qt.ItemDataRole.AccessibleDescriptionRole, state)
        self.states[index] = state

    def titles(self) -> list[str]:
        return [self.item(i).text() for i in range(self.count())]


GLYPHS = {"pass": "✓", "warn": "⚠", "fail": "✗", "info": "•", "muted": "•"}


class StatusList(QLabel):
    """Many status lines (✓/⚠/✗, message, fix) as one rich-text label.

    One label instead of a widget per line: laying out a few dozen wrapped labels took
    longer than the 50 ms the event loop may be held, each time preflight was shown.
    """

    def __init__(self, name: str) -> None:
        super().__init__()
        self.setObjectName(name)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.items: list[tuple[str, str, str]] = []

    def set_items(self, items: list[tuple[str, str, str]]) -> None:
        """(status, message, hint) per line; the hint may be empty."""
        self.items = items
        self.render()

    def render(self) -> None:
        rows = []
        for status, message, hint in self.items:
            colour = tone_colour(status).name()
            fix = "Fix: " if status in ("warn", "fail") else ""
            hint_html = (
                f'<br><span style="color:{tone_colour("muted").name()}">'
                f"{fix}{html.escape(breakable(hint))}</span>"
                if hint
                else ""
            )
            rows.append(
                f'<tr><td style="color:{colour}; padding-right:6px">{GLYPHS[status]}</td>'
                f'<td style="padding-bottom:3px"><span style="color:{colour}">'
                f"{html.escape(breakable(message))}</span>{hint_html}</td></tr>"
            )
        self.setText(f"<table cellspacing=0>{''.join(rows)}</table>" if rows else "")
        self.setAccessibleDescription("; ".join(f"{s}: {m}" for s, m, _ in self.items))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:  # the theme changed: its colours too
            self.render()


def scrolling(content: QWidget) -> QScrollArea:
    """``content`` in a frameless vertical scroll area: large controls on a 600-pixel-high
    screen scroll instead of pushing the window past the screen."""
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QScrollArea.Shape.NoFrame)
    area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    area.setWidget(content)
    return area
