"""The Problems panel: every finding grouped by rule, with Fix, Fix all, Ignore and Explain.

The panel never edits the session. It emits requests (a core Command to run, a rule to ignore
for a row, a row to show) and the window turns them into undoable steps, so a fix from here
undoes exactly like an edit typed in the table.
"""

from __future__ import annotations

import inspect
import sys
from dataclasses import dataclass

from PySide6.QtCore import QModelIndex, QSize, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMessageBox,
    QTextBrowser,
    QToolBar,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from tunedeck.core.dataset.commands import Batch, Command
from tunedeck.core.lint import registry
from tunedeck.core.lint.diagnostic import Diagnostic, Severity
from tunedeck.core.session import CurationSession
from tunedeck.ui.models.problems import ProblemsModel

_HEADINGS = "## What it flags"
# A tree view lays out every expanded leaf again after each insert or remove, so a branch of
# tens of thousands of findings opened by default would make each keystroke in the editor
# slow; large branches start closed (their count is in the title, Fix all works on them).
AUTO_EXPAND_LIMIT = 500


def rule_doc(name: str) -> str:
    """A rule's explanation as Markdown: its module docstring when that carries the fixed
    headings, else its class docstring (where the rule modules keep them)."""
    rule = registry.rule_named(name)
    module_doc = inspect.getdoc(sys.modules[rule.__module__]) or ""
    doc = module_doc if _HEADINGS in module_doc else inspect.getdoc(rule) or ""
    return f"# {rule.name} ({rule.code})\n\n{doc}\n"


@dataclass(frozen=True)
class FixAllPlan:
    """What "Fix all of this kind" would do for one rule."""

    command: Command
    count: int  # findings it fixes
    needs_confirmation: bool  # the fixes may change what examples mean: ask first


def plan_fix_all(rule: str, findings: list[Diagnostic]) -> FixAllPlan | None:
    """Only the safe fixes of a rule, or, when the rule has no safe fix at all, its unsafe
    ones behind a confirmation; None when nothing is fixable."""
    fixes = [d.fix for d in findings if d.fix is not None]
    safe = [fix for fix in fixes if fix.safe]
    chosen = safe or fixes
    if not chosen:
        return None
    command = Batch(tuple(fix.command() for fix in chosen), f"Fix all {rule} ({len(chosen)})")
    return FixAllPlan(command, len(chosen), needs_confirmation=not safe)


class ExplainDialog(QDialog):
    """A rule's documentation, rendered."""

    def __init__(self, rule: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Explain {rule}")
        self.browser = QTextBrowser()
        self.browser.setOpenExternalLinks(True)
        self.browser.setMarkdown(rule_doc(rule))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)
        self.resize(560, 520)


class ProblemsPanel(QWidget):
    """Findings of a session's dataset as a tree, with the actions that resolve them.

    Signals:
        fix_requested(Command): run this command (a fix, or a batch of fixes) as one undo step.
        ignore_requested(row_id, rule): silence `rule` for that row.
        row_selected(row_id, field): the user picked a finding; show that row (and field).
    """

    fix_requested = Signal(object)
    ignore_requested = Signal(int, str)
    row_selected = Signal(int, str)

    def __init__(self, session: CurationSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = ProblemsModel(session, self)
        self.summary = QLabel()
        self.view = QTreeView()
        self.fix_action = QAction("Fix", self)
        self.fix_all_action = QAction("Fix all of this kind", self)
        self.ignore_action = QAction("Ignore for this row", self)
        self.explain_action = QAction("Explain", self)
        self._explain: ExplainDialog | None = None  # kept: a parentless dialog would be collected
        self._build()
        self._connect()
        self._on_model_reset()
        self._update()

    # --- construction ----------------------------------------------------------------------

    def _build(self) -> None:
        view = self.view
        view.setModel(self.model)
        view.setUniformRowHeights(True)  # cheap layout however many findings there are
        view.setAllColumnsShowFocus(True)
        view.setSelectionMode(QTreeView.SelectionMode.SingleSelection)
        view.setIconSize(QSize(16, 16))
        view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        header = view.header()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        view.setIndentation(14)
        # Wide enough for a six-digit line beside its icon and indent (100,000-row files),
        # and for a chat field's path: which turn a finding is about is the point of it.
        metrics = view.fontMetrics()
        header.resizeSection(0, metrics.horizontalAdvance("line 000000") + 56)
        header.resizeSection(1, metrics.horizontalAdvance("messages[10].content") + 16)
        self.fix_action.setToolTip("Apply the fix of the selected finding")
        self.fix_all_action.setToolTip("Apply the fixes of every finding of the selected rule")
        self.ignore_action.setToolTip("Stop reporting this rule for this example")
        self.explain_action.setToolTip("What the rule checks, why, and how it fixes it")
        actions = [self.fix_action, self.fix_all_action, self.ignore_action, self.explain_action]
        toolbar = QToolBar()
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        toolbar.addActions(actions)
        view.addActions(actions)
        self.summary.setContentsMargins(4, 2, 4, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.summary)
        layout.addWidget(toolbar)
        layout.addWidget(view, 1)

    def _connect(self) -> None:
        self.fix_action.triggered.connect(self.fix_selected)
        self.fix_all_action.triggered.connect(self.fix_all)
        self.ignore_action.triggered.connect(self.ignore_selected)
        self.explain_action.triggered.connect(lambda: self.explain())
        self.view.clicked.connect(self._on_activated)
        self.view.activated.connect(self._on_activated)
        self.view.selectionModel().currentChanged.connect(self._update)
        self.model.summary_changed.connect(self._update)
        self.model.modelReset.connect(self._on_model_reset)
        self.model.rowsInserted.connect(self._on_rows_inserted)

    # --- state -----------------------------------------------------------------------------

    def counts(self) -> dict[Severity, int]:
        """Findings per severity (every severity present, zero when none)."""
        return self.model.counts()

    def current_diagnostic(self) -> Diagnostic | None:
        return self.model.diagnostic(self.view.currentIndex())

    def current_rule(self) -> str | None:
        return self.model.rule(self.view.currentIndex())

    def _update(self) -> None:
        counts = self.counts()
        total = sum(counts.values())
        if total:
            parts = [
                f"{counts[severity]} {severity.value}{'s' if counts[severity] != 1 else ''}"
                for severity in Severity
                if counts[severity]
            ]
            self.summary.setText(f"<b>{total} problems</b> — {' · '.join(parts)}")
        else:
            self.summary.setText("<b>No problems found</b>")
        diagnostic = self.current_diagnostic()
        rule = self.current_rule()
        self.fix_action.setEnabled(diagnostic is not None and diagnostic.fix is not None)
        self.fix_all_action.setEnabled(rule is not None and self.model.fixable(rule) > 0)
        self.ignore_action.setEnabled(diagnostic is not None and diagnostic.row_id is not None)
        self.explain_action.setEnabled(rule is not None)

    def _on_model_reset(self) -> None:
        self._on_rows_inserted(QModelIndex(), 0, self.model.rowCount() - 1)

    def _on_rows_inserted(self, parent: QModelIndex, first: int, last: int) -> None:
        if parent.isValid():
            return
        for row in range(first, last + 1):
            # A rule's title is longer than the "where" column; let it run across the row.
            self.view.setFirstColumnSpanned(row, QModelIndex(), True)
            branch = self.model.index(row, 0)
            if self.model.rowCount(branch) <= AUTO_EXPAND_LIMIT:
                self.view.expand(branch)

    def _on_activated(self, index: QModelIndex) -> None:
        diagnostic = self.model.diagnostic(index)
        if diagnostic is not None and diagnostic.row_id is not None:
            self.row_selected.emit(diagnostic.row_id, diagnostic.field or "")

    # --- actions ---------------------------------------------------------------------------

    def fix_selected(self) -> None:
        diagnostic = self.current_diagnostic()
        if diagnostic is not None and diagnostic.fix is not None:
            self.fix_requested.emit(diagnostic.fix.command())

    def fix_all(self) -> None:
        rule = self.current_rule()
        if rule is None:
            return
        plan = plan_fix_all(rule, self.model.findings(rule))
        if plan is None:
            return
        if plan.needs_confirmation and not self._confirm(
            f"The fixes of {rule} change what examples say, so each one deserves a look.\n\n"
            f"Apply all {plan.count} of them without reviewing them one by one?"
        ):
            return
        self.fix_requested.emit(plan.command)

    def _confirm(self, text: str) -> bool:
        answer = QMessageBox.question(
            self,
            "Apply fixes that need review?",
            text,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def ignore_selected(self) -> None:
        diagnostic = self.current_diagnostic()
        if diagnostic is not None and diagnostic.row_id is not None:
            self.ignore_requested.emit(diagnostic.row_id, diagnostic.rule)

    def explain(self, rule: str | None = None) -> ExplainDialog | None:
        """Show the documentation of `rule` (the selected one by default)."""
        rule = rule or self.current_rule()
        if rule is None:
            return None
        if self._explain is not None:
            self._explain.close()
        self._explain = ExplainDialog(rule, self)
        self._explain.show()
        return self._explain
