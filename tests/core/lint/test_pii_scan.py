"""The bulk pre-filter never hides a finding the full scan would make."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tunedeck.core.lint.pii_scan import _NUMBER, _NUMBER_SHAPE, _SHAPES, luhn_valid, scan, suspects

SNIPPETS = [
    "jane.doe@example.com",
    "+44 20 7946 0958",
    "(555) 867-5309",
    "4111 1111 1111 1111",
    "sk-proj-abcdefghijklmnopqrstuvwxyz0123",
    "xoxb-1234567890-abcdefghij",
    "AIzaSyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q",
    "AKIAIOSFODNN7EXAMPLE",
    "Bearer abcdefghijklmnopqrstuvwxyz.0123",
    "2023-04-01",
    "\0",
    " ",
    "word",
]

texts = st.lists(
    st.lists(st.one_of(st.sampled_from(SNIPPETS), st.text(max_size=12)), max_size=6).map("".join),
    max_size=8,
)


@settings(max_examples=300, deadline=None)
@given(texts)
def test_suspects_cover_every_text_with_a_finding(batch: list[str]) -> None:
    flagged = {index for index, text in enumerate(batch) if any(scan(text))}
    assert flagged <= set(suspects(batch))


def test_clean_texts_are_not_suspects() -> None:
    assert suspects(["The meeting moved to Tuesday.", "No numbers here", ""]) == []


def test_luhn() -> None:
    assert luhn_valid("4111111111111111")
    assert not luhn_valid("4111111111111112")


def test_non_latin_text_keeps_offsets_right() -> None:
    # Characters outside latin-1 (and lone surrogates, which JSON allows) are one character
    # each in the pre-scan too, so a number after them is attributed to the right text.
    batch = ["日本語 \ud800 text", "emoji 🎉 then +44 20 7946 0958", "plain"]
    assert suspects(batch) == [1]


def test_dates_and_amounts_side_by_side_are_not_suspects() -> None:
    # Nine digits in a row, as the pre-scan's shape search sees them, but no number scan()
    # reports: the pre-scan judges them as scan() does instead of passing the text on.
    batch = ["Shipped 2024-1-15 10 boxes", "Call +44 20 7946 0958 today"]
    assert not list(scan(batch[0]))
    assert suspects(batch) == [1]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.one_of(st.sampled_from(["1", "23", " ", "-", "(", ").", "+", "x"]), st.text(max_size=3)),
        max_size=30,
    ).map("".join)
)
def test_number_shapes_find_what_the_number_pattern_finds(text: str) -> None:
    shapes = text.encode("latin-1", "replace").translate(_SHAPES)
    found = [match.span() for match in _NUMBER_SHAPE.finditer(shapes)]
    assert found == [match.span() for match in _NUMBER.finditer(text)]
