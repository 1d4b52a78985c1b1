from __future__ import annotations

from collections.abc import Iterable

from tunedeck.core.dataset.example import Example
from tunedeck.core.lint.batch import Batch
from tunedeck.core.lint.context import LintContext
from tunedeck.core.lint.diagnostic import Diagnostic, Severity
from tunedeck.core.lint.facts import RowFacts
from tunedeck.core.lint.rule import RowRule


class TokenOverflow(RowRule):
    """An example longer than the target model can train on.

    ## What it flags
    Examples whose tokens (prompt plus completion, or the whole conversation with the
    per-message overhead the service adds) exceed the target model's per-example limit:
    2048 for the legacy completion models, the model's published training limit otherwise.

    ## Why it matters
    The service truncates or skips over-long examples, so the model never sees the end of the
    answer it was meant to learn, and you still pay for the tokens.

    ## Example
    A reply that repeats "Eat a banana!" two thousand times.

    ## Fix
    None automatic: shorten the example or split it in two.

    ## Options
    `model` (which encoding and limit), `token_limit` (override the limit).
    """

    code = "TD301"
    name = "token-overflow"
    severity = Severity.ERROR
    summary = "Example exceeds the model's token limit"

    def candidates(self, batch: Batch, ctx: LintContext) -> set[int] | None:
        limit = ctx.settings.token_limit
        if max(batch.tokens, default=0) <= limit:  # nearly every batch: no row to name
            return set()
        return {
            example.id
            for example, tokens in zip(batch.examples, batch.tokens, strict=True)
            if tokens > limit
        }

    def check(self, example: Example, facts: RowFacts, ctx: LintContext) -> Iterable[Diagnostic]:
        limit = ctx.settings.token_limit
        if facts.tokens > limit:
            yield self.make(
                example.id,
                None,
                f"{facts.tokens:,} tokens, over the {limit:,}-token limit of "
                f"{ctx.settings.model.name}",
                data={"tokens": facts.tokens, "limit": limit},
            )
