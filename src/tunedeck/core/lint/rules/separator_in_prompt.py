from __future__ import annotations

from collections.abc import Iterable

from tunedeck.core.dataset.example import Example, ExampleFormat
from tunedeck.core.lint.batch import Batch
from tunedeck.core.lint.context import LintContext
from tunedeck.core.lint.diagnostic import Diagnostic, Severity
from tunedeck.core.lint.facts import RowFacts
from tunedeck.core.lint.rule import RowRule
from tunedeck.core.lint.settings import ResolvedSettings
from tunedeck.core.lint.show import visible


class SeparatorInPrompt(RowRule):
    """The separator also appears inside the prompt, not only at its end.

    ## What it flags
    Prompts in which the separator occurs before the final one.

    ## Why it matters
    The model learns that the answer starts right after the separator. If the separator also
    appears in the middle of a prompt, the model cannot tell where the answer begins and may
    start answering half-way through the question.

    ## Example
    With separator `###`: `{"prompt": "Notes ### more notes ###", ...}`.

    ## Fix
    None automatic: choose a separator that never occurs in your text, or rewrite the prompt.

    ## Options
    `separator`: the separator in use.
    """

    code = "TD102"
    name = "separator-in-prompt"
    severity = Severity.WARNING
    summary = "Separator occurs inside the prompt body"
    formats = frozenset({ExampleFormat.LEGACY})

    def enabled(self, settings: ResolvedSettings) -> bool:
        return bool(settings.separator)

    def candidates(self, batch: Batch, ctx: LintContext) -> set[int] | None:
        separator = ctx.settings.separator or ""
        return {
            row_id
            for row_id, prompt in zip(batch.ids, batch.prompts, strict=True)
            if prompt.count(separator) > (1 if prompt.endswith(separator) else 0)
        }

    def check(self, example: Example, facts: RowFacts, ctx: LintContext) -> Iterable[Diagnostic]:
        separator = ctx.settings.separator
        if facts.format is not ExampleFormat.LEGACY or not separator:
            return
        prompt = example.prompt
        end = len(prompt) - len(separator) if prompt.endswith(separator) else len(prompt)
        position = prompt.find(separator, 0, end)  # no slicing: prompts can be long
        if position >= 0:
            yield self.make(
                example.id,
                "prompt",
                f"separator {visible(separator)} also occurs inside the prompt "
                f"(character {position + 1})",
                data={"separator": separator, "position": position},
            )
