"""The pre-flight gate as a list: what blocks the launch, what to read first, what to know.

Errors (the lint's, the export's own problems, the provider's refusals) block the launch.
Warnings must be acknowledged once: the acknowledgement holds while later checks find only
warnings already read, and is asked again when a new one appears. Clicking a finding about
one example asks the window to show that example.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QCheckBox, QLabel, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from tunedeck.core.export import Gate
from tunedeck.core.lint.diagnostic import Diagnostic
from tunedeck.core.remote.rules import Finding

SHOWN_PER_GROUP = 300  # a dataset with thousands of findings is listed in the table itself
_RED, _AMBER, _BLUE = QColor("#b3261e"), QColor("#8a5300"), QColor("#0d3c61")


@dataclass(frozen=True)
class GateResult:
    """A gate and the provider's findings on the same export."""

    gate: Gate
    provider: list[Finding]

    @property
    def blocking(self) -> int:
        refused = sum(f.severity == "error" for f in self.provider)
        return len(self.gate.errors) + len(self.gate.problems) + refused

    def warning_keys(self) -> frozenset[tuple]:
        lint = {(d.rule, d.row_id, d.message) for d in self.gate.warnings}
        said = {(f.code, None, f.message) for f in self.provider if f.severity == "warning"}
        return frozenset(lint | said)


class GateList(QWidget):
    """Shows a GateResult; `acknowledged()` says whether its warnings were read.

    Signals:
        row_requested(int): The user clicked a finding about this row id.
        acknowledged_changed(): The acknowledgement was given or withdrawn.
    """

    row_requested = Signal(int)
    acknowledged_changed = Signal()

    def __init__(self, row_number: Callable[[int], int | None], parent: QWidget | None = None):
        super().__init__(parent)
        self._row_number = row_number  # row id -> position shown in the table (1-based)
        self._result: GateResult | None = None
        self._read: frozenset[tuple] = frozenset()
        self.verdict = QLabel("Not checked yet.")
        self.verdict.setWordWrap(True)
        self.tree = QTreeWidget()
        self.tree.setHeaderHidden(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setWordWrap(False)
        self.tree.itemActivated.connect(self._on_item)
        self.tree.itemClicked.connect(self._on_item)
        self.tree.setMinimumHeight(120)
        self.acknowledge = QCheckBox()
        self.acknowledge.toggled.connect(self._on_acknowledge)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.verdict)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.acknowledge)
        self.acknowledge.hide()

    @property
    def result(self) -> GateResult | None:
        return self._result

    def acknowledged(self) -> bool:
        result = self._result
        return result is not None and result.warning_keys() <= self._read

    def can_launch(self) -> bool:
        return self._result is not None and not self._result.blocking and self.acknowledged()

    def clear(self, text: str) -> None:
        """Forget the shown result (the export changed) and say why."""
        self._result = None
        self.tree.clear()
        self.acknowledge.hide()
        self.verdict.setText(text)
        self.verdict.setStyleSheet("color:#444;")

    def show_result(self, result: GateResult) -> None:
        self._result = result
        gate = result.gate
        self.tree.clear()
        blocking = [(p, None) for p in gate.problems]
        blocking += [(f.message, None) for f in result.provider if f.severity == "error"]
        blocking += [(self._text(d), d.row_id) for d in gate.errors]
        warnings = [(f.message, None) for f in result.provider if f.severity == "warning"]
        warnings += [(self._text(d), d.row_id) for d in gate.warnings]
        notes = [(f.message, None) for f in result.provider if f.severity == "info"]
        self._group("Blocks the launch", blocking, _RED)
        self._group("Read before launching", warnings, _AMBER)
        self._group("Good to know", notes, _BLUE)
        self.tree.expandAll()
        keys = result.warning_keys()
        self.acknowledge.blockSignals(True)
        self.acknowledge.setChecked(bool(keys) and keys <= self._read)
        self.acknowledge.blockSignals(False)
        self.acknowledge.setText(
            f"I have read the {len(keys)} warning{'s' if len(keys) != 1 else ''} and want to "
            "launch anyway"
        )
        self.acknowledge.setVisible(bool(keys) and not result.blocking)
        self._update_verdict()

    # --- slots ---------------------------------------------------------------------------------

    def _on_item(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        row_id = item.data(0, Qt.ItemDataRole.UserRole)
        if row_id is not None:
            self.row_requested.emit(int(row_id))

    def _on_acknowledge(self, checked: bool) -> None:
        if self._result is not None:
            keys = self._result.warning_keys()
            self._read = self._read | keys if checked else self._read - keys
        self._update_verdict()
        self.acknowledged_changed.emit()

    # --- helpers -------------------------------------------------------------------------------

    def _group(self, title: str, entries: list[tuple[str, int | None]], color: QColor) -> None:
        if not entries:
            return
        group = QTreeWidgetItem([f"{title} ({len(entries):,})"])
        font = group.font(0)
        font.setBold(True)
        group.setFont(0, font)
        group.setForeground(0, QBrush(color))
        group.setFlags(Qt.ItemFlag.ItemIsEnabled)
        for text, row_id in entries[:SHOWN_PER_GROUP]:
            child = QTreeWidgetItem([text])
            child.setToolTip(0, text + ("\n\nClick to show this example." if row_id else ""))
            if row_id is not None:
                child.setData(0, Qt.ItemDataRole.UserRole, row_id)
            group.addChild(child)
        if len(entries) > SHOWN_PER_GROUP:
            more = QTreeWidgetItem([f"… and {len(entries) - SHOWN_PER_GROUP:,} more"])
            more.setFlags(Qt.ItemFlag.ItemIsEnabled)
            group.addChild(more)
        self.tree.addTopLevelItem(group)

    def _text(self, diagnostic: Diagnostic) -> str:
        side = self._result.gate.sides.get(diagnostic.row_id) if self._result else None
        if diagnostic.row_id is None:
            return f"{diagnostic.message} [{diagnostic.rule}]"
        number = self._row_number(diagnostic.row_id)
        where = f"Example {number}" if number is not None else "An example"
        side_text = f" ({side})" if side else ""
        return f"{where}{side_text}: {diagnostic.message} [{diagnostic.rule}]"

    def _update_verdict(self) -> None:
        result = self._result
        if result is None:
            return
        if result.blocking:
            text = (
                f"Cannot launch: {result.blocking:,} problem"
                f"{'s' if result.blocking != 1 else ''} to fix first (click one to see the "
                "example). The list is checked again after each change."
            )
            style = "color:#b3261e; font-weight:bold;"
        elif not self.acknowledged():
            text = "Ready once you have read the warnings below and ticked the box."
            style = "color:#8a5300; font-weight:bold;"
        else:
            text = "Ready to launch: nothing blocks it."
            style = "color:#1b5e20; font-weight:bold;"
        self.verdict.setText(text)
        self.verdict.setStyleSheet(style)
