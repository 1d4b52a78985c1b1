"""Which models the tab offers for a profile, and "Open in chat" from the jobs view."""

from __future__ import annotations

import pytest

from tests.ui.chat.conftest import RELAY_PROFILE, Tuned
from tests.ui.chat.helpers import open_tab
from tunedeck.core.remote import AzureProfile, OpenAIProfile
from tunedeck.ui.chat import ChatTab
from tunedeck.ui.chat.model_catalog import BASE, DEPLOYMENT, OTHER, TUNED

pytestmark = pytest.mark.gui


def test_open_in_chat_selects_the_profile_and_the_model(qtbot, tuned: Tuned):
    tab = ChatTab(tuned.session, tuned.connections)
    qtbot.addWidget(tab)
    tab.parts.setCurrentWidget(tab.spot_check)
    tab.open_model(RELAY_PROFILE, tuned.legacy)
    assert tab.profile().id == RELAY_PROFILE
    assert tab.parts.currentWidget() is tab.chat
    assert tab.chat.picker.current_name() == tuned.legacy
    assert "is added to each prompt" in tab.chat.settings.how.text()
    # The service's list arrives later; the choice stays.
    qtbot.waitUntil(lambda: not tab.catalog.loading)
    assert tab.chat.picker.current_name() == tuned.legacy

    with qtbot.waitSignal(tab.failed) as failed:
        tab.open_model("a-deleted-profile", tuned.legacy)
    assert "no longer exists" in failed.args[0]


def test_an_account_profile_lists_the_services_models_and_any_name_can_be_typed(
    qtbot, tuned: Tuned
):
    sandbox = tuned.connections.ensure_sandbox()
    tuned.connections.save(
        OpenAIProfile(id="acme", name="Acme", base_url=sandbox.openai_base_url), key="sk-acme-1"
    )
    tab = open_tab(qtbot, tuned)
    tab.profiles.select("acme")
    assert tab.banner.isHidden()  # real answers: no simulation banner
    qtbot.waitUntil(lambda: not tab.catalog.loading and len(tab.catalog.choices) > 2)
    groups = {choice.name: choice.group for choice in tab.catalog.choices}
    assert groups["davinci-002"] == BASE and groups["gpt-4o-mini-2024-07-18"] == BASE
    # Tuned through another profile: listed, but this profile has no record of its training.
    assert groups[tuned.legacy] == OTHER
    assert tab.catalog.choices[0].group == BASE

    picker = tab.chat.picker
    picker.setEditText("my-own-model")
    picker.lineEdit().editingFinished.emit()
    assert picker.current_choice().name == "my-own-model"
    assert "asked plainly" in tab.chat.settings.how.text()


def test_a_profile_without_its_key_says_so_and_still_offers_what_it_knows(qtbot, tuned: Tuned):
    sandbox = tuned.connections.ensure_sandbox()
    tuned.connections.save(
        AzureProfile(id="azure", name="Team Azure", endpoint=sandbox.url, deployments=("prod",))
    )  # no key saved
    tab = open_tab(qtbot, tuned)
    assert [c.group for c in tab.catalog.choices[:2]] == [TUNED, TUNED]
    with qtbot.waitSignal(tab.failed) as failed:
        tab.profiles.select("azure")
    assert "key" in failed.args[0].lower()
    assert [(c.name, c.group) for c in tab.catalog.choices] == [("prod", DEPLOYMENT)]
