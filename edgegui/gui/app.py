"""Application start-up: one QApplication, one qasync event loop, the main window."""

from __future__ import annotations

import asyncio
import sys
from types import TracebackType

from PySide6.QtWidgets import QApplication

from edgegui.gui.loop import close_loop, install_loop
from edgegui.gui.main_window import MainWindow
from edgegui.gui.tasks import summarize


def run_app(initial_device: str = "local://") -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("EdgeGUI")
    app.setApplicationDisplayName("EdgeGUI")
    loop = install_loop(app)
    window = MainWindow(initial_device=initial_device)
    window.apply_preferences()

    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        # The one global error hook: anything a slot raised becomes a one-line dialog.
        window.ctx.bridge.failed.emit(*summarize(exc.with_traceback(tb)))

    sys.excepthook = hook
    window.show()
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
