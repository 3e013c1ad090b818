"""The installed Qt binding does not corrupt the interpreter: PySide6 6.12.0's emit() dropped
a reference to True on each call, which killed long sessions ("bool_dealloc")."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal


class Emitter(QObject):
    fired = Signal(object)


def test_emitting_signals_keeps_the_refcount_of_true():
    emitter = Emitter()
    emitter.fired.connect(lambda _value: None)
    before = sys.getrefcount(True)
    for number in range(200):
        emitter.fired.emit(number)
    assert sys.getrefcount(True) - before > -50, "PySide6 leaks references to True on emit"
