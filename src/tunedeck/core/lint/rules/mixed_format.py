from __future__ import annotations

from collections.abc import Iterable

from tunedeck.core.dataset.example import ExampleFormat
from tunedeck.core.lint.context import LintContext
from tunedeck.core.lint.diagnostic import Diagnostic, Severity
from tunedeck.core.lint.rule import DatasetRule
from tunedeck.core.lint.tally import Tally


class MixedFormat(DatasetRule):
    """Prompt/completion and chat examples in one file.

    ## What it flags
    A dataset that holds both legacy `{"prompt", "completion"}` examples and chat
    `{"messages": [...]}` examples.

    ## Why it matters
    Every model trains on exactly one of the two formats, and the service rejects a file that
    mixes them. Mixed files usually come from pasting two exports together.

    ## Example
    Lines 1-200 are prompt/completion, lines 201-240 are chat.

    ## Fix
    None automatic: convert one part or split the file.

    ## Options
    None.
    """

    code = "TD603"
    name = "mixed-format"
    severity = Severity.ERROR
    summary = "Legacy and chat examples in one file"

    def check(self, stats: Tally, ctx: LintContext) -> Iterable[Diagnostic]:
        legacy = stats.formats.get(ExampleFormat.LEGACY, 0)
        chat = stats.formats.get(ExampleFormat.CHAT, 0)
        if legacy and chat:
            yield self.make(
                None,
                None,
                f"{legacy} prompt/completion and {chat} chat examples in one file",
                data={"legacy": legacy, "chat": chat},
            )
