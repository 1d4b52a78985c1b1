from __future__ import annotations

from collections.abc import Iterable

from tunedeck.core.dataset.example import Example, ExampleFormat
from tunedeck.core.lint.context import LintContext
from tunedeck.core.lint.diagnostic import Diagnostic, Severity
from tunedeck.core.lint.facts import RowFacts
from tunedeck.core.lint.rule import RowRule


class InvalidRecord(RowRule):
    """A line of the file could not be read as an example.

    ## What it flags
    Lines that are not valid JSON, are not a JSON object, are not valid UTF-8, contain a NUL
    byte, are enormous, or give a prompt or completion that is not text. TuneDeck keeps such a
    line exactly as it was, shows it, and reports it here at its line number.

    ## Why it matters
    The fine-tuning service rejects the whole file when one line is broken, usually after the
    upload, with a message that does not say which line.

    ## Example
    `{"prompt": "Hello", "completion": " Hi"` (the closing brace is missing).

    ## Fix
    None automatic: only a person knows what the line was meant to say. Repair the text in
    place, or delete the line.

    ## Options
    None.
    """

    code = "TD001"
    name = "invalid-record"
    severity = Severity.ERROR
    summary = "A line that could not be read as an example"
    formats = frozenset({ExampleFormat.INVALID})

    def check(self, example: Example, facts: RowFacts, ctx: LintContext) -> Iterable[Diagnostic]:
        if example.is_quarantined:
            yield self.make(example.id, example.error_field, example.error or "unreadable line")
