"""A spot-check as the project keeps it: saved result by result, reopened, exported as CSV.

The store holds each (example, model) result with the question and expected answer as they
were asked, so a run stays readable and comparable after the dataset changed; reopening it
takes the prompt from the dataset again where the example still exists, so its failed
items can be retried.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from pathlib import Path

from tunedeck.core.chat.items import CheckItem
from tunedeck.core.chat.spot_check import Ask, SpotCheck
from tunedeck.core.errors import UserError
from tunedeck.core.io.atomic import atomic_write
from tunedeck.core.storage.chat_store import SpotCheckResult


def result_of(check: SpotCheck, item: CheckItem, model: str) -> SpotCheckResult:
    """One outcome as the store keeps it."""
    outcome = check.outcome(item.row_id, model)
    return SpotCheckResult(
        example_id=item.row_id,
        model=model,
        question=item.question,
        expected=item.expected,
        answer=outcome.answer,
        error=outcome.error,
        rating=outcome.rating,
        note=outcome.note,
    )


def reopen(
    results: Sequence[SpotCheckResult],
    models: Sequence[str],
    items: Mapping[int, CheckItem],
    ask: Ask,
    clean=str.strip,
) -> SpotCheck:
    """A stored run as a SpotCheck again.

    Args:
        results: The run's stored results.
        models: Its models, in the order it asked them.
        items: The examples as they would be asked today, by row id; an example missing
            here (deleted since) keeps its stored question, and asking it again sends that.
        ask: How to ask again (retrying failed items).
        clean: How answers are compared (the run's format's clean_answer).
    """
    first: dict[int, SpotCheckResult] = {}
    for result in results:
        first.setdefault(result.example_id, result)
    check_items = []
    for row_id, result in first.items():
        prompt = items[row_id].prompt if row_id in items else result.question
        check_items.append(CheckItem(row_id, prompt, result.expected))
    check = SpotCheck(check_items, models, ask, clean)
    for result in results:
        if (result.example_id, result.model) not in check.outcomes:
            continue
        outcome = check.outcome(result.example_id, result.model)
        outcome.answer, outcome.error = result.answer, result.error
        outcome.rating, outcome.note = result.rating, result.note
    return check


def results_csv(check: SpotCheck) -> str:
    """One line per example: question, expected, then each model's answer, error, rating
    and note; a spreadsheet opens it as it is."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    header = ["example", "question", "expected"]
    for model in check.models:
        header += [f"{model} answer", f"{model} error", f"{model} rating", f"{model} note"]
    writer.writerow(header)
    for item in check.items:
        row: list[object] = [item.row_id, item.question, item.expected]
        for model in check.models:
            outcome = check.outcome(item.row_id, model)
            row += [outcome.answer or "", outcome.error or "", outcome.rating or "", outcome.note]
        writer.writerow(row)
    return out.getvalue()


def export_csv(check: SpotCheck, path: str | Path) -> None:
    """Write `results_csv` to `path` all at once (UTF-8 with a BOM, so Excel reads it).

    Raises:
        UserError: The file cannot be written.
    """
    try:
        with atomic_write(path) as stream:
            stream.write(results_csv(check).encode("utf-8-sig"))
    except OSError as exc:
        raise UserError(
            f"Cannot write {path}: {exc.strerror or exc}. Choose another place."
        ) from exc
