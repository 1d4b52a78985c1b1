"""Free-text search: what a reviewer types finds the rows that say it, and keeps up with edits."""

from __future__ import annotations

import pytest
from PySide6.QtTest import QTest

from tests.ui.conftest import show_window
from tunedeck.core.dataset.commands import SetField
from tunedeck.core.storage import Split
from tunedeck.ui.models.table_columns import Column

pytestmark = pytest.mark.gui


def _visible(window) -> set[int]:
    model = window.model
    return {model.row_id(row) for row in range(model.rowCount())}


def _search(qtbot, window, text: str) -> set[int]:
    window.filters.search.clear()
    QTest.keyClicks(window.filters.search, text)
    qtbot.waitUntil(lambda: window.model.rowCount() != len(window.session.dataset) or not text)
    qtbot.wait(300)  # past the typing pause
    return _visible(window)


def test_search_is_case_blind_reads_notes_and_follows_edits(qtbot, sample_session):
    window = show_window(qtbot, sample_session)
    session = window.session
    billing = {
        row_id
        for row_id in session.dataset.ids()
        if "invoice" in str((session.dataset[row_id].record or {}).get("prompt", "")).lower()
    }
    broken = {  # a quarantined line is searched as the text it is
        row_id
        for row_id in session.dataset.ids()
        if b"invoice" in (session.dataset[row_id].raw or b"")
        and session.dataset[row_id].record is None
    }
    assert billing and broken
    billing |= broken
    assert _search(qtbot, window, "INVOICE") == billing

    other = next(row_id for row_id in session.dataset.ids() if row_id not in billing)
    session.review(other, notes="ask finance about the invoice")
    window.filters.search.clear()
    assert _search(qtbot, window, "invoice") == billing | {other}  # notes count, cache renewed

    edited = next(iter(billing - broken))
    session.execute(SetField(edited, "prompt", "Ticket: nothing to see\n\n###\n\n"))
    assert edited not in _search(qtbot, window, "invoice")  # the edit is seen at once

    window.filters.regex.setChecked(True)
    assert _search(qtbot, window, r"invoic[e]") == (billing | {other}) - {edited}

    window.filters.search.clear()  # clearing shows every row straight away
    assert window.model.rowCount() == len(session.dataset)


def test_a_shown_search_takes_in_rows_edited_deleted_and_brought_back(qtbot, sample_session):
    window = show_window(qtbot, sample_session)
    session = window.session
    found = _search(qtbot, window, "invoice")
    other = next(row_id for row_id in session.dataset.ids() if row_id not in found)
    session.execute(SetField(other, "prompt", "Ticket: a second invoice\n\n###\n\n"))
    window.model.sort(window.model.column_number(Column.TOKENS))  # the table filters again
    assert _visible(window) == found | {other}  # without typing the search again

    gone = next(iter(found))
    window.select_row(gone)
    window.delete_rows()
    assert gone not in _visible(window)
    window.undo_stack.undo()  # the row comes back while the search is shown: it matches
    assert _visible(window) == found | {other}


def test_focusing_the_search_builds_its_texts_before_the_first_key(qtbot, sample_session):
    window = show_window(qtbot, sample_session)
    texts = window.filters._search_text._texts
    window.activateWindow()
    window.filters.search.setFocus()
    qtbot.waitUntil(lambda: len(texts) == len(window.session.dataset))
    window.view.setFocus()  # left without searching: nothing held
    qtbot.waitUntil(lambda: not texts)


def test_a_split_keeps_the_texts_and_new_notes_are_found(qtbot, sample_session):
    window = show_window(qtbot, sample_session)
    session = window.session
    found = _search(qtbot, window, "invoice")
    texts = dict(window.filters._search_text._texts)
    split = {"split": Split.VALIDATION}
    session.review_many({row_id: split for row_id in session.dataset.ids()})
    kept = window.filters._search_text._texts
    assert all(kept[row_id] is text for row_id, text in texts.items())  # none built again
    other = next(row_id for row_id in session.dataset.ids() if row_id not in found)
    session.review(other, notes="Invoice queried")
    window.model.sort(window.model.column_number(Column.TOKENS))
    assert _visible(window) == found | {other}
