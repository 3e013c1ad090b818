"""Step 1: the industry template, as cards: icon, one-sentence purpose, and whether it fits
this device ("needs an NVIDIA GPU — none found" in red) before anyone fills a form."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QMouseEvent, QResizeEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from edgegui.gui.cards import StatusLine, scrolling, wrapped
from edgegui.gui.icons import pixmap
from edgegui.gui.theme import set_tone

if TYPE_CHECKING:
    from edgegui.gui.services import TemplateCardInfo

INDUSTRY_ICONS = {
    "industrial": "factory",
    "retail": "shopping-cart",
    "telecom": "radio-tower",
    "ai": "brain-circuit",
}
COLUMNS = 2


def purpose(description: str) -> str:
    """The description's first sentence: what the template is for, at a glance."""
    text = " ".join(description.split())
    end = text.find(". ")
    return text if end < 0 else text[: end + 1]


class TemplateCard(QFrame):
    """One template; the radio button is the control (keyboard, screen readers)."""

    def __init__(self, info: TemplateCardInfo) -> None:
        super().__init__()
        self.setObjectName("templateCard")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.name = info.name
        self.template = info.template
        self.radio = QRadioButton(info.title or info.name)
        self.radio.setObjectName(f"template_{info.name}")
        font = self.radio.font()
        font.setBold(True)
        self.radio.setFont(font)
        glyph = QLabel()
        glyph.setPixmap(pixmap(INDUSTRY_ICONS.get(info.industry, "box"), 32))
        glyph.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.fit_box = QVBoxLayout()
        self.fit_box.setSpacing(2)
        text = QVBoxLayout()
        text.addWidget(self.radio)
        text.addWidget(wrapped(purpose(info.description) or info.name))
        origin = wrapped(f"{info.name} {info.version} · {info.origin}", "muted")
        text.addWidget(origin)
        text.addLayout(self.fit_box)
        text.addStretch(1)  # a card taller than its text (same row) keeps it at the top
        row = QHBoxLayout(self)
        row.addWidget(glyph)
        row.addLayout(text, 1)
        self.fit_lines: list[StatusLine] = []
        self.set_fit(info.fit)

    def set_fit(self, lines: list[Any]) -> None:
        for line in self.fit_lines:
            line.deleteLater()
        self.fit_lines = [StatusLine(line.status, line.text) for line in lines]
        for line in self.fit_lines:
            self.fit_box.addWidget(line)
        fails = [line.text for line in lines if line.status == "fail"]
        self.radio.setAccessibleDescription("; ".join(fails) or "fits this device")

    @property
    def fits(self) -> bool:
        return all(line.message.property("tone") != "fail" for line in self.fit_lines)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        self.radio.setChecked(True)
        self.radio.setFocus()
        super().mousePressEvent(event)


class ChooseStep(QWidget):
    """Signals: chosen(str template_name) when the selection changes."""

    chosen = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.cards: list[TemplateCard] = []
        self.columns = 0
        self.group = QButtonGroup(self)
        self.group.buttonToggled.connect(self._toggled)
        self.inner = QWidget()
        self.grid = QGridLayout(self.inner)
        self.grid.setContentsMargins(0, 0, 0, 0)
        scroll = scrolling(self.inner)
        scroll.setObjectName("templateCards")
        self.heading = QLabel("<b>Which kind of box is this?</b> Pick the industry template.")
        self.heading.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(scroll, 1)

    def set_templates(self, infos: list[TemplateCardInfo]) -> None:
        selected = self.current()
        for card in self.cards:
            self.group.removeButton(card.radio)
            card.deleteLater()
        self.cards = []
        for info in infos:
            card = TemplateCard(info)
            self.group.addButton(card.radio)
            self.cards.append(card)
        self.columns = 0
        self._place_cards()
        if selected:
            self.select(selected)

    def _place_cards(self) -> None:
        """Two cards a row where they fit, one where they would run past the edge."""
        wide = self.width() >= self.fontMetrics().averageCharWidth() * 110
        columns = COLUMNS if wide else 1
        if columns == self.columns:
            return
        self.columns = columns
        for card in self.cards:
            self.grid.removeWidget(card)
        for index, card in enumerate(self.cards):
            self.grid.addWidget(card, index // columns, index % columns)
        for row in range(self.grid.rowCount()):
            self.grid.setRowStretch(row, 0)
        self.grid.setRowStretch(len(self.cards) // columns + 1, 1)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._place_cards()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self.columns = 0
            self._place_cards()

    def select(self, name: str) -> None:
        for card in self.cards:
            if card.name == name:
                card.radio.setChecked(True)
                return
        raise KeyError(name)

    def current(self) -> str | None:
        card = self.current_card()
        return None if card is None else card.name

    def current_card(self) -> TemplateCard | None:
        return next((c for c in self.cards if c.radio.isChecked()), None)

    def _toggled(self, button: QRadioButton, on: bool) -> None:
        for card in self.cards:
            set_tone(card, "true" if card.radio.isChecked() else "false", "selected")
        if on:
            self.chosen.emit(self.current() or "")
