"""How a sandbox fine-tuned model picks its answer: the nearest trained prompt, quickly."""

from __future__ import annotations

import time

from tunedeck.core.sandbox.answers import nearest, pairs


def chat(*turns: tuple[str, str], system: str | None = None) -> dict:
    messages = [{"role": "system", "content": system}] if system else []
    for role, content in turns:
        messages.append({"role": role, "content": content})
    return {"messages": messages}


def test_each_user_turn_is_paired_with_the_reply_that_follows_it() -> None:
    found = pairs([
        chat(("user", "a?"), ("assistant", "A"), ("user", "b?"), ("assistant", "B")),
        chat(("assistant", "greeting"), system="be nice"),
        {"prompt": "p ->", "completion": " c"},
    ])  # fmt: skip
    assert [(pair.prompt, pair.answer) for pair in found] == [
        ("a?", "A"), ("b?", "B"), ("be nice", "greeting"), ("p ->", " c"),
    ]  # fmt: skip


def test_word_overlap_decides_and_character_similarity_breaks_ties() -> None:
    found = pairs([
        chat(("user", "What is the capital of France?"), ("assistant", "Paris")),
        chat(("user", "What is the capital of Spain?"), ("assistant", "Madrid")),
        chat(("user", "How tall is Everest?"), ("assistant", "8,849 m")),
    ])  # fmt: skip
    assert nearest(found, "capital of spain, please") == "Madrid"
    assert nearest(found, "how high is mount everest") == "8,849 m"
    assert nearest(found, "What is the capital of Frence?") == "Paris"  # typo: a tie on words
    assert nearest([], "anything") == ""


def test_a_few_thousand_examples_answer_in_well_under_a_second() -> None:
    found = pairs(
        [chat(("user", f"question number {n} about topic {n % 97}"), ("assistant", f"answer {n}"))
         for n in range(5000)]
    )  # fmt: skip
    started = time.perf_counter()
    assert nearest(found, "question number 4321 about topic 53") == "answer 4321"
    assert time.perf_counter() - started < 0.5
