"""Light and dark palettes, and a large-controls mode for touch screens."""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication

LARGE_CONTROLS_CSS = """
* { font-size: 14pt; }
QPushButton, QComboBox, QLineEdit, QSpinBox, QTabBar::tab { min-height: 40px; }
QCheckBox::indicator, QRadioButton::indicator { width: 28px; height: 28px; }
QListWidget::item, QTreeWidget::item, QTableWidget::item { min-height: 36px; }
"""


def dark_palette() -> QPalette:
    palette = QPalette()
    base, text, window = QColor(30, 32, 36), QColor(230, 230, 230), QColor(45, 48, 53)
    palette.setColor(QPalette.ColorRole.Window, window)
    palette.setColor(QPalette.ColorRole.WindowText, text)
    palette.setColor(QPalette.ColorRole.Base, base)
    palette.setColor(QPalette.ColorRole.AlternateBase, window)
    palette.setColor(QPalette.ColorRole.Text, text)
    palette.setColor(QPalette.ColorRole.Button, window)
    palette.setColor(QPalette.ColorRole.ButtonText, text)
    palette.setColor(QPalette.ColorRole.ToolTipBase, base)
    palette.setColor(QPalette.ColorRole.ToolTipText, text)
    palette.setColor(QPalette.ColorRole.Highlight, QColor(42, 130, 218))
    palette.setColor(QPalette.ColorRole.HighlightedText, QColor(255, 255, 255))
    palette.setColor(QPalette.ColorRole.PlaceholderText, QColor(150, 150, 150))
    disabled = QPalette.ColorGroup.Disabled
    palette.setColor(disabled, QPalette.ColorRole.ButtonText, QColor(120, 120, 120))
    palette.setColor(disabled, QPalette.ColorRole.Text, QColor(120, 120, 120))
    return palette


def apply_theme(app: QApplication, *, dark: bool, large: bool) -> None:
    """Fusion style everywhere so both palettes look the same on every OS."""
    app.setStyle("Fusion")
    app.setPalette(dark_palette() if dark else app.style().standardPalette())
    font = QFont(app.font())
    font.setPointSize(14 if large else 10)
    app.setFont(font)
    app.setStyleSheet(LARGE_CONTROLS_CSS if large else "")
