"""Workers kept alive until their threads end, however soon their owner forgets them.

A QThread destroyed while it runs takes the application down ("Destroyed while thread is
still running"). A stream the user stopped, a model list for a profile no longer chosen,
a spot-check whose tab was closed: each worker is kept here until its job has returned.
"""

from __future__ import annotations

from tunedeck.ui.workers import Worker

_ALIVE: set[Worker] = set()


def keep(worker: Worker) -> Worker:
    """Hold `worker` until `release`; call before starting it."""
    _ALIVE.add(worker)
    return worker


def release(worker: Worker) -> None:
    """For the worker's finished/failed/crashed slots: its job has returned and its thread
    is quitting; wait for that, then let it go."""
    worker.wait(5000)
    _ALIVE.discard(worker)


def wait_all(ms: int = 5000) -> None:
    """Let every kept worker's thread end (before the application quits)."""
    for worker in list(_ALIVE):
        worker.wait(ms)
