"""The text near-duplicates are compared by: letters and digits, casefolded."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tunedeck.core.dataset import Example
from tunedeck.core.stats import fold, prompt_keys


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
