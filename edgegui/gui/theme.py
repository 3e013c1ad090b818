"""Light and dark palettes, status colours, card and badge styles, and large controls.

Widgets say what they mean with a ``tone`` property (pass, warn, fail, info, muted) or
``badge`` property; the application style sheet made here colours them for the theme.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication, QWidget

# Text colours per theme, contrast-checked against the palette's window and base colours.
TONES = {
    False: {
        "pass": "#1a7f37",
        "warn": "#9a6700",
        "fail": "#cf222e",
        "info": "#0969da",
        "muted": "#57606a",
    },
    True: {
        "pass": "#3fb950",
        "warn": "#d29922",
        "fail": "#f85149",
        "info": "#58a6ff",
        "muted": "#8b949e",
    },
}
# Badge (pill) background and text per theme.
BADGES = {
    False: {
        "pass": ("#dafbe1", "#116329"),
        "warn": ("#fff8c5", "#7d4e00"),
        "fail": ("#ffebe9", "#a40e26"),
        "info": ("#ddf4ff", "#0550ae"),
        "muted": ("#eaeef2", "#424a53"),
    },
    True: {
        "pass": ("#1f4a2c", "#7ee787"),
        "warn": ("#4d3800", "#f2cc60"),
        "fail": ("#5d1a1d", "#ffa198"),
        "info": ("#0c2d6b", "#a5d6ff"),
        "muted": ("#30363d", "#c9d1d9"),
    },
}

LARGE_CONTROLS_CSS = """
* { font-size: 14pt; }
QPushButton, QComboBox, QLineEdit, QSpinBox, QTabBar::tab { min-height: 40px; }
QCheckBox::indicator, QRadioButton::indicator { width: 28px; height: 28px; }
QListWidget::item, QTreeWidget::item, QTableWidget::item { min-height: 36px; }
"""


def theme_css(dark: bool) -> str:
    tones, badges = TONES[dark], BADGES[dark]
    css = [
        "QFrame#card { border: 1px solid palette(mid); border-radius: 6px;"
        " background: palette(base); }",
        "QLabel#cardTitle { font-weight: bold; }",
        "QWidget#connectMode QPushButton:checked { background: palette(highlight);"
        " color: palette(highlighted-text); }",
        'QFrame#templateCard[selected="true"] { border: 2px solid palette(highlight); }',
    ]
    for tone, colour in tones.items():
        css.append(f'QLabel[tone="{tone}"] {{ color: {colour}; }}')
    for tone, (background, colour) in badges.items():
        css.append(
            f'QLabel[badge="{tone}"] {{ background: {background}; color: {colour};'
            " border-radius: 8px; padding: 1px 8px; }"
        )
    return "\n".join(css)


def is_dark() -> bool:
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return False
    return app.palette().window().color().lightness() < 128


def tone_colour(tone: str) -> QColor:
    """The text colour of ``tone`` in the current theme (for items a style sheet cannot reach)."""
    return QColor(TONES[is_dark()].get(tone, TONES[False]["muted"]))


def set_tone(widget: QWidget, tone: str, prop: str = "tone") -> None:
    """Colour ``widget`` by ``tone`` (a style sheet property; re-polished so it applies now)."""
    if widget.property(prop) == tone:
        return
    widget.setProperty(prop, tone)
    if widget.testAttribute(Qt.WidgetAttribute.WA_WState_Polished):
        # Only a widget already styled needs it again; a new one is styled when first shown
        # (polishing every new label twice cost more than the event loop may be held).
        style = widget.style()
        style.unpolish(widget)
        style.polish(widget)


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
    palette.setColor(QPalette.ColorRole.Mid, QColor(80, 84, 90))
    palette.setColor(QPalette.ColorRole.Link, QColor(88, 166, 255))
    disabled = QPalette.ColorGroup.Disabled
    palette.setColor(disabled, QPalette.ColorRole.ButtonText, QColor(120, 120, 120))
    palette.setColor(disabled, QPalette.ColorRole.Text, QColor(120, 120, 120))
    palette.setColor(disabled, QPalette.ColorRole.WindowText, QColor(120, 120, 120))
    return palette


def apply_theme(app: QApplication, *, dark: bool, large: bool) -> None:
    """Fusion style everywhere so both palettes look the same on every OS."""
    app.setStyle("Fusion")
    app.setPalette(dark_palette() if dark else app.style().standardPalette())
    font = QFont(app.font())
    font.setPointSize(14 if large else 10)
    app.setFont(font)
    app.setStyleSheet(theme_css(dark) + (LARGE_CONTROLS_CSS if large else ""))
