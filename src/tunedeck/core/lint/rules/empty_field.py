from __future__ import annotations

from collections.abc import Iterable

from tunedeck.core.dataset.example import Example, ExampleFormat
from tunedeck.core.lint.batch import Batch
from tunedeck.core.lint.context import LintContext
from tunedeck.core.lint.diagnostic import Diagnostic, Severity
from tunedeck.core.lint.facts import RowFacts
from tunedeck.core.lint.plain_chat import CONTENTS_AT
from tunedeck.core.lint.rule import RowRule


class EmptyField(RowRule):
    """A prompt, completion or message with nothing in it.

    ## What it flags
    A legacy prompt or completion that is empty or only whitespace, and a chat message whose
    text content is empty or only whitespace (an assistant message that only calls tools is
    fine).

    ## Why it matters
    An empty answer teaches the model to say nothing; an empty question teaches it to answer
    no question. Usually these are rows where a spreadsheet cell was left blank.

    ## Example
    `{"prompt": "Translate: Bonjour ->", "completion": "  "}`

    ## Fix
    None automatic: write the missing text, or delete the row.

    ## Options
    None.
    """

    code = "TD003"
    name = "empty-field"
    severity = Severity.WARNING
    summary = "Empty or whitespace-only text"

    def candidates(self, batch: Batch, ctx: LintContext) -> set[int] | None:
        # Legacy rows and plain chat rows are cleared in bulk, from the batch's distinct texts
        # (which hold all of theirs): most batches have no blank text at all. Other rows get
        # the full check.
        blank = set(filter(str.isspace, batch.texts))  # in C: most texts start with a letter
        if "" in batch.texts:
            blank.add("")
        if batch.shape is not None:
            return batch.uniform_rows_holding(blank) if blank else set()
        rows = zip(
            batch.ids, batch.formats, batch.prompts, batch.completions, batch.plain, strict=True
        )
        if not blank:
            if None not in batch.plain:  # every row is a plain chat row
                return set()
            return {
                row_id
                for row_id, kind, _, _, plain in rows
                if plain is None and kind is not ExampleFormat.LEGACY
            }
        return {
            row_id
            for row_id, kind, prompt, completion, plain in rows
            if (
                not blank.isdisjoint(plain[CONTENTS_AT])
                if plain is not None
                else kind is not ExampleFormat.LEGACY or prompt in blank or completion in blank
            )
        }

    def check(self, example: Example, facts: RowFacts, ctx: LintContext) -> Iterable[Diagnostic]:
        if facts.format is ExampleFormat.LEGACY:
            record = example.record or {}
            for field in ("prompt", "completion"):
                value = record.get(field)
                if value is None:
                    yield self.make(example.id, field, f"no {field}")
                elif isinstance(value, str) and not value.strip():
                    yield self.make(example.id, field, f"{field} is {_describe(value)}")
        elif facts.format is ExampleFormat.CHAT:
            for index, message in enumerate(example.messages):
                if not isinstance(message, dict):
                    continue
                content = message.get("content")
                if isinstance(content, str) and not content.strip():
                    role = message.get("role", "message")
                    yield self.make(
                        example.id,
                        f"messages[{index}].content",
                        f"{role} message {index + 1} is {_describe(content)}",
                    )


def _describe(value: str) -> str:
    return "empty" if not value else "only whitespace"
