"""Dataset statistics: class balance, token lengths, summary numbers, split and leakage.

No Qt here: a chart widget adapts these objects, and the command line can print them.
Everything reads a StatsSource (a CurationSession, or LintedDataset for a dataset outside
a project) after the linter's first pass: classes and token counts are the linter's own
(RowFacts.label, honouring the class_field setting; RowFacts.tokens), so a chart always
agrees with the lint findings beside it.

Which examples count where is defined once, in selection.py: rejected examples are never
counted; the export writes approved and unreviewed ones; an example trains unless it is in
the validation split.

Maintained (follows the session, one edit at a time):

    balance = ClassBalance(session)        # build after session.lint_all()
    balance.changed.connect(repaint)       # after each update that moved a count
    balance.classification                 # False: no classes, show the statistics only
    balance.classes() -> [ClassCounts]     # largest first: label, cells {(Split, Status): n},
                                           #   total, count(split, status), tokens, multi_token
    balance.count(label, split=None, status=None), balance.unlabelled, balance.has_split
    balance.min_per_class, balance.below_minimum() -> [label]
    balance.imbalance() -> Imbalance | None  # ratio, largest, smallest, threshold, exceeded
    balance.multi_token() -> [label]       # class-token's verdict, per class
    balance.close()                        # stop following the session

On demand (pure functions of the source; run them off the GUI thread on a large dataset):

    length_stats(source, rows=None) -> LengthStats
        .parts {"example", "prompt", "completion", "system", "user", "assistant", "tool"}
               -> Distribution (row_ids, tokens, limit, maximum, mean, quantile(q),
                  over_limit, histogram(bins) -> Histogram, longest(n) -> [(row id, tokens)])
        .token_limit, .model, .encoding, .longest(n)
    summarize(source) -> Summary
        examples, quarantined, classes, by_status, by_split, reviewed, progress, tokens,
        exported, exported_tokens, training, tokens_per_epoch, validation,
        validation_tokens, over_limit, training_tokens(epochs)
    propose_split(source, validation_fraction=0.2, seed=0, rows=None, max_gap=0.01)
        -> SplitProposal: assignments {row id: Split}, shares [ClassShare], max_gap,
           validation, training, kept_together, changes(reviews)
    apply_split(session, proposal) -> {row id: previous Split}   (for undo)
    find_leaks(source, rows=None) -> [Leak(kind, train, validation)]; leaking_rows(leaks)
    remember_keys(source): the near-duplicate keys both of these fold every prompt into,
        worked out ahead (from a worker); they are kept, per linter, until rows change

`rows` narrows a statistic to some row ids (a view's filter). Rejected examples, quarantined
lines and examples the linter has not seen are always left out.
"""

from tunedeck.core.stats.balance import ClassBalance, ClassCounts, Imbalance, count_cells
from tunedeck.core.stats.histogram import Distribution, Histogram
from tunedeck.core.stats.leakage import Leak, LeakKind, find_leaks, leaking_rows
from tunedeck.core.stats.lengths import LengthStats, length_stats
from tunedeck.core.stats.near_duplicates import fold, prompt_keys, remember_keys
from tunedeck.core.stats.source import LintedDataset, StatsSource
from tunedeck.core.stats.split import ClassShare, SplitProposal, apply_split, propose_split
from tunedeck.core.stats.summary import Summary, summarize

__all__ = [
    "ClassBalance",
    "ClassCounts",
    "ClassShare",
    "Distribution",
    "Histogram",
    "Imbalance",
    "Leak",
    "LeakKind",
    "LengthStats",
    "LintedDataset",
    "SplitProposal",
    "StatsSource",
    "Summary",
    "apply_split",
    "count_cells",
    "find_leaks",
    "fold",
    "leaking_rows",
    "length_stats",
    "prompt_keys",
    "propose_split",
    "remember_keys",
    "summarize",
]
