"""The one asyncio event loop, run inside Qt by qasync, and its worker threads."""

from __future__ import annotations

import asyncio
import sys
from concurrent.futures import ThreadPoolExecutor

import qasync
from PySide6.QtWidgets import QApplication

from edgegui.gui.gcguard import GuiThreadCollector

# Blocking core calls (paramiko, pyserial, docker SDK) run here, never on the GUI thread.
WORKER_THREADS = 8
CLOSE_TIMEOUT_S = 3.0  # how long cancelled tasks get to clean up when the loop closes
# Those threads run Python too (paramiko's packet loop, the Docker SDK, a deploy's jobs):
# asking for the GIL back every millisecond instead of every 5 keeps the event loop ticking.
GIL_SWITCH_INTERVAL_S = 0.001


def install_loop(app: QApplication, *, already_running: bool = False) -> qasync.QEventLoop:
    """Create the qasync loop for ``app`` and make it the current asyncio loop.

    ``already_running`` is for tests: Qt's own loop (pytest-qt's waits) then drives asyncio.
    """
    sys.setswitchinterval(GIL_SWITCH_INTERVAL_S)
    loop = qasync.QEventLoop(app, already_running=already_running)
    loop.set_default_executor(ThreadPoolExecutor(WORKER_THREADS, thread_name_prefix="edgegui-io"))
    asyncio.set_event_loop(loop)
    collector = GuiThreadCollector()
    collector.start()
    loop.gc_collector = collector  # type: ignore[attr-defined]  # stopped by close_loop
    return loop


def close_loop(loop: qasync.QEventLoop) -> None:
    """Cancel what is left, stop the worker threads and close the loop."""
    collector = getattr(loop, "gc_collector", None)
    if collector is not None:
        collector.stop()
    pending = [t for t in asyncio.all_tasks(loop) if not t.done()]
    for task in pending:
        task.cancel()
    if pending and not loop.is_running():  # let them see the cancellation and clean up
        # Bounded: a task wedged on a lost wakeup must not keep the window from closing.
        loop.run_until_complete(asyncio.wait(pending, timeout=CLOSE_TIMEOUT_S))
    if loop.is_running():  # a loop made with already_running=True is never "stopped" by Qt
        loop._QEventLoop__is_running = False  # type: ignore[attr-defined]  # qasync private
        asyncio.events._set_running_loop(None)
    loop.close()
    asyncio.set_event_loop(None)
