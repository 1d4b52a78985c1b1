"""The curation table model over a real session: findings beside cells, sorting, filtering,
edits requested rather than made, and repaints limited to the rows an edit touched."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt

from tests.conftest import BUNDLED_SAMPLE, SAMPLES
from tests.ui.conftest import linted_session
from tunedeck.core.dataset.commands import DeleteRows, SetField
from tunedeck.core.lint.diagnostic import Severity
from tunedeck.core.session import CurationSession
from tunedeck.core.storage import Project, Status
from tunedeck.ui.models.dataset_table import DatasetTableModel
from tunedeck.ui.models.table_columns import Column

pytestmark = pytest.mark.gui
Role = Qt.ItemDataRole
CHAT_SAMPLE = SAMPLES / "openai-cookbook_toy_chat_fine_tuning.jsonl"


@pytest.fixture
def model(qtbot, session: CurationSession) -> Iterator[DatasetTableModel]:
    table = DatasetTableModel(session)
    yield table
    table.detach()


def _row_with(session: CurationSession, rule: str) -> int:
    return next(d.row_id for d in session.linter.diagnostics() if d.rule == rule)


def _cell(model: DatasetTableModel, row_id: int, column: Column) -> QModelIndex:
    return model.index_of(row_id, model.column_number(column))


def _rules(index: QModelIndex) -> set[str]:
    return {d.rule for d in index.data(DatasetTableModel.DiagnosticsRole)}


def _column_texts(model: DatasetTableModel, column: Column) -> list[str]:
    number = model.column_number(column)
    return [model.index(row, number).data() for row in range(model.rowCount())]


def test_passes_qt_model_checks_plain_sorted_and_filtered(qtmodeltester, model):
    qtmodeltester.check(model)
    model.sort(model.column_number(Column.TOKENS), Qt.SortOrder.DescendingOrder)
    qtmodeltester.check(model)
    model.set_filter(lambda row_id: row_id % 2 == 0)
    qtmodeltester.check(model)


def test_a_missing_stop_warns_on_the_completion_cell(model, session):
    row_id = _row_with(session, "missing-stop")
    completion = _cell(model, row_id, Column.COMPLETION)
    assert "missing-stop" in _rules(completion)
    assert completion.data(DatasetTableModel.SeverityRole) == Severity.WARNING
    assert "does not end with the stop sequence" in completion.data(Role.ToolTipRole)
    assert completion.data(Role.DecorationRole) is not None
    assert completion.data(Role.BackgroundRole) is not None
    assert not completion.data().endswith("↵")  # the missing newline is what the user sees
    issues = _cell(model, row_id, Column.ISSUES)
    assert issues.data() == "1 warning"
    assert "does not end with the stop sequence" in issues.data(Role.ToolTipRole)
    prompt = _cell(model, row_id, Column.PROMPT)
    assert prompt.data(DatasetTableModel.SeverityRole) is None
    assert prompt.data(Role.BackgroundRole) is None
    assert prompt.data().endswith("↵↵###↵↵")


def test_whitespace_that_matters_is_visible(model, session):
    row_id = _row_with(session, "completion-leading-space")
    assert _cell(model, row_id, Column.COMPLETION).data() == "technical↵"
    clean = session.dataset.ids()[0]
    assert _cell(model, clean, Column.COMPLETION).data() == "·billing↵"
    assert _cell(model, clean, Column.TOKENS).data().endswith(" / 2048")
    assert _cell(model, clean, Column.STATUS).data() == "unreviewed"
    assert _cell(model, clean, Column.CLASS).data() == "billing"


def test_the_quarantined_line_is_a_row_with_its_line_and_error(model, session):
    broken = next(example for example in session.dataset if example.is_quarantined)
    row = model.index_of(broken.id).row()
    assert model.headerData(row, Qt.Orientation.Vertical) == str(broken.line)
    raw = _cell(model, broken.id, Column.PROMPT)
    assert raw.data().startswith(f'line {broken.line}: {{"prompt"')
    assert raw.data(DatasetTableModel.SeverityRole) == Severity.ERROR
    issues = _cell(model, broken.id, Column.ISSUES)
    assert issues.data() == f"1 error: {broken.error}"
    assert broken.error in issues.data(Role.ToolTipRole)
    assert not raw.flags() & Qt.ItemFlag.ItemIsEditable


def test_a_fix_clears_the_cell_and_repaints_only_the_rows_it_touched(qtbot, model, session):
    row_id = _row_with(session, "missing-stop")
    completion = _cell(model, row_id, Column.COMPLETION)
    fix = next(d.fix for d in completion.data(DatasetTableModel.DiagnosticsRole))
    touched: list[set[int]] = []
    session.findings_changed.connect(lambda update: touched.append(set(update.rows)))
    repainted: list[int] = []
    model.dataChanged.connect(
        lambda first, last: repainted.extend(range(first.row(), last.row() + 1))
    )
    session.execute(fix.command())
    assert "missing-stop" not in _rules(completion)
    assert completion.data(DatasetTableModel.SeverityRole) is None
    assert completion.data().endswith("↵")
    affected = {model.index_of(changed).row() for rows in touched for changed in rows}
    assert completion.row() in repainted
    assert set(repainted) <= affected
    assert len(repainted) < model.rowCount() // 4


def test_sorting_by_tokens_orders_rows_and_back_to_file_order(model, session):
    tokens = model.column_number(Column.TOKENS)
    natural = [model.row_id(row) for row in range(model.rowCount())]
    model.sort(tokens, Qt.SortOrder.AscendingOrder)
    counts = [_tokens(session, model.row_id(row)) for row in range(model.rowCount())]
    assert counts == sorted(counts)
    model.sort(tokens, Qt.SortOrder.DescendingOrder)
    counts = [_tokens(session, model.row_id(row)) for row in range(model.rowCount())]
    assert counts == sorted(counts, reverse=True)
    assert model.index(0, tokens).data().startswith(f"{max(counts)} /")
    model.sort(-1)
    assert [model.row_id(row) for row in range(model.rowCount())] == natural


def _tokens(session: CurationSession, row_id: int) -> int:
    if session.dataset[row_id].is_quarantined:
        return -1
    return session.linter.facts(row_id).tokens


def test_sorting_by_issues_puts_the_worst_rows_first(model):
    model.sort(model.column_number(Column.ISSUES))
    first = model.index(0, model.column_number(Column.ISSUES))
    assert first.data(DatasetTableModel.SeverityRole) == Severity.ERROR


def test_a_row_added_under_the_issues_sort_goes_among_rows_with_findings(model, session):
    issues = model.column_number(Column.ISSUES)
    model.sort(issues)
    severities = [
        model.index(row, issues).data(DatasetTableModel.SeverityRole)
        for row in range(model.rowCount())
    ]
    first_clean = severities.index(None)
    new_id = session.add({"prompt": "no separator", "completion": "no leading space"})
    assert model.index_of(new_id).row() < first_clean  # ranked by its own warnings


def test_a_selected_cell_follows_its_row_through_a_sort(model, session):
    row_id = _row_with(session, "missing-stop")
    kept = QPersistentModelIndex(_cell(model, row_id, Column.COMPLETION))
    model.sort(model.column_number(Column.TOKENS), Qt.SortOrder.DescendingOrder)
    assert kept.data(DatasetTableModel.RowIdRole) == row_id
    assert kept.column() == model.column_number(Column.COMPLETION)


def test_filtering_keeps_only_matching_rows(model, session):
    warned = {
        d.row_id
        for d in session.linter.diagnostics()
        if d.severity is Severity.WARNING and d.row_id is not None
    }
    model.set_filter(warned.__contains__)
    shown = {model.row_id(row) for row in range(model.rowCount())}
    assert shown == warned
    assert all(text for text in _column_texts(model, Column.ISSUES))
    model.set_filter(None)
    assert model.rowCount() == len(session.dataset) == 43


def test_set_data_requests_the_edit_and_changes_nothing(qtbot, model, session):
    row_id = session.dataset.ids()[0]
    completion = _cell(model, row_id, Column.COMPLETION)
    before = dict(session.dataset[row_id].record)
    assert completion.flags() & Qt.ItemFlag.ItemIsEditable
    assert completion.data(Role.EditRole) == " billing\n"  # the real text, not the markers
    with qtbot.waitSignal(model.edit_requested) as requested:
        assert model.setData(completion, " refund\n", Role.EditRole)
    assert requested.args == [row_id, "completion", " refund\n"]
    assert session.dataset[row_id].record == before
    assert completion.data() == "·billing↵"


def test_unchanged_text_and_derived_cells_request_nothing(qtbot, model, session):
    row_id = session.dataset.ids()[0]
    with qtbot.assertNotEmitted(model.edit_requested):
        assert not model.setData(
            _cell(model, row_id, Column.PROMPT), session.dataset[row_id].prompt
        )
        assert not model.setData(_cell(model, row_id, Column.TOKENS), "1 / 2048")
    assert not _cell(model, row_id, Column.TOKENS).flags() & Qt.ItemFlag.ItemIsEditable


def test_a_requested_edit_applied_by_the_window_repaints_the_cell(model, session):
    model.edit_requested.connect(
        lambda row_id, path, text: session.execute(SetField(row_id, path, text))
    )
    row_id = session.dataset.ids()[0]
    model.setData(_cell(model, row_id, Column.COMPLETION), "refund", Role.EditRole)
    completion = _cell(model, row_id, Column.COMPLETION)
    assert completion.data() == "refund"
    assert {"missing-stop", "completion-leading-space"} <= _rules(completion)


def test_deleting_and_undoing_removes_and_reinserts_the_row(qtbot, model, session):
    row_id = session.dataset.ids()[4]
    with qtbot.waitSignal(model.rowsRemoved, check_params_cb=lambda _p, a, b: a == b == 4):
        undo = session.execute(DeleteRows((row_id,)))
    assert model.rowCount() == 42
    assert model.index_of(row_id).isValid() is False
    with qtbot.waitSignal(model.rowsInserted, check_params_cb=lambda _p, a, b: a == b == 4):
        session.execute(undo)
    assert model.row_id(4) == row_id


@pytest.mark.parametrize("sorted_by_tokens", [False, True])
def test_undoing_a_scattered_delete_puts_every_row_back_in_place(
    qtmodeltester, model, session, sorted_by_tokens
):
    if sorted_by_tokens:
        model.sort(model.column_number(Column.TOKENS), Qt.SortOrder.DescendingOrder)
    shown_before = [model.row_id(row) for row in range(model.rowCount())]
    ids = session.dataset.ids()
    doomed = (ids[0], ids[1], ids[5], ids[6], ids[7], ids[20], ids[-1])
    undo = session.execute(DeleteRows(doomed))
    assert model.rowCount() == len(ids) - len(doomed)
    session.execute(undo)
    assert session.dataset.ids() == ids
    assert [model.row_id(row) for row in range(model.rowCount())] == shown_before
    qtmodeltester.check(model)


def test_a_row_added_under_a_sort_lands_at_its_key(qtbot, qtmodeltester, model, session):
    tokens = model.column_number(Column.TOKENS)
    model.sort(tokens, Qt.SortOrder.DescendingOrder)
    new_id = session.add({"prompt": "word " * 300, "completion": " long\n"})
    assert model.row_id(0) == new_id
    assert model.rowCount() == 44
    qtmodeltester.check(model)


def test_a_review_repaints_the_status(model, session):
    row_id = session.dataset.ids()[2]
    session.review(row_id, status=Status.APPROVED)
    assert _cell(model, row_id, Column.STATUS).data() == "approved"


def test_a_review_of_rows_all_over_the_table_repaints_each_of_them(qtbot, tmp_path):
    # A split reviews scattered rows in one change: every one must show its new state,
    # however the repaint is batched.
    sessions = linted_session(tmp_path, SAMPLES / "openai-cookbook_dbpedia_samples.jsonl")
    session = next(sessions)
    model = DatasetTableModel(session)
    every_other = session.dataset.ids()[::2]
    before = _column_texts(model, Column.STATUS)  # every row's cells built and kept
    assert set(before) == {"unreviewed"}
    repainted: set[int] = set()
    model.dataChanged.connect(
        lambda first, last: repainted.update(range(first.row(), last.row() + 1))
    )
    session.review_many({row_id: {"status": Status.APPROVED} for row_id in every_other})
    shown = _column_texts(model, Column.STATUS)
    assert shown[::2] == ["approved"] * len(every_other)
    assert set(shown[1::2]) == {"unreviewed"}
    assert {model.index_of(row_id).row() for row_id in every_other} <= repainted
    model.detach()
    next(sessions, None)  # closes the project


def test_new_settings_reset_the_table_and_reload_shows_the_new_findings(qtbot, model, session):
    tokens = model.column_number(Column.TOKENS)
    model.sort(tokens, Qt.SortOrder.DescendingOrder)
    settings = session.info.settings
    settings.token_limit = 4096
    with qtbot.waitSignal(model.modelReset):
        session.apply_settings(settings)
    session.lint_all()
    model.reload()
    row_id = _row_with(session, "missing-stop")
    assert "missing-stop" in _rules(_cell(model, row_id, Column.COMPLETION))
    assert _cell(model, row_id, Column.TOKENS).data().endswith(" / 4096")
    counts = [_tokens(session, model.row_id(row)) for row in range(model.rowCount())]
    assert counts == sorted(counts, reverse=True)  # the user's sort survives


def test_a_relinted_signal_after_the_first_pass_fills_in_findings(qtbot, tmp_path):
    project = Project.open(tmp_path / "p.tunedeck", create=True)
    project.import_file(BUNDLED_SAMPLE, "data")
    session = CurationSession(project, "data")
    model = DatasetTableModel(session)  # the window opens before the first pass ends
    first = session.dataset.ids()[0]
    assert _cell(model, first, Column.TOKENS).data() == ""
    session.lint_all()
    session.relinted.emit()  # what the window does when its lint worker finishes
    assert _cell(model, first, Column.TOKENS).data() == "14 / 2048"
    model.detach()
    project.close()


def test_a_chat_dataset_shows_the_chat_columns(qtbot, qtmodeltester, tmp_path):
    session = next(opened := linted_session(tmp_path, CHAT_SAMPLE))
    model = DatasetTableModel(session)
    titles = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert titles == [
        "Status",
        "System",
        "Last user turn",
        "Final assistant turn",
        "Class",
        "Tokens",
        "Issues",
    ]
    assert _column_texts(model, Column.LAST_USER)[1] == "I don't even know how to play golf."
    assert _column_texts(model, Column.FINAL_ASSISTANT)[1] == "It's easy to learn!"
    assert _column_texts(model, Column.SYSTEM)[2] == ""  # a conversation without one
    second = model.index(1, model.column_number(Column.FINAL_ASSISTANT))
    with qtbot.waitSignal(model.edit_requested) as requested:
        model.setData(second, "Golf is easy!", Role.EditRole)
    assert requested.args[1] == "messages[8].content"
    qtmodeltester.check(model)
    model.detach()
    next(opened, None)


def test_a_model_deleted_with_its_window_leaves_the_session_working(qtbot, session):
    import shiboken6

    window = QObject()
    DatasetTableModel(session, window)
    shiboken6.delete(window)
    row_id = session.dataset.ids()[0]
    session.review(row_id, status=Status.REJECTED)  # would raise inside the emit otherwise
    assert session.reviews[row_id].status == Status.REJECTED


def test_only_plain_text_fields_are_editable_in_the_table(qtbot, tmp_path):
    sample = tmp_path / "odd.jsonl"
    sample.write_text(
        '{"completion": " only an answer\\n"}\n'
        '{"prompt": "a\\n\\n###\\n\\n", "completion": " b\\n"}\n'
        '{"messages": [{"role": "user", "content": [{"type": "text", "text": "look"}]},'
        ' {"role": "assistant", "content": "ok"}]}\n'
    )
    session = next(opened := linted_session(tmp_path, sample))
    model = DatasetTableModel(session)
    first, _, chat = session.dataset.ids()
    missing_prompt = _cell(model, first, Column.PROMPT)
    assert missing_prompt.data() == ""
    assert missing_prompt.flags() & Qt.ItemFlag.ItemIsEditable  # typing one in adds it
    parts = _cell(model, chat, Column.PROMPT)  # a chat row in a legacy table: its user turn
    assert parts.data() == "look"
    assert not parts.flags() & Qt.ItemFlag.ItemIsEditable  # text would flatten its parts
    assert _cell(model, chat, Column.COMPLETION).data() == "ok"
    model.detach()
    next(opened, None)
