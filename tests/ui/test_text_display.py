"""A field's text as one line, with the whitespace fine-tuning cares about made visible."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tunedeck.ui.text_display import display_line


def test_the_separator_shows_as_arrows():
    assert display_line("Ticket: hi\n\n###\n\n") == "Ticket: hi↵↵###↵↵"


def test_a_completions_leading_space_and_stop_show():
    assert display_line(" billing\n") == "·billing↵"
    assert display_line("billing") == "billing"


def test_spaces_show_only_where_they_are_easy_to_miss():
    assert display_line("  two words  ") == "··two words··"
    assert display_line("end \nnext") == "end·↵next"
    assert display_line("a\tb\r\n") == "a→b␍↵"


def test_long_text_is_capped_but_keeps_its_end():
    text = "word " * 1000 + "\n\n###\n\n"
    shown = display_line(text, limit=200)
    assert len(shown) <= 200
    assert shown.startswith("word word")
    assert shown.endswith("word·↵↵###↵↵")  # the space before the newline shows too
    assert "…" in shown


@given(st.text())
def test_always_one_line_and_never_longer_than_the_cap(text: str):
    shown = display_line(text, limit=120)
    assert "\n" not in shown and "\r" not in shown
    assert len(shown) <= max(120, len(text))
