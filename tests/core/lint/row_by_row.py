"""The check behind the full-pass shortcut tests: a full pass over some rows finds exactly what
a linter that follows the dataset finds as the same rows arrive one at a time."""

from __future__ import annotations

import copy
from typing import Any

from tunedeck.core.dataset import Dataset, Example
from tunedeck.core.lint import Linter, LintSettings


def findings(linter: Linter) -> list[tuple]:
    return [
        (d.row_id, d.rule, d.field, d.severity, d.message, dict(d.data))
        for d in linter.diagnostics()
    ]


def assert_full_pass_equals_row_by_row(
    records: list[dict[str, Any]], settings: LintSettings
) -> Linter:
    """Lint `records` in one full pass, then again row by row (each row added to a followed
    dataset, with the full pass's resolved settings); assert the same findings and the same
    facts for every row, and return the full pass's linter."""
    dataset = Dataset.from_examples(
        Example(id=row_id, record=copy.deepcopy(record))
        for row_id, record in enumerate(records, start=1)
    )
    full = Linter(dataset, settings)
    full.run()

    growing = Dataset()
    one_by_one = Linter(growing, resolved=full.settings)
    one_by_one.run()
    one_by_one.attach()
    for record in records:
        growing.append(copy.deepcopy(record))

    assert findings(one_by_one) == findings(full)
    for example in dataset:
        assert one_by_one.facts(example.id) == full.facts(example.id)
    return full
