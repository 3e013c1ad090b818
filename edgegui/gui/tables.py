"""Read-only tables as every screen shows them: whole rows, no row numbers."""

from __future__ import annotations

import re
from collections.abc import Sequence

from PySide6.QtWidgets import QHeaderView, QTableWidget, QTableWidgetItem

FIT = QHeaderView.ResizeMode.ResizeToContents
STRETCH = QHeaderView.ResizeMode.Stretch


def read_only_table(
    name: str, headers: Sequence[str], modes: Sequence[QHeaderView.ResizeMode] = ()
) -> QTableWidget:
    """A table named ``name``; ``modes`` sizes the columns (default: fit, last stretches)."""
    table = QTableWidget(0, len(headers))
    table.setObjectName(name)
    # "deployServices" -> "Deploy services": what a screen reader announces.
    table.setAccessibleName(re.sub(r"(?<!^)([A-Z])", r" \1", name).capitalize())
    table.setHorizontalHeaderLabels(list(headers))
    table.verticalHeader().setVisible(False)
    table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.setTabKeyNavigation(False)  # Tab leaves the table (arrows move between rows)
    header = table.horizontalHeader()
    if modes:
        for column, mode in enumerate(modes):
            header.setSectionResizeMode(column, mode)
    else:
        header.setSectionResizeMode(FIT)
        header.setStretchLastSection(True)
    return table


def set_row(table: QTableWidget, row: int, cells: Sequence[str | QTableWidgetItem]) -> None:
    for column, cell in enumerate(cells):
        table.setItem(
            row, column, cell if isinstance(cell, QTableWidgetItem) else QTableWidgetItem(cell)
        )
