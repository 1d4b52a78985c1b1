"""An edit the store reported as saved survives the process being killed at any moment.

A child process (crash_child.py) edits a project in a loop and reports each edit once the
store's call has returned; the test kills it with SIGKILL at a random moment, reopens the
project and checks that every reported edit is there and SQLite finds the file sound. Many
rounds, each killed at a different moment, on the same project.
"""

from __future__ import annotations

import contextlib
import os
import queue
import random
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import pytest

from tests.conftest import BUNDLED_SAMPLE
from tunedeck.core.storage import Project

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        sys.platform == "win32", reason="kills the child with SIGKILL, which Windows does not have"
    ),
]

# The kill moments are random but reproducible: rerun a failure with TUNEDECK_CRASH_SEED=<seed>.
SEED = int(os.environ.get("TUNEDECK_CRASH_SEED", "20240611"))
ROUNDS = 25
KILL_AFTER = (0.02, 0.3)  # seconds after the child said READY
CHILD = Path(__file__).with_name("crash_child.py")
# Children started ahead of their round, so that their start-up overlaps earlier rounds.
AHEAD = 2
STARTUP_TIMEOUT = 60.0  # generous: a loaded CI machine may take long to start the child


@dataclass(frozen=True)
class Edit:
    example_id: int
    field: str  # "prompt" or "notes", as the child reports it
    value: str


def test_every_reported_edit_survives_sigkill(tmp_path: Path):
    location = tmp_path / "crash.tunedeck"
    with Project.open(location, create=True, author="setup") as project:
        info = project.import_file(BUNDLED_SAMPLE, "tickets")
        original = {
            stored.id: {"prompt": stored.record["prompt"], "notes": stored.review.notes}
            for stored in project.examples(info.id)
            if stored.example.error is None  # the quarantined line; the child skips it too
        }
    assert len(original) > 10

    choose = random.Random(SEED)
    expected: dict[tuple[int, str], str] = {}  # (example, field) -> value of its last edit
    reported_per_round = []
    children: list[Child] = []
    try:
        for number in range(1, ROUNDS + 1):
            while len(children) < min(number + AHEAD, ROUNDS):
                children.append(Child(location, len(children) + 1, tmp_path))
            child = children[number - 1]
            child.crash(choose.uniform(*KILL_AFTER))
            reported_per_round.append(len(child.reported))
            _check_after_crash(location, child, original, expected)
    finally:
        for child in children:
            child.stop()

    # Not vacuous: most kills landed while the child was editing (a starved child on a loaded
    # machine may now and then be killed before its first edit returned).
    busy_rounds = sum(1 for count in reported_per_round if count > 0)
    assert busy_rounds >= ROUNDS * 0.6, (
        f"only {busy_rounds} of {ROUNDS} rounds reported an edit before the kill "
        f"(edits per round: {reported_per_round}; seed {SEED})"
    )


class Child:
    """One round's crash_child.py: started at once, editing only once told to go."""

    def __init__(self, location: Path, number: int, folder: Path) -> None:
        self.number = number
        self.reported: list[Edit] = []
        self.log = folder / f"child-{number}.stderr"
        with self.log.open("wb") as errors:
            self.process = subprocess.Popen(
                [sys.executable, str(CHILD), str(location), str(SEED), str(number)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=errors,
            )
        self.lines: queue.Queue[bytes | None] = queue.Queue()
        # Read all the while, so that the child never waits on a full pipe.
        self.reader = threading.Thread(
            target=_pump, args=(self.process.stdout, self.lines), daemon=True
        )
        self.reader.start()

    def context(self) -> str:
        errors = self.log.read_text(errors="replace").strip() or "(nothing on stderr)"
        return (
            f"round {self.number} of seed {SEED} (rerun with TUNEDECK_CRASH_SEED={SEED}); "
            f"child's stderr: {errors}"
        )

    def crash(self, delay: float) -> None:
        """Let the child edit for `delay` seconds once it is ready, SIGKILL it, read its reports."""
        import signal  # SIGKILL exists only on POSIX; the module is skipped elsewhere

        assert self.process.stdin is not None
        self.process.stdin.write(b"go\n")
        self.process.stdin.close()
        try:
            first = self.lines.get(timeout=STARTUP_TIMEOUT)
        except queue.Empty:
            pytest.fail(f"the child did not open the project in time; {self.context()}")
        assert first == b"READY\n", f"the child failed to start: {first!r}; {self.context()}"
        time.sleep(delay)  # the random moment of the crash
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait()
        self.reader.join()
        assert self.process.returncode == -signal.SIGKILL, (
            f"the child stopped on its own (exit code {self.process.returncode}) before it was "
            f"killed; {self.context()}"
        )
        while (line := self.lines.get_nowait()) is not None:
            if not line.endswith(b"\n"):
                continue  # cut off by the kill half-way through: not reported
            word, example_id, field, value = line.decode().split()
            assert word == "EDIT", f"unexpected output {line!r}; {self.context()}"
            self.reported.append(Edit(int(example_id), field, value))

    def stop(self) -> None:
        """Make sure the process is gone and its pipes are closed, whatever happened."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.reader.join(timeout=10)
        for stream in (self.process.stdin, self.process.stdout):
            if stream is not None:
                with contextlib.suppress(BrokenPipeError):
                    stream.close()


def _pump(stream: IO[bytes], lines: queue.Queue[bytes | None]) -> None:
    for line in stream:
        lines.put(line)
    lines.put(None)


def _check_after_crash(
    location: Path,
    child: Child,
    original: dict[int, dict[str, str]],
    expected: dict[tuple[int, str], str],
) -> None:
    """Reopen the project: every reported edit is there, nothing else changed, the file is sound.

    `expected` holds the value each (example, field) must have, and is brought up to date.
    """
    context = child.context()
    with Project.open(location, author="checker") as project:
        assert project.integrity_check() == "ok", context
        saved: dict[str, Edit] = {}  # every edit in the histories, by its (unique) value
        for example_id in original:
            for entry in project.history(example_id):
                assert entry.outcome == "applied", f"{entry}; {context}"
                field = entry.field.removeprefix("$.")  # "$.prompt": a content field
                saved[entry.new] = Edit(example_id, field, entry.new)

        for edit in child.reported:
            assert saved.get(edit.value) == edit, (
                f"{edit} was reported as saved but the project's history does not have it "
                f"(it has {saved.get(edit.value)}); {context}"
            )
        # The edit being made at the moment of the kill may have been committed without being
        # reported: that one, and nothing else, may be saved beyond what was reported.
        in_flight = f"r{child.number}-e{len(child.reported)}"
        mine = {value for value in saved if value.startswith(f"r{child.number}-")}
        unreported = mine - {edit.value for edit in child.reported}
        assert unreported <= {in_flight}, (
            f"saved but neither reported nor in flight at the kill: {sorted(unreported)}; {context}"
        )
        for edit in [*child.reported, *(saved[value] for value in unreported)]:
            expected[(edit.example_id, edit.field)] = edit.value

        for example_id, fields in original.items():
            stored = project.example(example_id)
            held = {"prompt": stored.record["prompt"], "notes": stored.review.notes}
            want = {name: expected.get((example_id, name), old) for name, old in fields.items()}
            assert held == want, f"example {example_id} after the crash; {context}"
