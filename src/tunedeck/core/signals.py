"""Qt-like signals for the Qt-free core: `changed = Signal(int)` on a class, then
`obj.changed.connect(callback)` and `obj.changed.emit(3)`.

We used psygnal for this, until the interpreter aborted after some thousands of edits
("Fatal Python error: none_dealloc"). We blamed its compiled build; PySide6 6.12.0, which
loses a reference to None on every void call (see pyproject.toml), was at least part of it.
Either way, the part we need is this small, pure Python, and cannot leak.
"""

from __future__ import annotations

import inspect
import weakref
from collections.abc import Callable
from typing import Any


class SignalInstance:
    """One object's signal: its connected callbacks, called in order on emit."""

    __slots__ = ("_slots",)

    def __init__(self) -> None:
        self._slots: list[tuple[Any, Callable[..., Any] | weakref.WeakMethod]] = []

    def connect(self, callback: Callable[..., Any]) -> Callable[..., Any]:
        """Call `callback` on every emit. A bound method is held weakly, as in Qt: a view
        that goes away stops being called without having to disconnect."""
        held = weakref.WeakMethod(callback) if inspect.ismethod(callback) else callback
        self._slots.append((_key(callback), held))
        return callback

    def disconnect(self, callback: Callable[..., Any]) -> None:
        key = _key(callback)
        self._slots = [(k, held) for k, held in self._slots if k != key]

    def emit(self, *args: Any) -> None:
        dead = False
        for _, held in list(self._slots):
            callback = held() if isinstance(held, weakref.WeakMethod) else held
            if callback is None:
                dead = True
                continue
            callback(*args)
        if dead:
            self._slots = [
                (k, held)
                for k, held in self._slots
                if not (isinstance(held, weakref.WeakMethod) and held() is None)
            ]


def _key(callback: Callable[..., Any]) -> Any:
    # Bound methods are created afresh on each attribute access; compare what they bind.
    if inspect.ismethod(callback):
        return (id(callback.__self__), callback.__func__)
    return callback


class Signal:
    """Declares a signal on a class; each instance gets its own SignalInstance."""

    def __init__(self, *types: type) -> None:
        self.types = types  # documentation of what emit() passes
        self._name = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self._name = f"_signal_{name}"

    def __get__(self, instance: Any, owner: type | None = None) -> Any:
        if instance is None:
            return self
        try:
            return instance.__dict__[self._name]
        except KeyError:
            signal = instance.__dict__[self._name] = SignalInstance()
            return signal
