"""The child process of test_crash_safety: edits a project in a loop until it is killed.

Usage: python crash_child.py PROJECT SEED ROUND

Waits for a line "go" on stdin before it opens the project, so that the parent can start it
(and let it pay for its imports) while the previous round is still being checked; anything
else, or the end of stdin, makes it exit without touching the project. Prints "READY" once
the project is open, then, for every edit and only after the store's call has returned (the
edit is committed), one line "EDIT <example id> <field> <value>". Edit n of round r sets its
field to the marker "r<r>-e<n>", alternating between a legacy example's prompt and its review
notes, on an example chosen at random (seeded, so a round replays). The parent kills this
process with SIGKILL at a random moment and then checks that every reported edit survived.

Not a test module (no test_ prefix): pytest does not collect it.
"""

from __future__ import annotations

import importlib
import random
import sys
import time
from pathlib import Path

from tunedeck.core.storage import Project

# A safety net should the parent ever fail to kill this process: stop on our own.
GIVE_UP_AFTER = 120.0


def main(argv: list[str]) -> int:
    location, seed, round_number = Path(argv[1]), argv[2], int(argv[3])
    # What Project.open imports on first use (the schema check): imported before "go" so
    # that a round is spent editing, not importing. Touches no file of the project.
    for module in ("alembic.config", "alembic.script", "alembic.runtime.migration"):
        importlib.import_module(module)
    if sys.stdin.readline().strip() != "go":
        return 0  # the parent is done (or gave up) without needing this round
    choose = random.Random(f"{seed}-{round_number}")
    with Project.open(location, author=f"crash-child-{round_number}") as project:
        (info,) = project.datasets()
        # The quarantined line (an unparsable record) cannot take content edits.
        editable = [item.id for item in project.examples(info.id) if item.example.error is None]
        print("READY", flush=True)
        started = time.monotonic()
        n = 0
        while time.monotonic() - started < GIVE_UP_AFTER:
            example_id = choose.choice(editable)
            marker = f"r{round_number}-e{n}"
            current = project.example(example_id)  # the version this edit is made against
            if n % 2 == 0:
                field = "prompt"
                project.set_fields(example_id, current.version, {"prompt": marker})
            else:
                field = "notes"
                project.review(example_id, current.version, notes=marker)
            # Only now, with the call returned, is the edit reported as committed.
            print(f"EDIT {example_id} {field} {marker}", flush=True)
            n += 1
    return 3  # never killed: the parent will see this exit code and fail


if __name__ == "__main__":
    sys.exit(main(sys.argv))
