"""The text near-duplicates are compared by: letters and digits, casefolded."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import SAMPLE_FILES, SAMPLES
from tests.core.stats.conftest import linted, write_jsonl
from tunedeck.core.dataset import Example
from tunedeck.core.dataset.commands import SetField
from tunedeck.core.lint import LintSettings
from tunedeck.core.stats import (
    find_leaks,
    fold,
    near_duplicates,
    prompt_keys,
    propose_split,
    remember_keys,
)
from tunedeck.core.storage import Review, Split

TRAIN, VALIDATION = Review(split=Split.TRAIN), Review(split=Split.VALIDATION)


def reference(text: str) -> bytes:
    return "".join(c for c in text.casefold() if c.isalnum()).encode("utf-8", "surrogatepass")


@given(st.text(alphabet=st.characters(codec=None)))
def test_fold_is_the_letters_and_digits_casefolded(text: str) -> None:
    assert fold(text) == reference(text)


@given(st.text(st.sampled_from("aAbB1 ,.!?\n—“”ßẞéÉﬁΣσς日本👍\ud800")))
def test_fold_on_the_characters_that_matter(text: str) -> None:
    assert fold(text) == reference(text)


def test_what_is_ignored_and_what_is_not() -> None:
    assert fold("Reset my PASSWORD!!") == fold("reset my password") == b"resetmypassword"
    assert fold("Straße") == fold("STRASSE")
    assert fold("reset your password") != fold("reset my password")
    assert fold("version 2") != fold("version 3")


def test_keys_of_rows_of_any_shape() -> None:
    def row(row_id: int, record: dict | None) -> Example:
        return Example(id=row_id, record=record)

    same = [{"role": "user", "content": "Hi, there"}, {"role": "assistant", "content": "a"}]
    named = [{"role": "user", "content": "hi there", "name": "ann"}, {"role": "assistant"}]
    parts = [{"role": "user", "content": [{"type": "text", "text": "HI THERE"}]}]
    examples = [
        row(1, {"messages": same}),
        row(2, {"messages": named}),  # not plain: keyed the long way, to the same key
        row(3, {"messages": parts}),  # no assistant: the whole conversation
        row(4, {"prompt": "Hi there", "completion": "x"}),  # legacy: no role
        row(5, {"prompt": "?!", "completion": "x"}),  # nothing to compare
        row(6, {"messages": [{"role": "system", "content": "rules"}]}),  # only a system prompt
        row(7, None),  # quarantined
    ]
    keys = prompt_keys(examples)
    assert keys[0] == keys[1] == keys[2] is not None
    assert keys[3] is not None and keys[3] != keys[0]
    assert keys[4:] == [None, None, None]


def test_keys_read_with_the_linters_facts_are_the_same_keys() -> None:
    for sample in SAMPLE_FILES:
        source = linted(sample)
        examples = list(source.dataset)
        facts = [source.linter.facts(example.id) for example in examples]
        assert prompt_keys(examples, facts) == prompt_keys(examples), sample.name


def test_remembered_keys_follow_every_edit(tmp_path: Path) -> None:
    """The split dialog and the leakage check reuse keys between calls: an edit in between
    must be seen by the next call, in either direction."""

    def chat(question: str) -> dict:
        return {
            "messages": [
                {"role": "user", "content": question},
                {"role": "assistant", "content": "Sure."},
            ]
        }

    rows = [chat("Reset my password"), chat("Cancel my plan"), chat("Where is my parcel?")]
    source = linted(write_jsonl(tmp_path / "c.jsonl", rows), LintSettings(model="gpt-4o-mini"))
    first, second, third = source.dataset.ids()
    source.reviews = {first: TRAIN, second: VALIDATION, third: VALIDATION}
    assert find_leaks(source) == []

    def edit(row_id: int, question: str) -> None:
        SetField(row_id, "messages[0].content", question).apply(source.dataset)
        source.linter.row_changed(row_id)

    edit(second, "reset my password!")
    assert [leak.rows for leak in find_leaks(source)] == [(first, second)]
    edit(third, "RESET my password")
    assert [leak.rows for leak in find_leaks(source)] == [(first, second, third)]
    edit(second, "Cancel my plan")
    assert [leak.rows for leak in find_leaks(source)] == [(first, third)]
    proposal = propose_split(source, validation_fraction=0.5)
    assert proposal.assignments[first] is proposal.assignments[third]


def test_keys_worked_out_ahead_are_not_folded_again(monkeypatch) -> None:
    source = linted(SAMPLES / "openai-cookbook_toy_chat_fine_tuning.jsonl")
    remember_keys(source)
    monkeypatch.setattr(near_duplicates, "prompt_keys", refuse_to_fold)
    source.reviews = {row_id: VALIDATION for row_id in source.dataset.ids()[::2]}
    assert find_leaks(source) == []  # answered from the remembered keys alone
    assert propose_split(source).validation > 0


def refuse_to_fold(*_args: object) -> None:
    raise AssertionError("a remembered key was worked out again")
