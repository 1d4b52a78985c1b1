"""A spot-check asks each example exactly as the model's training file had it."""

from __future__ import annotations

import json

import pytest

from tests.core.stats.conftest import MakeSession
from tunedeck.core.chat import TrainingFormat, check_items
from tunedeck.core.export import ExportOptions, Which, build_export
from tunedeck.core.export.write import export_contents
from tunedeck.core.lint import LintSettings

PAIRS = [
    {"prompt": f"Ticket: case {n} is urgent\n\n###\n\n", "completion": f" class{n % 3}\n"}
    for n in range(12)
]


@pytest.mark.parametrize(
    ("model", "system"),
    [("davinci-002", None), ("gpt-4o-mini", None), ("gpt-4o-mini", "Classify the ticket.")],
)
def test_items_match_the_training_file_line_for_line(
    make_session: MakeSession, model: str, system: str | None
):
    session = make_session(PAIRS, LintSettings(separator="\n\n###\n\n", stop="\n"))
    build = build_export(session, ExportOptions(model, Which.NOT_REJECTED, system_message=system))
    trained = [json.loads(line) for line in export_contents(build)["training"].splitlines()]
    fmt = TrainingFormat.from_record(build.describe())
    items = check_items(session, session.dataset.ids(), fmt)
    for item, record in zip(items, trained, strict=True):
        if fmt.is_legacy:
            assert item.prompt == record["prompt"]
            assert item.expected == fmt.clean_answer(record["completion"])
        else:
            *asked, answer = record["messages"]
            assert list(item.prompt) == asked  # no separator left in the user turn
            assert item.expected == answer["content"]
