"""The pre-flight gate: the lint for the target model, run on exactly what will be uploaded.

The dataset was linted for the model it was curated for; the export may target another one
(a chat model for legacy pairs, a shorter token limit) and converts the records on the way.
So the gate lints the converted records themselves, under the original row ids so that
every finding can take the user to the row it is about.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tunedeck.core.dataset import Dataset, Example
from tunedeck.core.export.build import ExportBuild
from tunedeck.core.lint import Linter
from tunedeck.core.lint.diagnostic import Diagnostic, Severity
from tunedeck.core.lint.settings import LintSettings
from tunedeck.core.models import ModelKind


@dataclass
class Gate:
    """What stands between the export and the launch button."""

    errors: list[Diagnostic]
    warnings: list[Diagnostic]
    problems: list[str]  # the build's own: too few examples, leaks, incompatible rows
    acknowledged: bool = False  # the user has read the warnings once
    sides: dict[int, str] = field(default_factory=dict)  # row id -> "training"/"validation"
    tokens: dict[int, int] = field(default_factory=dict)  # row id -> tokens for the target

    def training_tokens(self) -> list[int]:
        """Each training example's tokens as the target model counts them (for the cost)."""
        return [count for row_id, count in self.tokens.items() if self.sides[row_id] == "training"]

    @property
    def blocked(self) -> bool:
        return bool(self.errors or self.problems)

    @property
    def can_launch(self) -> bool:
        return not self.blocked and (self.acknowledged or not self.warnings)


def preflight(build: ExportBuild) -> Gate:
    """Lint the build's records for its target model; errors and problems block."""
    options = build.options
    examples = [
        Example(id=row_id, record=record)
        for side in (build.training, build.validation)
        for row_id, record in zip(side.rows, side.records, strict=True)
    ]
    legacy = options.kind is ModelKind.COMPLETION
    settings = LintSettings(
        model=options.model,
        # Only a legacy export still carries the separator and stop sequence.
        separator=build.separator if legacy else None,
        stop=build.stop if legacy else None,
        classification=build.classification,
        min_examples=options.min_examples,
    )
    linter = Linter(Dataset.from_examples(examples), settings)
    linter.run()
    found = linter.diagnostics()
    sides = {row_id: "training" for row_id in build.training.rows}
    sides |= {row_id: "validation" for row_id in build.validation.rows}
    return Gate(
        errors=[d for d in found if d.severity is Severity.ERROR],
        warnings=[d for d in found if d.severity is Severity.WARNING],
        problems=build.problems(),
        sides=sides,
        tokens={example.id: linter.facts(example.id).tokens for example in examples},
    )
