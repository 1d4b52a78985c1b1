"""linter.diagnostics() skips rows that cannot have findings; it must miss none."""

from __future__ import annotations

import pytest

from tests.conftest import BUNDLED_SAMPLE, SAMPLE_FILES
from tunedeck.core.dataset.commands import DeleteRows, SetField
from tunedeck.core.io import read_jsonl
from tunedeck.core.lint import LintSettings, lint


def every_row_asked(linter) -> list:
    found = [d for row_id in linter.dataset.ids() for d in linter.diagnostics_for(row_id)]
    return found + linter.dataset_diagnostics()


@pytest.mark.parametrize("path", [BUNDLED_SAMPLE, *SAMPLE_FILES], ids=lambda path: path.name)
def test_all_findings_equal_asking_every_row(path) -> None:
    dataset = read_jsonl(path)
    linter = lint(dataset, LintSettings())
    linter.attach()
    ids = dataset.ids()
    # Copies and same-prompt-other-answer rows, so the group rules have groups to report.
    for source in ids[:3]:
        record = dataset[source].record
        if record is not None:
            dataset.append(dict(record))
    first = dataset[ids[0]].record
    if first is not None and "completion" in first:
        copy = dataset.append(dict(first))
        SetField(copy.id, "completion", " something else\n").apply(dataset)
    DeleteRows((ids[1],)).apply(dataset)
    assert linter.diagnostics() == every_row_asked(linter)
    assert any(d.rule == "duplicate" for d in linter.diagnostics())
