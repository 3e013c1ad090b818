"""What a technician and a screen reader meet on every page, with realistic content:
accessible names, Tab order, and no clipped or elided text at 1024×600 and 1366×768."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSize
from PySide6.QtWidgets import QApplication

from edgegui.gui.theme import apply_theme
from tests.gui.layout_checks import clipped_texts, missing_accessible_names, tab_order_problems
from tests.gui.pages import fill, pages

SIZES = [(1024, 600), (1366, 768)]


@pytest.fixture
def filled(window, qapp):
    import pyqtgraph

    apply_theme(qapp, dark=False, large=False)
    fill(window, pyqtgraph)
    window.activateWindow()
    yield window
    apply_theme(qapp, dark=False, large=False)  # the theme is app-wide: leave it as found


def settle() -> None:
    for _ in range(3):
        QApplication.processEvents()


def test_every_interactive_widget_has_an_accessible_name(filled):
    missing = {}
    for name, make_visible in pages(filled).items():
        make_visible()
        settle()
        if found := missing_accessible_names(filled):
            missing[name] = found
    assert missing == {}


def test_tab_reaches_every_control_in_reading_order(filled, qtbot):
    qtbot.waitUntil(filled.isActiveWindow)
    problems = {}
    for name, make_visible in pages(filled).items():
        make_visible()
        # A page may start work that disables its buttons (the serial ports' scan): Tab is
        # walked once it is done, not while a button may come back halfway through.
        qtbot.waitUntil(lambda: not filled.ctx.runner.tasks, timeout=10_000)
        settle()
        if found := tab_order_problems(filled.screens.currentWidget()):
            problems[name] = found
    problems_side = tab_order_problems(filled.side)
    assert problems == {} and problems_side == []


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_no_text_is_clipped_or_elided(filled, qapp, size, dark):
    apply_theme(qapp, dark=dark, large=False)
    filled.resize(*size)
    settle()
    assert filled.size() == QSize(*size), "the window cannot shrink to this screen"
    clipped = {}
    for name, make_visible in pages(filled).items():
        make_visible()
        settle()
        if found := clipped_texts(filled):
            clipped[name] = found
    assert clipped == {}
