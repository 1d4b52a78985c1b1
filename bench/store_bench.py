"""Project store benchmark: import, window fetch, edit commits, export and peak memory.

Run with the project's venv:

    .venv/bin/python bench/store_bench.py [--rows 100000] [--seed 1] [--format legacy|chat]
                                          [--task generate|classify] [--postgres URL]
                                          [--profile] [--keep]

One run generates a seeded synthetic dataset (bench/lint_bench.py's support tickets, with
prompts of 50-1500 characters) as JSONL in a temporary directory, then measures, on a SQLite
project file in that directory:

1. reading and parsing the file alone (`read_jsonl`), median of 3;
2. `Project.import_file` into a fresh project file, median of 3, against 2x the read;
3. `Project.window` of 200 examples at 200 random offsets (the first and the very last
   window included): median, p95 and max, against 20 ms;
4. 300 `Project.set_fields` edits and 300 `Project.review` calls on random examples, each
   naming the example's current version: median and p95, against a 5 ms median;
5. `Project.export` to JSONL, median of 3, and whether the export is byte-identical to the
   generated file;
6. peak memory of an import and of an export, each in a fresh interpreter: peak RSS growth
   over the RSS after opening the project (judged figure), and tracemalloc's peak.

With `--postgres URL` (an empty database) figures 2-5 are repeated on PostgreSQL; the tables
the benchmark creates there are dropped again at the end. It prints a table of figures with
the targets and PASS/FAIL next to each. It is a report, not a test: it exits 0 whatever the
figures say, unless something crashes. `--profile` adds the database's plan for the window
query and pyinstrument profiles of the slowest windows, 100 edits and one more import.
The data generator and the memory helpers are imported from bench/lint_bench.py.
"""

from __future__ import annotations

import argparse
import filecmp
import gc
import json
import math
import os
import platform
import random
import shlex
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event

from lint_bench import (
    SEPARATOR,
    Generator,
    current_rss_bytes,
    mb,
    peak_rss_bytes,
    release_free_memory,
    reset_peak_rss,
    row,
    timed,
    verdict,
)
from tunedeck.core.io import read_jsonl
from tunedeck.core.storage import Project
from tunedeck.core.storage.database import create_engine
from tunedeck.core.storage.schema import metadata

# --- targets -------------------------------------------------------------------------------

TARGET_IMPORT_OVER_READ = 2.0  # import within 2x of reading and parsing the file alone
TARGET_WINDOW_MS = 20.0  # any window of 200 examples in under 20 ms (judged on the median)
TARGET_EDIT_MEDIAN_MS = 5.0  # one edit committed in under 5 ms (median, SQLite)

MB = 1024 * 1024
TIMED_RUNS = 3  # read, import and export are each run this often; the median counts
WINDOW = 200  # examples per window
WINDOWS = 200  # window fetches to time
EDITS = 300  # set_fields calls to time, and as many review calls
PROMPT_MIN, PROMPT_MAX = 50, 1500  # characters, separator included
DATASET = "bench"
AUTHOR = "bench"
STATUSES = ("approved", "rejected", "needs-work")

# --- synthetic data ------------------------------------------------------------------------


class StoreGenerator(Generator):
    """lint_bench's seeded support tickets, with prompts of 50-1500 characters.

    Short prompts are a bare customer message; longer ones get the ticket header. The
    separator ends ~97% of legacy prompts and completions are " answer\\n", as in lint_bench.
    """

    def prompt_body(self) -> str:
        rng = self.rng
        # Log-normal, median ~450 characters, cut to the range with the separator counted.
        length = int(rng.lognormvariate(math.log(450), 0.8))
        length = min(PROMPT_MAX, max(PROMPT_MIN, length)) - len(SEPARATOR)
        international = rng.random() < 0.15
        if length < 200:
            return self.text(length, international)
        header = (
            f"Ticket #{rng.randrange(100_000, 999_999)} ({rng.choice(('Free', 'Team', 'Pro'))} "
            f"plan)\nSubject: {self.sentence(international)}\n\n"
        )
        return header + self.text(max(40, length - len(header)), international)


# --- measuring -----------------------------------------------------------------------------


def quantile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    return statistics.quantiles(ordered, n=100, method="inclusive")[round(fraction * 100) - 1]


def summary(values: list[float]) -> dict[str, float]:
    return {
        "median": statistics.median(values),
        "p95": quantile(values, 0.95),
        "max": max(values),
        "n": len(values),
    }


def remove_sqlite(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


class SqliteTarget:
    """Fresh project files in a folder, one per import."""

    name = "SQLite"

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.runs = 0
        self.last: Path | None = None

    def fresh(self) -> Path:
        if self.last is not None:
            remove_sqlite(self.last)
        self.runs += 1
        self.last = self.folder / f"import-{self.runs}.tunedeck"
        return self.last

    def finish(self) -> None:
        pass


class PostgresTarget:
    """One empty PostgreSQL database, emptied again before every import and at the end."""

    name = "PostgreSQL"

    def __init__(self, url: str) -> None:
        self.url = url
        engine = sa.create_engine(sa.make_url(url).set(drivername="postgresql+psycopg"))
        try:
            with engine.connect() as connection:
                tables = sa.inspect(connection).get_table_names()
        finally:
            engine.dispose()
        if tables:
            raise SystemExit(
                f"--postgres: the database must be empty; it holds {', '.join(sorted(tables))}"
            )

    def empty(self) -> None:
        engine = sa.create_engine(sa.make_url(self.url).set(drivername="postgresql+psycopg"))
        try:
            with engine.begin() as connection:
                metadata.drop_all(connection)
                connection.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
        finally:
            engine.dispose()

    def fresh(self) -> str:
        self.empty()
        return self.url

    def finish(self) -> None:
        self.empty()


def measure_store(
    args: argparse.Namespace, target: SqliteTarget | PostgresTarget, path: Path, folder: Path
) -> dict[str, Any]:
    """Import, window, edit and export figures on one kind of database."""
    print(f"  {target.name}: importing {TIMED_RUNS} times ...", flush=True)
    out: dict[str, Any] = {"name": target.name, "import": [], "open": []}
    project: Project | None = None
    for _ in range(TIMED_RUNS):
        if project is not None:
            project.close()
        location = target.fresh()
        seconds, project = timed(partial(Project.open, location, create=True, author=AUTHOR))
        out["open"].append(seconds)
        seconds, info = timed(partial(project.import_file, path, DATASET))
        out["import"].append(seconds)
    assert project is not None
    out["location"] = str(target.last) if isinstance(target, SqliteTarget) else target.name
    count = project.count(info.id)
    out["count"] = count

    # Windows: the first and the very last included; two untimed fetches warm the pool.
    rng = random.Random(args.seed + 2)
    last = max(0, count - WINDOW)
    offsets = [0, last, *(rng.randint(0, last) for _ in range(WINDOWS - 2))]
    rng.shuffle(offsets)
    project.window(info.id, 0, WINDOW)
    project.window(info.id, last, WINDOW)
    window_ms: list[tuple[int, float]] = []
    for offset in offsets:
        start = time.perf_counter()
        got = project.window(info.id, offset, WINDOW)
        window_ms.append((offset, (time.perf_counter() - start) * 1000))
        assert len(got) == min(WINDOW, count - offset), (offset, len(got))
    out["window"] = summary([ms for _, ms in window_ms])
    out["window_first"] = statistics.median([time_window(project, info.id, 0) for _ in range(5)])
    out["window_end"] = statistics.median([time_window(project, info.id, last) for _ in range(5)])
    tenth = [ms for offset, ms in window_ms if offset >= last * 0.9]
    out["window_last_tenth"] = statistics.median(tenth) if tenth else math.nan

    # Export of the untouched dataset: must give back the generated file byte for byte.
    print(f"  {target.name}: exporting {TIMED_RUNS} times ...", flush=True)
    out["export"] = []
    identical = True
    for run in range(TIMED_RUNS):
        exported = folder / f"export-{run}.jsonl"
        seconds, written = timed(partial(project.export, DATASET, exported))
        out["export"].append(seconds)
        identical = identical and written == count and filecmp.cmp(path, exported, shallow=False)
        exported.unlink()
    out["identical"] = identical

    # Edits and reviews, each against the example's current version.
    print(f"  {target.name}: {EDITS} edits and {EDITS} reviews ...", flush=True)
    versions = project.versions(info.id)
    editor = StoreGenerator(args.seed + 1, args.format, args.task)
    chosen = editor.rng.sample(sorted(versions), min(EDITS, len(versions)))
    edit_ms: dict[str, list[float]] = {"prompt": [], "answer": []}
    for which, example_id in enumerate(chosen):
        record = project.example(example_id).record
        assert record is not None
        kind, field, value = editor.edit(record, which)
        start = time.perf_counter()
        changed = project.set_fields(example_id, versions[example_id], {field: value})
        edit_ms[kind].append((time.perf_counter() - start) * 1000)
        versions[example_id] = changed.version
    every_edit = edit_ms["prompt"] + edit_ms["answer"]
    out["edit"] = summary(every_edit)
    out["edit_kinds"] = {kind: statistics.median(ms) for kind, ms in edit_ms.items() if ms}
    review_ms: list[float] = []
    for which, example_id in enumerate(editor.rng.sample(sorted(versions), len(chosen))):
        status = STATUSES[which % len(STATUSES)]
        start = time.perf_counter()
        changed = project.review(example_id, versions[example_id], status=status)
        review_ms.append((time.perf_counter() - start) * 1000)
        versions[example_id] = changed.version
    out["review"] = summary(review_ms)

    exported = folder / "export-edited.jsonl"
    seconds, written = timed(lambda: project.export(DATASET, exported))
    out["export_edited"] = seconds
    assert written == count
    exported.unlink()

    if args.profile:
        out["profiles"] = profile_store(args, target, project, info.id, path, window_ms)
    project.close()
    return out


def time_window(project: Project, dataset_id: int, offset: int) -> float:
    start = time.perf_counter()
    project.window(dataset_id, offset, WINDOW)
    return (time.perf_counter() - start) * 1000


def profile_store(
    args: argparse.Namespace,
    target: SqliteTarget | PostgresTarget,
    project: Project,
    dataset_id: int,
    path: Path,
    window_ms: list[tuple[int, float]],
) -> list[tuple[str, str]]:
    """pyinstrument text profiles: the slowest windows, 100 edits, then one more import."""
    from pyinstrument import Profiler  # only with --profile; not a TuneDeck dependency

    def profiled(title: str, work: Callable[[], Any]) -> tuple[str, str]:
        profiler = Profiler(interval=0.0005)
        profiler.start()
        work()
        profiler.stop()
        return title, profiler.output_text(unicode=False, color=False)

    slowest = [offset for offset, _ in sorted(window_ms, key=lambda item: -item[1])[:20]]

    def windows() -> None:
        for offset in slowest:
            project.window(dataset_id, offset, WINDOW)

    versions = project.versions(dataset_id)
    picked = random.Random(args.seed + 3).sample(sorted(versions), min(100, len(versions)))
    records = {example_id: project.example(example_id).record for example_id in picked}
    field = "messages[1].content" if args.format == "chat" else "prompt"

    def edits() -> None:
        for example_id in picked:
            record = records[example_id]
            text = record["messages"][1]["content"] if args.format == "chat" else record["prompt"]
            project.set_fields(example_id, versions[example_id], {field: "Edited. " + text})

    location = target.last if isinstance(target, SqliteTarget) else target.url
    assert location is not None
    results = [
        query_plan(target.name, location, project, dataset_id, max(slowest)),
        profiled(f"{target.name}: the 20 slowest windows again", windows),
        profiled(f"{target.name}: 100 set_fields edits", edits),
    ]
    project.close()
    location = target.fresh()
    fresh = Project.open(location, create=True, author=AUTHOR)
    results.append(
        profiled(f"{target.name}: one more import", lambda: fresh.import_file(path, DATASET))
    )
    fresh.close()
    return results


def query_plan(
    name: str, location: str | Path, project: Project, dataset_id: int, offset: int
) -> tuple[str, str]:
    """The database's plan for the window query, as Project.window sends it."""
    captured: list[tuple[str, Any]] = []

    def capture(_conn, _cursor, statement, parameters, _context, _many) -> None:
        if "FROM examples" in statement and "LIMIT" in statement.upper():
            captured.append((statement, parameters))

    event.listen(sa.Engine, "before_cursor_execute", capture)
    try:
        project.window(dataset_id, offset, WINDOW)
    finally:
        event.remove(sa.Engine, "before_cursor_execute", capture)
    statement, parameters = captured[-1]
    engine = create_engine(location)
    try:
        with engine.connect() as connection:
            if connection.dialect.name == "sqlite":
                found = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)
                plan = [f"  {row.detail}" for row in found]
            else:
                found = connection.exec_driver_sql(
                    f"EXPLAIN (ANALYZE, BUFFERS) {statement}", parameters
                )
                plan = [f"  {line}" for line in found.scalars()]
    finally:
        engine.dispose()
    title = f"{name}: plan of the window at offset {offset:,}"
    return title, "\n".join([f"  {statement} -- {parameters}", *plan])


def measure_read(path: Path) -> list[float]:
    seconds: list[float] = []
    for _ in range(TIMED_RUNS):
        elapsed, dataset = timed(lambda: read_jsonl(path))
        seconds.append(elapsed)
        count = len(dataset)
        del dataset
    print(f"  read_jsonl: {count:,} examples", flush=True)
    return seconds


# --- memory, in fresh interpreters ---------------------------------------------------------


def memory_child(kind: str, what: str, path: Path, project_path: Path) -> dict[str, Any]:
    """Runs in a fresh interpreter: open the project, then import or export only.

    The baseline is the RSS after importing TuneDeck and opening (for an import: creating)
    the project, with freed memory handed back and the kernel's peak counter restarted.
    """
    project = Project.open(project_path, create=what == "import", author=AUTHOR)
    project.datasets()  # a pooled connection, opened before the baseline
    exported = project_path.with_name("memory-export.jsonl")
    gc.collect()
    release_free_memory()
    out: dict[str, Any] = {"reset": reset_peak_rss()}
    out["baseline_rss"] = current_rss_bytes()
    out["baseline_peak"] = peak_rss_bytes()
    if kind == "tracemalloc":
        import tracemalloc

        tracemalloc.start()
    start = time.perf_counter()
    if what == "import":
        project.import_file(path, DATASET)
    else:
        project.export(DATASET, exported)
        exported.unlink()
    out["seconds"] = time.perf_counter() - start
    if kind == "tracemalloc":
        out["held"], out["peak"] = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    else:
        out["peak"] = peak_rss_bytes()
        out["end_rss"] = current_rss_bytes()
    project.close()
    return out


def run_child(kind: str, what: str, path: Path, project_path: Path) -> dict[str, Any]:
    command = [
        sys.executable,
        __file__,
        "--child",
        kind,
        "--what",
        what,
        "--file",
        str(path),
        "--project",
        str(project_path),
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"memory pass ({kind} {what}) failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def measure_memory(path: Path, folder: Path, project_path: Path) -> dict[str, Any]:
    print("  memory: import and export, each in fresh interpreters ...", flush=True)
    out: dict[str, Any] = {}
    for kind in ("rss", "tracemalloc"):
        fresh = folder / f"memory-{kind}.tunedeck"
        out[kind, "import"] = run_child(kind, "import", path, fresh)
        remove_sqlite(fresh)
        out[kind, "export"] = run_child(kind, "export", path, project_path)
    return out


# --- report --------------------------------------------------------------------------------


def ms(value: float) -> str:
    return f"{value:.2f} ms"


def report_store(result: dict[str, Any], read: float, file_size: int, sqlite: bool) -> None:
    name = result["name"]
    imported = statistics.median(result["import"])
    ratio = imported / read
    runs = ", ".join(f"{t:.2f}" for t in result["import"])
    row(f"{name}: open/create project", f"{statistics.median(result['open']):.2f} s")
    row(f"{name}: import, median of {TIMED_RUNS}", f"{imported:.2f} s", "", f"runs: {runs} s")
    row(
        f"{name}: import / read",
        f"{ratio:.2f}x",
        f"<= {TARGET_IMPORT_OVER_READ:g}x",
        verdict(ratio <= TARGET_IMPORT_OVER_READ),
    )
    window = result["window"]
    row(
        f"{name}: window of {WINDOW}: median of {window['n']}",
        ms(window["median"]),
        f"< {TARGET_WINDOW_MS:g} ms",
        verdict(window["median"] < TARGET_WINDOW_MS),
    )
    row(f"{name}: window p95", ms(window["p95"]))
    row(
        f"{name}: window max (any window)",
        ms(window["max"]),
        f"< {TARGET_WINDOW_MS:g} ms",
        verdict(window["max"] < TARGET_WINDOW_MS) + " (strict reading)",
    )
    row("  first window (offset 0), median of 5", ms(result["window_first"]))
    row(f"  last window (offset {result['count'] - WINDOW:,})", ms(result["window_end"]))
    row("  windows in the last tenth: median", ms(result["window_last_tenth"]))
    edit = result["edit"]
    row(
        f"{name}: set_fields commit: median of {edit['n']}",
        ms(edit["median"]),
        f"< {TARGET_EDIT_MEDIAN_MS:g} ms" if sqlite else "(SQLite only)",
        verdict(edit["median"] < TARGET_EDIT_MEDIAN_MS) if sqlite else "",
    )
    row(f"{name}: set_fields p95 / max", f"{edit['p95']:.2f} / {edit['max']:.2f} ms")
    kinds = ", ".join(f"{kind} {value:.2f} ms" for kind, value in result["edit_kinds"].items())
    row("  median by edited field", "", "", kinds)
    review = result["review"]
    row(
        f"{name}: review commit: median of {review['n']}",
        ms(review["median"]),
        f"< {TARGET_EDIT_MEDIAN_MS:g} ms" if sqlite else "(SQLite only)",
        verdict(review["median"] < TARGET_EDIT_MEDIAN_MS) if sqlite else "",
    )
    row(f"{name}: review p95 / max", f"{review['p95']:.2f} / {review['max']:.2f} ms")
    exported = statistics.median(result["export"])
    runs = ", ".join(f"{t:.2f}" for t in result["export"])
    row(f"{name}: export, median of {TIMED_RUNS}", f"{exported:.2f} s", "", f"runs: {runs} s")
    row("  export / read", f"{exported / read:.2f}x", "", f"{file_size / MB / exported:.0f} MB/s")
    row(
        f"{name}: export byte-identical to file",
        "yes" if result["identical"] else "NO",
        "identical",
        verdict(result["identical"]),
    )
    row(f"  export after {2 * EDITS} changes", f"{result['export_edited']:.2f} s")


def report_memory(memory: dict[str, Any], file_size: int) -> None:
    for what in ("import", "export"):
        rss = memory["rss", what]
        traced = memory["tracemalloc", what]
        # With the peak reset, growth counts from the RSS in use once the project is open;
        # without it, only from the peak so far, which the opening may have set.
        baseline = (
            rss["baseline_rss"] if rss["reset"] and rss["baseline_rss"] else rss["baseline_peak"]
        )
        growth = rss["peak"] - baseline
        row(
            f"SQLite: {what} peak RSS growth",
            mb(growth),
            "",
            f"{growth / file_size:.2f}x file (baseline {mb(baseline)})",
        )
        row(
            f"  {what}: tracemalloc peak",
            mb(traced["peak"]),
            "",
            f"{traced['peak'] / file_size:.2f}x file",
        )


def filesystem_of(folder: Path) -> str:
    try:
        mounts = Path("/proc/mounts").read_text().splitlines()
    except OSError:
        return "unknown filesystem"
    best = ("", "unknown")
    resolved = str(folder.resolve())
    for line in mounts:
        parts = line.split()
        if len(parts) > 2 and resolved.startswith(parts[1]) and len(parts[1]) > len(best[0]):
            best = (parts[1], parts[2])
    return f"{best[1]} at {best[0]}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000, help="examples to generate")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--format", choices=("legacy", "chat"), default="legacy")
    parser.add_argument(
        "--task",
        choices=("generate", "classify"),
        default="generate",
        help="completions are 20-400 characters of text, or one of 8 class labels",
    )
    parser.add_argument("--postgres", metavar="URL", help="also measure an empty PostgreSQL db")
    parser.add_argument("--keep", action="store_true", help="keep the generated file")
    parser.add_argument(
        "--profile", action="store_true", help="add pyinstrument profiles of the store calls"
    )
    parser.add_argument("--child", choices=("rss", "tracemalloc"), help=argparse.SUPPRESS)
    parser.add_argument("--what", choices=("import", "export"), help=argparse.SUPPRESS)
    parser.add_argument("--file", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--project", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.child:
        print(json.dumps(memory_child(args.child, args.what, args.file, args.project)))
        return 0

    postgres = PostgresTarget(args.postgres) if args.postgres else None
    with tempfile.TemporaryDirectory(prefix="tunedeck-store-bench-") as name:
        folder = Path(name)
        path = folder / f"bench-{args.format}-{args.task}-{args.rows}.jsonl"
        if args.keep:
            path = Path(tempfile.gettempdir()) / path.name
        bench(args, folder, path, postgres)
    return 0


def bench(
    args: argparse.Namespace, folder: Path, path: Path, postgres: PostgresTarget | None
) -> None:
    started = time.perf_counter()
    print(
        f"TuneDeck store benchmark: {args.rows:,} {args.format} examples ({args.task}), "
        f"seed {args.seed}"
    )
    print(
        f"  Python {platform.python_version()}, SQLAlchemy {sa.__version__}, "
        f"SQLite {sqlite3.sqlite_version}, {os.cpu_count()} CPUs, {platform.machine()}; "
        f"project files on {filesystem_of(folder)}"
    )
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    print(f"  load average before the run: {load} (timings are wall clock; an idle machine helps)")
    start = time.perf_counter()
    StoreGenerator(args.seed, args.format, args.task).write(path, args.rows)
    file_size = path.stat().st_size
    kept = f"  (kept at {path})" if args.keep else ""
    print(f"  generated in {time.perf_counter() - start:.1f} s: {mb(file_size)}{kept}")

    read = measure_read(path)
    sqlite = SqliteTarget(folder)
    results = [measure_store(args, sqlite, path, folder)]
    assert sqlite.last is not None
    gc.collect()
    memory = measure_memory(path, folder, sqlite.last)
    if postgres is not None:
        try:
            results.append(measure_store(args, postgres, path, folder))
        finally:
            postgres.finish()

    read_median = statistics.median(read)
    print()
    print(
        f"Read, import and export ran {TIMED_RUNS} times each (a fresh project for every "
        "import); the median counts.\nWindow and edit times are wall clock around one "
        "Project call each; every edit names the\nexample's current version."
    )
    print()
    row("measure", "value", "target", "result")
    row("-" * 40, "-" * 18, "-" * 16, "-" * 20)
    row("file size", mb(file_size), "", f"{args.rows:,} rows")
    runs = ", ".join(f"{t:.2f}" for t in read)
    row(f"read_jsonl alone, median of {TIMED_RUNS}", f"{read_median:.2f} s", "", f"runs: {runs} s")
    for result in results:
        report_store(result, read_median, file_size, sqlite=result is results[0])
    report_memory(memory, file_size)
    print()
    print(
        "Memory (SQLite) is measured in fresh interpreters that open the project and then only\n"
        "import or export. The main figure is RSS growth: peak RSS (VmHWM; ru_maxrss where\n"
        "/proc is missing) minus the RSS after opening the project, freeing garbage\n"
        "(malloc_trim) and restarting the peak count (/proc/self/clear_refs). tracemalloc "
        "(Python's\nallocator only, not SQLite's page cache) is a separate run."
    )
    print(
        f"Whole run: {time.perf_counter() - started:.0f} s.  Command: {shlex.join(sys.orig_argv)}"
    )

    for result in results:
        for title, text in result.get("profiles", []):
            print()
            plan = title.startswith(f"{result['name']}: plan")
            print(title if plan else f"pyinstrument: {title}")
            print(text)


if __name__ == "__main__":
    sys.exit(main())
