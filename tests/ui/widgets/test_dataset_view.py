"""The curation table as a user sees it: one line per row, tinted findings, sortable headers,
and an editor that keeps a field's newlines."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QPlainTextEdit

from tunedeck.core.session import CurationSession
from tunedeck.ui.models.dataset_table import DatasetTableModel
from tunedeck.ui.models.table_columns import Column
from tunedeck.ui.widgets.dataset_view import DatasetView
from tunedeck.ui.widgets.lint_delegate import LintDelegate

pytestmark = pytest.mark.gui


@pytest.fixture
def view(qtbot, session: CurationSession) -> Iterator[DatasetView]:
    table = DatasetView()
    qtbot.addWidget(table)
    model = DatasetTableModel(session, table)
    table.setModel(model)
    table.resize(1200, 700)
    table.show()
    qtbot.waitExposed(table)
    yield table
    model.detach()


def _model(view: DatasetView) -> DatasetTableModel:
    model = view.model()
    assert isinstance(model, DatasetTableModel)
    return model


def test_rows_are_one_fixed_line_selected_whole(view: DatasetView):
    rows = view.verticalHeader()
    assert rows.sectionResizeMode(0) == QHeaderView.ResizeMode.Fixed
    assert rows.defaultSectionSize() >= view.fontMetrics().height()
    assert {view.rowHeight(row) for row in range(_model(view).rowCount())} == {
        rows.defaultSectionSize()
    }
    assert not view.wordWrap()
    assert view.selectionBehavior() == QAbstractItemView.SelectionBehavior.SelectRows
    assert isinstance(view.itemDelegate(), LintDelegate)


def test_the_table_opens_in_file_order_and_the_header_sorts(view: DatasetView, session):
    model = _model(view)
    assert [model.row_id(row) for row in range(3)] == session.dataset.ids()[:3]
    tokens = model.column_number(Column.TOKENS)
    view.sortByColumn(tokens, Qt.SortOrder.DescendingOrder)
    top = max(session.linter.facts(e.id).tokens for e in session.dataset if not e.is_quarantined)
    assert model.index(0, tokens).data().startswith(f"{top} /")


def test_columns_are_wide_enough_to_read(view: DatasetView):
    model = _model(view)
    metrics = view.fontMetrics()
    tokens = model.column_number(Column.TOKENS)
    assert view.columnWidth(tokens) > metrics.horizontalAdvance("100000 / 65536")
    prompt = model.column_number(Column.PROMPT)
    assert view.columnWidth(prompt) > 3 * view.columnWidth(model.column_number(Column.STATUS))


def test_a_warned_cell_is_tinted_and_a_clean_one_is_not(view: DatasetView, session):
    model = _model(view)
    warned = next(d.row_id for d in session.linter.diagnostics() if d.rule == "missing-stop")
    clean = session.dataset.ids()[0]
    issues = model.column_number(Column.ISSUES)
    image = view.viewport().grab().toImage()

    def colour(row_id: int) -> QColor:
        rect = view.visualRect(model.index_of(row_id, issues))
        return image.pixelColor(rect.right() - 4, rect.center().y())  # past the text

    assert colour(clean) == view.palette().base().color()
    tinted = colour(warned)
    assert tinted != colour(clean)
    assert tinted.red() > tinted.blue()  # amber, not a selection blue
    assert min(tinted.red(), tinted.green(), tinted.blue()) > 200  # light: text stays legible


def test_the_editor_keeps_newlines_and_requests_the_edit(qtbot, view: DatasetView, session):
    model = _model(view)
    row_id = session.dataset.ids()[0]
    prompt = model.index_of(row_id, model.column_number(Column.PROMPT))
    view.setCurrentIndex(prompt)
    view.edit(prompt)
    editor = view.findChild(QPlainTextEdit)
    assert editor is not None
    assert editor.toPlainText() == session.dataset[row_id].prompt
    assert editor.height() > view.rowHeight(0) * 3  # room for a multi-line field
    editor.setPlainText("Ticket: new text\n\n###\n\n")
    with qtbot.waitSignal(model.edit_requested) as requested:
        qtbot.keyClick(editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert requested.args == [row_id, "prompt", "Ticket: new text\n\n###\n\n"]
    assert session.dataset[row_id].prompt != "Ticket: new text\n\n###\n\n"
