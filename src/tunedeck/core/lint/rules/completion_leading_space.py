from __future__ import annotations

from collections.abc import Iterable

from tunedeck.core.dataset.commands import EditText
from tunedeck.core.dataset.example import Example, ExampleFormat
from tunedeck.core.lint.batch import Batch
from tunedeck.core.lint.context import LintContext
from tunedeck.core.lint.diagnostic import Diagnostic, Fix, Severity
from tunedeck.core.lint.facts import RowFacts
from tunedeck.core.lint.rule import RowRule


class CompletionLeadingSpace(RowRule):
    """A completion that does not start with a whitespace character.

    ## What it flags
    Prompt/completion examples whose completion starts with anything but whitespace.

    ## Why it matters
    The tokenizers these models use attach a word's leading space to the word itself
    (" Positive" is one token, "Positive" often another). The model at inference time
    continues after the separator and naturally produces the spaced form; training on the
    unspaced one splits words into odd tokens and degrades answers.

    ## Example
    `{"prompt": "Review: great phone\\n\\n###\\n\\n", "completion": "positive"}`

    ## Fix
    Prepends one space to the completion. Safe: it matches what the model will produce.

    ## Options
    None.
    """

    code = "TD103"
    name = "completion-leading-space"
    severity = Severity.WARNING
    summary = "Completion does not start with whitespace"
    formats = frozenset({ExampleFormat.LEGACY})

    def candidates(self, batch: Batch, ctx: LintContext) -> set[int] | None:
        return {
            row_id
            for row_id, completion in zip(batch.ids, batch.completions, strict=True)
            if completion[:1] and not completion[0].isspace()
        }

    def check(self, example: Example, facts: RowFacts, ctx: LintContext) -> Iterable[Diagnostic]:
        if facts.format is not ExampleFormat.LEGACY:
            return
        completion = example.completion
        if not completion or completion[0].isspace():
            return  # empty-field reports empty completions
        fix = Fix(
            "Prepend a space to the completion",
            (EditText(example.id, "completion", prefix=" ", description="Prepend space"),),
            safe=True,
        )
        yield self.make(example.id, "completion", "completion does not start with a space", fix=fix)
