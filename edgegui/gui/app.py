"""Application start-up: one QApplication, one qasync event loop, the main window."""

from __future__ import annotations

import asyncio
import sys
from types import TracebackType

from PySide6.QtCore import QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from edgegui.core.resources import resource_path
from edgegui.gui.loop import close_loop, install_loop
from edgegui.gui.main_window import MainWindow
from edgegui.gui.tasks import summarize

# Raster sizes of the app icon in resources/icons (PNG needs no Qt SVG plugin at start-up).
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256)


def app_icon() -> QIcon:
    icon = QIcon()
    for size in ICON_SIZES:
        icon.addFile(str(resource_path("icons", f"edgegui-{size}.png")))
    return icon


def run_app(initial_device: str = "local://", quit_after: float | None = None) -> int:
    """Show the main window and run the event loop until it closes.

    ``quit_after``: close the window that many seconds after it is shown (smoke runs).
    """
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("EdgeGUI")
    app.setApplicationDisplayName("EdgeGUI")
    app.setDesktopFileName("edgegui")  # matches the installed edgegui.desktop entry
    app.setWindowIcon(app_icon())
    loop = install_loop(app)
    window = MainWindow(initial_device=initial_device)
    window.apply_preferences()

    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        # The one global error hook: anything a slot raised becomes a one-line dialog.
        window.ctx.bridge.failed.emit(*summarize(exc.with_traceback(tb)))

    sys.excepthook = hook
    window.show()
    if quit_after is not None:
        QTimer.singleShot(round(quit_after * 1000), window.close)
    closing = asyncio.Event()
    app.aboutToQuit.connect(closing.set)
    window.closed.connect(closing.set)
    app.aboutToQuit.connect(window.shutdown)
    try:
        loop.run_until_complete(closing.wait())
    finally:
        sys.excepthook = sys.__excepthook__
        close_loop(loop)
        window.ctx.store.close()
    return 0
