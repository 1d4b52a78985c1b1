from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from tunedeck.core.dataset.commands import ReplaceText
from tunedeck.core.dataset.example import Example, ExampleFormat
from tunedeck.core.lint.batch import Batch
from tunedeck.core.lint.context import LintContext
from tunedeck.core.lint.diagnostic import Diagnostic, Fix, Severity
from tunedeck.core.lint.facts import RowFacts
from tunedeck.core.lint.pii_scan import scan, suspects
from tunedeck.core.lint.plain_chat import CONTENTS_AT
from tunedeck.core.lint.rule import RowRule


def text_fields(example: Example, kind: ExampleFormat) -> Iterator[tuple[str, str]]:
    """(field path, text) for every text the model trains on."""
    if kind is ExampleFormat.LEGACY:
        yield "prompt", example.prompt
        yield "completion", example.completion
    elif kind is ExampleFormat.CHAT:
        for index, message in enumerate(example.messages):
            if isinstance(message, dict) and isinstance(message.get("content"), str):
                yield f"messages[{index}].content", message["content"]


def _texts(example: Example, kind: ExampleFormat, prompt: str, completion: str) -> Sequence[str]:
    """The texts of text_fields() of a row that is not plain_chat(), taken from what the
    batch has worked out where it can."""
    if kind is ExampleFormat.LEGACY:
        return prompt, completion
    return [text for _, text in text_fields(example, kind)]


class Pii(RowRule):
    """Personal data or a secret inside an example.

    ## What it flags
    E-mail addresses, phone numbers, payment card numbers (those that pass the Luhn check),
    and API keys and tokens (OpenAI, AWS, GitHub, Slack, Google, bearer tokens, JSON web
    tokens, private keys) in any text the model trains on.

    ## Why it matters
    A tuned model can repeat its training data word for word. Personal data in training files
    may also break privacy law or your contract, and a leaked key is a live credential.

    ## Example
    `{"prompt": "Customer jane.doe@example.com asks ...", ...}`

    ## Fix
    Replaces the value with a placeholder such as `[EMAIL_ADDRESS]`. Unsafe: it changes the
    text, and sometimes the value was meant to be there (a support address, a sample number),
    so review each one.

    ## Options
    None.
    """

    code = "TD401"
    name = "pii"
    severity = Severity.WARNING
    summary = "Personal data or a secret in the text"

    def candidates(self, batch: Batch, ctx: LintContext) -> set[int] | None:
        # The batch's distinct texts hold every text a row is scanned for (and a few that
        # none is, such as the roles, which cost only their share of the scan): each text
        # is tested once, where chat datasets repeat one system prompt on every row.
        distinct = list(batch.texts)
        flagged = {distinct[index] for index in suspects(distinct)}
        if not flagged:
            return set()
        if batch.shape is not None:
            return batch.uniform_rows_holding(flagged)
        rows = zip(
            batch.ids,
            batch.examples,
            batch.formats,
            batch.prompts,
            batch.completions,
            batch.plain,
            strict=True,
        )
        clean = flagged.isdisjoint
        return {
            row_id
            for row_id, example, kind, prompt, completion, plain in rows
            if not clean(
                plain[CONTENTS_AT]
                if plain is not None
                else _texts(example, kind, prompt, completion)
            )
        }

    def check(self, example: Example, facts: RowFacts, ctx: LintContext) -> Iterable[Diagnostic]:
        for field, text in text_fields(example, facts.format):
            for finding in scan(text):
                fix = Fix(
                    f"Replace the {finding.kind} with {finding.placeholder}",
                    (
                        ReplaceText(
                            example.id,
                            field,
                            finding.text,
                            finding.placeholder,
                            description=f"Redact {finding.kind}",
                        ),
                    ),
                    safe=False,
                )
                yield self.make(
                    example.id,
                    field,
                    f"{finding.kind} ({finding.masked}) at character {finding.start + 1}",
                    fix=fix,
                    data={"kind": finding.kind, "start": finding.start, "end": finding.end},
                )
