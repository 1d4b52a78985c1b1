from __future__ import annotations

import re
from collections.abc import Iterable
from operator import attrgetter

from tunedeck.core.dataset.example import Example, ExampleFormat
from tunedeck.core.lint.batch import Batch
from tunedeck.core.lint.context import LintContext
from tunedeck.core.lint.diagnostic import Diagnostic, Severity
from tunedeck.core.lint.facts import RowFacts, final_assistant_index
from tunedeck.core.lint.rule import RowRule
from tunedeck.core.lint.settings import ResolvedSettings

# Words too common to stand for a class on their own.
_FILLER = {"of", "the", "and", "for", "to", "in", "on", "an", "or", "by", "with"}
_WORDS = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+")


def alternatives(label: str, ctx: LintContext, limit: int = 3) -> list[str]:
    """Single-token stand-ins drawn from the label's own words ("MeanOfTransportation" ->
    "Transportation"), most specific first. Only the user knows a good synonym; these are a
    start."""
    words = _WORDS.findall(label)
    candidates = [*reversed(words), *(word.lower() for word in reversed(words)), label.lower()]
    found: list[str] = []
    for candidate in dict.fromkeys(candidates):
        if candidate == label or len(candidate) < 3 or candidate.lower() in _FILLER:
            continue
        if len(ctx.label_tokens(candidate)) == 1:
            found.append(candidate)
        if len(found) == limit:
            break
    return found


class ClassToken(RowRule):
    """A class label that the model sees as more than one token.

    ## What it flags
    In a classification dataset, every example whose class label (the completion without its
    leading space and stop sequence, or the final assistant message) is more than one token in
    the target model's encoding, with the leading space the model will see. The message shows
    the tokens and, where the vocabulary has them, single-token alternatives.

    ## Why it matters
    With one token per class, the tuned model answers with a single token: you can ask for
    `max_tokens=1`, read the class probabilities from `logprobs`, and never get a half-written
    label. Multi-token labels that share a first token (" Natural" Place, " Natural" Gas) are
    also harder to tell apart.

    ## Example
    ` MeanOfTransportation` is three tokens in cl100k_base: ` Mean`, `Of`, `Transportation`.

    ## Fix
    None automatic: renaming a class is a decision. Pick a single-token label (TuneDeck
    suggests some) and relabel every example of the class at once.

    ## Options
    `classification`: on, off, or inferred (few distinct answers, each repeated). Off when
    the class is read from a `class_field` rather than from the answer.
    """

    code = "TD201"
    name = "class-token"
    severity = Severity.WARNING
    summary = "Class label is more than one token"

    def enabled(self, settings: ResolvedSettings) -> bool:
        # A class kept in a field of its own is never generated, so its tokens do not matter.
        return settings.classification and not settings.options.class_field

    def candidates(self, batch: Batch, ctx: LintContext) -> set[int] | None:
        # Few distinct labels over many rows: each is tokenized once.
        labels = set(map(attrgetter("label"), batch.facts))
        long = {label for label in labels if label and len(ctx.label_tokens(label)) > 1}
        if not long:
            return set()
        return {
            row_id
            for row_id, facts in zip(batch.ids, batch.facts, strict=True)
            if facts.label in long
        }

    def check(self, example: Example, facts: RowFacts, ctx: LintContext) -> Iterable[Diagnostic]:
        label = facts.label
        if not label or len(ctx.label_tokens(label)) <= 1:
            return ()
        return (self._finding(example, label, ctx),)

    def _finding(self, example: Example, label: str, ctx: LintContext) -> Diagnostic:
        tokens = ctx.label_tokens(label)
        shown = "|".join(tokens)
        message = f'class "{label}" is {len(tokens)} tokens ({shown})'
        suggestions = alternatives(label, ctx)
        if suggestions:
            message += "; single-token alternatives: " + ", ".join(f'"{s}"' for s in suggestions)
        return self.make(
            example.id,
            _label_field(example),
            message,
            data={"label": label, "tokens": tokens, "alternatives": suggestions},
        )


def _label_field(example: Example) -> str:
    if example.format is ExampleFormat.CHAT:
        index = final_assistant_index(example.messages)
        return f"messages[{index}].content"
    return "completion"
