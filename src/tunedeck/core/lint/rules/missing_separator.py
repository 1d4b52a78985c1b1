from __future__ import annotations

from collections.abc import Iterable

from tunedeck.core.dataset.commands import EditText
from tunedeck.core.dataset.example import Example, ExampleFormat
from tunedeck.core.lint.batch import Batch
from tunedeck.core.lint.context import LintContext
from tunedeck.core.lint.diagnostic import Diagnostic, Fix, Severity
from tunedeck.core.lint.facts import RowFacts
from tunedeck.core.lint.rule import RowRule
from tunedeck.core.lint.settings import ResolvedSettings, Source
from tunedeck.core.lint.show import visible


class MissingSeparator(RowRule):
    """A prompt that does not end with the dataset's separator.

    ## What it flags
    Prompt/completion examples whose prompt does not end with the separator. The separator is
    the one configured for the dataset or, if none is, the ending most prompts share. When no
    prompt has one, TuneDeck proposes `\\n\\n###\\n\\n` and flags every prompt.

    ## Why it matters
    The separator tells the model where the prompt stops and its answer starts. Without a
    fixed one, the tuned model keeps writing the prompt instead of answering it. At inference
    time every prompt must end with the same separator.

    ## Example
    With separator `\\n\\n###\\n\\n`: `{"prompt": "Is this spam? Win a prize!", ...}`.

    ## Fix
    Appends the separator to the prompt. Safe: it changes the framing, not the content.

    ## Options
    `separator`: the separator to require (default: inferred, else `\\n\\n###\\n\\n`).
    """

    code = "TD101"
    name = "missing-separator"
    severity = Severity.WARNING
    summary = "Prompt does not end with the separator"
    formats = frozenset({ExampleFormat.LEGACY})

    def enabled(self, settings: ResolvedSettings) -> bool:
        return bool(settings.separator)

    def candidates(self, batch: Batch, ctx: LintContext) -> set[int] | None:
        separator = ctx.settings.separator or ""
        return {
            row_id
            for row_id, prompt in zip(batch.ids, batch.prompts, strict=True)
            if not prompt.endswith(separator)
        }

    def check(self, example: Example, facts: RowFacts, ctx: LintContext) -> Iterable[Diagnostic]:
        separator = ctx.settings.separator
        if facts.format is not ExampleFormat.LEGACY or not separator:
            return
        prompt = example.prompt
        if prompt.endswith(separator):
            return
        if ctx.settings.separator_source is Source.PROPOSED:
            message = f"no separator; end every prompt with one, such as {visible(separator)}"
        else:
            message = f"prompt does not end with the separator {visible(separator)}"
        fix = Fix(
            f"Append {visible(separator)} to the prompt",
            (EditText(example.id, "prompt", suffix=separator, description="Append separator"),),
            safe=True,
        )
        yield self.make(example.id, "prompt", message, fix=fix, data={"separator": separator})
