from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from tunedeck.core.dataset.commands import ReplaceText
from tunedeck.core.dataset.example import Example, ExampleFormat
from tunedeck.core.lint.batch import Batch
from tunedeck.core.lint.context import LintContext
from tunedeck.core.lint.diagnostic import Diagnostic, Fix, Severity
from tunedeck.core.lint.facts import RowFacts
from tunedeck.core.lint.pii_scan import scan, suspects
from tunedeck.core.lint.plain_chat import CONTENTS_AT, PlainChat
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


def _texts(
    example: Example, kind: ExampleFormat, prompt: str, completion: str, plain: PlainChat | None
) -> Sequence[str]:
    """The texts of text_fields(), taken from what the batch has worked out where it can."""
    if plain is not None:
        return plain[CONTENTS_AT]
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
        rows = zip(
            batch.ids,
            batch.examples,
            batch.formats,
            batch.prompts,
            batch.completions,
            batch.plain,
            strict=True,
        )
        texts_of = [
            (row_id, _texts(example, kind, prompt, completion, plain))
            for row_id, example, kind, prompt, completion, plain in rows
        ]
        # Each distinct text is tested once: chat datasets repeat one system prompt per row.
        distinct = list(dict.fromkeys(text for _, texts in texts_of for text in texts))
        flagged = {distinct[index] for index in suspects(distinct)}
        if not flagged:
            return set()
        return {row_id for row_id, texts in texts_of if not flagged.isdisjoint(texts)}

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
