"""A worker's news reaches the GUI thread, whatever kind of slot listens."""

from __future__ import annotations

import threading

import pytest

from tunedeck.core.errors import UserError
from tunedeck.ui.workers import Worker

pytestmark = pytest.mark.gui


def test_lambdas_and_functions_run_in_the_gui_thread(qtbot):
    seen: list[tuple[str, str]] = []

    def job(progress, _cancel):
        job_thread = threading.current_thread().name
        progress(1, 2)
        return job_thread

    worker = Worker(job)
    worker.progressed.connect(lambda *_: seen.append(("progress", threading.current_thread().name)))
    with qtbot.waitSignal(worker.finished) as done:
        worker.start()
    worker.wait()
    qtbot.waitUntil(lambda: len(seen) == 1)
    gui = threading.main_thread().name
    assert done.args[0] != gui  # the job itself ran elsewhere
    assert seen == [("progress", gui)]


def test_a_user_error_fails_and_a_bug_crashes(qtbot):
    def refused(_progress, _cancel):
        raise UserError("the disk is full")

    def buggy(_progress, _cancel):
        return 1 / 0

    first = Worker(refused)
    with qtbot.waitSignal(first.failed) as failed:
        first.start()
    assert failed.args == ["the disk is full"]
    second = Worker(buggy)
    with qtbot.waitSignal(second.crashed) as crashed:
        second.start()
    assert isinstance(crashed.args[0], ZeroDivisionError)
    first.wait()
    second.wait()


def test_posted_values_arrive_in_the_gui_thread_in_order(qtbot):
    worker: Worker

    def job(_progress, _cancel):
        for piece in ("Some ", "chaps ", "named"):
            worker.post(piece)
        return "done"

    worker = Worker(job)
    seen: list[tuple[str, str]] = []
    worker.posted.connect(lambda piece: seen.append((piece, threading.current_thread().name)))
    with qtbot.waitSignal(worker.finished):
        worker.start()
    worker.wait()
    qtbot.waitUntil(lambda: len(seen) == 3)
    gui = threading.main_thread().name
    assert seen == [("Some ", gui), ("chaps ", gui), ("named", gui)]
