"""Statistics benchmark: each dataset statistic after the lint pass, and one edit's balance update.

Run with the project's venv:

    .venv/bin/python bench/stats_bench.py [--n 100000] [--seed 1] [--format legacy|chat]
                                          [--task classify|generate] [--model davinci-002]
                                          [--edits 100]

One run generates a seeded synthetic dataset (bench/lint_bench.py's support tickets), imports
it into a SQLite project in a temporary directory, gives a fifth of the examples a review
(status and split, in one batch), opens a CurationSession on it and runs the first lint pass
(none of that is timed). Then it times, on that session, each statistic of tunedeck.core.stats
and the class balance's share of single edits, and prints a table of figures with the
targets and PASS/MISS next to each. It is a report, not a test: it exits 0 whatever the
figures say, unless something crashes. See bench/README.md.
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from lint_bench import Generator, row, timed
from tunedeck.core.dataset.commands import SetField
from tunedeck.core.lint import LintSettings
from tunedeck.core.models import model_info
from tunedeck.core.session import CurationSession
from tunedeck.core.stats import (
    ClassBalance,
    count_cells,
    find_leaks,
    length_stats,
    near_duplicates,
    propose_split,
    summarize,
)
from tunedeck.core.storage import Change, Project, Split, Status

# --- targets -------------------------------------------------------------------------------

TARGET_STATISTIC_S = 0.5  # each statistic "well under a second" on 100,000 examples
TARGET_EDIT_MEDIAN_MS = 1.0  # one edit moves one row in the balance
TIMED_RUNS = 3  # each statistic runs this often; the best run counts
REVIEWED = 0.2  # share of examples given a review before the session opens


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


# --- setup (not timed) ---------------------------------------------------------------------


def open_session(args: argparse.Namespace, model: str, folder: Path) -> CurationSession:
    path = folder / "bench.jsonl"
    start = time.perf_counter()
    Generator(args.seed, args.format, args.task).write(path, args.n)
    print(f"  generated in {time.perf_counter() - start:.1f} s")

    start = time.perf_counter()
    location = folder / "bench.tunedeck"
    with Project.open(location, create=True, author="bench") as project:
        info = project.import_file(path, "data", settings=LintSettings(model=model))
        review_some(project, info.id, random.Random(args.seed))
    print(f"  imported, {REVIEWED:.0%} reviewed in one batch: {time.perf_counter() - start:.1f} s")

    start = time.perf_counter()
    session = CurationSession(Project.open(location, author="bench"), "data")
    session.lint_all()
    print(f"  session opened and linted in {time.perf_counter() - start:.1f} s (not timed below)")
    return session


def review_some(project: Project, dataset_id: int, rng: random.Random) -> None:
    """Give a seeded fifth of the examples a status and a split, so that every cell of the
    balance is filled and the leakage check has a validation side to compare."""
    versions = project.versions(dataset_id)
    chosen = rng.sample(sorted(versions), int(len(versions) * REVIEWED))
    statuses = [Status.APPROVED, Status.APPROVED, Status.NEEDS_WORK, Status.REJECTED]
    splits = [Split.TRAIN, Split.TRAIN, Split.TRAIN, Split.VALIDATION, Split.UNASSIGNED]
    changes = [
        Change(
            row_id,
            versions[row_id],
            review={
                "status": rng.choice(statuses),
                "split": rng.choice(splits),
            },
        )
        for row_id in chosen
    ]
    project.apply(changes)


# --- measuring -----------------------------------------------------------------------------


def best_of(work: Callable[[], Any]) -> tuple[list[float], Any]:
    runs = []
    result = None
    for _ in range(TIMED_RUNS):
        result = None  # the previous run's result goes before the next run builds its own
        seconds, result = timed(work)
        runs.append(seconds)
    return runs, result


def lengths_with_histograms(session: CurationSession) -> Any:
    """What a chart draws: every part's distribution, binned, and the longest examples."""
    stats = length_stats(session)
    for part in stats.parts.values():
        part.histogram()
    stats.longest(20)
    return stats


def measure_statistics(session: CurationSession) -> dict[str, tuple[list[float], Any]]:
    figures: dict[str, tuple[list[float], Any]] = {}
    balance_runs, balance = best_of(lambda: ClassBalance(session))
    figures["balance: build (recount)"] = balance_runs, balance
    figures["lengths: parts + histograms"] = best_of(lambda: lengths_with_histograms(session))
    figures["summary"] = best_of(lambda: summarize(session))
    # Both fold every prompt to its near-duplicate key, and remember the keys for the next
    # call: each timed run here starts without them, as the first call of a session does.
    figures["split proposal"] = best_of(lambda: cold(lambda: propose_split(session)))
    figures["leakage check"] = best_of(lambda: cold(lambda: find_leaks(session)))
    return figures


def cold(work: Callable[[], Any]) -> Any:
    near_duplicates._MEMOS.clear()  # private: only a benchmark wants the keys forgotten
    return work()


def measure_remembered(session: CurationSession) -> dict[str, tuple[list[float], Any]]:
    """What the split dialog costs on each change of share or seed, and the leakage check
    after it, once the keys are known."""
    figures: dict[str, tuple[list[float], Any]] = {}
    propose_split(session)
    figures["split proposal, keys remembered"] = best_of(lambda: propose_split(session, seed=1))
    figures["leakage check, keys remembered"] = best_of(lambda: find_leaks(session))
    return figures


class SlotTimer:
    """Wall time spent in the balance's own slots, summed per edit.

    The balance is connected to the session's signals; each slot is swapped for a wrapper
    that times it, so the store's commit and the linter's re-lint (which the same edit
    costs, and the lint benchmark measures) are not counted.
    """

    def __init__(self, session: CurationSession, balance: ClassBalance) -> None:
        self.spent = 0.0
        pairs = [
            (session.findings_changed, balance._on_findings_changed),
            (session.reviewed, balance._on_reviewed),
            (session.relinted, balance._on_relinted),
            (session.dataset.row_removed, balance._on_row_removed),
        ]
        self._wrappers = []
        for signal, slot in pairs:
            signal.disconnect(slot)
            wrapper = self._timing(slot)
            self._wrappers.append(wrapper)  # signals hold plain functions strongly; keep ours
            signal.connect(wrapper)

    def _timing(self, slot: Callable[..., None]) -> Callable[..., None]:
        def timed_slot(*args: Any) -> None:
            start = time.perf_counter()
            slot(*args)
            self.spent += time.perf_counter() - start

        return timed_slot


def measure_edits(
    session: CurationSession, balance: ClassBalance, args: argparse.Namespace
) -> dict[str, list[float]]:
    """`args.edits` edits through the session: relabels, prompt typos, review changes."""
    timer = SlotTimer(session, balance)
    editor = Generator(args.seed + 1, args.format, args.task)
    ids = [i for i in session.dataset.ids() if not session.dataset[i].is_quarantined]
    times: dict[str, list[float]] = {"relabel": [], "prompt": [], "review": []}
    whole_ms: list[float] = []
    for which, row_id in enumerate(editor.rng.sample(ids, args.edits)):
        timer.spent = 0.0
        start = time.perf_counter()
        if which % 5 == 4:
            kind = "review"
            status = editor.rng.choice(list(Status))
            session.review(row_id, status=status, split=editor.rng.choice(list(Split)))
        else:
            record = session.dataset[row_id].record
            assert record is not None
            kind, field, value = editor.edit(record, which)
            kind = "relabel" if kind == "answer" else "prompt"
            session.execute(SetField(row_id, field, value))
        whole_ms.append((time.perf_counter() - start) * 1000)
        times[kind].append(timer.spent * 1000)
    times["whole"] = whole_ms
    return times


# --- report --------------------------------------------------------------------------------


def report(
    figures: dict[str, tuple[list[float], Any]],
    remembered: dict[str, tuple[list[float], Any]],
    edits: dict[str, list[float]],
    same: bool,
) -> None:
    print()
    print(f"Each statistic ran {TIMED_RUNS} times on the session; the best run counts.")
    print()
    row("measure", "value", "target", "result")
    row("-" * 40, "-" * 18, "-" * 16, "-" * 20)
    total = 0.0
    for name, (runs, _result) in figures.items():
        best = min(runs)
        total += best
        listed = ", ".join(f"{t * 1000:.0f}" for t in runs)
        target = f"< {TARGET_STATISTIC_S * 1000:.0f} ms"
        ok = verdict(best < TARGET_STATISTIC_S)
        row(name, f"{best * 1000:.0f} ms", target, f"{ok}  runs: {listed} ms")
    row("all five together", f"{total * 1000:.0f} ms", "", "(reference)")
    for name, (runs, _result) in remembered.items():
        listed = ", ".join(f"{t * 1000:.0f}" for t in runs)
        row(name, f"{min(runs) * 1000:.0f} ms", "", f"runs: {listed} ms")
    every = sorted(edits["relabel"] + edits["prompt"] + edits["review"])
    median = statistics.median(every)
    row(
        f"balance update, one edit: median of {len(every)}",
        f"{median:.3f} ms",
        f"< {TARGET_EDIT_MEDIAN_MS:g} ms",
        verdict(median < TARGET_EDIT_MEDIAN_MS),
    )
    row("balance update, one edit: worst", f"{every[-1]:.3f} ms")
    for kind in ("relabel", "prompt", "review"):
        times = edits[kind]
        if times:
            row(
                f"  {kind} ({len(times)}): median / worst",
                f"{statistics.median(times):.3f} / {max(times):.3f} ms",
            )
    whole = edits["whole"]
    row(
        "  whole edit (store + re-lint + balance)",
        f"{statistics.median(whole):.1f} ms",
        "",
        f"median; worst {max(whole):.1f} ms",
    )
    row("maintained balance == recount", "yes" if same else "NO", "yes", verdict(same))


def describe(figures: dict[str, tuple[list[float], Any]]) -> None:
    balance = figures["balance: build (recount)"][1]
    lengths = figures["lengths: parts + histograms"][1]
    summary = figures["summary"][1]
    proposal = figures["split proposal"][1]
    leaks = figures["leakage check"][1]
    classes = ", ".join(f"{c.label} {c.total:,}" for c in balance.classes())
    print(f"  balance: {classes or 'not classification'}; {balance.unlabelled:,} without a class")
    parts = ", ".join(
        f"{name} max {part.maximum:,}" for name, part in lengths.parts.items() if len(part)
    )
    print(f"  lengths ({lengths.encoding}, limit {lengths.token_limit:,}): {parts}")
    print(
        f"  summary: {summary.examples:,} examples, {summary.reviewed:,} reviewed, "
        f"{summary.tokens_per_epoch:,} tokens per epoch"
    )
    stratified = (
        f"largest class gap {proposal.max_gap * 100:.2f} points"
        if proposal.shares
        else "no classes to stratify by"
    )
    print(
        f"  split: {proposal.validation:,} validation / {proposal.training:,} training, "
        f"{stratified}, {proposal.kept_together:,} kept with a near-duplicate"
    )
    print(f"  leakage: {len(leaks):,} groups across the current split")


def data_options(description: str) -> argparse.ArgumentParser:
    """A parser with the options that choose the generated dataset (see open_session()),
    shared with split_apply_bench.py."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--n", type=int, default=100_000, help="examples to generate")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--format", choices=("legacy", "chat"), default="legacy")
    parser.add_argument("--task", choices=("classify", "generate"), default="classify")
    parser.add_argument(
        "--model", help="target model (default: davinci-002 for legacy, gpt-4o-mini for chat)"
    )
    return parser


def chosen_model(args: argparse.Namespace) -> str:
    return args.model or ("gpt-4o-mini" if args.format == "chat" else "davinci-002")


def main(argv: list[str] | None = None) -> int:
    parser = data_options(__doc__.splitlines()[0])
    parser.add_argument("--edits", type=int, default=100, help="single edits to time")
    args = parser.parse_args(argv)
    model = chosen_model(args)
    info = model_info(model)
    print(
        f"TuneDeck statistics benchmark: {args.n:,} {args.format} examples ({args.task}), "
        f"seed {args.seed}, model {model} ({info.encoding})"
    )
    print(f"  Python {platform.python_version()}, {os.cpu_count()} CPUs, {platform.machine()}")
    with tempfile.TemporaryDirectory(prefix="tunedeck-stats-bench-") as folder:
        session = open_session(args, model, Path(folder))
        try:
            gc.collect()
            figures = measure_statistics(session)
            remembered = measure_remembered(session)
            describe(figures)
            balance = figures["balance: build (recount)"][1]  # the one still following
            edits = measure_edits(session, balance, args)
            same = balance.cells() == count_cells(session)
            report(figures, remembered, edits, same)
        finally:
            session.project.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
