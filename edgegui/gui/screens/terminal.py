"""A VT100 terminal (pyte) on an SSH shell or the serial console."""

from __future__ import annotations

import asyncio
import functools
from typing import Any

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QFontDatabase, QKeyEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from edgegui.core.errors import EdgeGUIError
from edgegui.gui.context import AppContext
from edgegui.gui.shellsession import ShellSession, open_shell
from edgegui.gui.tasks import blocking

COLUMNS, LINES = 100, 30


@functools.cache
def special_keys() -> dict[Qt.Key, bytes]:
    """Keys that send escape sequences (built on first use: Qt.Key is a large enum)."""
    return {
        Qt.Key.Key_Return: b"\r",
        Qt.Key.Key_Enter: b"\r",
        Qt.Key.Key_Backspace: b"\x7f",
        Qt.Key.Key_Tab: b"\t",
        Qt.Key.Key_Escape: b"\x1b",
        Qt.Key.Key_Up: b"\x1b[A",
        Qt.Key.Key_Down: b"\x1b[B",
        Qt.Key.Key_Right: b"\x1b[C",
        Qt.Key.Key_Left: b"\x1b[D",
        Qt.Key.Key_Home: b"\x1b[H",
        Qt.Key.Key_End: b"\x1b[F",
        Qt.Key.Key_Delete: b"\x1b[3~",
    }


class TerminalView(QWidget):
    """Paints a pyte screen; turns key presses into bytes.

    Signals: typed(bytes data) for each key the user pressed.
    """

    typed = Signal(bytes)

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("terminalView")
        self.setAccessibleName("Terminal")
        self._screen: Any = None
        self._stream: Any = None
        self.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAutoFillBackground(True)

    @property
    def screen(self) -> Any:
        """The pyte screen, made on first use (pyte is not loaded at start-up)."""
        if self._screen is None:
            import pyte

            self._screen = pyte.Screen(COLUMNS, LINES)
            self._stream = pyte.ByteStream(self._screen)
        return self._screen

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        metrics = self.fontMetrics()
        return QSize(metrics.horizontalAdvance("M") * COLUMNS, metrics.height() * LINES)

    def feed(self, data: bytes) -> None:
        assert self.screen is not None  # makes the stream too
        self._stream.feed(data)
        self.update()

    def text(self) -> str:
        return "\n".join(line.rstrip() for line in self.screen.display)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self)
        palette = self.palette()
        painter.fillRect(self.rect(), palette.base())
        painter.setPen(palette.text().color())
        metrics = painter.fontMetrics()
        height, width = metrics.height(), metrics.horizontalAdvance("M")
        for row, line in enumerate(self.screen.display):
            painter.drawText(2, row * height + metrics.ascent(), line)
        cursor = self.screen.cursor
        painter.fillRect(
            2 + cursor.x * width, cursor.y * height, width, height, palette.highlight()
        )

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        control = event.modifiers() & Qt.KeyboardModifier.ControlModifier
        if control and event.key() in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab):
            # Tab belongs to the shell (completion); Ctrl+Tab leaves the terminal.
            super().focusNextPrevChild(event.key() == Qt.Key.Key_Tab)
            return
        data = special_keys().get(Qt.Key(event.key()))
        if data is None and event.text():
            data = event.text().encode("utf-8")
        if data:
            self.typed.emit(data)
        else:
            super().keyPressEvent(event)

    def focusNextPrevChild(self, forward: bool) -> bool:  # noqa: N802 - Tab goes to the shell
        return False


class TerminalPane(QWidget):
    """Open/close a shell on the session's device and show it in a TerminalView."""

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.view = TerminalView()
        self.view.typed.connect(self._send)
        self.open_button = QPushButton("Open &shell")
        self.open_button.setObjectName("openShell")
        self.open_button.clicked.connect(self.start_shell)
        self.close_button = QPushButton("C&lose shell")
        self.close_button.setObjectName("closeShell")
        self.close_button.clicked.connect(self.stop_shell)
        self.state = QLabel("No shell open. Ctrl+Tab leaves the terminal.")
        self.session: ShellSession | None = None
        self.reader: asyncio.Task[None] | None = None
        self.writer: asyncio.Task[None] | None = None
        self.outgoing = bytearray()
        row = QHBoxLayout()
        row.addWidget(self.open_button)
        row.addWidget(self.close_button)
        row.addWidget(self.state, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.view, 1)

    def start_shell(self) -> None:
        self.reader = self.ctx.runner.spawn(self.run_shell(), busy=[self.open_button])

    async def run_shell(self) -> None:
        if self.ctx.session is None:
            raise EdgeGUIError("terminal: connect to a device first")
        transport = self.ctx.session.transport
        self.session = await blocking(open_shell, transport, COLUMNS, LINES)
        self.state.setText(f"Shell on {self.ctx.session.target}")
        self.view.setFocus()
        try:
            while self.session is not None:
                data = await blocking(self.session.read, 0.2)
                if data:
                    self.view.feed(data)
        except EOFError:
            self.state.setText("The shell ended.")
        finally:
            self.stop_shell()

    def stop_shell(self) -> None:
        session, self.session = self.session, None
        if session is not None:
            session.close()
            self.state.setText("Shell closed.")

    def _send(self, data: bytes) -> None:
        # One writer at a time, so keystrokes reach the device in the order they were typed.
        if self.session is not None and self.session.local_echo:
            self.view.feed(data.replace(b"\r", b"\r\n").replace(b"\x7f", b"\b \b"))
        self.outgoing += data
        if self.writer is None or self.writer.done():
            self.writer = self.ctx.runner.spawn(self._write_pending())

    async def _write_pending(self) -> None:
        while self.outgoing and self.session is not None:
            data, self.outgoing = bytes(self.outgoing), bytearray()
            await blocking(self.session.write, data)
