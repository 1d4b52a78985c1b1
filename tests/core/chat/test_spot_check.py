"""Spot-checks: every held-out example asked, failures kept and retried, classes scored."""

from __future__ import annotations

import threading

from tests.conftest import SAMPLES
from tests.core.stats.conftest import MakeSession
from tunedeck.core.chat import CheckItem, SpotCheck, TrainingFormat, check_items, choose_rows
from tunedeck.core.chat.evaluation import OTHER, evaluate
from tunedeck.core.errors import UserError
from tunedeck.core.models import ModelKind
from tunedeck.core.stats import apply_split, propose_split


def test_the_confusion_matrix_matches_a_hand_count():
    pairs = [
        ("Company", "Company"),
        ("Company", "Company"),
        ("Company", "Artist"),
        ("Artist", "Artist"),
        ("Artist", "Company"),
        ("Film", "Film"),
        ("Film", "a movie"),  # not a class at all
    ]
    result = evaluate(pairs)
    # Counted by hand: 4 of 7 right; Company answered 3 times, right twice.
    assert (result.correct, result.total) == (4, 7)
    assert result.labels == ("Artist", "Company", "Film", OTHER)
    assert result.cell("Company", "Artist") == 1 and result.cell("Film", OTHER) == 1
    scores = {score.label: score for score in result.scores}
    assert scores["Company"].precision == 2 / 3 and scores["Company"].recall == 2 / 3
    assert scores["Artist"].precision == 1 / 2 and scores["Artist"].recall == 1 / 2
    assert scores["Film"].precision == 1.0 and scores["Film"].recall == 1 / 2


def test_a_spot_check_on_the_dbpedia_validation_split(make_session: MakeSession):
    session = make_session(SAMPLES / "openai-cookbook_dbpedia_samples.jsonl")
    apply_split(session, propose_split(session, validation_fraction=0.2, seed=1))
    rows = choose_rows(session, "validation")
    fmt = TrainingFormat(ModelKind.COMPLETION, separator=None, stop=None)
    items = check_items(session, rows, fmt)
    assert len(items) == len(rows) > 20

    # A "model" that knows every answer except for one class it always calls "Company".
    def ask(model: str, item: CheckItem) -> str:
        if model == "tuned" and item.expected != "Village":
            return " " + item.expected
        return "Company"

    check = SpotCheck(items, ["base", "tuned"], ask)
    assert check.run()
    tuned = evaluate(check.pairs("tuned"))
    villages = sum(1 for item in items if item.expected == "Village")
    assert tuned.correct == len(items) - villages
    assert tuned.cell("Village", "Company") == villages
    base = evaluate(check.pairs("base"))
    companies = sum(1 for item in items if item.expected == "Company")
    assert base.correct == companies


def test_failed_items_are_marked_and_retried_while_the_rest_complete():
    items = [CheckItem(n, f"question {n}", f"answer {n}") for n in range(6)]
    broken = {2, 4}

    def ask(model: str, item: CheckItem) -> str:
        if item.row_id in broken:
            raise UserError("The provider is rate limiting requests; try again in a minute.")
        return f"answer {item.row_id}"

    check = SpotCheck(items, ["tuned"], ask)
    seen: list[tuple[int, int]] = []
    check.run(progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (6, 6)
    assert [o.row_id for o in check.failed()] == [2, 4]
    assert "rate limiting" in check.outcome(2, "tuned").error
    assert len(check.pairs("tuned")) == 4

    broken.clear()
    retried: list[tuple[int, int]] = []
    check.retry_failed(progress=lambda done, total: retried.append((done, total)))
    assert retried == [(1, 2), (2, 2)]  # only the two that failed were asked again
    assert check.failed() == [] and evaluate(check.pairs("tuned")).accuracy == 1.0


def test_cancel_stops_between_items_and_leaves_the_rest_unasked():
    items = [CheckItem(n, f"q{n}", "a") for n in range(5)]
    cancel = threading.Event()

    def ask(model: str, item: CheckItem) -> str:
        if item.row_id == 1:
            cancel.set()
        return "a"

    check = SpotCheck(items, ["m"], ask)
    assert check.run(cancel=cancel) is False
    assert [o.answered for o in check.outcomes.values()] == [True, True, False, False, False]
    assert check.run() is True
