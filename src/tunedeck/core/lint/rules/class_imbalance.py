from __future__ import annotations

from collections.abc import Iterable

from tunedeck.core.lint.context import LintContext
from tunedeck.core.lint.diagnostic import Diagnostic, Severity
from tunedeck.core.lint.rule import DatasetRule
from tunedeck.core.lint.tally import Tally


class ClassImbalance(DatasetRule):
    """The largest class dwarfs the smallest.

    ## What it flags
    Classification datasets where the largest class has more than `imbalance_ratio` times as
    many examples as the smallest.

    ## Why it matters
    A model trained on 900 "no" and 100 "yes" learns that "no" is usually right and says it
    too often. Unless the imbalance mirrors what the model will really see, balance the
    classes or accept the bias knowingly.

    ## Example
    `positive` 600, `negative` 150: a ratio of 4.0.

    ## Fix
    None automatic: add examples to the small classes or drop some from the large ones.

    ## Options
    `imbalance_ratio` (default 3.0).
    """

    code = "TD602"
    name = "class-imbalance"
    severity = Severity.WARNING
    summary = "Largest class far bigger than the smallest"

    def check(self, stats: Tally, ctx: LintContext) -> Iterable[Diagnostic]:
        if len(stats.labels) < 2:
            return
        # Ties broken by name, so the message does not depend on the order rows were counted.
        largest, most = min(stats.labels.items(), key=lambda item: (-item[1], item[0]))
        smallest, fewest = min(stats.labels.items(), key=lambda item: (item[1], item[0]))
        ratio = most / fewest
        threshold = ctx.settings.options.imbalance_ratio
        if ratio > threshold:
            yield self.make(
                None,
                None,
                f'largest class "{largest}" ({most}) is {ratio:.1f}x the smallest '
                f'"{smallest}" ({fewest}); threshold {threshold:g}x',
                data={"ratio": round(ratio, 3), "largest": largest, "smallest": smallest},
            )
