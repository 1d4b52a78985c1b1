"""UI benchmark: the curation window at 100,000 rows, through the code paths `tunedeck FILE` takes.

Run with the project's venv, on the offscreen platform:

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/ui_bench.py [--rows 100000]
        [--format both|legacy|chat] [--seed 1] [--edits 50] [--debounced 20] [--profile] [--keep]

For each format, the parent process writes a seeded synthetic JSONL file (bench/lint_bench.py's
support tickets, one of 8 classes each, ~1% duplicates, a few broken lines) to a temporary
directory, then starts a fresh interpreter that does what `tunedeck FILE` does, with a 10 ms
QTimer heartbeat in the GUI thread whose longest gap between ticks is the longest event-loop
stall, and measures:

1. the import: `app.import_beside` (progress dialog, worker thread, nested event loop);
2. opening: `app.open_window`, then `window.show()` and `window.start_lint()` as `app.run`
   does, until the table's viewport has painted rows;
3. the first full lint: the worker, then the window's finishing slot in the GUI thread;
4. memory after the lint: peak RSS (ru_maxrss) and current RSS (/proc/self/statm);
5. edits of a row's class: through `model.setData` (the table delegate's path) from the call
   to the session's findings_changed and the model's dataChanged for the row, the call's
   return and the repaint; then typed in the example editor (select the label, type another),
   from its commit timer firing (the end of the 400 ms debounce) to the same signals;
6. sorting by columns (the header's path, `view.sortByColumn`), filtering by a rule, a
   severity, a class and free text typed key by key (through the filter bar's widgets), and
   deleting 1,000 selected rows, then undoing it.

Only tunedeck.app and Qt are imported before the import starts: the modules the import and
the window need load inside the measured calls, as they do for a user. It prints a table of
figures with the targets and PASS/MISS next to each. It is a report, not a test: it exits 0
whatever the figures say, unless something crashes. `--profile` adds a cProfile of the GUI
thread during each phase (which inflates that run's times). See bench/README.md.
"""

from __future__ import annotations

import argparse
import bisect
import cProfile
import io
import itertools
import os
import platform
import pstats
import random
import resource
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QEvent,
    QEventLoop,
    QItemSelection,
    QItemSelectionModel,
    QObject,
    Qt,
    QTimer,
)
from PySide6.QtGui import QTextCursor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

# --- targets -------------------------------------------------------------------------------

TARGET_FIRST_ROWS_S = 1.5  # from opening the project to the first rows painted
TARGET_STALL_MS = 100.0  # no event-loop stall longer than this while a worker runs
TARGET_EDIT_MS = 50.0  # one edit to updated findings

HEARTBEAT_MS = 10
MB = 1024 * 1024
DELETE_ROWS = 1000
BIG_GAP_S = 0.05  # stalls listed by count
WAIT_S = 600.0  # give up waiting for an event after this long (a hang, not a figure)


def now() -> float:
    return time.perf_counter()


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.1f} ms"


# --- synthetic data ------------------------------------------------------------------------


def _broken(line: str, kind: int) -> str:
    """A realistic way for one JSONL line to go wrong."""
    if kind == 0:  # cut off mid-record (a file written while the disk filled up)
        return line[: len(line) // 2]
    if kind == 1:  # a trailing comma, as hand-edited files get
        return line[:-1] + ",}"
    if kind == 2:  # single quotes: a Python dict printed instead of JSON
        return line.replace('"', "'")
    if kind == 3:  # a merge conflict marker
        return "<<<<<<< HEAD"
    return line[1:]  # the opening brace lost


def generate(path: Path, fmt: str, rows: int, seed: int) -> dict[str, int]:
    """lint_bench's tickets (8 classes) as `rows` lines, a few of them broken."""
    from lint_bench import Generator  # the parent only: the child must not pre-import core

    generator = Generator(seed, fmt, "classify")
    clean = path.with_suffix(".clean")
    generator.write(clean, rows)
    broken = set(random.Random(seed + 7).sample(range(rows), max(3, rows // 5000)))
    with clean.open(encoding="utf-8") as source, path.open("w", encoding="utf-8") as target:
        for number, line in enumerate(source):
            if number in broken:
                line = _broken(line.rstrip("\n"), number % 5) + "\n"
            target.write(line)
    clean.unlink()
    planted = dict(generator.planted)
    planted["broken line"] = len(broken)
    return planted


# --- the parent: files, and a fresh interpreter per format ---------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000, help="examples to generate")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--format", choices=("both", "legacy", "chat"), default="both")
    parser.add_argument("--edits", type=int, default=50, help="cell edits to time")
    parser.add_argument("--debounced", type=int, default=20, help="editor edits to time")
    parser.add_argument("--keep", action="store_true", help="keep the generated files")
    parser.add_argument(
        "--profile", action="store_true", help="add a cProfile of the GUI thread per phase"
    )
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)  # the file to measure
    args = parser.parse_args(argv)

    if args.child:
        return Child(args).run()

    from lint_bench import mb, timed

    started = now()
    formats = ("legacy", "chat") if args.format == "both" else (args.format,)
    print(f"TuneDeck UI benchmark: {args.rows:,} rows, {' and '.join(formats)}, seed {args.seed}")
    print(
        f"  Python {platform.python_version()}, {os.cpu_count()} CPUs, {platform.machine()}, "
        f"QT_QPA_PLATFORM={os.environ.get('QT_QPA_PLATFORM', '(unset)')}"
    )
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    print(f"  load average before the run: {load} (timings are wall clock; an idle machine helps)")
    failed = 0
    with tempfile.TemporaryDirectory(prefix="tunedeck-ui-bench-") as name:
        base = Path(tempfile.gettempdir()) if args.keep else Path(name)
        for fmt in formats:
            folder = base / f"tunedeck-ui-bench-{fmt}-{args.rows}"
            folder.mkdir(exist_ok=True)
            for stale in folder.iterdir():  # an earlier --keep run's files and project
                if stale.is_file():
                    stale.unlink()
            path = folder / f"tickets-{fmt}.jsonl"
            print()
            seconds, planted = timed(lambda p=path, f=fmt: generate(p, f, args.rows, args.seed))
            kept = f" (kept in {folder})" if args.keep else ""
            print(f"[{fmt}] generated in {seconds:.1f} s: {mb(path.stat().st_size)}{kept}")
            print("  planted: " + ", ".join(f"{n:,} {kind}" for kind, n in planted.items()))
            # The generated file onto the disk before the child starts: left to the kernel's
            # writeback, 100 MB went out during the edits and each edit's fsync waited behind
            # it (70-315 ms). A user's file was written long before they import it.
            os.sync()
            command = [sys.executable, __file__, *child_args(args, fmt), "--child", str(path)]
            failed |= subprocess.run(command, check=False).returncode
    print()
    print(f"Whole run: {now() - started:.0f} s.  Command: {shlex.join(sys.orig_argv)}")
    return failed


def child_args(args: argparse.Namespace, fmt: str) -> list[str]:
    out = ["--rows", str(args.rows), "--seed", str(args.seed), "--format", fmt]
    out += ["--edits", str(args.edits), "--debounced", str(args.debounced)]
    return out + (["--profile"] if args.profile else [])


# --- Qt probes -----------------------------------------------------------------------------


class Heartbeat(QObject):
    """A 10 ms timer in the GUI thread; the gaps between its ticks are the stalls."""

    def __init__(self) -> None:
        super().__init__()
        self.ticks: list[float] = []
        self.timer = QTimer(self)
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(HEARTBEAT_MS)
        self.timer.timeout.connect(self._tick)

    def start(self) -> None:
        self.ticks.append(now())
        self.timer.start()

    def _tick(self) -> None:
        self.ticks.append(now())

    def _points(self, start: float, end: float) -> list[float]:
        low, high = bisect.bisect_right(self.ticks, start), bisect.bisect_left(self.ticks, end)
        return [start, *self.ticks[low:high], end]

    def gaps(self, start: float, end: float) -> list[float]:
        points = self._points(start, end)
        return [b - a for a, b in itertools.pairwise(points)]

    def longest(self, start: float, end: float) -> float:
        """The longest time the loop went without a tick between `start` and `end`."""
        return max(self.gaps(start, end))


class PaintProbe(QObject):
    """When a widget finished painting: a zero timer started from its paint event fires after.

    One timer, restarted, rather than a QTimer.singleShot per paint.
    """

    def __init__(self, widget: QWidget) -> None:
        super().__init__()
        self.painted: list[float] = []
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(0)
        self.timer.timeout.connect(self._done)
        widget.installEventFilter(self)

    def eventFilter(self, _watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Paint:
            self.timer.start()
        return False

    def _done(self) -> None:
        self.painted.append(now())

    def since(self, moment: float) -> float | None:
        index = bisect.bisect_left(self.painted, moment)
        return self.painted[index] if index < len(self.painted) else None


class EventMark(QObject):
    """Calls `mark()` whenever the watched object receives an event of one type."""

    def __init__(self, kind: QEvent.Type, mark: Callable[[], Any]) -> None:
        super().__init__()
        self.kind, self.mark = kind, mark

    def eventFilter(self, _watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == self.kind:
            self.mark()
        return False


class Receiver(QObject):
    """A slot that runs in the GUI thread. (A lambda connected to a Worker's signal runs in
    the worker's thread unless its closure holds a QObject that PySide6 can take as context.)"""

    def __init__(self, call: Callable[..., Any]) -> None:
        super().__init__()
        self.call = call

    def slot(self, *args: Any) -> None:
        self.call(*args)


class StoreTimer:
    """Wall time inside Project.apply (the store's commit, fsync included), summed; the
    session's project has its method wrapped, this instance only."""

    def __init__(self, session: Any) -> None:
        self.spent = 0.0
        apply = session.project.apply

        def timed_apply(*args: Any, **kwargs: Any) -> Any:
            start = now()
            try:
                return apply(*args, **kwargs)
            finally:
                self.spent += now() - start

        session.project.apply = timed_apply


class EditProbe(QObject):
    """When the session's findings_changed and the model's dataChanged first name one row."""

    def __init__(self, window: Any) -> None:
        super().__init__()
        self.window = window
        self.row_id = self.row = -1
        self.findings_at: float | None = None
        self.changed_at: float | None = None
        self.store = StoreTimer(window.session)
        self.stored_before = 0.0  # store.spent at arm()
        # Connected after the window's own slots, so called after them.
        window.session.findings_changed.connect(self._on_findings)
        window.model.dataChanged.connect(self._on_data_changed)

    def arm(self, row_id: int) -> None:
        self.row_id = row_id
        self.row = self.window.model.index_of(row_id, 0).row()
        self.findings_at = self.changed_at = None
        self.stored_before = self.store.spent

    def _on_findings(self, update: Any) -> None:
        if self.findings_at is None and self.row_id in update.rows:
            self.findings_at = now()

    def _on_data_changed(self, first: Any, last: Any, _roles: Any = None) -> None:
        if self.changed_at is None and first.row() <= self.row <= last.row():
            self.changed_at = now()

    def times(self, start: float, returned: float, painted: float) -> dict[str, float]:
        if self.findings_at is None or self.changed_at is None:
            raise RuntimeError(f"no findings_changed or dataChanged for row {self.row_id}")
        signals = max(self.findings_at, self.changed_at)
        return {
            "signals": signals - start,
            "done": max(signals, returned) - start,
            "painted": painted - start,
            "stored": self.store.spent - self.stored_before,
        }


class GcWatch:
    """Every cyclic garbage collection: when, how long, which generation, in which thread.

    A collection holds the GIL throughout, so a long one in a worker stalls the GUI thread.
    """

    def __init__(self) -> None:
        import gc
        import threading

        self.collections: list[tuple[float, float, int, str]] = []
        self._started: dict[int, float] = {}
        self._thread = threading.current_thread

        def callback(phase: str, info: dict[str, int]) -> None:
            thread = self._thread()
            if phase == "start":
                self._started[thread.ident or 0] = now()
            else:
                begun = self._started.pop(thread.ident or 0, now())
                name = "GUI" if thread is threading.main_thread() else "worker"
                self.collections.append((begun, now() - begun, info["generation"], name))

        gc.callbacks.append(callback)

    def seconds(self, start: float, end: float) -> float:
        """Time spent in collections of any generation between `start` and `end`."""
        return sum(item[1] for item in self.collections if start <= item[0] < end)

    def full_seconds(self, start: float, end: float) -> float:
        """Time spent in full (generation 2) collections between `start` and `end`."""
        return sum(item[1] for item in self.collections if start <= item[0] < end and item[2] == 2)

    def during(self, start: float, end: float) -> str:
        found = [item for item in self.collections if start <= item[0] < end]
        full = [item for item in found if item[2] == 2]
        if not found:
            return "none"
        longest = max(found, key=lambda item: item[1])
        return (
            f"{len(found)} ({len(full)} full, {sum(item[1] for item in full):.2f} s); "
            f"longest {ms(longest[1])}, gen {longest[2]}, {longest[3]} thread"
        )


class QtMessages:
    """Qt's warnings, kept for the report (the offscreen platform's size-hint notice dropped)."""

    NOISE = ("propagateSizeHints",)

    def __init__(self) -> None:
        from PySide6.QtCore import qInstallMessageHandler

        self.seen: dict[str, int] = {}
        self.errors: dict[str, int] = {}
        qInstallMessageHandler(self._on_message)
        sys.excepthook = self._on_exception

    def _on_message(self, _mode: Any, _context: Any, message: str) -> None:
        if not any(noise in message for noise in self.NOISE):
            self.seen[message] = self.seen.get(message, 0) + 1

    def _on_exception(self, kind: type[BaseException], error: BaseException, trace: Any) -> None:
        """An exception escaping a slot or an override: kept for the report, not printed in
        the middle of the run."""
        import traceback

        where = traceback.extract_tb(trace)
        frames = " <- ".join(f"{frame.name}" for frame in reversed(where[-5:]))
        key = f"{kind.__name__}: {error} in {frames}"
        self.errors[key] = self.errors.get(key, 0) + 1
        if any(frame.filename == __file__ for frame in where):  # the benchmark's own bug
            traceback.print_exception(kind, error, trace)


def wait_until(condition: Callable[[], bool], what: str, limit: float = WAIT_S) -> None:
    """Run the event loop until `condition()` holds (checked every millisecond)."""
    if condition():
        return
    loop = QEventLoop()
    poll = QTimer()
    poll.setTimerType(Qt.TimerType.PreciseTimer)
    poll.setInterval(1)
    deadline = now() + limit
    poll.timeout.connect(lambda: loop.quit() if condition() or now() > deadline else None)
    poll.start()
    loop.exec()
    poll.stop()
    if not condition():
        raise RuntimeError(f"gave up waiting for {what} after {limit:.0f} s")


def settle(seconds: float = 0.05) -> None:
    """Let queued events and paints run for a moment."""
    end = now() + seconds
    wait_until(lambda: now() >= end, "settle")


# --- the child: one `tunedeck FILE`, measured ----------------------------------------------


class Child:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.path: Path = args.child
        self.figures: dict[str, Any] = {}
        self.profiles: list[tuple[str, pstats.Stats]] = []
        self.rng = random.Random(args.seed + 11)

    def run(self) -> int:
        # open_window() remembers the project in the recent list through QSettings: keep
        # that out of the user's own configuration.
        os.environ["XDG_CONFIG_HOME"] = str(self.path.parent / "config")
        if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
            os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        from tunedeck import app as tunedeck_app

        # As app.run: names for QSettings (which moved to tunedeck.ui.recent at some point).
        try:
            from tunedeck.ui import recent as names
        except ImportError:
            names = tunedeck_app
        qt_app = QApplication.instance() or QApplication(sys.argv[:1])
        qt_app.setOrganizationName(names.ORGANIZATION)
        qt_app.setApplicationName(names.APPLICATION)
        self.messages = QtMessages()
        self.gc = GcWatch()
        self.heartbeat = Heartbeat()
        self.heartbeat.start()
        started = now()
        self.measure_memory("start")
        self.measure_import(tunedeck_app)
        self.measure_memory("import")
        window = self.measure_open_and_lint(tunedeck_app)
        self.measure_memory("lint")
        self.measure_edits(window)
        self.measure_debounced(window)
        self.measure_sort(window)
        self.measure_filter(window)
        self.measure_delete_undo(window)
        self.figures["child seconds"] = now() - started
        self.report(window)
        window.close()  # cancels nothing by now; closes the project
        window.session.project.close()
        return 0

    def say(self, text: str) -> None:
        print(f"  [{self.args.format}] {text} ...", flush=True)

    def profiled(self, title: str, work: Callable[[], Any]) -> Any:
        """Run `work`, under cProfile (GUI thread only) when --profile is given."""
        if not self.args.profile:
            return work()
        profiler = cProfile.Profile()
        profiler.enable()
        try:
            return work()
        finally:
            profiler.disable()
            self.profiles.append((title, pstats.Stats(profiler)))

    def action(self, title: str, work: Callable[[], Any]) -> dict[str, float]:
        """One synchronous GUI action and the repaint it causes, with the longest stall."""
        start = now()
        self.profiled(title, work)
        returned = now()
        wait_until(lambda: self.paint.since(returned) is not None, f"{title}: repaint")
        painted = self.paint.since(returned)
        assert painted is not None
        settle()
        return {
            "call": returned - start,
            "painted": painted - start,
            "stall": self.heartbeat.longest(start, painted),
            "gc": self.gc.full_seconds(start, painted),
        }

    # --- 1. import -------------------------------------------------------------------------

    def measure_import(self, tunedeck_app: Any) -> None:
        self.say("importing through app.import_beside")
        start = now()
        location, _name = self.profiled("import", lambda: tunedeck_app.import_beside(self.path))
        end = now()
        self.location = location
        self.figures["import"] = {
            "seconds": end - start,
            "stall": self.heartbeat.longest(start, end),
            "gaps": self.heartbeat.gaps(start, end),
            "gc": self.gc.during(start, end),
        }

    # --- 2 and 3. open, first paint, first lint --------------------------------------------

    def measure_open_and_lint(self, tunedeck_app: Any) -> Any:
        self.say("opening the window (app.open_window, show, start_lint) and linting")
        start = now()
        window = self.profiled("open_window", lambda: tunedeck_app.open_window(self.location))
        opened = now()
        self.paint = PaintProbe(window.view.viewport())
        if hasattr(tunedeck_app, "show"):  # app.run's own step: show, then start_lint
            tunedeck_app.show(window)
        else:
            window.show()
            window.start_lint()
        lint_started = now()
        passes = window.passes
        worker = passes.worker
        # A window opens with its first rows and reads the rest in a worker before it lints:
        # that phase is timed on its own, with its stalls.
        loading = not window.session.complete
        if loading:
            self.profiled(
                "reading the rest of the rows (GUI thread)",
                lambda: wait_until(lambda: passes.worker is not worker, "the rest of the rows"),
            )
            worker = passes.worker
        rows_in = now()

        # The window's finishing slot is queued before ours and hides the progress bar first
        # thing: the hide marks its start, session.relinted its middle, our slot its end.
        marks: dict[str, float] = {}
        hidden = EventMark(QEvent.Type.Hide, lambda: marks.setdefault("handler", now()))
        window.passes.bar.installEventFilter(hidden)
        window.session.relinted.connect(lambda: marks.setdefault("relinted", now()))
        done = Receiver(lambda *_: marks.setdefault("end", now()))
        worker.finished.connect(done.slot)
        worker.failed.connect(done.slot)
        self.profiled(
            "first paint and first lint (GUI thread)",
            lambda: wait_until(lambda: "end" in marks, "the first lint"),
        )
        window.passes.bar.removeEventFilter(hidden)
        first_paint = self.paint.since(opened)
        if first_paint is None or window.model.rowCount() == 0:
            raise RuntimeError("the table never painted rows")
        settle()
        end = marks["end"]
        handler = marks.get("handler", end)
        self.figures["open"] = {
            "open_window": opened - start,
            "first rows": first_paint - start,
            "show to paint": first_paint - opened,
            "gc": self.gc.during(start, opened),
            "rows": window.model.rowCount(),
        }
        self.figures["rows in"] = {
            "seconds": rows_in - start,
            "stall": self.heartbeat.longest(lint_started, rows_in) if loading else None,
        }
        self.figures["lint"] = {
            "seconds": end - rows_in,
            "worker": handler - rows_in,
            "handler": end - handler,
            "relinted": marks.get("relinted", end) - handler,
            "handler gc": self.gc.full_seconds(handler, end),
            "stall": self.heartbeat.longest(rows_in, end),
            "stall before handler": self.heartbeat.longest(rows_in, handler),
            "gaps": self.heartbeat.gaps(rows_in, end),
            "gc": self.gc.during(rows_in, end),
            "findings": sum(window.problems.counts().values()),
        }
        return window

    # --- 4. memory -------------------------------------------------------------------------

    def measure_memory(self, moment: str) -> None:
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        peak = peak if sys.platform == "darwin" else peak * 1024  # KiB on Linux
        try:
            pages = int(Path("/proc/self/statm").read_text().split()[1])
            current: int | None = pages * os.sysconf("SC_PAGE_SIZE")
        except (OSError, IndexError, ValueError):
            current = None
        self.figures.setdefault("memory", {})[moment] = {"peak": peak, "current": current}

    # --- 5. edits --------------------------------------------------------------------------

    def edit_targets(self, window: Any, count: int) -> list[int]:
        from tunedeck.core.dataset import ExampleFormat

        wanted = ExampleFormat.CHAT if self.args.format == "chat" else ExampleFormat.LEGACY
        ids = [example.id for example in window.session.dataset if example.format is wanted]
        return self.rng.sample(ids, min(count, len(ids)))

    def answer_column(self, window: Any) -> int:
        from tunedeck.ui.models.table_columns import Column

        wanted = Column.FINAL_ASSISTANT if self.args.format == "chat" else Column.COMPLETION
        return window.model.column_number(wanted)

    def relabel(self, window: Any, text: str) -> tuple[int, int, str]:
        """(start, end, other): the span of the class in `text`, and another class for it."""
        counts = window.session.linter.tally.labels
        classes = sorted(name for name, count in counts.items() if count >= 100)
        label = text.strip()
        start = text.find(label) if label else 0
        other = self.rng.choice([name for name in classes if name != label])
        return start, start + len(label), other

    def measure_edits(self, window: Any) -> None:
        count = self.args.edits
        self.say(f"{count} cell edits through model.setData")
        self.probe = EditProbe(window)
        column = self.answer_column(window)
        results: list[dict[str, float]] = []

        def one_edit(row_id: int) -> None:
            window.select_row(row_id)  # the user clicks the cell first (not timed)
            settle()
            index = window.model.index_of(row_id, column)
            text = index.data(Qt.ItemDataRole.EditRole)
            start_at, end_at, other = self.relabel(window, text)
            self.probe.arm(row_id)
            start = now()
            accepted = window.model.setData(
                index, text[:start_at] + other + text[end_at:], Qt.ItemDataRole.EditRole
            )
            returned = now()
            if not accepted:
                raise RuntimeError(f"setData refused the edit of row {row_id}")
            wait_until(lambda: self.paint.since(returned) is not None, "the edit's repaint")
            painted = self.paint.since(returned)
            assert painted is not None
            results.append(self.probe.times(start, returned, painted))
            results[-1]["stall"] = self.heartbeat.longest(start, painted)
            results[-1]["gc"] = self.gc.seconds(start, painted)

        def all_edits() -> None:
            for row_id in self.edit_targets(window, count):
                one_edit(row_id)

        self.profiled(f"{count} cell edits (setData)", all_edits)
        self.figures["edits"] = results

    def measure_debounced(self, window: Any) -> None:
        count = self.args.debounced
        if count <= 0:
            return
        self.say(f"{count} edits typed in the example editor (debounced)")
        column = self.answer_column(window)
        results: list[dict[str, float]] = []

        def one_edit(row_id: int) -> None:
            window.select_row(row_id)  # the editor shows the current row
            settle()
            path = window.model._row(row_id).paths[window.model.columns[column]]
            field = window.editor._fields[path]
            text = field.toPlainText()
            start_at, end_at, other = self.relabel(window, text)
            cursor = field.textCursor()
            cursor.setPosition(start_at)
            cursor.setPosition(end_at, QTextCursor.MoveMode.KeepAnchor)
            field.setTextCursor(cursor)  # the label selected, as by a double click
            marks: dict[str, float] = {}
            fired = EventMark(QEvent.Type.Timer, lambda: marks.setdefault("fired", now()))
            field.commit_timer.installEventFilter(fired)
            done = Receiver(lambda: marks.setdefault("committed", now()))
            field.commit_timer.timeout.connect(done.slot)  # after the editor's own slot
            self.probe.arm(row_id)
            typing = now()
            QTest.keyClicks(field, other)
            typed = now()
            wait_until(lambda: "committed" in marks, "the debounced commit")
            committed = marks["committed"]
            wait_until(lambda: self.paint.since(committed) is not None, "the editor's repaint")
            painted = self.paint.since(committed)
            assert painted is not None
            field.commit_timer.removeEventFilter(fired)
            expected = text[:start_at] + other + text[end_at:]
            if window.model.index_of(row_id, column).data(Qt.ItemDataRole.EditRole) != expected:
                raise RuntimeError(f"typing {other!r} did not reach row {row_id}")
            got = self.probe.times(marks["fired"], committed, painted)
            got["typing"] = typed - typing
            got["typed to findings"] = (self.probe.findings_at or typed) - typed
            got["stall"] = self.heartbeat.longest(typing, painted)
            got["gc"] = self.gc.seconds(marks["fired"], painted)
            results.append(got)

        def all_edits() -> None:
            for row_id in self.edit_targets(window, count):
                one_edit(row_id)

        self.profiled(f"{count} editor edits (typed, debounced)", all_edits)
        self.figures["debounced"] = results

    # --- 6. sort, filter, delete and undo --------------------------------------------------

    def measure_sort(self, window: Any) -> None:
        from tunedeck.ui.models.table_columns import Column

        self.say("sorting")
        text = Column.LAST_USER if self.args.format == "chat" else Column.PROMPT
        plan = [
            (f"{text.title.lower()} (text)", text, Qt.SortOrder.AscendingOrder),
            ("tokens, descending", Column.TOKENS, Qt.SortOrder.DescendingOrder),
            ("issues", Column.ISSUES, Qt.SortOrder.AscendingOrder),
            ("class", Column.CLASS, Qt.SortOrder.AscendingOrder),
        ]
        results: dict[str, dict[str, float]] = {}
        # What a click on a column header does: the header's indicator changes and the view
        # sorts once. (QTableView.sortByColumn sorts twice when sorting is enabled: once for
        # the indicator, once more itself.)
        header = window.view.horizontalHeader()
        for name, column, order in plan:
            number = window.model.column_number(column)
            results[name] = self.action(
                f"sort by {name}", lambda n=number, o=order: header.setSortIndicator(n, o)
            )
        results["back to file order"] = self.action(
            "back to file order", lambda: header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        )
        self.figures["sort"] = results

    def measure_filter(self, window: Any) -> None:
        self.say("filtering")
        bar = window.filters
        results: dict[str, dict[str, float]] = {}
        shown: dict[str, int] = {}
        for name, combo, data in (
            ("rule: duplicate", bar.rule, "duplicate"),
            ("severity: with findings", bar.severity, "any"),
            ("class: refund", bar.label, "refund"),
        ):
            position = combo.findData(data)
            if position < 0:
                print(f"  (no {name!r} to filter by)")
                continue
            results[name] = self.action(
                f"filter {name}", lambda c=combo, p=position: c.setCurrentIndex(p)
            )
            shown[name] = window.model.rowCount()
            results[f"{name}: cleared"] = self.action(
                f"clear {name}", lambda c=combo: c.setCurrentIndex(0)
            )
        # A reviewer clicks into the search box (or presses Ctrl+F) before typing: the window
        # builds every row's search text then, a few hundred rows per turn of the event loop.
        start = now()
        window.activateWindow()
        bar.search.setFocus()
        wait_until(lambda: bar.search.hasFocus() and not bar.warming, "search texts built")
        end = now()
        self.figures["search warm"] = {
            "seconds": end - start,
            "stall": self.heartbeat.longest(start, end),
        }
        word = "refund"
        keys = [
            self.action(f"search: key {letter!r}", lambda ch=letter: QTest.keyClick(bar.search, ch))
            for letter in word
        ]
        shown[f"search {word!r}"] = window.model.rowCount()
        results["search: cleared"] = self.action("clear the search", bar.search.clear)
        self.figures["filter"] = results
        self.figures["filter keys"] = (word, keys)
        self.figures["filter shown"] = shown

    def measure_delete_undo(self, window: Any) -> None:
        self.say(f"deleting {DELETE_ROWS:,} selected rows, then undo")
        model, view = window.model, window.view
        before = model.rowCount()
        first = before // 2
        last = min(before, first + DELETE_ROWS) - 1
        flags = QItemSelectionModel.SelectionFlag
        block = QItemSelection(model.index(first, 0), model.index(last, model.columnCount() - 1))
        view.selectionModel().setCurrentIndex(model.index(first, 1), flags.NoUpdate)
        view.selectionModel().select(block, flags.ClearAndSelect | flags.Rows)  # a shift-click
        settle()
        selected = len(window.selected_row_ids())
        results = {"delete": self.action(f"delete {selected:,} rows", window.delete_rows)}
        after = model.rowCount()
        results["undo"] = self.action(f"undo the delete of {selected:,}", window.undo_stack.undo)
        self.figures["delete"] = {
            "results": results,
            "selected": selected,
            "rows": (before, after, model.rowCount()),
        }

    # --- report ----------------------------------------------------------------------------

    def report(self, window: Any) -> None:
        from lint_bench import mb, row  # imported late: the child must not pre-import core

        f = self.figures
        settings = window.session.linter.settings
        print()
        print(
            f"[{self.args.format}] {f['open']['rows']:,} rows in the table; model "
            f"{settings.model.name}, separator {settings.separator!r}, stop {settings.stop!r}, "
            f"classification {settings.classification}; {f['lint']['findings']:,} findings"
        )
        if self.args.profile:
            print("  (--profile: cProfile ran in the GUI thread, so every time below is inflated)")
        print()
        row("measure", "value", "target", "result")
        row("-" * 40, "-" * 18, "-" * 16, "-" * 20)
        imported = f["import"]
        seconds = imported["seconds"]
        row(
            "import (app.import_beside)",
            f"{seconds:.2f} s",
            "",
            f"{self.args.rows / seconds:,.0f} rows/s, "
            f"{self.path.stat().st_size / MB / seconds:.1f} MB/s",
        )
        self.stall_row("  longest stall during the import", imported["stall"])
        row("  stalls over 50 ms", big_gaps(imported["gaps"]))
        row("  garbage collections", "", "", imported["gc"])
        opened = f["open"]
        row(
            "open to first rows painted",
            f"{opened['first rows']:.2f} s",
            f"<= {TARGET_FIRST_ROWS_S:g} s",
            verdict(opened["first rows"] <= TARGET_FIRST_ROWS_S),
        )
        row("  app.open_window (loop blocked)", f"{opened['open_window']:.2f} s")
        row("  garbage collections in open_window", "", "", opened["gc"])
        row("  show + start_lint to first paint", ms(opened["show to paint"]))
        rows_in = f["rows in"]
        row("open to every row in", f"{rows_in['seconds']:.2f} s")
        if rows_in["stall"] is not None:
            self.stall_row("  longest stall while the rest loaded", rows_in["stall"])
        lint = f["lint"]
        row("first full lint, rows in to done", f"{lint['seconds']:.2f} s")
        row("  worker, to the finishing slot", f"{lint['worker']:.2f} s")
        row("  finishing slot (GUI thread)", ms(lint["handler"]), "", "one blocking call")
        row("    of which session.relinted slots", ms(lint["relinted"]))
        row("    of which full garbage collections", ms(lint["handler gc"]))
        self.stall_row("  longest stall during the lint", lint["stall"])
        row("  longest stall while the worker ran", ms(lint["stall before handler"]))
        row("  stalls over 50 ms", big_gaps(lint["gaps"]))
        row("  garbage collections", "", "", lint["gc"])
        memory = f["memory"]["lint"]
        row("peak RSS (ru_maxrss) after lint", mb(memory["peak"]), "", "import + open + lint")
        if memory["current"] is not None:
            row("current RSS after lint (statm)", mb(memory["current"]))
        before, imported = f["memory"]["start"], f["memory"]["import"]
        if imported["current"] is not None and before["current"] is not None:
            row(
                "  RSS before / after the import",
                f"{before['current'] / MB:,.0f} / {imported['current'] / MB:,.0f} MB",
                "",
                "Python, Qt; then what the import kept",
            )
        self.report_edits(row)
        for name, result in f["sort"].items():
            self.action_row(row, f"sort: {name}", result)
        shown = f["filter shown"]
        for name, result in f["filter"].items():
            self.action_row(
                row, f"filter {name}", result, f"{shown[name]:,} shown" if name in shown else ""
            )
        word, keys = f["filter keys"]
        worst = max(keys, key=lambda key: key["painted"])
        row(
            f"search {word!r} typed: per key, median",
            ms(statistics.median(key["painted"] for key in keys)),
            "",
            f"{len(keys)} keys; {shown[f'search {word!r}']:,} shown",
        )
        row("  worst key: to repaint / stall", f"{ms(worst['painted'])} / {ms(worst['stall'])}")
        warm = f["search warm"]
        row(
            "  before it: texts built on focus",
            ms(warm["seconds"]),
            "",
            f"longest stall {ms(warm['stall'])}",
        )
        deleted = f["delete"]
        before, after, restored = deleted["rows"]
        self.action_row(
            row,
            f"delete {deleted['selected']:,} selected rows",
            deleted["results"]["delete"],
            f"{before:,} -> {after:,} rows",
        )
        self.action_row(row, "undo that delete", deleted["results"]["undo"], f"{restored:,} rows")
        print()
        print(
            "Stalls are the longest gaps between ticks of a 10 ms QTimer in the GUI thread (on\n"
            "time, a gap is ~10 ms). 'call' is the synchronous call alone; the value runs on\n"
            "until the table's viewport has painted again. A cell edit counts from the setData\n"
            "call, an editor edit from its commit timer firing, to the later of the call's return\n"
            "and the session's findings_changed and the model's dataChanged for the row."
        )
        self.report_health()
        print(f"Child process: {f['child seconds']:.0f} s.")
        for title, stats in self.profiles:
            for order, top in (("cumulative", 25), ("tottime", 15)):
                print()
                print(f"cProfile, GUI thread: {title} (by {order}, top {top})")
                text = io.StringIO()
                stats.stream = text  # type: ignore[attr-defined]
                stats.sort_stats(order).print_stats(top)
                print(text.getvalue().split("\n\n", 1)[-1].rstrip())

    def report_health(self) -> None:
        """Qt warnings and exceptions in slots."""

        for message, count in self.messages.seen.items():
            print(f"Qt warning ({count}x): {message}")
        for error, count in self.messages.errors.items():
            print(f"Exception in a Qt slot ({count}x): {error}")

    def stall_row(self, name: str, seconds: float) -> None:
        from lint_bench import row

        row(
            name,
            ms(seconds),
            f"<= {TARGET_STALL_MS:g} ms",
            verdict(seconds * 1000 <= TARGET_STALL_MS),
        )

    def report_edits(self, row: Callable[..., None]) -> None:
        for key, title in (
            ("edits", "cell edit (setData) to findings"),
            ("debounced", "editor edit, after the debounce"),
        ):
            edits: list[dict[str, float]] = self.figures.get(key, [])
            if not edits:
                continue
            done = [edit["done"] for edit in edits]
            median, worst = statistics.median(done), max(done)
            target = f"<= {TARGET_EDIT_MS:g} ms"
            row(
                f"{title}: median of {len(edits)}",
                ms(median),
                target,
                verdict(median * 1000 <= TARGET_EDIT_MS),
            )
            row("  max", ms(worst), target, verdict(worst * 1000 <= TARGET_EDIT_MS))
            slowest = max(edits, key=lambda edit: edit["done"])
            row("    garbage collection in the max", ms(slowest["gc"]))
            row("    storing it in the max (commit, fsync)", ms(slowest["stored"]))
            stored = [edit["stored"] for edit in edits]
            row(
                "  storing: median / max",
                f"{ms(statistics.median(stored))} / {ms(max(stored))}",
            )
            signals = [edit["signals"] for edit in edits]
            row(
                "  to both signals: median / max",
                f"{ms(statistics.median(signals))} / {ms(max(signals))}",
            )
            painted = [edit["painted"] for edit in edits]
            row(
                "  to the repaint: median / max",
                f"{ms(statistics.median(painted))} / {ms(max(painted))}",
            )
            if key == "debounced":
                typed = [edit["typed to findings"] for edit in edits]
                row("  last key to findings: median", ms(statistics.median(typed)))
                typing = [edit["typing"] for edit in edits]
                row("  typing the label: median", ms(statistics.median(typing)))
            row("  longest stall", ms(max(edit["stall"] for edit in edits)))

    def action_row(
        self, row: Callable[..., None], name: str, result: dict[str, float], extra: str = ""
    ) -> None:
        details = f"call {ms(result['call'])}, stall {ms(result['stall'])}"
        if result.get("gc"):
            details += f", full gc {ms(result['gc'])}"
        row(name, ms(result["painted"]), "", details + (f"; {extra}" if extra else ""))


def big_gaps(gaps: list[float]) -> str:
    big = [gap for gap in gaps if gap >= BIG_GAP_S]
    return f"{len(big)}" + (f", {sum(big):.2f} s in all" if big else "")


if __name__ == "__main__":
    sys.exit(main())
