from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from tunedeck.core.dataset.commands import ReplaceText
from tunedeck.core.dataset.example import Example, ExampleFormat
from tunedeck.core.lint.context import LintContext
from tunedeck.core.lint.diagnostic import Diagnostic, Fix, Severity
from tunedeck.core.lint.facts import RowFacts
from tunedeck.core.lint.pii_scan import scan, suspects
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

    def candidates(self, examples: Sequence[Example], ctx: LintContext) -> set[int] | None:
        # Each distinct text is tested once: chat datasets repeat one system prompt per row.
        owners: dict[str, list[int]] = {}
        for example in examples:
            for _, text in text_fields(example, example.format):
                owners.setdefault(text, []).append(example.id)
        texts = list(owners)
        return {row_id for index in suspects(texts) for row_id in owners[texts[index]]}

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
