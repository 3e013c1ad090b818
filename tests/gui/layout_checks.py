"""Checks a technician's eyes and a screen reader would make, as functions over widgets.

- every interactive widget has an accessible name (what a screen reader announces);
- Tab reaches every control of a screen, in reading order (never jumps up and to the left);
- no label, button or tab text is clipped or elided (font metrics against widget sizes).

Used by tests/gui/test_usability.py on filled screens and by tests/gui/screenshots.py on the
real screens against a lab device.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QAccessible
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QCheckBox,
    QComboBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QTabBar,
    QTextEdit,
    QWidget,
)

INTERACTIVE = (
    QAbstractButton,
    QLineEdit,
    QComboBox,
    QAbstractSpinBox,
    QAbstractItemView,
    QPlainTextEdit,
    QTextEdit,
)
SLACK = 1  # pixels of rounding


def shown(widget: QWidget) -> bool:
    return widget.isVisible() and widget.width() > 0 and widget.height() > 0


def interactive_widgets(root: QWidget) -> list[QWidget]:
    found = [w for w in root.findChildren(QWidget) if shown(w)]
    chosen = []
    for widget in found:
        if isinstance(widget, QLineEdit) and isinstance(
            widget.parent(), (QComboBox, QAbstractSpinBox)
        ):
            continue  # the editor inside a combo or spin box: the box itself is the control
        if isinstance(widget, QHeaderView):
            continue  # part of its table
        if isinstance(widget, INTERACTIVE) or widget.objectName() == "terminalView":
            chosen.append(widget)
    return chosen


def accessible_name(widget: QWidget) -> str:
    interface = QAccessible.queryAccessibleInterface(widget)
    return interface.text(QAccessible.Text.Name).strip() if interface is not None else ""


def missing_accessible_names(root: QWidget) -> list[str]:
    """Interactive widgets a screen reader could only call "button" or "edit"."""
    return [describe(w) for w in interactive_widgets(root) if not accessible_name(w)]


def describe(widget: QWidget) -> str:
    text = widget.text() if hasattr(widget, "text") and callable(widget.text) else ""
    name = widget.objectName() or "(no objectName)"
    return f"{type(widget).__name__} {name} {str(text)[:40]!r}"


def focusable_controls(root: QWidget) -> list[QWidget]:
    """What Tab should reach: shown, enabled, accepting Tab focus, not a focus proxy's child."""
    controls = []
    for widget in interactive_widgets(root):
        if not widget.isEnabled() or not widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
            continue
        if widget.focusProxy() is not None:
            continue
        if isinstance(widget, QRadioButton) and widget.autoExclusive() and not widget.isChecked():
            continue  # Tab enters a radio group at its checked button; arrows move within
        controls.append(widget)
    return controls


def tab_chain(root: QWidget, limit: int = 200) -> list[QWidget]:
    """Press Tab from the first control until focus leaves ``root`` or comes back around."""
    controls = focusable_controls(root)
    if not controls:
        return []
    first = min(controls, key=lambda w: _reading_key(w, root))
    first.setFocus(Qt.FocusReason.TabFocusReason)
    QApplication.processEvents()
    chain: list[QWidget] = []
    for _ in range(limit):
        current = QApplication.focusWidget()
        if current is None or not root.isAncestorOf(current) or current in chain:
            break
        chain.append(current)
        QTest.keyClick(current, Qt.Key.Key_Tab)
        QApplication.processEvents()
    return chain


def _rect(widget: QWidget, root: QWidget) -> QRect:
    return QRect(widget.mapTo(root, QPoint(0, 0)), widget.size())


def _reading_key(widget: QWidget, root: QWidget) -> tuple[int, int]:
    rect = _rect(widget, root)
    return (rect.top(), rect.left())


def tab_order_problems(root: QWidget) -> list[str]:
    """Controls Tab never reaches, and jumps up and to the left (out of reading order)."""
    chain = tab_chain(root)
    problems = [
        f"Tab never reaches {describe(w)}" for w in focusable_controls(root) if w not in chain
    ]
    for before, after in zip(chain, chain[1:], strict=False):
        a, b = _rect(before, root), _rect(after, root)
        if b.bottom() < a.top() and b.right() < a.left():
            problems.append(f"Tab jumps back from {describe(before)} to {describe(after)}")
    return problems


def clipped_texts(root: QWidget) -> list[str]:
    """Labels, buttons and tabs whose text needs more room than they have."""
    problems = []
    for widget in root.findChildren(QWidget):
        if not shown(widget) or not _on_screen(widget, root):
            continue
        if isinstance(widget, QLabel) and widget.text() and widget.pixmap().isNull():
            if widget.wordWrap():
                needed_h = widget.heightForWidth(widget.width())
                if needed_h > widget.height() + SLACK:
                    problems.append(
                        f"{describe(widget)}: needs {needed_h}px high, has {widget.height()}"
                    )
            else:
                hint = widget.sizeHint()
                if hint.width() > widget.width() + SLACK or hint.height() > widget.height() + SLACK:
                    problems.append(
                        f"{describe(widget)}: needs {hint.width()}x{hint.height()}, "
                        f"has {widget.width()}x{widget.height()}"
                    )
        elif isinstance(widget, (QPushButton, QCheckBox, QRadioButton)) and widget.text():
            hint = widget.sizeHint()
            if hint.width() > widget.width() + SLACK or hint.height() > widget.height() + SLACK:
                problems.append(
                    f"{describe(widget)}: needs {hint.width()}x{hint.height()}, "
                    f"has {widget.width()}x{widget.height()}"
                )
        if isinstance(widget, (QLabel, QAbstractButton)) and widget.text():
            view = _scroll_view(widget)
            if view is not None and _rect(widget, view).right() > view.width() + SLACK:
                problems.append(f"{describe(widget)}: runs off the right of its scroll area")
        if isinstance(widget, QTabBar):
            for index in range(widget.count()):
                if widget.tabRect(index).width() + SLACK < widget.tabSizeHint(index).width():
                    problems.append(f"tab {widget.tabText(index)!r} is elided")
    return problems


def _scroll_view(widget: QWidget) -> QWidget | None:
    """The viewport of the scroll area ``widget`` sits in (not a table's cells)."""
    parent = widget.parentWidget()
    while parent is not None:
        area = parent.parentWidget()
        if isinstance(area, QScrollArea) and area.viewport() is parent:
            return parent
        parent = parent.parentWidget()
    return None


def _on_screen(widget: QWidget, root: QWidget) -> bool:
    """Inside the window (a scroll area's content may be larger than its view, by design)."""
    return root.rect().intersects(_rect(widget, root))
