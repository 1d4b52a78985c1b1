"""The core's signals: connect, emit in order, disconnect, and no leaks or crashes."""

from __future__ import annotations

import gc
import subprocess
import sys

from tunedeck.core.signals import Signal


class Source:
    changed = Signal(int)


class Listener:
    def __init__(self) -> None:
        self.seen: list[int] = []

    def on_changed(self, value: int) -> None:
        self.seen.append(value)


def test_callbacks_run_in_connection_order_and_can_be_disconnected():
    source, calls = Source(), []
    source.changed.connect(lambda v: calls.append(("first", v)))
    listener = Listener()
    source.changed.connect(listener.on_changed)
    source.changed.emit(1)
    source.changed.disconnect(listener.on_changed)
    source.changed.emit(2)
    assert calls == [("first", 1), ("first", 2)]
    assert listener.seen == [1]


def test_each_instance_has_its_own_listeners():
    a, b, seen = Source(), Source(), []
    a.changed.connect(seen.append)
    b.changed.emit(5)
    assert seen == []


def test_a_listener_that_went_away_is_no_longer_called():
    source = Source()
    listener = Listener()
    source.changed.connect(listener.on_changed)
    del listener
    gc.collect()
    source.changed.emit(1)  # must not fail
    assert source.changed._slots == []


def test_many_emits_with_qt_loaded_do_not_crash_the_interpreter():
    # The compiled psygnal this replaces aborted the interpreter after a few thousand emits.
    code = (
        "import PySide6.QtCore\n"
        "from tunedeck.core.signals import Signal\n"
        "class A:\n    s = Signal(int)\n"
        "a = A(); a.s.connect(lambda v: None)\n"
        "for i in range(50000): a.s.emit(i)\n"
        "print('ok')\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert (result.returncode, result.stdout.strip()) == (0, "ok")
