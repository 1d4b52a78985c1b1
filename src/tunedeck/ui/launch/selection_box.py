"""Which examples go into the files, how they are split, and what each side holds.

The reviewer picks approved-only or all-but-rejected, and either the train/validation split
they assigned or a proposed stratified one (share and seed). The table shows, per class, how
many examples each side gets, so a class missing from validation is seen before launching.
A chat export of prompt/completion pairs may start each example with a system message.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QRadioButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from tunedeck.core.dataset import ExampleFormat
from tunedeck.core.export import ExportBuild, SplitSource, Which
from tunedeck.core.models import ModelKind, model_info
from tunedeck.core.session import CurationSession
from tunedeck.core.stats import propose_split
from tunedeck.core.storage import Split, Status
from tunedeck.ui.launch.model_picker import KIND_WORDS

_WHICH = {
    Which.APPROVED: "Approved examples only",
    Which.NOT_REJECTED: "All except rejected and needs-work",
}
_LEFT_OUT = {  # reason: (one, many)
    "unreadable line": ("unreadable line", "unreadable lines"),
    "not an example": ("line that is not an example", "lines that are not examples"),
    Status.REJECTED.value: ("rejected", "rejected"),
    Status.NEEDS_WORK.value: ("needing work", "needing work"),
    Status.UNREVIEWED.value: ("not reviewed yet", "not reviewed yet"),
    Status.APPROVED.value: ("approved", "approved"),
}


class SelectionBox(QWidget):
    """The export's examples and split; `changed` fires on any change."""

    changed = Signal()

    def __init__(self, session: CurationSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._proposal_key: tuple[float, int] | None = None
        self._assignments: dict[int, Split] = {}
        self.which = QComboBox()
        for which, text in _WHICH.items():
            self.which.addItem(text, which)
        approved = sum(r.status is Status.APPROVED for r in session.reviews.values())
        # A dataset nobody has approved much of yet would export nothing: start wider.
        self.which.setCurrentIndex(0 if approved >= 10 else 1)
        self.assigned = QRadioButton("As the reviewers assigned it")
        self.proposed = QRadioButton("Proposed, keeping each class's share:")
        group = QButtonGroup(self)
        group.addButton(self.assigned)
        group.addButton(self.proposed)
        has_split = any(r.split is not Split.UNASSIGNED for r in session.reviews.values())
        (self.assigned if has_split else self.proposed).setChecked(True)
        self.fraction = QSpinBox()
        self.fraction.setRange(0, 50)
        self.fraction.setValue(20)
        self.fraction.setSuffix(" % for validation")
        self.seed = QSpinBox()
        self.seed.setRange(0, 999_999)
        self.seed.setPrefix("seed ")
        self.seed.setToolTip("Another seed holds out other examples; the same seed, the same split")
        proposal = QHBoxLayout()
        proposal.addWidget(self.proposed)
        proposal.addWidget(self.fraction)
        proposal.addWidget(self.seed)
        proposal.addStretch(1)
        self.system = QPlainTextEdit()
        self.system.setPlaceholderText(
            "Optional: how the tuned model should behave, e.g. “You sort support tickets "
            "into billing, technical, account or feedback.” The chat tab will ask with it."
        )
        self.system.setFixedHeight(self.fontMetrics().lineSpacing() * 3 + 12)
        self.system_label = QLabel("System message")
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(["Class", "Training", "Validation"])
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 6)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QTableWidget.SelectionMode.NoSelection)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow("Examples", self.which)
        form.addRow("Split", self.assigned)
        form.addRow("", _wrap(proposal))
        form.addRow(self.system_label, self.system)
        form.addRow(self.table)
        form.addRow(self.summary)
        # Every edit says so at once (the panel disables Launch until it has checked again,
        # and waits for a pause in the typing before it does).
        self.which.currentIndexChanged.connect(lambda _i: self.changed.emit())
        group.buttonToggled.connect(lambda *_: self._on_split_changed())
        self.fraction.valueChanged.connect(lambda _v: self._on_split_changed())
        self.seed.valueChanged.connect(lambda _v: self._on_split_changed())
        self.system.textChanged.connect(self.changed)
        self._on_split_changed()

    # --- what the panel reads ------------------------------------------------------------------

    def option_values(self) -> dict[str, object]:
        """The ExportOptions fields this box decides."""
        values: dict[str, object] = {
            "which": Which(self.which.currentData()),
            "system_message": self.system.toPlainText().strip() or None,
        }
        if self.proposed.isChecked():
            values |= {
                "split": SplitSource.PROPOSED,
                "assignments": self.assignments(),
                "proposal": {
                    "validation_fraction": self.fraction.value() / 100,
                    "seed": self.seed.value(),
                },
            }
        return values

    def assignments(self) -> dict[int, Split]:
        """The proposed split for the current share and seed (recomputed when they change)."""
        key = (self.fraction.value() / 100, self.seed.value())
        if key != self._proposal_key:
            proposal = propose_split(self._session, validation_fraction=key[0], seed=key[1])
            self._assignments = proposal.assignments
            self._proposal_key = key
        return self._assignments

    def forget_proposal(self) -> None:
        """The dataset changed: propose afresh next time."""
        self._proposal_key = None

    def follow_model(self, model: str) -> str:
        """Show the system message only where it applies; say how `model` is trained."""
        kind = model_info(model).kind if model else None
        pairs = kind is ModelKind.CHAT and any(
            example.format is ExampleFormat.LEGACY for example in self._session.dataset
        )
        # Only a chat export of prompt/completion pairs takes a system message from here.
        self.system.setVisible(pairs)
        self.system_label.setVisible(pairs)
        if kind is None:
            return "—"
        text = KIND_WORDS[kind].capitalize() + "."
        if pairs:
            text += (
                " Prompt/completion pairs are converted: the separator and stop sequence are "
                "removed, the answer's leading space trimmed, and the system message below (if "
                "any) starts each example."
            )
        return text

    def show_build(self, build: ExportBuild) -> None:
        """Fill the per-class table and the summary from what will be written."""
        rows = list(build.classes.items())
        self.table.setRowCount(len(rows) + 1)
        total = (len(build.training), len(build.validation))
        for index, (label, (train, valid)) in enumerate([*rows, ("All examples", total)]):
            cells = [label, f"{train:,}", f"{valid:,}"]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                if index == len(rows):
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                if column == 2 and valid == 0 and total[1] and index < len(rows):
                    item.setToolTip("No example of this class is held out for validation")
                    item.setForeground(Qt.GlobalColor.darkYellow)
                self.table.setItem(index, column, item)
        height = self.table.verticalHeader().defaultSectionSize() * (len(rows) + 1)
        self.table.setFixedHeight(height + self.table.horizontalHeader().sizeHint().height() + 4)
        self.summary.setText(_summary(build))

    def _on_split_changed(self) -> None:
        self.fraction.setEnabled(self.proposed.isChecked())
        self.seed.setEnabled(self.proposed.isChecked())
        self.changed.emit()


def _summary(build: ExportBuild) -> str:
    parts = [
        f"{len(build.training):,} examples to train on, {len(build.validation):,} to validate with."
    ]
    left = [f"{n:,} {_left_out(reason, n)}" for reason, n in build.left_out.items()]
    if left:
        parts.append("Left out: " + ", ".join(left) + ".")
    if build.dropped_keys:
        keys = ", ".join(f"“{key}”" for key in sorted(build.dropped_keys))
        parts.append(f"Fields the trainer does not read are left out of the files: {keys}.")
    if not len(build.validation):
        parts.append("Without validation examples the job reports no validation loss.")
    return " ".join(parts)


def _wrap(layout: QHBoxLayout) -> QWidget:
    holder = QWidget()
    layout.setContentsMargins(0, 0, 0, 0)
    holder.setLayout(layout)
    return holder


def _left_out(reason: str, count: int) -> str:
    one, many = _LEFT_OUT.get(reason, (reason, reason))
    return one if count == 1 else many
