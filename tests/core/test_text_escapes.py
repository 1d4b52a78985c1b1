"""Typed escapes: what a user types reads back as the characters, and shows as typed."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tunedeck.core.text_escapes import escape, unescape


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("\\n\\n###\\n\\n", "\n\n###\n\n"),
        (" END", " END"),
        ("\\t->", "\t->"),
        ("café →", "café →"),
        ("\\\\n", "\\n"),
        ("\\u2192", "→"),
    ],
)
def test_typed_escapes_read_as_characters(typed, value):
    assert unescape(typed) == value


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("\n\n###\n\n", "\\n\\n###\\n\\n"),
        ("\r\n", "\\r\\n"),
        ("a\\b", "a\\\\b"),
        ("\x1b", "\\x1b"),
        ("\u2028", "\\u2028"),
        ("café →", "café →"),
    ],
)
def test_invisible_characters_are_shown_as_escapes(value, shown):
    assert escape(value) == shown


@pytest.mark.parametrize("typed", ["ends with \\", "\\x4", "\\u12"])
def test_malformed_escapes_are_refused(typed):
    with pytest.raises(ValueError):
        unescape(typed)


@given(st.text())
def test_what_is_shown_reads_back_unchanged(value):
    assert unescape(escape(value)) == value
