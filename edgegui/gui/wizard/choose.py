"""Step 1: choose the industry template."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

if TYPE_CHECKING:
    from edgegui.core.templates import TemplateEntry

NAME_ROLE = 256


class ChooseStep(QWidget):
    """Signals: chosen(str template_name) when the selection changes."""

    chosen = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.list = QListWidget()
        self.list.setObjectName("templateList")
        self.list.setWordWrap(True)
        self.list.currentItemChanged.connect(self._changed)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("<b>Which kind of box is this?</b> Pick the industry template."))
        layout.addWidget(self.list, 1)

    def set_templates(self, entries: list[TemplateEntry]) -> None:
        self.list.clear()
        for entry in entries:
            item = QListWidgetItem(f"{entry.title or entry.name}  —  {entry.name}, {entry.origin}")
            item.setData(NAME_ROLE, entry.name)
            self.list.addItem(item)

    def select(self, name: str) -> None:
        for row in range(self.list.count()):
            if self.list.item(row).data(NAME_ROLE) == name:
                self.list.setCurrentRow(row)
                return
        raise KeyError(name)

    def current(self) -> str | None:
        item = self.list.currentItem()
        return None if item is None else str(item.data(NAME_ROLE))

    def _changed(self, item: QListWidgetItem | None) -> None:
        if item is not None:
            self.chosen.emit(str(item.data(NAME_ROLE)))
