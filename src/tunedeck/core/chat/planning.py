"""What a spot-check asks each model: one list of examples, each model asked its own way.

The run's items (question and expected answer, as the table shows them) are made with the
first model's format; every model also gets its own version of each example (a legacy
model the prompt with its separator, a chat model the messages with its system message),
which `asking.check_asker` sends. A stored run keeps the formats, so reopening it asks the
same way again.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from tunedeck.core.chat.asking import AskSettings
from tunedeck.core.chat.items import CheckItem, check_items
from tunedeck.core.chat.runs import reopen
from tunedeck.core.chat.spot_check import Ask, SpotCheck
from tunedeck.core.chat.training_format import TrainingFormat
from tunedeck.core.chat.tuned import describe_format
from tunedeck.core.stats import StatsSource
from tunedeck.core.storage.chat_store import ChatStore, SpotCheckInfo


@dataclass(frozen=True)
class RunPlan:
    """The models of a run, in asking order, with how each is asked."""

    formats: Mapping[str, TrainingFormat]
    settings: AskSettings

    @property
    def models(self) -> list[str]:
        return list(self.formats)

    @property
    def first(self) -> TrainingFormat:
        return next(iter(self.formats.values()))

    def items(self, source: StatsSource, rows: Sequence[int]) -> list[CheckItem]:
        """The examples as the table shows them (made with the first model's format)."""
        return check_items(source, rows, self.first)

    def own_items(self, source: StatsSource, check: SpotCheck) -> dict[str, dict[int, CheckItem]]:
        """Each model's own version of the run's examples still in the dataset."""
        rows = [item.row_id for item in check.items if item.row_id in source.dataset]
        return {
            model: {item.row_id: item for item in check_items(source, rows, fmt)}
            for model, fmt in self.formats.items()
        }

    def new_check(self, items: Sequence[CheckItem], ask: Ask) -> SpotCheck:
        return SpotCheck(items, self.models, ask, self.first.clean_answer)

    def describe(self) -> dict[str, Any]:
        """What the run's answers depend on, for the store."""
        formats = {model: describe_format(fmt) for model, fmt in self.formats.items()}
        return self.settings.describe() | {"formats": formats}


def stored_plan(info: SpotCheckInfo) -> RunPlan:
    """The plan a stored run was made with."""
    formats = info.settings.get("formats", {})
    return RunPlan(
        {model: TrainingFormat.from_record(formats.get(model, {})) for model in info.models},
        AskSettings(info.settings.get("temperature"), info.settings.get("max_tokens")),
    )


def reopen_run(
    source: StatsSource, chats: ChatStore, info: SpotCheckInfo, ask: Ask
) -> tuple[SpotCheck, RunPlan]:
    """A stored run as it was, its examples asked today's way where they still exist."""
    plan = stored_plan(info)
    results = chats.results(info.id)
    rows = [r.example_id for r in results if r.example_id in source.dataset]
    today = {item.row_id: item for item in plan.items(source, list(dict.fromkeys(rows)))}
    return reopen(results, plan.models, today, ask, plan.first.clean_answer), plan
