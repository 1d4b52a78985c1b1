"""A class read from a field of the record follows edits to that field."""

from __future__ import annotations

from tunedeck.core.dataset import Dataset, Example
from tunedeck.core.dataset.commands import SetField
from tunedeck.core.lint import LintSettings, lint


def imbalance_messages(linter) -> list[str]:
    return [d.message for d in linter.diagnostics() if d.rule == "class-imbalance"]


def test_editing_the_class_field_rebalances_without_a_full_pass() -> None:
    rows = [
        {"prompt": f"q{n}\n\n###\n\n", "completion": " ok", "label": label}
        for n, label in enumerate(["refund", "refund", "billing", "billing"])
    ]
    dataset = Dataset.from_examples(
        Example(id=n, record=row, line=n + 1) for n, row in enumerate(rows)
    )
    settings = LintSettings(
        model="davinci-002", separator="\n\n###\n\n", class_field="label", imbalance_ratio=2.0
    )
    linter = lint(dataset, settings)
    linter.attach()
    assert imbalance_messages(linter) == []

    SetField(3, "label", "refund", "relabel").apply(dataset)

    assert any('"refund" (3)' in message for message in imbalance_messages(linter))
