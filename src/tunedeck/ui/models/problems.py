"""The session's findings as a tree: one branch per rule, one leaf per finding.

The linter reports, after every edit, which rows' findings may have changed. Rebuilding the
tree from `linter.diagnostics()` would walk the whole dataset per keystroke, so each branch
keeps its leaves sorted by row id and an update replaces just the leaves of the rows it names,
with row insert/remove notifications so the view keeps its expansion and selection.
"""

from __future__ import annotations

import bisect
import sys
from collections import Counter
from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QStyle

from tunedeck.core.dataset import Example
from tunedeck.core.lint import registry
from tunedeck.core.lint.diagnostic import Diagnostic, Severity
from tunedeck.core.lint.linter import Update
from tunedeck.core.session import CurationSession

DiagnosticRole = Qt.ItemDataRole.UserRole + 10
RuleRole = Qt.ItemDataRole.UserRole + 11

_DATASET_ROW = sys.maxsize  # sort key of dataset-wide findings: after every row
_ORDER = {rule.name: position for position, rule in enumerate(registry.RULES)}
_HEADERS = ("Where", "Field", "Message")
_COLUMNS = len(_HEADERS)
# flags() is not overridden: the base class's (enabled, selectable) is right, and a Python
# override would cost a call per finding on every layout of an expanded branch.
_ModelIndex = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()  # default argument of the overrides (an invalid index never changes)

_ICONS = {
    Severity.ERROR: QStyle.StandardPixmap.SP_MessageBoxCritical,
    Severity.WARNING: QStyle.StandardPixmap.SP_MessageBoxWarning,
    Severity.INFO: QStyle.StandardPixmap.SP_MessageBoxInformation,
}


def severity_icon(severity: Severity) -> QIcon:
    """The icon every TuneDeck view uses for a severity (the style's message-box icons)."""
    return QApplication.style().standardIcon(_ICONS[severity])


def where(example: Example | None) -> str:
    """How a user refers to a row: its line in the file, or its id when it has none yet."""
    if example is None:
        return "dataset"
    return f"line {example.line}" if example.line is not None else f"new row #{example.id}"


class _Group:
    """The findings of one rule, sorted by row id (dataset-wide ones last)."""

    def __init__(self, rule: str, code: str, key: int) -> None:
        self.rule = rule
        self.code = code
        self.key = key  # stable id of the branch, used as its children's internalId
        self.rows: list[int] = []  # row key of each child, non-decreasing
        self.items: list[Diagnostic] = []
        self.severities: Counter[Severity] = Counter()
        self.fixable = 0  # findings with a fix: enables "Fix all" without scanning the branch

    def span(self, row: int) -> tuple[int, int]:
        return bisect.bisect_left(self.rows, row), bisect.bisect_right(self.rows, row)

    @property
    def severity(self) -> Severity:
        present = [severity for severity, count in self.severities.items() if count]
        return min(present, key=lambda severity: severity.rank) if present else Severity.INFO

    def label(self) -> str:
        return f"{self.rule} ({self.code}) — {len(self.items):,}"


class ProblemsModel(QAbstractItemModel):
    """Findings grouped by rule, kept current through the session's signals.

    Signals:
        summary_changed(): the number of findings per severity may have changed.
    """

    summary_changed = Signal()

    def __init__(self, session: CurationSession, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._session: CurationSession | None = None
        self._groups: list[_Group] = []  # in registry order
        self._by_rule: dict[str, _Group] = {}
        self._by_key: dict[int, _Group] = {}
        self._keys: dict[str, int] = {}
        self._by_row: dict[int, list[Diagnostic]] = {}  # what each row shows now
        self._totals: Counter[Severity] = Counter()
        self.set_session(session)

    # --- session -----------------------------------------------------------------------------

    @property
    def session(self) -> CurationSession:
        assert self._session is not None
        return self._session

    def set_session(self, session: CurationSession) -> None:
        if self._session is not None:
            self._session.findings_changed.disconnect(self._on_findings_changed)
            self._session.relinted.disconnect(self.reload)
            self._session.dataset.row_removed.disconnect(self._on_row_removed)
        self._session = session
        session.findings_changed.connect(self._on_findings_changed)
        session.relinted.connect(self.reload)
        # The linter's update for a deleted row leaves the row itself out: it has nothing to
        # repaint, but this model still holds its findings.
        session.dataset.row_removed.connect(self._on_row_removed)
        self.reload()

    def reload(self) -> None:
        """Rebuild everything (after a full lint pass or new settings)."""
        self.beginResetModel()
        self._groups.clear()
        self._by_rule.clear()
        self._by_key.clear()
        self._by_row.clear()
        self._totals.clear()
        for diagnostic in self.session.linter.diagnostics():
            row = _DATASET_ROW if diagnostic.row_id is None else diagnostic.row_id
            self._by_row.setdefault(row, []).append(diagnostic)
            group = self._group_for(diagnostic, notify=False)
            group.rows.append(row)
            group.items.append(diagnostic)
            self._count(group, (diagnostic,), +1)
        for group in self._groups:  # linter order is row order; ids are file order but inserts
            pairs = sorted(zip(group.rows, group.items, strict=True), key=lambda p: p[0])
            group.rows = [row for row, _ in pairs]
            group.items = [item for _, item in pairs]
        self.endResetModel()
        self.summary_changed.emit()

    def _on_findings_changed(self, update: Update) -> None:
        linter = self.session.linter
        dataset = self.session.dataset
        for row_id in update.rows:
            found = linter.diagnostics_for(row_id) if row_id in dataset else []
            self._replace_row(row_id, found)
        if update.dataset_changed:
            self._replace_row(_DATASET_ROW, linter.dataset_diagnostics())
        self.summary_changed.emit()

    def _on_row_removed(self, example: Example) -> None:
        self._replace_row(example.id, [])
        self.summary_changed.emit()

    # --- incremental update --------------------------------------------------------------------

    def _replace_row(self, row: int, found: list[Diagnostic]) -> None:
        before = self._by_row.get(row, [])
        if before == found:
            return
        if found:
            self._by_row[row] = found
        else:
            self._by_row.pop(row, None)
        old_by_rule = _by_rule(before)
        new_by_rule = _by_rule(found)
        for rule in old_by_rule.keys() | new_by_rule.keys():
            old, new = old_by_rule.get(rule, []), new_by_rule.get(rule, [])
            if old != new:
                self._replace_in_group(rule, row, old, new)

    def _replace_in_group(
        self, rule: str, row: int, old: list[Diagnostic], new: list[Diagnostic]
    ) -> None:
        group = self._by_rule.get(rule) or self._group_for(new[0], notify=True)
        parent = self.createIndex(self._groups.index(group), 0)
        start, end = group.span(row)
        if len(old) == len(new):  # same number of findings: reworded, repaint in place
            group.items[start:end] = new
            self._count(group, old, -1)
            self._count(group, new, +1)
            self.dataChanged.emit(
                self.index(start, 0, parent), self.index(end - 1, len(_HEADERS) - 1, parent)
            )
        else:
            if old:
                self.beginRemoveRows(parent, start, end - 1)
                del group.rows[start:end]
                del group.items[start:end]
                self._count(group, old, -1)
                self.endRemoveRows()
            if new:
                self.beginInsertRows(parent, start, start + len(new) - 1)
                group.rows[start:start] = [row] * len(new)
                group.items[start:start] = new
                self._count(group, new, +1)
                self.endInsertRows()
        if group.items:
            self.dataChanged.emit(parent, parent.siblingAtColumn(len(_HEADERS) - 1))
        else:
            self._drop_group(group)

    def _count(self, group: _Group, items: Iterable[Diagnostic], sign: int) -> None:
        for diagnostic in items:
            group.severities[diagnostic.severity] += sign
            group.fixable += sign * (diagnostic.fix is not None)
            self._totals[diagnostic.severity] += sign

    def _group_for(self, diagnostic: Diagnostic, *, notify: bool) -> _Group:
        group = self._by_rule.get(diagnostic.rule)
        if group is not None:
            return group
        key = self._keys.setdefault(diagnostic.rule, len(self._keys) + 1)
        group = _Group(diagnostic.rule, diagnostic.code, key)
        orders = [_ORDER.get(other.rule, len(_ORDER)) for other in self._groups]
        position = bisect.bisect_right(orders, _ORDER.get(diagnostic.rule, len(_ORDER)))
        if notify:
            self.beginInsertRows(QModelIndex(), position, position)
        self._groups.insert(position, group)
        self._by_rule[group.rule] = group
        self._by_key[key] = group
        if notify:
            self.endInsertRows()
        return group

    def _drop_group(self, group: _Group) -> None:
        position = self._groups.index(group)
        self.beginRemoveRows(QModelIndex(), position, position)
        del self._groups[position]
        del self._by_rule[group.rule]
        del self._by_key[group.key]
        self.endRemoveRows()

    # --- queries -------------------------------------------------------------------------------

    def counts(self) -> dict[Severity, int]:
        """Findings per severity, every severity present (zero when none)."""
        return {severity: self._totals[severity] for severity in Severity}

    def rules(self) -> list[str]:
        return [group.rule for group in self._groups]

    def fixable(self, rule: str) -> int:
        """How many findings of `rule` have a fix."""
        group = self._by_rule.get(rule)
        return group.fixable if group else 0

    def findings(self, rule: str) -> list[Diagnostic]:
        """The findings of one rule in row order (a copy)."""
        group = self._by_rule.get(rule)
        return list(group.items) if group else []

    def rule_index(self, rule: str) -> QModelIndex:
        group = self._by_rule.get(rule)
        return self.createIndex(self._groups.index(group), 0) if group else QModelIndex()

    def diagnostic(self, index: _ModelIndex) -> Diagnostic | None:
        group = self._parent_group(index)
        return group.items[index.row()] if group is not None else None

    def rule(self, index: _ModelIndex) -> str | None:
        if not index.isValid():
            return None
        group = self._parent_group(index)
        return group.rule if group is not None else self._groups[index.row()].rule

    # --- QAbstractItemModel --------------------------------------------------------------------

    def _parent_group(self, index: _ModelIndex) -> _Group | None:
        """The branch a leaf index belongs to (None for a branch or an invalid index)."""
        if not index.isValid() or index.internalId() == 0:
            return None
        return self._by_key.get(index.internalId())

    def index(self, row: int, column: int, parent: _ModelIndex = _ROOT) -> QModelIndex:
        # A view calls this once per expanded finding on every layout: keep it lean.
        if 0 <= column < _COLUMNS and row >= 0:
            if not parent.isValid():
                if row < len(self._groups):
                    return self.createIndex(row, column, 0)
            elif parent.internalId() == 0 and parent.column() == 0:  # leaves have no children
                group = self._groups[parent.row()]
                if row < len(group.items):
                    return self.createIndex(row, column, group.key)
        return QModelIndex()

    def parent(self, index: _ModelIndex | None = None) -> Any:  # type: ignore[override]
        if index is None:  # parent() without an index is QObject's
            return QObject.parent(self)
        group = self._parent_group(index)
        if group is None:
            return QModelIndex()
        return self.createIndex(self._groups.index(group), 0, 0)

    def rowCount(self, parent: _ModelIndex = _ROOT) -> int:  # noqa: N802
        if not parent.isValid():
            return len(self._groups)
        if parent.internalId() != 0 or parent.column() != 0:
            return 0
        return len(self._groups[parent.row()].items)

    def columnCount(self, parent: _ModelIndex = _ROOT) -> int:  # noqa: N802
        return len(_HEADERS)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _HEADERS[section]
        return None

    def data(self, index: _ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        group = self._parent_group(index)
        if group is None:
            return self._group_data(self._groups[index.row()], index.column(), role)
        return self._finding_data(group, group.items[index.row()], index.column(), role)

    def _group_data(self, group: _Group, column: int, role: int) -> Any:
        if role == RuleRole:
            return group.rule
        if column != 0:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return group.label()
        if role == Qt.ItemDataRole.DecorationRole:
            return severity_icon(group.severity)
        if role == Qt.ItemDataRole.ToolTipRole:
            rule = registry.BY_NAME.get(group.rule)
            return rule.summary if rule else None
        return None

    def _finding_data(self, group: _Group, diagnostic: Diagnostic, column: int, role: int) -> Any:
        if role == DiagnosticRole:
            return diagnostic
        if role == RuleRole:
            return group.rule
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                row_id = diagnostic.row_id
                dataset = self.session.dataset
                return where(dataset[row_id] if row_id is not None and row_id in dataset else None)
            if column == 1:
                return diagnostic.field or ""
            return diagnostic.message
        if role == Qt.ItemDataRole.DecorationRole and column == 0:
            return severity_icon(diagnostic.severity)
        if role == Qt.ItemDataRole.ToolTipRole:
            fix = diagnostic.fix
            if fix is None:
                return diagnostic.message
            kind = "safe fix" if fix.safe else "fix needs review"
            return f"{diagnostic.message}\n{kind}: {fix.description}"
        return None


def _by_rule(found: list[Diagnostic]) -> dict[str, list[Diagnostic]]:
    grouped: dict[str, list[Diagnostic]] = {}
    for diagnostic in found:
        grouped.setdefault(diagnostic.rule, []).append(diagnostic)
    return grouped
