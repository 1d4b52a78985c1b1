"""A stored spot-check reopens as it was, scores the same, and exports as CSV."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from tests.core.stats.conftest import MakeSession
from tunedeck.core.chat import CheckItem, SpotCheck, TrainingFormat, evaluate
from tunedeck.core.chat.asking import AskSettings
from tunedeck.core.chat.evaluation import OTHER
from tunedeck.core.chat.planning import RunPlan, reopen_run
from tunedeck.core.chat.runs import export_csv, result_of, results_csv
from tunedeck.core.errors import UserError
from tunedeck.core.models import ModelKind

RECORDS = [
    {"prompt": "Refund please\n\n###\n\n", "completion": " billing\n"},
    {"prompt": "App crashes\n\n###\n\n", "completion": " technical\n"},
    {"prompt": "Add an admin\n\n###\n\n", "completion": " account\n"},
]
LEGACY = TrainingFormat(ModelKind.COMPLETION, separator="\n\n###\n\n", stop="\n")


def answers(table: dict[int, str]):
    def ask(model: str, item: CheckItem) -> str:
        if item.row_id not in table:
            raise UserError("The service is unavailable; try again later.")
        return table[item.row_id]

    return ask


def test_a_stored_run_reopens_with_its_answers_ratings_and_failures(make_session: MakeSession):
    session = make_session(RECORDS)
    first, second, third = session.dataset.ids()
    plan = RunPlan({"tuned": LEGACY}, AskSettings(temperature=0.0))
    known = {first: " billing\n", second: " billing"}  # the third fails
    check = plan.new_check(plan.items(session, [first, second, third]), answers(known))
    check.run()
    check.outcome(first, "tuned").rating = "good"
    chats = session.project.chats
    run_id = chats.new_spot_check("p", plan.models, plan.describe(), session.info.id)
    chats.save_results(run_id, [result_of(check, item, "tuned") for item in check.items])

    (info,) = chats.spot_checks(session.info.id)
    again, stored_plan = reopen_run(session, chats, info, answers({third: " account"}))
    assert stored_plan.first == LEGACY and stored_plan.settings.temperature == 0.0
    assert [item.prompt for item in again.items] == [r["prompt"] for r in RECORDS]
    assert again.outcome(first, "tuned").rating == "good"
    assert again.outcome(second, "tuned").answer == "billing"
    assert [o.row_id for o in again.failed()] == [third]
    assert "unavailable" in again.outcome(third, "tuned").error
    again.retry_failed()  # the prompt came back from the dataset, so it can be asked again
    assert again.failed() == [] and evaluate(again.pairs("tuned")).correct == 2


def test_a_class_whose_example_failed_is_still_a_class_in_the_matrix():
    # "billing" was only expected by an example that failed: an answer "billing" elsewhere
    # is a wrong class, not an unknown answer.
    pairs = [("technical", "billing"), ("technical", "technical")]
    without = evaluate(pairs)
    assert without.cell("technical", OTHER) == 1
    scored = evaluate(pairs, classes={"billing", "technical"})
    assert scored.cell("technical", "billing") == 1 and OTHER not in scored.labels
    billing = next(score for score in scored.scores if score.label == "billing")
    assert (billing.precision, billing.recall, billing.support) == (0.0, None, 0)


def test_the_csv_has_one_line_per_example_and_a_column_group_per_model(tmp_path: Path):
    items = [CheckItem(7, "Refund, please?", "billing"), CheckItem(9, 'Say "hi",\nok', "x")]
    check = SpotCheck(items, ["tuned", "base"], answers({7: "billing"}))
    check.run()
    check.outcome(7, "tuned").note = "right, and brief"
    rows = list(csv.reader(io.StringIO(results_csv(check))))
    assert rows[0] == [
        "example", "question", "expected",
        "tuned answer", "tuned error", "tuned rating", "tuned note",
        "base answer", "base error", "base rating", "base note",
    ]  # fmt: skip
    assert rows[1][:7] == ["7", "Refund, please?", "billing", "billing", "", "", "right, and brief"]
    assert rows[2][1] == 'Say "hi",\nok' and rows[2][4].startswith("The service is unavailable")

    export_csv(check, tmp_path / "run.csv")
    assert (tmp_path / "run.csv").read_bytes().startswith(b"\xef\xbb\xbfexample,")
    with pytest.raises(UserError, match="Cannot write"):
        export_csv(check, tmp_path / "missing-folder" / "run.csv")
