"""Asking a tuned model the way it was trained: separator, stop sequence, system message."""

from __future__ import annotations

from tests.core.stats.conftest import MakeSession
from tunedeck.core.chat import TrainingFormat, check_items, new_example
from tunedeck.core.dataset import ExampleFormat
from tunedeck.core.export import ExportOptions, Which, build_export
from tunedeck.core.models import ModelKind

PAIRS = [
    {"prompt": f"What is product {n}?\n\n###\n\n", "completion": f" Product {n} is ours.\n"}
    for n in range(12)
]


def test_a_legacy_tuned_model_gets_the_separator_and_the_stop(make_session: MakeSession):
    session = make_session(PAIRS)
    build = build_export(session, ExportOptions(model="babbage-002", which=Which.NOT_REJECTED))
    fmt = TrainingFormat.from_record(build.describe())
    assert fmt.is_legacy
    assert fmt.completion_prompt("What is iMocha?") == "What is iMocha?\n\n###\n\n"
    assert fmt.completion_prompt("Asked already\n\n###\n\n") == "Asked already\n\n###\n\n"
    assert fmt.stop_sequences() == ["\n"]
    assert fmt.clean_answer(" iMocha is a skills platform.\n") == "iMocha is a skills platform."


def test_a_chat_tuned_model_gets_its_system_message_and_a_change_is_noticed(
    make_session: MakeSession,
):
    session = make_session(PAIRS)
    options = ExportOptions(model="gpt-4o-mini", which=Which.NOT_REJECTED, system_message="Be us.")
    fmt = TrainingFormat.from_record(build_export(session, options).describe())
    assert fmt.kind is ModelKind.CHAT and fmt.stop_sequences() is None
    assert fmt.messages([], "Hi") == [
        {"role": "system", "content": "Be us."},
        {"role": "user", "content": "Hi"},
    ]
    assert not fmt.system_changed("Be us.")
    assert fmt.system_changed("Be someone else.")
    assert fmt.messages([], "Hi", system="Other")[0]["content"] == "Other"


def test_items_for_a_chat_model_tuned_on_legacy_pairs_are_converted_the_same_way(
    make_session: MakeSession,
):
    session = make_session(PAIRS)
    fmt = TrainingFormat(ModelKind.CHAT, separator="\n\n###\n\n", stop="\n", system_message="S")
    (item,) = check_items(session, session.dataset.ids()[:1], fmt)
    assert item.prompt == (
        {"role": "system", "content": "S"},
        {"role": "user", "content": "What is product 0?"},
    )
    assert item.expected == "Product 0 is ours." and item.question == "What is product 0?"


def test_a_corrected_answer_becomes_an_example_in_the_datasets_own_format():
    legacy = new_example(
        ExampleFormat.LEGACY,
        "What is iMocha?",
        "A skills platform.",
        separator="\n\n###\n\n",
        stop="\n",
    )
    assert legacy == {"prompt": "What is iMocha?\n\n###\n\n", "completion": " A skills platform.\n"}
    chat = new_example(ExampleFormat.CHAT, [{"role": "user", "content": "Hi"}], " Hello ")
    assert chat == {
        "messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello"}]
    }
