"""Free-text search: what a reviewer types finds the rows that say it, and keeps up with edits."""

from __future__ import annotations

import pytest
from PySide6.QtTest import QTest

from tests.ui.conftest import show_window
from tunedeck.core.dataset.commands import SetField

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
