"""Two reviewers, one example, the same moment: one wins, the other is told, nothing is lost."""

from __future__ import annotations

import threading

from tests.conftest import BUNDLED_SAMPLE
from tunedeck.core.storage import ConflictError, Project

ROUNDS = 15


def test_simultaneous_edits_of_one_example_never_overwrite_each_other(location: str):
    with Project.open(location, create=True, author="setup") as setup:
        info = setup.import_file(BUNDLED_SAMPLE)
        target = setup.window(info.id, 0, 1)[0]
    sessions = [Project.open(location, author=name) for name in ("ann", "bob")]
    try:
        for round_number in range(ROUNDS):
            version = sessions[0].example(target.id).version
            outcomes = _race(sessions, target.id, version, round_number)
            winners = [name for name, outcome in outcomes.items() if outcome == "applied"]
            losers = {name: o for name, o in outcomes.items() if isinstance(o, ConflictError)}
            assert len(winners) == 1 and len(losers) == 1, outcomes
            (loser, conflict), winner = next(iter(losers.items())), winners[0]
            held = sessions[0].example(target.id)
            # The winner's text is what the project holds, and what the loser was shown.
            assert held.record["prompt"] == f"{winner} {round_number}"
            assert conflict.current.record["prompt"] == f"{winner} {round_number}"
            assert held.version == version + 1
            # The loser's text is preserved in the history, marked as a refused change.
            last = sessions[0].history(target.id)[-1]
            assert (last.outcome, last.author, last.new) == (
                "conflict",
                loser,
                f"{loser} {round_number}",
            )
    finally:
        for session in sessions:
            session.close()


def _race(sessions: list[Project], example_id: int, version: int, round_number: int) -> dict:
    start = threading.Barrier(len(sessions))
    outcomes: dict[str, object] = {}

    def edit(session: Project) -> None:
        start.wait()
        try:
            text = f"{session.author} {round_number}"
            session.set_fields(example_id, version, {"prompt": text})
            outcomes[session.author] = "applied"
        except ConflictError as conflict:
            outcomes[session.author] = conflict
        except Exception as error:  # reported by the assertion, not lost in the thread
            outcomes[session.author] = error

    threads = [threading.Thread(target=edit, args=(session,)) for session in sessions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes
