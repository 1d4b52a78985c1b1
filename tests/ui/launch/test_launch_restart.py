"""Closing the app mid-job and opening the project again: the job is followed to the end."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.ui.conftest import open_session
from tests.ui.launch.conftest import WAIT_MS, MakeTab, checked, finished, launch
from tunedeck.core.remote import KeyStore
from tunedeck.ui.connections import BUILTIN_SANDBOX_ID, Connections

pytestmark = pytest.mark.gui


def _connections(tmp_path: Path) -> Connections:
    # Jobs long enough to close the app while one runs; the state on disk outlives a restart.
    return Connections(
        config=tmp_path / "config",
        data=tmp_path / "data",
        keys=KeyStore(environ={}),
        sandbox_job_seconds=3.0,
    )


def test_an_active_job_is_reattached_and_followed_after_a_restart(
    qtbot, tmp_path: Path, project_path: Path, make_tab: MakeTab, memory_keyring
):
    first = _connections(tmp_path)
    session = open_session(project_path)
    try:
        tab = make_tab(session, first)
        checked(qtbot, tab)
        launch(qtbot, tab)
        (row,) = tab.jobs.model.rows()
        assert not row.job.finished
        tab.close()  # the window closes mid-job
        assert not tab.jobs.poller.active
    finally:
        session.project.close()
        first.close()  # the built-in sandbox stops with the app

    second = _connections(tmp_path)  # the sandbox starts again, on another port
    reopened = open_session(project_path)
    try:
        (active,) = reopened.project.jobs.active_jobs()
        assert active.job_id == row.job.id
        tab = make_tab(reopened, second)
        assert tab.jobs.poller.active  # followed without the user asking
        qtbot.waitUntil(lambda: finished(tab), timeout=WAIT_MS)
        (done,) = tab.jobs.model.rows()
        assert done.key == (BUILTIN_SANDBOX_ID, row.job.id)
        assert done.job.status == "succeeded" and done.job.fine_tuned_model
        qtbot.waitUntil(lambda: tab.jobs.detail.loss.train.count() > 2, timeout=WAIT_MS)
        assert reopened.project.jobs.metrics(BUILTIN_SANDBOX_ID, row.job.id)
        qtbot.waitUntil(lambda: not tab.jobs.poller.active, timeout=WAIT_MS)  # and it stops
    finally:
        tab.shutdown()
        reopened.project.close()
        second.close()
