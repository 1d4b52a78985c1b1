"""Azure: a tuned model is deployed before it can be chatted with, its costs stated, its
state shown until ready (through the sandbox's management endpoint)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.core.remote.conftest import write_chat_file
from tests.ui.launch.conftest import WAIT_MS, MakeTab, finished
from tunedeck.core.fine_tune import job_snapshot
from tunedeck.core.remote import AzureProfile, JobSpec
from tunedeck.core.session import CurationSession
from tunedeck.ui.connections import Connections
from tunedeck.ui.launch.deploy_box import DeployBox

pytestmark = pytest.mark.gui


def _azure(connections: Connections, **fields) -> AzureProfile:
    url = connections.ensure_sandbox().url
    profile = AzureProfile(
        id="team-azure", name="Team Azure", endpoint=url, management_root=url, **fields
    )
    connections.save(profile, key="sk-azure-resource-key")
    return profile


def _tuned_job(connections: Connections, profile: AzureProfile, session, tmp_path: Path):
    # Started through the provider directly: the sandbox refuses the byte-order mark that
    # Azure requires of TuneDeck's own exports (see the report), which the deploy step does
    # not depend on.
    with connections.provider(profile) as provider:
        upload = provider.upload(write_chat_file(tmp_path / "train.jsonl"))
        job = provider.create_job(JobSpec("gpt-4o-mini-2024-07-18", suffix="tickets"), upload.id)
    session.project.jobs.save_job(profile.id, job_snapshot(job))
    return job


def test_a_tuned_azure_model_is_deployed_then_opened_in_chat(
    qtbot, sample_session: CurationSession, make_tab: MakeTab, connections, tmp_path, monkeypatch
):
    monkeypatch.setattr(DeployBox, "poll_seconds", 0.1)
    profile = _azure(connections, subscription_id="sub-1", resource_group="rg-1", account="acct")
    job = _tuned_job(connections, profile, sample_session, tmp_path)
    tab = make_tab(sample_session)
    qtbot.waitUntil(lambda: finished(tab), timeout=WAIT_MS)
    detail = tab.jobs.detail
    assert tab.jobs.select(profile.id, job.id)
    assert detail.tabs.isTabVisible(detail._deploy_tab)
    assert not detail.chat_button.isEnabled()  # on Azure a model answers only once deployed
    assert "Deploy the model first" in detail.chat_button.toolTip()
    rules = detail.deploy.rules.text()
    assert "billed per hour" in rules and "24 hours" in rules and "15 days" in rules
    assert detail.deploy.name.text() == "tickets"

    with qtbot.waitSignal(detail.deploy.deployed, timeout=WAIT_MS) as deployed:
        detail.deploy.button.click()
        qtbot.waitUntil(lambda: "Creating" in detail.deploy.status.text(), timeout=WAIT_MS)
    assert deployed.args == [profile.id, "tickets"]
    assert "Ready" in detail.deploy.status.text()
    assert connections.profile(profile.id).deployments == ("tickets",)  # the chat tab sees it

    assert detail.chat_button.isEnabled()
    with qtbot.waitSignal(tab.open_in_chat_requested) as opened:
        detail.chat_button.click()
    assert opened.args == [profile.id, "tickets"]  # Azure chat names the deployment
    with connections.provider(connections.profile(profile.id)) as provider:
        assert provider.chat("tickets", [{"role": "user", "content": "Hi"}]).text


def test_without_the_management_fields_the_user_is_told_how_to_deploy(
    qtbot, sample_session: CurationSession, make_tab: MakeTab, connections, tmp_path
):
    profile = _azure(connections)
    job = _tuned_job(connections, profile, sample_session, tmp_path)
    tab = make_tab(sample_session)
    qtbot.waitUntil(lambda: finished(tab), timeout=WAIT_MS)
    assert tab.jobs.select(profile.id, job.id)
    deploy = tab.jobs.detail.deploy
    assert not deploy.button.isEnabled()
    assert "subscription id, resource group and resource name" in deploy.status.text()
    assert "Azure AI Foundry" in deploy.status.text()
