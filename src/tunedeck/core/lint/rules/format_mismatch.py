from __future__ import annotations

from collections.abc import Iterable

from tunedeck.core.dataset.example import ExampleFormat
from tunedeck.core.lint.context import LintContext
from tunedeck.core.lint.diagnostic import Diagnostic, Severity
from tunedeck.core.lint.rule import DatasetRule
from tunedeck.core.lint.tally import Tally
from tunedeck.core.models import ModelKind


class FormatMismatch(DatasetRule):
    """Examples in a format the target model does not train on.

    ## What it flags
    Prompt/completion examples when the target model is a chat model (gpt-4o, gpt-4.1, ...),
    or chat examples when it is a legacy completion model (babbage-002, davinci-002).

    ## Why it matters
    The service rejects the file. Current OpenAI and Azure OpenAI chat models need
    `{"messages": [...]}`; prompt/completion lives on in legacy models and open-source
    trainers.

    ## Example
    `tunedeck lint sentiment.jsonl --model gpt-4o-mini` on a prompt/completion file.

    ## Fix
    None automatic yet: choose a model that matches the data, or convert the examples.

    ## Options
    `model`.
    """

    code = "TD604"
    name = "format-mismatch"
    severity = Severity.ERROR
    summary = "Data format does not match the target model"

    def check(self, stats: Tally, ctx: LintContext) -> Iterable[Diagnostic]:
        model = ctx.settings.model
        wanted, other, described = (
            (ExampleFormat.CHAT, ExampleFormat.LEGACY, "prompt/completion")
            if model.kind is ModelKind.CHAT
            else (ExampleFormat.LEGACY, ExampleFormat.CHAT, "chat")
        )
        count = stats.formats.get(other, 0)
        if count:
            yield self.make(
                None,
                None,
                f"{model.name} trains on {wanted.value} examples, but {count} are {described}",
                data={"model": model.name, "mismatched": count},
            )
