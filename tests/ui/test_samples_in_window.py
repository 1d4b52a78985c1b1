"""Each real sample file in the window, as a reviewer sees it: findings, a fix, review keys,
a filter, an edit, a repaired line, and nothing lost on reopening the project.

What the window should show is learnt from the core linter run on the file itself (read
afresh, not through the project), so the window is checked against an independent pass; a
few findings that anyone can read off the files are pinned by name as well, so a rule that
silently stops firing fails here even if linter and window agree.
"""

from __future__ import annotations

import functools
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt

from tests.conftest import SAMPLE_FILES
from tests.ui.conftest import open_session, show_window
from tunedeck.core.io.jsonl import read_jsonl
from tunedeck.core.lint import Linter, LintSettings, Severity, lint
from tunedeck.core.lint.diagnostic import Diagnostic
from tunedeck.ui.main_window import MainWindow
from tunedeck.ui.models.dataset_table import (
    Column,
    DiagnosticsRole,
    RowIdRole,
    SeverityRole,
)
from tunedeck.ui.models.problems import DiagnosticRole

pytestmark = pytest.mark.gui

Role = Qt.ItemDataRole
Shown = tuple[str, Severity, str, str]  # rule, severity, field ("" for none), message
PLURAL = {Severity.ERROR: "errors", Severity.WARNING: "warnings", Severity.INFO: "info"}
EMAIL = "jane.doe@example.com"
BROKEN = b'{"prompt": "x", '


@dataclass(frozen=True)
class Pinned:
    """A finding anyone can see in the file by reading it."""

    rule: str
    line: int | None  # None: about the dataset as a whole
    says: str  # part of its message
    column: Column | None = None  # the cell that carries it besides the Issues cell
    severity: Severity | None = None


# Read off the files by eye. Every sample is listed, the clean ones too, so that a new sample
# makes whoever adds it say what it should show.
PINNED: dict[str, list[Pinned]] = {
    # Legacy classification: 14 classes (a word each, no leading space), prompts with no
    # separator, and multi-token class names such as "WrittenWork" on line 2.
    "openai-cookbook_dbpedia_samples": [
        Pinned("class-token", 2, '"WrittenWork"', Column.CLASS),
        Pinned("missing-separator", 1, "separator", Column.PROMPT),
        Pinned("completion-leading-space", 1, "space", Column.COMPLETION),
        Pinned("too-few-examples", None, "14 of 14 classes"),
    ],
    # Chat, five examples: line 4 is a system message and an assistant reply, no user turn.
    "openai-cookbook_toy_chat_fine_tuning": [
        Pinned("chat-structure", 4, "no user message"),
        Pinned("too-few-examples", None, "5 usable examples", severity=Severity.ERROR),
    ],
    # Well-formed chat sets of 10 or 11 examples: nothing to report.
    "genai-for-beginners_clippy_training_set": [],
    "genai-for-beginners_clippy_validation_set": [],
    "genai-for-beginners_elle_limerick_training-data": [],
    "openai-cookbook_fine-tune-app_uploaded_output": [],
}
# No dbpedia prompt has a separator and no completion starts with a space: every row is flagged.
EVERY_ROW = {"openai-cookbook_dbpedia_samples": {"missing-separator", "completion-leading-space"}}


# --- what the core linter finds in the file itself -----------------------------------------


@dataclass
class Linted:
    rows: dict[int, list[Shown]] = field(default_factory=dict)  # by line in the file
    dataset: list[Shown] = field(default_factory=list)
    per_rule: Counter[str] = field(default_factory=Counter)
    per_severity: Counter[Severity] = field(default_factory=Counter)
    errors: dict[int, str] = field(default_factory=dict)  # quarantined lines: the reason


def _shown(diagnostics: list[Diagnostic]) -> list[Shown]:
    return sorted((d.rule, d.severity, d.field or "", d.message) for d in diagnostics)


@functools.cache
def _linted(path: Path) -> Linted:
    dataset = read_jsonl(path)
    linter = lint(dataset, LintSettings())
    result = Linted()
    for example in dataset:
        found = linter.diagnostics_for(example.id)
        if found:
            result.rows[example.line] = _shown(found)
        if example.error:
            result.errors[example.line] = example.error
    result.dataset = _shown(linter.dataset_diagnostics())
    for diagnostic in linter.diagnostics():
        result.per_rule[diagnostic.rule] += 1
        result.per_severity[diagnostic.severity] += 1
    return result


def _lines_in(path: Path) -> int:
    return sum(1 for line in path.read_bytes().splitlines() if line.strip())


# --- the window ----------------------------------------------------------------------------


@pytest.fixture(params=SAMPLE_FILES, ids=lambda path: path.stem)
def sample(request) -> Path:
    return request.param


@pytest.fixture
def open_window(qtbot):
    """Open a project file in a real window, importing `sample` first if it is new."""
    sessions = []

    def opened(path: Path, sample: Path | None = None) -> MainWindow:
        session = open_session(path, sample, model=None) if sample else open_session(path)
        sessions.append(session)
        shown = show_window(qtbot, session)
        return shown

    yield opened
    for session in sessions:
        session.project.close()


@pytest.fixture
def window(open_window, project_path, sample) -> MainWindow:
    return open_window(project_path, sample)


def _column(window: MainWindow, column: Column) -> int:
    return window.model.column_number(column)


def _cell(window: MainWindow, row_id: int, column: Column) -> QModelIndex:
    index = window.model.index_of(row_id, _column(window, column))
    assert index.isValid()
    return index


def _line(window: MainWindow, row: int) -> int:
    """The file line the table's row header shows."""
    return int(window.model.headerData(row, Qt.Orientation.Vertical))


def _row_of_line(window: MainWindow, line: int) -> int:
    return next(r for r in range(window.model.rowCount()) if _line(window, r) == line)


def _findings(index: QModelIndex) -> list[Shown]:
    return _shown(index.data(DiagnosticsRole))


def _question_column(window: MainWindow) -> Column:
    return Column.PROMPT if Column.PROMPT in window.model.columns else Column.LAST_USER


def _answer_column(window: MainWindow) -> Column:
    return (
        Column.COMPLETION if Column.COMPLETION in window.model.columns else Column.FINAL_ASSISTANT
    )


def _panel(window: MainWindow) -> dict[str, list[tuple[str, str, str]]]:
    """Every finding the Problems panel lists: rule -> [(where, field, message)]."""
    model = window.problems.model
    listed: dict[str, list[tuple[str, str, str]]] = {}
    for branch in range(model.rowCount()):
        parent = model.index(branch, 0)
        leaves = [
            tuple(model.index(leaf, column, parent).data() for column in range(3))
            for leaf in range(model.rowCount(parent))
        ]
        listed[model.rule(parent)] = sorted(leaves)
    return listed


def _expected_panel(linted: Linted) -> dict[str, list[tuple[str, str, str]]]:
    expected: dict[str, list[tuple[str, str, str]]] = {}
    for line, found in linted.rows.items():
        for rule, _severity, where_field, message in found:
            expected.setdefault(rule, []).append((f"line {line}", where_field, message))
    for rule, _severity, where_field, message in linted.dataset:
        expected.setdefault(rule, []).append(("dataset", where_field, message))
    return {rule: sorted(items) for rule, items in expected.items()}


def _summary_parts(found: list[Shown]) -> list[str]:
    counts = Counter(severity for _, severity, _, _ in found)
    return [
        f"{n} {severity.value if n == 1 else PLURAL[severity]}" for severity, n in counts.items()
    ]


def _assert_rows_show(window: MainWindow, linted: Linted) -> None:
    """Every row's cells carry exactly the findings the linter has for its line."""
    model = window.model
    issues = _column(window, Column.ISSUES)
    assert model.rowCount() == len(window.session.dataset)
    for row in range(model.rowCount()):
        line = _line(window, row)
        expected = linted.rows.get(line, [])
        cell = model.index(row, issues)
        assert _findings(cell) == expected, f"line {line}"
        worst = min((s for _, s, _, _ in expected), key=lambda s: s.rank, default=None)
        assert cell.data(SeverityRole) == worst, f"line {line}"
        text = cell.data(Role.DisplayRole)
        if not expected:
            assert text == "" and cell.data(Role.ToolTipRole) is None, f"line {line}"
            continue
        for part in _summary_parts(expected):
            assert part in text, f"line {line}: {text!r}"
        tooltip = cell.data(Role.ToolTipRole)
        for _rule, _severity, _field, message in expected:
            assert message in tooltip, f"line {line}"
        # A finding shown on a field's own cell is one of the row's, tinted and marked there.
        for column in range(model.columnCount()):
            if column == issues:
                continue
            here = model.index(row, column)
            on_cell = _findings(here)
            assert set(on_cell) <= set(expected), f"line {line}, column {column}"
            if on_cell:
                assert here.data(SeverityRole) in {s for _, s, _, _ in on_cell}
                assert here.data(Role.DecorationRole) is not None
                assert here.data(Role.BackgroundRole) is not None
                for *_, message in on_cell:
                    assert message in here.data(Role.ToolTipRole)


def _tally(count: int, severity: Severity) -> str:
    """How the status bar reads a number of findings ("   1 error", "   0 warnings")."""
    return f"   {count} {severity.value if count == 1 else PLURAL[severity]}"


# --- 1. the findings -----------------------------------------------------------------------


def test_every_sample_has_pinned_expectations():
    assert {path.stem for path in SAMPLE_FILES} == set(PINNED)


def test_the_window_shows_what_the_linter_finds(window: MainWindow, sample: Path):
    linted = _linted(sample)
    assert len(window.session.dataset) == _lines_in(sample)
    _assert_rows_show(window, linted)

    # The Problems panel lists the same findings, rule by rule, with the same counts.
    assert _panel(window) == _expected_panel(linted)
    model = window.problems.model
    for rule, count in linted.per_rule.items():
        assert len(model.findings(rule)) == count
        assert model.rule_index(rule).data().endswith(f"— {count:,}")
    total = sum(linted.per_rule.values())
    summary = window.problems.summary.text()
    assert (f"{total} problems" in summary) if total else ("No problems found" in summary)
    for severity in (Severity.ERROR, Severity.WARNING):
        assert _tally(linted.per_severity[severity], severity) in window._counts.text()

    # What anyone reading the file sees in it is there, where it belongs.
    for pinned in PINNED[sample.stem]:
        assert linted.per_rule[pinned.rule], f"the linter no longer reports {pinned.rule}"
        if pinned.line is None:
            hits = [d for d in model.findings(pinned.rule) if d.row_id is None]
            assert any(pinned.says in d.message for d in hits), pinned
            if pinned.severity:
                assert {d.severity for d in hits} == {pinned.severity}
            continue
        row_id = window.model.row_id(_row_of_line(window, pinned.line))
        cells = [Column.ISSUES] + ([pinned.column] if pinned.column else [])
        for column in cells:
            index = _cell(window, row_id, column)
            here = [d for d in index.data(DiagnosticsRole) if d.rule == pinned.rule]
            assert any(pinned.says in d.message for d in here), (pinned, column)
            assert pinned.says in index.data(Role.ToolTipRole)
            assert index.data(SeverityRole) is not None
    for rule in EVERY_ROW.get(sample.stem, ()):
        flagged = {line for line, found in linted.rows.items() if any(f[0] == rule for f in found)}
        assert len(flagged) == _lines_in(sample), rule
        assert len(model.findings(rule)) == _lines_in(sample), rule


# --- 2. a fix, its undo and redo -----------------------------------------------------------


def _first_fixable(window: MainWindow) -> Diagnostic | None:
    model = window.problems.model
    for rule in model.rules():
        for diagnostic in model.findings(rule):
            if diagnostic.fix is not None and diagnostic.row_id is not None:
                return diagnostic
    return None


def _seed_email(window: MainWindow, row_id: int) -> QModelIndex:
    """Type an e-mail address into the row's question, as a careless author might."""
    index = _cell(window, row_id, _question_column(window))
    old = index.data(Role.EditRole)
    assert window.model.setData(index, f"{old} Write to {EMAIL}.", Role.EditRole)
    return index


def _carrier(window: MainWindow, finding: Diagnostic) -> QModelIndex:
    """The cell that shows `finding` on its own field, else the row's Issues cell."""
    model = window.model
    row = model.index_of(finding.row_id).row()
    for column in range(model.columnCount()):
        index = model.index(row, column)
        if column != _column(window, Column.ISSUES) and finding in index.data(DiagnosticsRole):
            return index
    return model.index(row, _column(window, Column.ISSUES))


def _shows(window: MainWindow, index: QModelIndex, finding: Diagnostic) -> bool:
    key = (finding.rule, finding.field, finding.message)
    on_cell = {(d.rule, d.field, d.message) for d in index.data(DiagnosticsRole)}
    issues = index.siblingAtColumn(_column(window, Column.ISSUES))
    in_row = {(d.rule, d.field, d.message) for d in issues.data(DiagnosticsRole)}
    tooltip = index.data(Role.ToolTipRole) or ""
    assert (key in on_cell) == (key in in_row) == (finding.message in tooltip)
    return key in on_cell


def _wait_for_status_bar(qtbot, window: MainWindow, count: int, severity: Severity) -> None:
    """The status bar's tally catches up (it is refreshed a moment after a change)."""
    qtbot.waitUntil(lambda: _tally(count, severity) in window._counts.text(), timeout=2000)


def test_a_fix_from_the_problems_panel_then_undo_and_redo(qtbot, window: MainWindow):
    finding = _first_fixable(window)
    if finding is None:  # nothing in this sample has a fix: give it something that has one
        _seed_email(window, window.model.row_id(0))
        finding = _first_fixable(window)
    assert finding is not None
    panel = window.problems
    rule = finding.rule
    before = len(panel.model.findings(rule))
    of_its_severity = panel.counts()[finding.severity]
    _wait_for_status_bar(qtbot, window, of_its_severity, finding.severity)
    cell = _carrier(window, finding)
    text_before = cell.data(Role.EditRole)
    assert _shows(window, cell, finding)

    branch = panel.model.rule_index(rule)
    leaf = next(
        panel.model.index(r, 0, branch)
        for r in range(panel.model.rowCount(branch))
        if panel.model.index(r, 0, branch).data(DiagnosticRole) == finding
    )
    panel.view.setCurrentIndex(leaf)
    assert panel.fix_action.isEnabled()
    panel.fix_action.trigger()

    assert not _shows(window, cell, finding)
    assert len(panel.model.findings(rule)) == before - 1
    _wait_for_status_bar(qtbot, window, of_its_severity - 1, finding.severity)
    if text_before is not None:
        assert cell.data(Role.EditRole) != text_before

    qtbot.keyClick(window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert _shows(window, cell, finding)
    assert len(panel.model.findings(rule)) == before
    _wait_for_status_bar(qtbot, window, of_its_severity, finding.severity)
    assert cell.data(Role.EditRole) == text_before

    keys = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(window.view, Qt.Key.Key_Z, keys)
    assert not _shows(window, cell, finding)
    assert len(panel.model.findings(rule)) == before - 1


# --- 3. review by keyboard -----------------------------------------------------------------


def test_approve_by_keyboard_marks_the_row_and_moves_on(qtbot, window: MainWindow, sample: Path):
    total = _lines_in(sample)
    first = window.current_row_id()
    assert first == window.model.row_id(0)
    status = _cell(window, first, Column.STATUS)
    assert status.data() == "unreviewed"
    assert f"Reviewed 0 / {total}" in window._counts.text()

    qtbot.keyClick(window.view, Qt.Key.Key_A)

    assert status.data() == "approved"
    assert f"Reviewed 1 / {total}" in window._counts.text()
    assert window.view.currentIndex().row() == 1
    assert window.current_row_id() == window.model.row_id(1)
    assert window.editor.row_id == window.model.row_id(1)
    assert window.editor.status_box.currentText() == "unreviewed"


# --- 4. filter by rule ---------------------------------------------------------------------


def _narrowest_rule(window: MainWindow) -> str | None:
    """The rule flagging the fewest rows (most telling for a filter), if any flags a row."""
    rows: dict[str, set[int]] = {}
    for diagnostic in window.session.linter.diagnostics():
        if diagnostic.row_id is not None:
            rows.setdefault(diagnostic.rule, set()).add(diagnostic.row_id)
    return min(rows, key=lambda rule: len(rows[rule]), default=None)


def test_filter_by_rule_keeps_only_its_rows(qtbot, window: MainWindow, sample: Path):
    rule = _narrowest_rule(window)
    if rule is None:  # a clean sample: copy a row, as Ctrl+D does, and look for duplicates
        qtbot.keyClick(window.view, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
        rule = "duplicate"
        copy = window.current_row_id()
        assert window.model.rowCount() == _lines_in(sample) + 1
        expected = {copy}
    else:
        lines = {
            line for line, found in _linted(sample).rows.items() if rule in {f[0] for f in found}
        }
        expected = {r.id for r in window.session.dataset if r.line in lines}
    # A row with some other finding, which a filter by `rule` must leave out.
    _seed_email(window, window.model.row_id(window.model.rowCount() - 1))
    if rule == "pii":  # no sample has personal data today, but one may
        expected = {d.row_id for d in window.session.linter.diagnostics() if d.rule == "pii"}
    everything = window.model.rowCount()
    assert 0 < len(expected) < everything

    combo = window.filters.rule
    combo.setCurrentIndex(combo.findData(rule))
    shown = {window.model.index(r, 0).data(RowIdRole) for r in range(window.model.rowCount())}
    assert window.model.rowCount() == len(expected)
    assert shown == expected
    for row in range(window.model.rowCount()):
        issues = window.model.index(row, _column(window, Column.ISSUES))
        assert rule in {d.rule for d in issues.data(DiagnosticsRole)}

    combo.setCurrentIndex(combo.findData(""))
    assert window.model.rowCount() == everything


# --- 5. an edit relints its row only -------------------------------------------------------


def test_editing_a_cell_updates_its_findings_without_a_full_relint(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
):
    full_passes: list[Linter] = []
    run = Linter.run

    def counted(self: Linter, *args, **kwargs):
        full_passes.append(self)
        return run(self, *args, **kwargs)

    monkeypatch.setattr(Linter, "run", counted)
    resets: list[bool] = []
    window.model.modelReset.connect(lambda: resets.append(True))
    model = window.model
    row_id, neighbour = model.row_id(0), model.row_id(1)
    neighbour_before = [_findings(model.index(1, c)) for c in range(model.columnCount())]
    tokens = _cell(window, row_id, Column.TOKENS)
    tokens_before = tokens.data()
    pii_before = len(window.problems.model.findings("pii"))

    question = _seed_email(window, row_id)

    on_cell = [d for d in question.data(DiagnosticsRole) if d.rule == "pii"]
    assert len(on_cell) == 1
    assert "e-mail address" in on_cell[0].message
    assert "e-mail address" in question.data(Role.ToolTipRole)
    assert question.data(SeverityRole) is not None
    assert "pii" in {d.rule for d in _cell(window, row_id, Column.ISSUES).data(DiagnosticsRole)}
    assert tokens.data() != tokens_before  # the row was counted again as well
    assert len(window.problems.model.findings("pii")) == pii_before + 1
    assert window.undo_stack.count() == 1
    assert [_findings(model.index(1, c)) for c in range(model.columnCount())] == neighbour_before
    assert model.row_id(1) == neighbour

    # Taking the address out again clears the cell.
    text = question.data(Role.EditRole)
    assert model.setData(question, text.replace(f" Write to {EMAIL}.", ""), Role.EditRole)
    assert "pii" not in {d.rule for d in question.data(DiagnosticsRole)}
    assert tokens.data() == tokens_before
    assert len(window.problems.model.findings("pii")) == pii_before

    assert full_passes == [] and resets == []


# --- 6. a quarantined line repaired in place -----------------------------------------------


def _break_line(sample: Path, target: Path, line: int) -> bytes:
    """Copy `sample` to `target` with `line` replaced by broken JSON; returns the good line."""
    lines = sample.read_bytes().splitlines(keepends=True)
    good = lines[line - 1]
    content = good.rstrip(b"\r\n")
    lines[line - 1] = BROKEN + good[len(content) :]
    target.write_bytes(b"".join(lines))
    return content


def test_a_quarantined_line_is_repaired_in_place_and_undone(
    qtbot, open_window, tmp_path: Path, sample: Path
):
    line = 2
    broken = tmp_path / sample.name
    good = _break_line(sample, broken, line)
    window = open_window(tmp_path / "broken.tunedeck", broken)
    model = window.model
    issues = _column(window, Column.ISSUES)
    raw_column = next(c for c in model.columns if c in (Column.PROMPT, Column.SYSTEM))

    row = _row_of_line(window, line)
    row_id = model.row_id(row)
    raw_cell = _cell(window, row_id, raw_column)
    error = _linted(broken).errors[line]

    def quarantined() -> bool:
        text = raw_cell.data()
        shows_raw = text.startswith(f"line {line}: ") and '"prompt": "x",' in text
        summary = model.index(row, issues).data()
        found = {d.rule for d in model.index(row, issues).data(DiagnosticsRole)}
        assert shows_raw == (error in summary) == ("invalid-record" in found)
        return shows_raw

    assert quarantined()
    assert model.index(row, issues).data(SeverityRole) == Severity.ERROR
    _assert_rows_show(window, _linted(broken))

    window.select_row(row_id)
    editor = window.editor
    assert editor.row_id == row_id and editor.raw_edit is not None
    assert f"Line {line} could not be read" in editor.error_label.text()
    assert editor.raw_edit.toPlainText() == BROKEN.decode()
    editor.raw_edit.setPlainText(good.decode())
    assert editor.apply_button.isEnabled()
    qtbot.mouseClick(editor.apply_button, Qt.MouseButton.LeftButton)

    # A normal example again: its text in its cells, its findings those of the clean file.
    assert not quarantined()
    assert model.flags(model.index(row, _column(window, _answer_column(window)))) & (
        Qt.ItemFlag.ItemIsEditable
    )
    original = read_jsonl(sample)
    record = next(e for e in original if e.line == line)
    answer = _cell(window, row_id, _answer_column(window)).data(Role.EditRole)
    expected_answer = (
        record.completion
        if _answer_column(window) is Column.COMPLETION
        else [m for m in record.messages if m["role"] == "assistant"][-1]["content"]
    )
    assert answer == expected_answer
    _assert_rows_show(window, _linted(sample))
    assert _panel(window) == _expected_panel(_linted(sample))
    qtbot.waitUntil(lambda: editor.raw_edit is None)
    assert editor.error_label is None

    window.undo_stack.undo()
    assert quarantined()
    _assert_rows_show(window, _linted(broken))
    assert _panel(window) == _expected_panel(_linted(broken))
    qtbot.waitUntil(lambda: editor.raw_edit is not None)
    assert editor.raw_edit.toPlainText() == BROKEN.decode()

    window.undo_stack.redo()
    assert not quarantined()
    _assert_rows_show(window, _linted(sample))
    # Every cell reads as it does for the file that was never broken, and so does the export.
    clean = open_window(tmp_path / "clean.tunedeck", sample)
    assert _table(window) == _table(clean)
    window.export(tmp_path / "out.jsonl")
    assert (tmp_path / "out.jsonl").read_bytes() == sample.read_bytes()

    # The repair is stored: a new session on the project sees the good line.
    window.close()
    window.session.project.close()
    reopened = open_window(tmp_path / "broken.tunedeck")
    assert _table(reopened) == _table(clean)


def _table(window: MainWindow) -> list[list[str]]:
    """What the table shows: each row's header and the text of its cells."""
    model = window.model
    return [
        [model.headerData(row, Qt.Orientation.Vertical)]
        + [model.index(row, column).data() for column in range(model.columnCount())]
        for row in range(model.rowCount())
    ]


# --- 7. nothing lost ------------------------------------------------------------------------


def test_approval_and_edit_survive_closing_and_reopening(
    qtbot, open_window, window: MainWindow, project_path: Path, sample: Path
):
    approved = window.current_row_id()
    qtbot.keyClick(window.view, Qt.Key.Key_A)
    edited = window.model.row_id(1)
    answer = _cell(window, edited, _answer_column(window))
    new_text = answer.data(Role.EditRole) + " (checked by ann)"
    assert window.model.setData(answer, new_text, Role.EditRole)
    findings = _shown(window.session.linter.diagnostics())

    window.close()
    window.session.project.close()
    reopened = open_window(project_path)

    assert reopened is not window and reopened.session is not window.session
    assert _cell(reopened, approved, Column.STATUS).data() == "approved"
    assert _cell(reopened, edited, Column.STATUS).data() == "unreviewed"
    assert _cell(reopened, edited, _answer_column(reopened)).data(Role.EditRole) == new_text
    assert f"Reviewed 1 / {_lines_in(sample)}" in reopened._counts.text()
    assert _shown(reopened.session.linter.diagnostics()) == findings
