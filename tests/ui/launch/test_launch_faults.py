"""Faults during the upload and the job's creation: a clear message, nothing lost, and in the
end exactly one job."""

from __future__ import annotations

import pytest

from tests.ui.launch.conftest import WAIT_MS, MakeTab, checked, finished, launch
from tunedeck.core.session import CurationSession
from tunedeck.ui.connections import BUILTIN_SANDBOX_ID, Connections

pytestmark = pytest.mark.gui


def _provider_jobs(connections: Connections) -> list:
    with connections.provider(connections.profile(BUILTIN_SANDBOX_ID)) as provider:
        return provider.list_jobs(limit=50)


def test_an_upload_the_service_keeps_failing_is_explained_and_retried_once(
    qtbot, sample_session: CurationSession, make_tab: MakeTab, connections: Connections
):
    tab = make_tab(sample_session)
    checked(qtbot, tab)
    # More failures than the SDK's own retries: the launch stops and says why.
    connections.ensure_sandbox().inject("server_error", path="/v1/files", times=3)
    with qtbot.waitSignal(tab.failed, timeout=WAIT_MS) as failed:
        launch(qtbot, tab)
    message = failed.args[0]
    assert message.startswith("Could not upload data-davinci-002-training.jsonl")
    assert "internal error" in message and "try again later" in message
    assert "Not launched." in tab.panel.bar.outcome.text()
    assert _provider_jobs(connections) == [] and sample_session.project.jobs.jobs() == []
    # Nothing lost: the files are written, the check still holds, Launch works again.
    assert (tab.panel.folder.path() / "data-davinci-002-training.jsonl").exists()
    assert tab.panel.gate.can_launch() and tab.panel.bar.launch_button.isEnabled()

    with qtbot.waitSignal(tab.informed, timeout=WAIT_MS):
        launch(qtbot, tab)
    assert len(_provider_jobs(connections)) == 1
    qtbot.waitUntil(lambda: finished(tab), timeout=WAIT_MS)
    assert [row.job.status for row in tab.jobs.model.rows()] == ["succeeded"]


def test_a_lost_answer_to_the_job_creation_never_makes_a_second_job(
    qtbot, sample_session: CurationSession, make_tab: MakeTab, connections: Connections
):
    tab = make_tab(sample_session)
    checked(qtbot, tab)
    sandbox = connections.ensure_sandbox()
    # The job is created but the answer is lost; then the look-up fails too, so TuneDeck
    # cannot tell whether the job exists.
    sandbox.inject("drop_after", path="/v1/fine_tuning/jobs", times=1)
    sandbox.inject("server_error", path="/v1/fine_tuning/jobs", times=3)
    with qtbot.waitSignal(tab.failed, timeout=WAIT_MS) as failed:
        launch(qtbot, tab)
    message = failed.args[0]
    assert "could not check whether the job was created" in message
    assert "nothing is started twice" in message
    assert len(sample_session.project.jobs.open_launches()) == 1  # the attempt is remembered
    assert len(_provider_jobs(connections)) == 1  # the job does exist

    # Launching again settles that attempt instead of starting another job.
    with qtbot.waitSignal(tab.informed, timeout=WAIT_MS):
        launch(qtbot, tab)
    jobs = _provider_jobs(connections)
    assert len(jobs) == 1
    assert sample_session.project.jobs.open_launches() == []
    qtbot.waitUntil(lambda: finished(tab), timeout=WAIT_MS)
    assert [row.job.id for row in tab.jobs.model.rows()] == [jobs[0].id]


def test_a_cancelled_upload_starts_nothing_and_can_be_launched_again(
    qtbot, sample_session: CurationSession, make_tab: MakeTab, connections: Connections
):
    tab = make_tab(sample_session)
    checked(qtbot, tab)
    # A slow service: time to press Cancel while the upload waits.
    connections.ensure_sandbox().inject("slow", path="/v1/files", seconds=1.0, times=1)
    panel = tab.panel
    if panel.gate.acknowledge.isVisible():
        panel.gate.acknowledge.setChecked(True)
    panel.bar.launch_button.click()
    qtbot.waitUntil(lambda: panel.bar.cancel_button.isVisible(), timeout=WAIT_MS)
    with qtbot.waitSignal(tab.informed, timeout=WAIT_MS) as told:
        panel.bar.cancel_button.click()
    assert "was cancelled" in told.args[0] and "Nothing was started" in told.args[0]
    qtbot.waitUntil(lambda: not panel.bar.running, timeout=WAIT_MS)
    assert _provider_jobs(connections) == [] and sample_session.project.jobs.jobs() == []
    assert panel.bar.launch_button.isEnabled()
