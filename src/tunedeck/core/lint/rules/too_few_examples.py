from __future__ import annotations

from collections.abc import Iterable

from tunedeck.core.dataset.example import ExampleFormat
from tunedeck.core.lint.context import LintContext
from tunedeck.core.lint.diagnostic import Diagnostic, Severity
from tunedeck.core.lint.rule import DatasetRule
from tunedeck.core.lint.tally import Tally


class TooFewExamples(DatasetRule):
    """Not enough examples to fine-tune, or to learn each class.

    ## What it flags
    A dataset with fewer usable examples than the service accepts (10), as an error; and in a
    classification dataset, classes with fewer examples than recommended (100), as a warning.

    ## Why it matters
    The API rejects files with fewer than 10 examples. Below about a hundred examples per
    class, a fine-tuned model rarely beats a good prompt with a few examples in it, and
    doubling the data typically improves quality steadily.

    ## Example
    A sentiment dataset with 300 "positive", 250 "negative" and 12 "neutral" examples.

    ## Fix
    None automatic: collect or write more examples for the classes named.

    ## Options
    `min_examples` (default 10), `min_per_class` (default 100).
    """

    code = "TD601"
    name = "too-few-examples"
    severity = Severity.ERROR
    summary = "Too few examples overall or per class"

    def check(self, stats: Tally, ctx: LintContext) -> Iterable[Diagnostic]:
        options = ctx.settings.options
        usable = stats.rows - stats.formats.get(ExampleFormat.INVALID, 0)
        if usable < options.min_examples:
            yield self.make(
                None,
                None,
                f"{usable} usable examples; fine-tuning needs at least {options.min_examples}",
                data={"examples": usable, "minimum": options.min_examples},
            )
        small = sorted(
            (
                (count, label)
                for label, count in stats.labels.items()
                if count < options.min_per_class
            )
        )
        if small:
            listed = ", ".join(f"{label} ({count})" for count, label in small[:5])
            more = f" and {len(small) - 5} more" if len(small) > 5 else ""
            yield self.make(
                None,
                None,
                f"{len(small)} of {len(stats.labels)} classes have fewer than "
                f"{options.min_per_class} examples: {listed}{more}",
                severity=Severity.WARNING,
                data={"classes": {label: count for count, label in small}},
            )
