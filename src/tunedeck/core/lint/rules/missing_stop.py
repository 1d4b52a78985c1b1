from __future__ import annotations

from collections.abc import Iterable

from tunedeck.core.dataset.commands import EditText
from tunedeck.core.dataset.example import Example, ExampleFormat
from tunedeck.core.lint.batch import Batch
from tunedeck.core.lint.context import LintContext
from tunedeck.core.lint.diagnostic import Diagnostic, Fix, Severity
from tunedeck.core.lint.facts import RowFacts
from tunedeck.core.lint.rule import RowRule
from tunedeck.core.lint.settings import ResolvedSettings
from tunedeck.core.lint.show import visible


class MissingStop(RowRule):
    """A completion that does not end with the dataset's stop sequence.

    ## What it flags
    Prompt/completion examples whose completion does not end with the stop sequence, when the
    dataset has one (configured, or the ending most completions share).

    ## Why it matters
    The stop sequence is how the tuned model says "I am done". Completions without it teach
    the model to run on, and the request's `stop` parameter never fires.

    ## Example
    With stop `\\n###`: `{"prompt": "...", "completion": " The answer is 42."}`

    ## Fix
    Appends the stop sequence to the completion. Safe: it changes the framing, not the answer.

    ## Options
    `stop`: the stop sequence to require (default: inferred from the completions; none if
    most completions share no ending).
    """

    code = "TD104"
    name = "missing-stop"
    severity = Severity.WARNING
    summary = "Completion does not end with the stop sequence"
    formats = frozenset({ExampleFormat.LEGACY})

    def enabled(self, settings: ResolvedSettings) -> bool:
        return bool(settings.stop)

    def candidates(self, batch: Batch, ctx: LintContext) -> set[int] | None:
        stop = ctx.settings.stop or ""
        return {
            row_id
            for row_id, completion in zip(batch.ids, batch.completions, strict=True)
            if not completion.endswith(stop)
        }

    def check(self, example: Example, facts: RowFacts, ctx: LintContext) -> Iterable[Diagnostic]:
        stop = ctx.settings.stop
        if facts.format is not ExampleFormat.LEGACY or not stop:
            return
        completion = example.completion
        if not completion.strip() or completion.endswith(stop):
            return
        fix = Fix(
            f"Append {visible(stop)} to the completion",
            (EditText(example.id, "completion", suffix=stop, description="Append stop sequence"),),
            safe=True,
        )
        yield self.make(
            example.id,
            "completion",
            f"completion does not end with the stop sequence {visible(stop)}",
            fix=fix,
            data={"stop": stop},
        )
