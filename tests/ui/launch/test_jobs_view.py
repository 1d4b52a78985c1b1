"""The jobs view: cancelling, the provider's other jobs, and jobs it cannot follow."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.core.remote.conftest import write_chat_file
from tests.ui.launch.conftest import WAIT_MS, MakeTab, finished
from tunedeck.core.fine_tune import job_snapshot
from tunedeck.core.remote import JobSpec, KeyStore
from tunedeck.core.session import CurationSession
from tunedeck.ui.connections import BUILTIN_SANDBOX_ID, Connections

pytestmark = pytest.mark.gui


@pytest.fixture
def slow(tmp_path: Path, memory_keyring):
    """Connections whose sandbox jobs take long enough to be cancelled."""
    shared = Connections(
        config=tmp_path / "slow-config",
        data=tmp_path / "slow-data",
        keys=KeyStore(environ={}),
        sandbox_job_seconds=30.0,
    )
    yield shared
    shared.close()


def _start(connections: Connections, tmp_path: Path):
    with connections.provider(connections.profile(BUILTIN_SANDBOX_ID)) as provider:
        upload = provider.upload(write_chat_file(tmp_path / "train.jsonl"))
        return provider.create_job(JobSpec("gpt-4o-mini-2024-07-18", suffix="faq"), upload.id)


def test_cancelling_a_running_job(
    qtbot, sample_session: CurationSession, make_tab: MakeTab, slow, tmp_path
):
    job = _start(slow, tmp_path)
    sample_session.project.jobs.save_job(BUILTIN_SANDBOX_ID, job_snapshot(job))
    tab = make_tab(sample_session, slow)
    detail = tab.jobs.detail
    assert detail.row.job.id == job.id and detail.cancel_button.isEnabled()
    assert "1 running" in tab.jobs.state.text()
    with qtbot.waitSignal(tab.informed, timeout=WAIT_MS) as told:
        detail.cancel_button.click()
    assert told.args == ["The job was cancelled."]
    assert finished(tab) and tab.jobs.model.index(0, 0).data() == "Cancelled"
    assert not detail.cancel_button.isEnabled() and not detail.chat_button.isEnabled()


def test_the_providers_other_jobs_are_listed_but_not_followed(
    qtbot, sample_session: CurationSession, make_tab: MakeTab, connections, tmp_path
):
    elsewhere = _start(connections, tmp_path)  # launched outside this project
    tab = make_tab(sample_session)
    assert tab.jobs.model.rows() == [] and not tab.jobs.poller.active
    tab.jobs.others.setChecked(True)
    qtbot.waitUntil(lambda: bool(tab.jobs.model.rows()), timeout=WAIT_MS)
    (row,) = tab.jobs.model.rows()
    assert row.job.id == elsewhere.id and not row.in_project
    assert "Not launched from this project" in tab.jobs.model.index(0, 0).data(3)  # tooltip
    assert not tab.jobs.detail.cancel_button.isEnabled()
    assert not tab.jobs.poller.active
    tab.jobs.others.setChecked(False)
    assert tab.jobs.model.rows() == []


def test_a_job_whose_profile_was_removed_is_shown_with_a_way_out(
    qtbot, sample_session: CurationSession, make_tab: MakeTab, connections, tmp_path
):
    job = _start(connections, tmp_path)
    sample_session.project.jobs.save_job("a-removed-profile", job_snapshot(job))
    tab = make_tab(sample_session)
    assert tab.jobs.model.index(0, 7).data() == "(a removed provider)"
    qtbot.waitUntil(lambda: "has since been removed" in tab.jobs.state.text(), timeout=WAIT_MS)
    assert "add the profile again" in tab.jobs.state.text()
