"""Application start-up: one QApplication, one qasync event loop, the main window."""

from __future__ import annotations

import asyncio
import sys

from PySide6.QtWidgets import QApplication

from edgegui.gui.main_window import MainWindow


def run_app(initial_device: str = "local://") -> int:
    import qasync

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("EdgeGUI")
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    window = MainWindow(initial_device=initial_device)
    window.show()
    closing = asyncio.Event()
    app.aboutToQuit.connect(closing.set)
    with loop:
        loop.run_until_complete(closing.wait())
    return 0
