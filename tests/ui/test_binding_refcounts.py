"""The Qt binding must not leak references to None or True: on Python 3.11, where they are
not immortal, each lost reference brings the interpreter closer to an abort (PySide6 6.12.0
lost one per void call and per emit, and the window died after some thousand edits)."""

from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QLabel

pytestmark = pytest.mark.gui


class _Emitter(QObject):
    changed = Signal(int)


def test_void_calls_and_emits_keep_none_and_true_alive(qtbot):
    label = QLabel()
    qtbot.addWidget(label)
    emitter = _Emitter()
    none_before, true_before = sys.getrefcount(None), sys.getrefcount(True)
    for number in range(2000):
        label.update()
        label.setText("x")
        emitter.changed.emit(number)
    # Other code may hold a few more or fewer meanwhile; a leak loses thousands.
    assert abs(sys.getrefcount(None) - none_before) < 100
    assert abs(sys.getrefcount(True) - true_before) < 100
