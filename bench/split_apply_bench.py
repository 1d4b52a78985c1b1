"""Split benchmark: applying (and undoing) a proposed split of 100,000 examples in the window.

Run with the project's venv, on the offscreen platform:

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/split_apply_bench.py [--n 100000]
        [--seed 1] [--format legacy|chat] [--task classify|generate] [--runs 3] [--profile]

One run builds a project as bench/stats_bench.py does (seeded support tickets imported into a
SQLite project in a temporary directory, a fifth of them reviewed and some split, a session
opened and linted; none of that timed), shows the curation window on it with the Statistics
dock in front, and proposes a split (propose_split, default share and seed). Then, `--runs`
times over, it applies the proposal the way the dock's Apply button does
(MainWindow._on_split_requested) and takes it back with Edit ▸ Undo (the undo stack), and
times each:

- store: Project.apply alone (the one transaction: read, version-checked update, history),
  which a split of 20,000 examples or more runs in a thread behind a progress dialog;
- follow: the rest of the click's handler (call minus store): the new reviews built from
  the stored rows (in the store's thread), the session taking them in with the progress
  dialog's bar moving, and everything connected to it (table, balance, statistics, status
  bar) following the one `reviewed` signal;
- visible: from the click until the status bar, the statistics (summary and balance chart,
  each behind a short coalescing timer) and the table have been redrawn with the new splits,
  and the event loop is idle again: what the user waits for;
- stall: the longest the event loop went without running (a 10 ms heartbeat's longest gap):
  how long the window was frozen at a stretch.

It prints a table of figures with the target and PASS/MISS. It is a report, not a test: it
exits 0 whatever the figures say, unless something crashes. `--profile` prints a cProfile of
the first apply's call (which inflates that run's figures).
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import os
import platform
import pstats
import statistics
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QTimer, qInstallMessageHandler
from PySide6.QtWidgets import QApplication

from lint_bench import row
from stats_bench import chosen_model, data_options, open_session
from tunedeck.core.models import model_info
from tunedeck.core.session import CurationSession
from tunedeck.core.stats import propose_split
from tunedeck.core.storage import Split
from ui_bench import Heartbeat, PaintProbe, StoreTimer, now, settle, verdict, wait_until

TARGET_VISIBLE_S = 1.0  # click to the new splits shown everywhere and the window idle


class Bench:
    def __init__(self, args: argparse.Namespace, session: CurationSession) -> None:
        from tunedeck.ui.main_window import MainWindow

        self.args = args
        self.session = session
        self.store = StoreTimer(session)
        self.window = window = MainWindow(session)
        window.show()
        window.passes.finish_lint()  # the session is linted: what the worker's end does
        wait_until(lambda: window._stats_dock is not None, "the statistics dock")
        window.show_stats()  # the user clicked Propose split… in the dock: it is in front
        self.stats = window.stats
        wait_until(lambda: not self.stats.computing, "the token lengths")
        self.heartbeat = Heartbeat()
        self.heartbeat.start()
        self.paint = PaintProbe(window.view.viewport())
        self.timers = [
            window._counts_timer,
            self.stats.summary._timer,
            self.stats.balance_chart._timer,
        ]
        settle(0.3)

    def measure(self, title: str, work: Callable[[], Any], profile: bool) -> dict[str, float]:
        gc.collect()
        self.store.spent = 0.0
        profiler = cProfile.Profile() if profile else None
        start = now()
        if profiler is not None:
            profiler.enable()
        work()
        if profiler is not None:
            profiler.disable()
        returned = now()
        # The status bar, summary and chart recount behind single-shot timers; the table
        # repaints on the next paint event. Visible: all of them done, and a paint after.
        wait_until(lambda: not any(timer.isActive() for timer in self.timers), f"{title}: timers")
        # (With a progress dialog the table may have repainted before the call returned.)
        wait_until(lambda: self.paint.since(start) is not None, f"{title}: repaint")
        visible = idle()
        if profiler is not None:
            print(f"\n  cProfile of {title} (the call), by cumulative time:")
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(70)
        settle(0.2)
        return {
            "store": self.store.spent,
            "follow": returned - start - self.store.spent,
            "call": returned - start,
            "visible": visible - start,
            "stall": self.heartbeat.longest(start, visible),
        }

    def run(self) -> dict[str, list[dict[str, float]]]:
        window, session = self.window, self.session
        proposal = propose_split(session)
        changes = len(proposal.changes(session.reviews))
        print(
            f"  proposal: {proposal.training:,} train / {proposal.validation:,} validation; "
            f"applying changes {changes:,} examples"
        )
        figures: dict[str, list[dict[str, float]]] = {"apply": [], "undo": []}
        for run in range(self.args.runs):
            profile = self.args.profile and run == 0
            figures["apply"].append(
                self.measure("apply", lambda: window._on_split_requested(proposal), profile)
            )
            self.check(proposal, applied=True)
            figures["undo"].append(self.measure("undo", window.undo_stack.undo, False))
            self.check(proposal, applied=False)
        return figures

    def check(self, proposal: Any, *, applied: bool) -> None:
        """The benchmark measures a working apply: every example must show its new split."""
        reviews = self.session.reviews
        wrong = [
            row_id
            for row_id, split in proposal.assignments.items()
            if row_id in self.session.dataset and (reviews[row_id].split is split) != applied
        ]
        if applied and wrong:
            raise RuntimeError(f"{len(wrong):,} examples do not have their new split")
        if not applied and len(wrong) == len(proposal.assignments):
            raise RuntimeError("undo left every example in its new split")
        if Split.VALIDATION.value not in self.stats.summary.text() and applied:
            raise RuntimeError("the summary does not show the split")


def quiet_offscreen(_mode: Any, _context: Any, message: str) -> None:
    """Qt's messages, less the offscreen platform's notice about size hints."""
    if "propagateSizeHints" not in message:
        print(f"  Qt: {message}", file=sys.stderr)


def idle() -> float:
    """When the event loop next gets round to a zero timer: what was queued has run."""
    marks: list[float] = []
    QTimer.singleShot(0, lambda: marks.append(now()))
    wait_until(lambda: bool(marks), "an idle event loop")
    return marks[0]


def report(figures: dict[str, list[dict[str, float]]]) -> None:
    print()
    row("measure (best of runs)", "value", "target", "result")
    row("-" * 40, "-" * 18, "-" * 16, "-" * 20)
    for action, runs in figures.items():
        for name in ("store", "follow", "call", "visible", "stall"):
            values = [run[name] for run in runs]
            best = min(values)
            listed = ", ".join(f"{value:.2f}" for value in values)
            judged = name == "visible"
            row(
                f"{action}: {name}",
                f"{best:.2f} s",
                f"< {TARGET_VISIBLE_S:g} s" if judged else "",
                (f"{verdict(best < TARGET_VISIBLE_S)}  " if judged else "")
                + f"runs: {listed} s; median {statistics.median(values):.2f} s",
            )


def main(argv: list[str] | None = None) -> int:
    parser = data_options(__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="applies and undos to time")
    parser.add_argument("--profile", action="store_true", help="cProfile the first apply")
    args = parser.parse_args(argv)
    model = chosen_model(args)
    print(
        f"TuneDeck split benchmark: {args.n:,} {args.format} examples ({args.task}), "
        f"seed {args.seed}, model {model} ({model_info(model).encoding})"
    )
    print(f"  Python {platform.python_version()}, {os.cpu_count()} CPUs, {platform.machine()}")
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    qInstallMessageHandler(quiet_offscreen)
    with tempfile.TemporaryDirectory(prefix="tunedeck-split-bench-") as folder:
        os.environ["XDG_CONFIG_HOME"] = str(Path(folder) / "config")  # not the user's settings
        app = QApplication.instance() or QApplication(sys.argv[:1])
        session = open_session(args, model, Path(folder))
        bench = Bench(args, session)
        try:
            figures = bench.run()
        finally:
            bench.window.close()
            session.project.close()
        report(figures)
        del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
