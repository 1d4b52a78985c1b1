"""Leakage: an example whose duplicate or near-duplicate sits on the other side."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import SAMPLES
from tests.core.stats.conftest import linted, write_jsonl
from tunedeck.core.lint import LintSettings
from tunedeck.core.stats import LeakKind, find_leaks, leaking_rows
from tunedeck.core.storage import Review, Split, Status

SEP = "\n\n###\n\n"
SETTINGS = LintSettings(model="davinci-002", separator=SEP, stop="\n", classification=True)
TRAIN, VALIDATION = Review(split=Split.TRAIN), Review(split=Split.VALIDATION)


def legacy(prompt: str, answer: str) -> dict:
    return {"prompt": prompt + SEP, "completion": f" {answer}\n"}


def test_each_kind_of_leak(tmp_path: Path) -> None:
    rows = [
        legacy("My card was charged twice.", "billing"),  # 1 train
        legacy("My card was charged twice.", "billing"),  # 2 validation: the same example
        legacy("The app crashes on start", "technical"),  # 3 train
        legacy("The app crashes on start", "billing"),  # 4 validation: another answer
        legacy("Where is my  PARCEL??", "shipping"),  # 5 unassigned: trained on
        legacy("where is my parcel", "shipping"),  # 6 validation: case, spacing, punctuation
        legacy("Please reset my password", "account"),  # 7 train
        legacy("Could you reset my password", "account"),  # 8 validation: a paraphrase
        legacy("Cancel my plan", "billing"),  # 9 rejected
        legacy("cancel my plan!", "billing"),  # 10 validation
    ]
    source = linted(write_jsonl(tmp_path / "d.jsonl", rows), SETTINGS)
    ids = source.dataset.ids()
    splits = [TRAIN, VALIDATION, TRAIN, VALIDATION, Review(), VALIDATION, TRAIN, VALIDATION]
    source.reviews = dict(zip(ids, splits, strict=False))
    source.reviews[ids[8]] = Review(status=Status.REJECTED, split=Split.TRAIN)
    source.reviews[ids[9]] = VALIDATION

    leaks = find_leaks(source)

    assert [(leak.kind, leak.train, leak.validation) for leak in leaks] == [
        (LeakKind.DUPLICATE, (ids[0],), (ids[1],)),
        (LeakKind.SAME_PROMPT, (ids[2],), (ids[3],)),
        (LeakKind.NEAR_DUPLICATE, (ids[4],), (ids[5],)),
    ]
    assert leaking_rows(leaks) == set(ids[:6])
    assert find_leaks(source, rows=ids[2:]) == leaks[1:]


def test_nothing_held_out_nothing_leaks(tmp_path: Path) -> None:
    rows = [legacy("same", "a"), legacy("same", "a")]
    source = linted(write_jsonl(tmp_path / "d.jsonl", rows), SETTINGS)
    assert find_leaks(source) == []
    source.reviews = {source.dataset.ids()[0]: VALIDATION}
    assert len(find_leaks(source)) == 1


def test_chat_conversation_before_the_answer(tmp_path: Path) -> None:
    def chat(*texts: str, system: str = "Be kind.") -> dict:
        roles = ["user", "assistant"] * len(texts)
        messages = [{"role": r, "content": t} for r, t in zip(roles, texts, strict=False)]
        return {"messages": [{"role": "system", "content": system}, *messages]}

    rows = [
        chat("Hello there", "Hi!"),
        chat("hello, there!", "Good day."),  # near-duplicate question, other answer
        chat("Hello there", "Hi!", system="Be rude."),  # another system prompt: not a leak
        chat("", "Hi!"),  # nothing asked: never a leak
        chat("", "Hi!"),
        chat("Hello there", "Hi!", "And you?", "Fine."),  # a longer conversation
    ]
    source = linted(write_jsonl(tmp_path / "c.jsonl", rows), LintSettings(model="gpt-4o-mini"))
    ids = source.dataset.ids()
    sides = [TRAIN, VALIDATION, VALIDATION, TRAIN, VALIDATION, VALIDATION]
    source.reviews = dict(zip(ids, sides, strict=True))
    leaks = find_leaks(source)
    assert [(leak.kind, leak.rows) for leak in leaks] == [
        (LeakKind.NEAR_DUPLICATE, (ids[0], ids[1])),
    ]


def test_clippy_training_and_validation_files_do_not_overlap(tmp_path: Path) -> None:
    train_lines = (SAMPLES / "genai-for-beginners_clippy_training_set.jsonl").read_text()
    held_lines = (SAMPLES / "genai-for-beginners_clippy_validation_set.jsonl").read_text()
    train = [json.loads(line) for line in train_lines.splitlines()]
    held = [json.loads(line) for line in held_lines.splitlines()]
    copied = json.loads(json.dumps(train[3]))
    copied["messages"][1]["content"] = copied["messages"][1]["content"].upper() + " "
    source = linted(write_jsonl(tmp_path / "clippy.jsonl", [*train, *held, copied]))
    ids = source.dataset.ids()
    source.reviews = {row_id: TRAIN for row_id in ids[: len(train)]}
    source.reviews.update({row_id: VALIDATION for row_id in ids[len(train) :]})

    leaks = find_leaks(source)

    assert [(leak.kind, leak.train, leak.validation) for leak in leaks] == [
        (LeakKind.NEAR_DUPLICATE, (ids[3],), (ids[-1],))
    ]
