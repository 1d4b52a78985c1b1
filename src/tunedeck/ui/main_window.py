"""The curation window: table, example editor and problems, with review by keyboard and undo."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from operator import attrgetter, countOf
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, QTimer
from PySide6.QtGui import (
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QGuiApplication,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QFileDialog,
    QLabel,
    QMainWindow,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from tunedeck.core.dataset import ExampleFormat
from tunedeck.core.dataset.commands import Command, DeleteRows, SetField
from tunedeck.core.errors import UserError
from tunedeck.core.lint import LintSettings, Severity
from tunedeck.core.session import CurationSession
from tunedeck.core.storage import Status
from tunedeck.core.wording import counted
from tunedeck.ui.connections import Connections
from tunedeck.ui.dialogs.dataset_settings import DatasetSettingsDialog
from tunedeck.ui.dialogs.split_dialog import SplitChange
from tunedeck.ui.file_menu import FileMenu
from tunedeck.ui.message_bar import MessageBar
from tunedeck.ui.models.dataset_table import DatasetTableModel, RowIdRole
from tunedeck.ui.navigation import RowNavigator
from tunedeck.ui.row_passes import RowPasses
from tunedeck.ui.undo import AddExample, LineChange, RecordChange, ReviewChange
from tunedeck.ui.widgets.dataset_view import DatasetView
from tunedeck.ui.widgets.example_editor import ExampleEditor
from tunedeck.ui.widgets.filter_bar import FilterBar
from tunedeck.ui.widgets.problems_panel import ProblemsPanel
from tunedeck.ui.widgets.stats_dock import StatsDock
from tunedeck.ui.widgets.stats_panel import StatsPanel
from tunedeck.ui.window_menus import add_action, build_menus
from tunedeck.ui.workers import Worker
from tunedeck.ui.workspace_tabs import CURATE, WorkspaceTabs


class MainWindow(QMainWindow):
    def __init__(self, session: CurationSession, connections: Connections | None = None) -> None:
        super().__init__()
        self.session = session
        # Shared by every window of the app (app.open_window); a window made alone owns one.
        self._owns_connections = connections is None
        self.connections = connections or Connections(parent=self)
        self.undo_stack = QUndoStack(self)
        self.messages = MessageBar()
        self.model = DatasetTableModel(session, self)
        self.view = DatasetView()
        self.view.setModel(self.model)
        self.filters = FilterBar(session)
        self.editor = ExampleEditor(session)
        self.problems = ProblemsPanel(session)
        self.rows = RowNavigator(self.view, self.model, session, self.messages)
        self.files = FileMenu(self, self.messages)
        self.open_requested = self.files.open_requested
        self.passes = RowPasses(session, self.view, self.filters, self)
        self._stats_dock: StatsDock | None = None  # after the first lint: it needs the classes
        self._counts = QLabel()
        self.setAcceptDrops(True)
        self._build_layout()
        build_menus(self)
        self._connect()
        self.setWindowTitle(f"{session.info.name} — {session.project.name} — TuneDeck")
        self.resize(1400, 860)
        self._update_counts()

    # --- construction ----------------------------------------------------------------------

    def _build_layout(self) -> None:
        table_side = QWidget()
        column = QVBoxLayout(table_side)
        column.setContentsMargins(6, 6, 0, 0)
        column.addWidget(self.filters)
        column.addWidget(self.view, 1)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(table_side)
        splitter.addWidget(self.editor)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([960, 440])
        self.tabs = WorkspaceTabs(splitter, self.session, self.connections, self.visible_row_ids)
        central = QWidget()
        page = QVBoxLayout(central)
        page.setContentsMargins(0, 0, 0, 0)
        page.setSpacing(0)
        self.messages.setContentsMargins(6, 6, 6, 0)
        page.addWidget(self.messages)  # above the tabs: news from any of them shows
        page.addWidget(self.tabs, 1)
        self.setCentralWidget(central)
        dock = QDockWidget("Problems", self)
        dock.setObjectName("problems")
        dock.setWidget(self.problems)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
        self._problems_dock = dock
        self.statusBar().addPermanentWidget(self.passes.bar)
        self.statusBar().addPermanentWidget(self._counts)

    def _connect(self) -> None:
        self.view.selectionModel().currentRowChanged.connect(self._on_current_row_changed)
        self.tabs.launch_built.connect(self._on_launch_built)
        self.tabs.chat_built.connect(self._on_chat_built)
        self.model.edit_requested.connect(self._on_edit_requested)
        self.filters.changed.connect(self.model.set_filter)
        self.editor.field_edit_requested.connect(self._on_edit_requested)
        self.editor.line_edit_requested.connect(self._on_line_edit_requested)
        self.editor.review_requested.connect(self._on_review_requested)
        self.problems.fix_requested.connect(self._on_fix_requested)
        self.problems.ignore_requested.connect(self._on_ignore_requested)
        self.problems.row_selected.connect(self.select_row)
        self.passes.rows_in.connect(self._update_counts)
        self.passes.linted.connect(self._on_linted)
        self.passes.failed.connect(self.messages.error)
        self.session.reviewed.connect(self._on_reviewed)
        self.session.findings_changed.connect(lambda _update: self._counts_soon())
        self._counts_timer = QTimer(self)
        self._counts_timer.setSingleShot(True)
        self._counts_timer.setInterval(100)
        self._counts_timer.timeout.connect(self._update_counts)

    # --- passes over every row ----------------------------------------------------------

    def start_lint(self) -> Worker:
        """Lint every row in the background (reading the rows not loaded yet first)."""
        return self.passes.start_lint()

    def _on_linted(self) -> None:
        # The rest after one turn of the event loop, so the table repaints in between: all
        # in one slot held the window for just over 100 ms at 100,000 rows.
        QTimer.singleShot(0, self, self._after_findings)

    def _after_findings(self) -> None:
        self.filters.refresh_classes()
        self._update_counts()
        if self._stats_dock is None:
            self._build_stats_dock()
        elif self._stats_dock.panel is not None:
            self._stats_dock.panel.refresh_lengths()  # new settings: another encoding, limit
        if self.model.rowCount() and not self.view.currentIndex().isValid():
            self.view.setCurrentIndex(self.model.index(0, 1))
        self.view.setFocus()

    def _build_stats_dock(self) -> None:
        self._stats_dock = StatsDock(self.session, self, self._problems_dock, self._on_stats_built)
        self.tabs.add_dock(self._stats_dock)
        action = add_action(self, self._view_menu, "&Statistics", "Ctrl+Shift+B", self.show_stats)
        action.setToolTip("Class balance, token lengths, split and leakage")

    @property
    def stats(self) -> StatsPanel | None:
        """The statistics panel (built on first use), or None before the first lint ends."""
        return None if self._stats_dock is None else self._stats_dock.ensure_panel()

    def _on_stats_built(self, stats: StatsPanel) -> None:
        stats.class_filter_requested.connect(self.filters.show_class)
        stats.rows_filter_requested.connect(self.filters.only_rows)
        stats.row_requested.connect(self._select_row_anyway)
        stats.split_requested.connect(self._on_split_requested)
        stats.informed.connect(self.messages.info)
        stats.failed.connect(self.messages.error)

    # --- the Fine-tune and Chat tabs ------------------------------------------------------------

    def visible_row_ids(self) -> list[int]:
        """The rows the table shows now, in its order (a spot-check's "current filter")."""
        return [self.model.row_id(row) for row in range(self.model.rowCount())]

    def _on_launch_built(self, launch) -> None:
        launch.row_requested.connect(self._show_row_in_table)
        launch.open_in_chat_requested.connect(self._open_in_chat)
        launch.informed.connect(self.messages.info)
        launch.failed.connect(self.messages.error)

    def _on_chat_built(self, chat) -> None:
        chat.example_add_requested.connect(self._add_from_chat)
        chat.informed.connect(self.messages.info)
        chat.failed.connect(self.messages.error)

    def _show_row_in_table(self, row_id: int) -> None:
        self.tabs.setCurrentIndex(CURATE)
        self._select_row_anyway(row_id)

    def _open_in_chat(self, profile_id: str, model: str) -> None:
        self.tabs.ensure_chat().open_model(profile_id, model)
        self.tabs.show_chat()

    def _add_from_chat(self, record: dict) -> None:
        before = self.undo_stack.count()
        self._add(record, "Add example from chat")
        if self.undo_stack.count() > before:
            self.messages.info(
                "Added to the dataset as a new unreviewed example; Ctrl+Z takes it back."
            )

    def show_stats(self) -> None:
        if self._stats_dock is not None:
            self._stats_dock.bring_forward()

    def _select_row_anyway(self, row_id: int) -> None:
        # A row picked in the statistics must show even if the table's filters hide it.
        if row_id in self.session.dataset and not self.model.index_of(row_id, 0).isValid():
            self.filters.clear()
        self.select_row(row_id)

    def _on_split_requested(self, proposal) -> None:
        if self._push(SplitChange(self.session, proposal, self._report, self._bulk)):
            self.messages.info(
                f"Split stored: {proposal.training:,} train, {proposal.validation:,} "
                "validation. Ctrl+Z takes it back."
            )

    @contextmanager
    def _bulk(self) -> Iterator[None]:
        """Many reviews at once (a split): a busy cursor while they are stored and followed,
        a second or so for 100,000 rows (larger splits also show a progress dialog)."""
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            yield
        finally:
            QApplication.restoreOverrideCursor()

    # --- changes ---------------------------------------------------------------------------

    def _push(self, change) -> bool:
        if change.apply():
            self.undo_stack.push(change)
            return True
        return False

    def run_command(self, command: Command, text: str) -> bool:
        return self._push(RecordChange(self.session, command, text, self._report))

    def _report(self, error: UserError) -> None:
        self.messages.error(str(error))

    def _on_edit_requested(self, row_id: int, path: str, value: Any) -> None:
        self.run_command(SetField(row_id, path, value, f"Edit {path}"), f"Edit {path}")

    def _on_line_edit_requested(self, row_id: int, text: str) -> None:
        self._push(LineChange(self.session, row_id, text, self._report))

    def _on_review_requested(self, row_id: int, changes: dict) -> None:
        names = ", ".join(changes)
        self._push(ReviewChange(self.session, row_id, changes, f"Change {names}", self._report))

    def _on_fix_requested(self, command: Command) -> None:
        self.run_command(command, getattr(command, "description", "Apply fix"))

    def _on_ignore_requested(self, row_id: int, rule: str) -> None:
        ignored = tuple(dict.fromkeys((*self.session.reviews[row_id].suppressed, rule)))
        self._push(
            ReviewChange(
                self.session, row_id, {"suppressed": ignored}, f"Ignore {rule}", self._report
            )
        )

    def set_status(self, status: Status) -> None:
        row_id = self.current_row_id()
        if row_id is None:
            return
        change = ReviewChange(
            self.session, row_id, {"status": status}, f"Mark {status.value}", self._report
        )
        # After a decision, the next example is what a reviewer wants to see.
        if self._push(change) and status is not Status.UNREVIEWED:
            self.rows.move(1)

    def add_example(self) -> None:
        legacy = {"prompt": "", "completion": ""}
        chat = {"messages": [{"role": "user", "content": ""}, {"role": "assistant", "content": ""}]}
        chat_dataset = ExampleFormat.CHAT in self.session.dataset.formats()
        record = chat if chat_dataset else legacy
        self._add(record, "Add example")

    def duplicate_example(self) -> None:
        row_id = self.current_row_id()
        if row_id is None or self.session.dataset[row_id].record is None:
            return
        self._add(json.loads(json.dumps(self.session.dataset[row_id].record)), "Duplicate example")

    def _add(self, record: dict, text: str) -> None:
        if self._still_loading():
            return
        change = AddExample(self.session, record, self.current_row_id(), self._report, text)
        if self._push(change) and change.row_id is not None:
            self.select_row(change.row_id, "")

    def _still_loading(self) -> bool:
        """New rows go after the last one, which may not have been read yet: say so."""
        if self.session.complete:
            return False
        self.messages.info("The examples are still loading; add new ones once they are all in.")
        return True

    def delete_rows(self) -> None:
        ids = self.selected_row_ids()
        if ids:
            count = "example" if len(ids) == 1 else f"{len(ids)} examples"
            self.run_command(DeleteRows(tuple(ids), f"Delete {count}"), f"Delete {count}")

    def paste_rows(self) -> None:
        """Tab-separated rows copied from a spreadsheet become new examples (prompt, completion)."""
        if self._still_loading():
            return
        text = QGuiApplication.clipboard().text()
        rows = [line.split("\t") for line in text.splitlines() if line.strip()]
        if not rows:
            self.messages.info("The clipboard holds no rows to paste.")
            return
        self.undo_stack.beginMacro(f"Paste {len(rows)} examples")
        for cells in rows:
            prompt, completion = [*cells, ""][:2]
            self._add({"prompt": prompt, "completion": completion}, "Paste example")
        self.undo_stack.endMacro()
        self.messages.info(f"Pasted {len(rows)} examples.")

    def refresh(self) -> None:
        try:
            changed = self.session.refresh()
        except UserError as error:
            self._report(error)
            return
        self.messages.info(f"{len(changed)} examples changed by others since you opened them.")

    def export_dialog(self) -> None:
        suggested = str(Path.home() / f"{self.session.info.name}.jsonl")
        path, _ = QFileDialog.getSaveFileName(self, "Export JSONL", suggested, "JSONL (*.jsonl)")
        if path:
            self.export(Path(path))

    def export(self, path: Path) -> None:
        try:
            count = self.session.export(path)
        except UserError as error:
            self._report(error)
            return
        self.messages.info(f"Wrote {count} examples to {path}.")

    def settings_dialog(self) -> None:
        dialog = DatasetSettingsDialog(self.session, self)
        if dialog.exec() == DatasetSettingsDialog.DialogCode.Accepted:
            self.apply_settings(dialog.settings())

    def apply_settings(self, settings: LintSettings) -> Worker | None:
        """Store new settings and check every example against them, in the background."""
        try:
            self.session.apply_settings(settings)
        except UserError as error:
            self._report(error)
            return None
        return self.start_lint()

    def _fill_switch_menu(self) -> None:
        menu = self._switch_menu
        menu.clear()
        try:
            names = [info.name for info in self.session.project.datasets()]
        except UserError as error:
            self._report(error)
            return
        location = str(self.session.project.location)
        for name in names:
            action = menu.addAction(name)
            action.setCheckable(True)
            action.setChecked(name == self.session.info.name)
            action.triggered.connect(
                lambda _=False, chosen=name: self.open_requested.emit(location, chosen)
            )

    # --- navigation ------------------------------------------------------------------------

    def current_row_id(self) -> int | None:
        return self.rows.current_row_id()

    def selected_row_ids(self) -> list[int]:
        return self.rows.selected_row_ids()

    def select_row(self, row_id: int, field: str = "") -> None:
        self.rows.select_row(row_id, field)

    def _on_current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self.editor.show_row(current.data(RowIdRole) if current.isValid() else None)

    # --- status bar ------------------------------------------------------------------------

    def _on_reviewed(self, _row_ids: frozenset[int]) -> None:
        self._update_counts()  # once per change, however many rows it reviewed

    def _counts_soon(self) -> None:
        self._counts_timer.start()

    def _update_counts(self) -> None:
        if not self.session.complete:  # counts of the first rows would mislead; the bar counts
            self._counts.setText("")
            return
        ids = self.session.dataset.ids()
        # C-level counting: this runs after every review, and at 100,000 rows a loop in
        # Python took 25 ms of it.
        statuses = map(_STATUS, map(self.session.reviews.__getitem__, ids))
        total = len(ids)
        reviewed = total - countOf(statuses, Status.UNREVIEWED)
        tally = self.problems.counts()
        errors = tally.get(Severity.ERROR, 0)
        warnings = tally.get(Severity.WARNING, 0)
        self._counts.setText(
            f"Reviewed {reviewed:,} / {total:,}   ·   {counted(errors, 'error')}   ·   "
            f"{counted(warnings, 'warning')}"
        )

    # --- opening and closing ---------------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 (Qt's name)
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        event.acceptProposedAction()
        # After the drop returns: the import dialog must not run inside the drag's own loop.
        urls = list(event.mimeData().urls())
        QTimer.singleShot(0, lambda: self.files.open_urls(urls))

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        # Every change is stored as it is made, so there is nothing to save or ask about.
        self.passes.stop()
        if self._stats_dock is not None and self._stats_dock.panel is not None:
            self._stats_dock.panel.shutdown()
        self.tabs.shutdown()  # polling and streaming stop before the project closes
        self.model.detach()
        self.session.project.close()
        if self._owns_connections:
            self.connections.close()
        super().closeEvent(event)


_STATUS = attrgetter("status")
