"""The dataset in a few numbers (core.stats.summarize), kept current after edits."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QFormLayout, QLabel, QSpinBox, QWidget

from tunedeck.core.session import CurationSession
from tunedeck.core.stats import Summary, summarize
from tunedeck.core.storage import Split, Status

REFRESH_DELAY_MS = 250  # summarize reads every row: once per burst of edits, not per edit
DEFAULT_EPOCHS = 3  # what OpenAI picks for most small datasets
PREVIEW_CHARS = 70


class SummaryView(QWidget):
    """Examples, classes, review progress, and the tokens a fine-tune would train on."""

    _ROWS = (
        "Examples",
        "Classes",
        "Reviewed",
        "",  # how the reviewed ones were decided
        "Split",
        "Export writes",
        "Tokens per epoch",
        "Training tokens",
        "Over the token limit",
    )

    def __init__(self, session: CurationSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self.summary: Summary | None = None
        self._stale = False
        self.in_sight = True
        self.epochs = QSpinBox()
        self.epochs.setRange(1, 50)
        self.epochs.setValue(DEFAULT_EPOCHS)
        self.epochs.setToolTip("Epochs of the fine-tune, for the training-token estimate")
        self.epochs.valueChanged.connect(self._show)
        self._form = QFormLayout(self)
        self._form.setContentsMargins(0, 0, 0, 0)
        self._form.setVerticalSpacing(2)
        self._names: dict[str, QLabel] = {}
        self._values: dict[str, QLabel] = {}
        for name in self._ROWS:
            label, value = QLabel(name), QLabel()
            label.setStyleSheet("color: #555")
            value.setWordWrap(True)
            value.setTextFormat(Qt.TextFormat.RichText)
            self._form.addRow(label, value)
            self._names[name], self._values[name] = label, value
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(REFRESH_DELAY_MS)
        self._timer.timeout.connect(self.refresh)
        self.refresh()

    def text(self) -> str:
        """Every row shown, "name: value" per line (what a test or a screen reader reads)."""
        return "\n".join(
            f"{name}: {self._values[name].text()}"
            for name in self._ROWS
            if self._values[name].isVisibleTo(self)
        )

    def refresh_soon(self) -> None:
        """After an edit. Out of sight (the dock behind Problems), it waits until in sight:
        summarize reads every row, a tenth of a second on 100,000 examples."""
        if self.in_sight:
            self._timer.start()
        else:
            self._stale = True

    def set_in_sight(self, in_sight: bool) -> None:
        """Whether the user can see the numbers (a tabbed dock stays "visible" to Qt when
        another tab covers it, so the window says)."""
        self.in_sight = in_sight
        if in_sight and self._stale:
            self.refresh()

    def refresh(self) -> None:
        self._timer.stop()
        self._stale = False
        self.summary = summarize(self._session)
        self._show()

    def _show(self) -> None:
        s = self.summary
        if s is None:
            return
        epochs = self.epochs.value()
        decided = [
            f"{s.by_status[status]:,} {name}"
            for status, name in (
                (Status.APPROVED, "approved"),
                (Status.NEEDS_WORK, "need work"),
                (Status.REJECTED, "rejected"),
            )
            if s.by_status[status]
        ]
        over = f"{s.over_limit:,} (limit {s.token_limit:,})"
        values = {
            "Examples": f"{s.examples:,}" + _unless(s.quarantined, "unreadable"),
            "Classes": f"{s.classes:,}" if s.classes else "— (not classification)",
            "Reviewed": f"{s.reviewed:,} of {s.examples:,} ({s.progress:.0%})",
            "": f"<small>{' · '.join(decided)}</small>" if decided else None,
            "Split": _split(s),
            "Export writes": f"{s.exported:,}: {s.training:,} train, {s.validation:,} validation",
            "Tokens per epoch": f"{s.tokens_per_epoch:,}",
            "Training tokens": f"<b>{s.training_tokens(epochs):,}</b> in {epochs} epochs",
            "Over the token limit": f"<span style='color:#b91c1c'>{over}</span>"
            if s.over_limit
            else None,
        }
        for row, name in enumerate(self._ROWS):
            value = values[name]
            self._form.setRowVisible(row, value is not None)
            self._values[name].setText(value or "")


def _unless(count: int, what: str) -> str:
    return f" ({count:,} {what})" if count else ""


def _split(s: Summary) -> str:
    train, validation = s.by_split[Split.TRAIN], s.by_split[Split.VALIDATION]
    if not train and not validation:
        return "none yet (everything trains)"
    unassigned = s.by_split[Split.UNASSIGNED]
    text = f"{train:,} train, {validation:,} validation"
    return text + (f", {unassigned:,} not assigned" if unassigned else "")


def preview_of(session: CurationSession, row_id: int) -> str:
    """A row's first words, for a list that names examples."""
    if row_id not in session.dataset:
        return f"example {row_id} (deleted)"
    example = session.dataset[row_id]
    if example.record is None:
        text = (example.raw or b"").decode("utf-8", "replace")
    elif example.messages:  # the last question and answer: a shared system prompt says little
        last = {
            m.get("role"): m.get("content")
            for m in example.messages
            if isinstance(m, dict) and isinstance(m.get("content"), str)
        }
        text = f"{last.get('user', '')} → {last.get('assistant', '')}"
    else:
        text = f"{example.prompt} → {example.completion}"
    text = " ".join(text.split())
    return text if len(text) <= PREVIEW_CHARS else text[: PREVIEW_CHARS - 1] + "…"
