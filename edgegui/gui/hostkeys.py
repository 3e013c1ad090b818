"""Host-key dialogs: confirm a fingerprint on first contact; block on a changed key.

The SSH handshake runs on a worker thread and asks through ``HostKeyQuestion``: the worker
waits on an event while the GUI thread shows the dialog and records the answer.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from PySide6.QtWidgets import QMessageBox, QWidget

from edgegui.core.errors import HostKeyMismatch
from edgegui.gui.bridge import CoreBridge

# The user gets this long to decide before the handshake gives up (refuses).
ANSWER_TIMEOUT_S = 600.0


@dataclass
class HostKeyQuestion:
    host: str
    key_type: str
    fingerprint: str
    answer: bool = False
    answered: threading.Event = field(default_factory=threading.Event)

    def reply(self, accept: bool) -> None:
        self.answer = accept
        self.answered.set()


def host_key_prompt(bridge: CoreBridge) -> object:
    """The ``TransportOptions.host_key_prompt`` callback, for use on worker threads."""

    def ask(host: str, key_type: str, fingerprint: str) -> bool:
        question = HostKeyQuestion(host, key_type, fingerprint)
        bridge.host_key_question.emit(question)
        if not question.answered.wait(ANSWER_TIMEOUT_S):
            return False
        return question.answer

    return ask


class UnknownHostKeyDialog(QMessageBox):
    """First contact: show the SHA256 fingerprint and ask the technician to compare it."""

    def __init__(self, question: HostKeyQuestion, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("unknownHostKeyDialog")
        self.question = question
        self.setIcon(QMessageBox.Icon.Question)
        self.setWindowTitle("Confirm the device's identity")
        self.setText(f"First connection to {question.host}.")
        self.setInformativeText(
            f"Its {question.key_type} key fingerprint is\n\n{question.fingerprint}\n\n"
            "Compare it with the one on the device's label or console "
            "(ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub). Trust this device?"
        )
        self.accept_button = self.addButton("Trust and connect", QMessageBox.ButtonRole.AcceptRole)
        self.refuse_button = self.addButton("Refuse", QMessageBox.ButtonRole.RejectRole)
        self.setDefaultButton(self.refuse_button)  # Enter must not trust a key by accident
        self.buttonClicked.connect(self._answer)
        self.rejected.connect(lambda: self._settle(False))

    def _answer(self, button: object) -> None:
        self._settle(button is self.accept_button)

    def _settle(self, accept: bool) -> None:
        if not self.question.answered.is_set():
            self.question.reply(accept)


class ChangedHostKeyDialog(QMessageBox):
    """A changed key: a blocking warning with no way to connect from here."""

    def __init__(self, error: HostKeyMismatch, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("changedHostKeyDialog")
        self.setIcon(QMessageBox.Icon.Critical)
        self.setWindowTitle("WARNING: device identity changed")
        self.setText(f"The host key of {error.host} has CHANGED. Connection refused.")
        self.setInformativeText(
            f"It now presents {error.key_type} {error.fingerprint}, which differs from the "
            f"key recorded in {error.known_in}.\n\nSomeone may be intercepting the connection. "
            "If the device was really reinstalled, remove the old key by hand and connect again."
        )
        self.setStandardButtons(QMessageBox.StandardButton.Close)
        self.setModal(True)
