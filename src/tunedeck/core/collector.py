"""Python's cycle collector around work that builds many long-lived objects.

Loading, importing or linting 100,000 examples creates millions of objects that live as long
as the dataset and make no reference cycles. Left alone, the collector runs hundreds of times
meanwhile, and each full collection walks every one of them: a tenth of a lint pass, and in
the window, pauses of several hundred milliseconds on the GUI thread (a collection holds the
GIL, so one in a worker thread stalls the window too).
"""

from __future__ import annotations

import functools
import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")


@contextmanager
def building_long_lived() -> Iterator[None]:
    """Keep the collector idle during the work, then exempt what it built from later
    collections (gc.freeze: reference counting still frees those objects when dropped)."""
    if not gc.isenabled():  # an outer caller is already doing this
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.enable()


def paused(function: Callable[P, R]) -> Callable[P, R]:
    """Run `function` with the collector idle, for work whose many objects are short-lived
    (a statistic's lists and tuples): nothing to freeze afterwards, only collections to skip."""

    @functools.wraps(function)
    def idle(*args: P.args, **kwargs: P.kwargs) -> R:
        if not gc.isenabled():
            return function(*args, **kwargs)
        gc.disable()
        try:
            return function(*args, **kwargs)
        finally:
            gc.enable()

    return idle
