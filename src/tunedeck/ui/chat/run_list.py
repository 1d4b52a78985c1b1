"""The dataset's past spot-checks, newest first, each with its models' scores, so runs on
other days or of other models compare at a glance; choosing one reopens it."""

from __future__ import annotations

from collections import defaultdict

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QWidget

from tunedeck.core.errors import UserError
from tunedeck.core.storage.chat_store import ChatStore, SpotCheckInfo, SpotCheckResult
from tunedeck.ui.chat.model_catalog import short_name

_SELECTIONS = {"validation": "validation split", "rows": "table rows", "sample": "sample"}


class RunList(QComboBox):
    """Signals:
    opened(int): the user chose this run.
    """

    opened = Signal(int)

    def __init__(self, chats: ChatStore, dataset_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._chats, self._dataset_id = chats, dataset_id
        self.setToolTip("Spot-checks run before on this dataset; choose one to reopen it")
        self.activated.connect(self._on_activated)
        self.refresh()

    def refresh(self, current: int | None = None) -> None:
        try:
            runs = self._chats.spot_checks(self._dataset_id)
            labels = [(run.id, label(run, self._chats.results(run.id))) for run in runs]
        except UserError:
            labels = []  # the panel reports storage failures where they happen
        self.blockSignals(True)
        self.clear()
        if not labels:
            self.addItem("No spot-check yet", None)
        for run_id, text in labels:
            self.addItem(text, run_id)
        if current is not None:
            self.setCurrentIndex(max(self.findData(current), 0))
        self.blockSignals(False)

    def _on_activated(self, index: int) -> None:
        run_id = self.itemData(index)
        if run_id is not None:
            self.opened.emit(run_id)


def label(run: SpotCheckInfo, results: list[SpotCheckResult]) -> str:
    """One line for a run: "#3 · 12 Mar 14:02 · validation split (12) · ft:…:tickets:abc:
    11/12 as expected · davinci-002: 0/12 as expected"."""
    when = run.created_at.astimezone().strftime("%d %b %H:%M")
    how = _SELECTIONS.get(run.settings.get("selection"), "examples")
    right: dict[str, int] = defaultdict(int)
    answered: dict[str, int] = defaultdict(int)
    failed: dict[str, int] = defaultdict(int)
    examples = {r.example_id for r in results}
    for result in results:
        if result.answer is not None:
            answered[result.model] += 1
            right[result.model] += result.answer.strip() == result.expected.strip()
        elif result.error is not None:
            failed[result.model] += 1
    scores = []
    for model in run.models:
        score = f"{short_name(model)}: {right[model]}/{answered[model]} as expected"
        if failed[model]:
            score += f", {failed[model]} failed"
        scores.append(score)
    return " · ".join([f"#{run.id}", when, f"{how} ({len(examples)})", *scores])
