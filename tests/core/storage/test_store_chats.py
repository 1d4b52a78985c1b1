"""Conversations and spot-check results stay in the project, for the whole team, across runs."""

from __future__ import annotations

from tunedeck.core.storage import Project
from tunedeck.core.storage.chat_store import SpotCheckResult


def test_a_conversation_with_ratings_survives_reopening(location: str):
    with Project.open(location, create=True, author="ann") as project:
        talk = project.chats.new_conversation(
            "iMocha", "sandbox", "ft:gpt-4o-mini:sandbox:x:1", {"temperature": 0.2}
        )
        project.chats.add_message(talk, "user", "What is iMocha?")
        answer = project.chats.add_message(
            talk, "assistant", "A skills platform.", model="ft:gpt-4o-mini:sandbox:x:1"
        )
        project.chats.rate_message(talk, answer, "good", "matches the docs")
    with Project.open(location) as project:
        (found,) = project.chats.conversations()
        assert (found.title, found.settings) == ("iMocha", {"temperature": 0.2})
        messages = project.chats.messages(found.id)
        assert [(m.role, m.content) for m in messages] == [
            ("user", "What is iMocha?"),
            ("assistant", "A skills platform."),
        ]
        assert (messages[1].rating, messages[1].note) == ("good", "matches the docs")
        project.chats.delete_conversation(found.id)
        assert project.chats.conversations() == []


def test_spot_check_results_are_kept_and_a_retry_replaces_the_failure(project: Project):
    run = project.chats.new_spot_check("sandbox", ["base", "tuned"], {"selection": "validation"})
    failed = SpotCheckResult(7, "tuned", "Q?", "Company", error="rate limited")
    fine = SpotCheckResult(7, "base", "Q?", "Company", answer="Artist")
    project.chats.save_results(run, [failed, fine])
    retried = SpotCheckResult(7, "tuned", "Q?", "Company", answer="Company", rating="good")
    project.chats.save_results(run, [retried])
    assert project.chats.results(run) == [fine, retried]
    (info,) = project.chats.spot_checks()
    assert info.models == ("base", "tuned") and info.settings == {"selection": "validation"}
