"""Rows read later from the store join the end of the dataset in one announced step."""

from __future__ import annotations

import pytest

from tunedeck.core.dataset import Dataset, Example, ExampleFormat


def _legacy(row_id: int) -> Example:
    return Example(row_id, {"prompt": f"p{row_id} ->", "completion": " x"})


def _chat(row_id: int) -> Example:
    return Example(row_id, {"messages": [{"role": "user", "content": "hi"}]})


def test_extend_appends_in_order_and_announces_once() -> None:
    dataset = Dataset.from_examples([_legacy(1), _legacy(2)])
    heard: list[list[int]] = []
    added: list[int] = []
    dataset.rows_appended.connect(heard.append)
    dataset.row_added.connect(added.append)

    dataset.extend({7: _legacy(7), 5: _legacy(5)})

    assert dataset.ids() == [1, 2, 7, 5]
    assert dataset.position(5) == 3
    assert heard == [[7, 5]]
    assert added == []  # nothing new to store or lint row by row
    assert dataset.new_id() == 8


def test_extend_refuses_a_row_it_already_has_and_changes_nothing() -> None:
    dataset = Dataset.from_examples([_legacy(1), _legacy(2)])
    heard: list[list[int]] = []
    dataset.rows_appended.connect(heard.append)
    with pytest.raises(ValueError, match="row 2"):
        dataset.extend({3: _legacy(3), 2: _legacy(2)})
    assert dataset.ids() == [1, 2]
    assert heard == []


def test_format_counts_count_rows_whose_format_was_not_asked_yet() -> None:
    asked, unasked = _chat(3), _legacy(4)
    assert asked.format is ExampleFormat.CHAT  # worked out and kept on the row
    dataset = Dataset.from_examples([_legacy(1), _legacy(2), asked, unasked])
    assert dataset.format_counts() == {ExampleFormat.LEGACY: 3, ExampleFormat.CHAT: 1}
    assert dataset.formats() == {ExampleFormat.LEGACY, ExampleFormat.CHAT}
