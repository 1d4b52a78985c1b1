"""Every part of the chat tab asks a model as it was trained, through one function."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tunedeck.core.chat import CheckItem, SpotCheck, TrainingFormat
from tunedeck.core.chat.asking import (
    AskSettings,
    Question,
    check_asker,
    item_question,
    question_for,
)
from tunedeck.core.models import ModelKind
from tunedeck.core.remote import Provider, SandboxProfile
from tunedeck.core.sandbox import Sandbox
from tunedeck.core.sandbox.inference_api import BASE_REPLY

LEGACY = TrainingFormat(ModelKind.COMPLETION, separator="\n\n###\n\n", stop="\n")
CHAT = TrainingFormat(ModelKind.CHAT, system_message="Answer as Acme support.")


@pytest.fixture
def provider(tmp_path: Path) -> Iterator[Provider]:
    with Sandbox(tmp_path / "sandbox", job_seconds=0.5) as sandbox:
        profile = SandboxProfile(id="sandbox", name="Sandbox", url=sandbox.url)
        with Provider(profile, None) as opened:
            yield opened


def test_a_question_is_sent_in_the_format_the_model_was_trained_on():
    history = [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello"}]
    assert question_for(LEGACY, history, "What is iMocha?") == Question(
        prompt="What is iMocha?\n\n###\n\n", stop=["\n"]
    )  # a completion model continues one prompt: the conversation is not sent
    asked = question_for(CHAT, history, "What is iMocha?")
    assert asked.prompt is None and [m["role"] for m in asked.messages] == [
        "system", "user", "assistant", "user"
    ]  # fmt: skip
    assert asked.messages[0]["content"] == "Answer as Acme support."
    mine = question_for(CHAT, [], "Hi", system="Be terse.").messages
    assert mine[0] == {"role": "system", "content": "Be terse."}
    assert question_for(CHAT, [], "Hi", system="").messages == ({"role": "user", "content": "Hi"},)


def test_a_spot_check_item_is_asked_each_models_way():
    legacy_item = CheckItem(1, "Refund?\n\n###\n\n", "billing")
    chat_item = CheckItem(2, ({"role": "user", "content": "Refund?"},), "billing")
    assert item_question(LEGACY, legacy_item) == Question(prompt="Refund?\n\n###\n\n", stop=["\n"])
    assert item_question(LEGACY, chat_item).prompt == "Refund?\n\n###\n\n"
    assert item_question(CHAT, chat_item).messages == chat_item.prompt
    plain = TrainingFormat(ModelKind.CHAT)
    assert item_question(plain, CheckItem(3, "Refund?", "x")).messages == (
        {"role": "user", "content": "Refund?"},
    )


def test_a_legacy_and_a_chat_model_are_asked_through_their_own_endpoints(provider: Provider):
    # A chat model asked on /v1/completions, or the reverse, is refused by the sandbox as by
    # OpenAI, so answers from both prove each went where it belongs.
    formats = {"davinci-002": LEGACY, "gpt-4o-mini": CHAT}
    items = [CheckItem(1, "Refund?\n\n###\n\n", "billing")]
    ask = check_asker(provider, formats, {}, AskSettings(temperature=0, max_tokens=200))
    check = SpotCheck(items, list(formats), ask)
    assert check.run()
    assert check.failed() == []
    for model in formats:
        served = "gpt-4o-mini-2024-07-18" if model == "gpt-4o-mini" else model
        assert check.outcome(1, model).answer == BASE_REPLY.format(model=served)
