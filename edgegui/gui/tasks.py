"""Running async work from widgets: task references, busy buttons and the error hook."""

from __future__ import annotations

import asyncio
import functools
import traceback
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

import shiboken6
from PySide6.QtWidgets import QWidget

from edgegui.core.errors import Cancelled, EdgeGUIError
from edgegui.gui.bridge import CoreBridge

T = TypeVar("T")


async def blocking(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run a blocking core call on a worker thread and await its result."""
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(None, functools.partial(fn, *args, **kwargs))


async def modal(fn: Callable[..., T], *args: Any) -> T:
    """Run ``fn`` (a modal dialog's exec) from a plain loop callback and await its answer.

    A modal dialog runs a nested event loop; inside a task step that loop would resume
    other tasks within this one ("Cannot enter into task …"). Outside any task it is safe.
    """
    loop = asyncio.get_running_loop()
    answer: asyncio.Future[T] = loop.create_future()

    def ask() -> None:
        try:
            answer.set_result(fn(*args))
        except Exception as exc:  # noqa: BLE001 - handed to the awaiting task
            answer.set_exception(exc)

    loop.call_soon(ask)
    return await answer


def summarize(exc: BaseException) -> tuple[str, str]:
    """The one line a user reads, and the details shown on demand."""
    if isinstance(exc, EdgeGUIError):
        line = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    else:
        line = f"unexpected error: {type(exc).__name__}: {exc}".splitlines()[0]
    details = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    return line, details


class TaskRunner:
    """Starts coroutines, keeps their references until done, reports failures once."""

    def __init__(self, bridge: CoreBridge) -> None:
        self.bridge = bridge
        self.tasks: set[asyncio.Task[Any]] = set()

    def spawn(
        self, coro: Coroutine[Any, Any, T], *, busy: list[QWidget] | None = None
    ) -> asyncio.Task[T]:
        """Run ``coro``; ``busy`` widgets are disabled until it ends; failures reach the hook."""
        widgets = busy or []
        for widget in widgets:
            widget.setEnabled(False)
        task = asyncio.ensure_future(self._guarded(coro))
        self.tasks.add(task)
        task.add_done_callback(lambda done: self._finished(done, widgets))
        return task

    def _finished(self, task: asyncio.Task[Any], widgets: list[QWidget]) -> None:
        # try/finally of the busy state: whatever the task did, its buttons work again.
        for widget in widgets:
            if shiboken6.isValid(widget):  # its window may have closed while the task ran
                widget.setEnabled(True)
        self.tasks.discard(task)
        if not task.cancelled():
            task.exception()  # already reported through the hook; marks it as retrieved

    async def _guarded(self, coro: Coroutine[Any, Any, T]) -> T:
        try:
            return await coro
        except Cancelled:
            raise
        except Exception as exc:
            self.bridge.failed.emit(*summarize(exc))
            raise

    def cancel_all(self) -> None:
        for task in list(self.tasks):
            task.cancel()
