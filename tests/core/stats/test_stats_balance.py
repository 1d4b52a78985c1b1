"""The class balance: counts by class, split and status, kept current through a session."""

from __future__ import annotations

import dataclasses
import json
from collections import Counter

import pytest

from tests.conftest import SAMPLES
from tests.core.stats.conftest import MakeSession
from tunedeck.core.dataset.commands import DeleteRows, SetField
from tunedeck.core.lint import LintSettings
from tunedeck.core.stats import ClassBalance, count_cells
from tunedeck.core.storage import Project, Split, Status

SEP = "\n\n###\n\n"
LEGACY = LintSettings(
    model="davinci-002", separator=SEP, stop="\n", classification=True, min_per_class=3
)


def ticket(text: str, answer: str, **extra: object) -> dict:
    return {"prompt": text + SEP, "completion": f" {answer}\n", **extra}


ROWS = [
    ticket("card charged twice", "billing"),
    ticket("refund please", "billing"),
    ticket("invoice missing", "billing"),
    ticket("app crashes", "technical"),
    ticket("cannot log in", "technical"),
    ticket("bus or train", "MeanOfTransportation"),
]


def test_counts_by_class_split_and_status(make_session: MakeSession) -> None:
    session = make_session(ROWS, LEGACY)
    ids = session.dataset.ids()
    session.review(ids[0], status=Status.APPROVED, split=Split.TRAIN)
    session.review(ids[1], split=Split.VALIDATION)
    session.review(ids[2], status=Status.REJECTED)
    session.review(ids[3], status=Status.NEEDS_WORK)
    balance = ClassBalance(session)

    assert balance.classification
    assert balance.labels() == ["billing", "technical", "MeanOfTransportation"]  # ties: by name
    billing = next(c for c in balance.classes() if c.label == "billing")
    assert billing.cells == {
        (Split.TRAIN, Status.APPROVED): 1,
        (Split.VALIDATION, Status.UNREVIEWED): 1,
    }
    assert billing.total == 2  # the rejected example is not counted
    assert balance.count("technical", status=Status.NEEDS_WORK) == 1
    assert balance.count("technical", split=Split.UNASSIGNED) == 2
    assert balance.has_split
    assert balance.cells() == count_cells(session)


def test_ratio_minimum_and_multi_token_labels(make_session: MakeSession) -> None:
    balance = ClassBalance(make_session(ROWS, LEGACY))
    imbalance = balance.imbalance()
    assert imbalance is not None
    assert (imbalance.largest, imbalance.smallest, imbalance.ratio) == (
        "billing",
        "MeanOfTransportation",
        3.0,
    )
    assert imbalance.threshold == 3.0 and not imbalance.exceeded  # class-imbalance: ratio > 3
    assert balance.below_minimum() == ["MeanOfTransportation", "technical"]
    assert balance.multi_token() == ["MeanOfTransportation"]
    mean = next(c for c in balance.classes() if c.label == "MeanOfTransportation")
    assert "".join(mean.tokens) == " MeanOfTransportation" and len(mean.tokens) > 1


def test_edits_move_counts_without_a_recount(
    make_session: MakeSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    session = make_session(ROWS, LEGACY)
    balance = ClassBalance(session)
    monkeypatch.setattr(balance, "recount", lambda: pytest.fail("an edit recounted"))
    changes = []
    balance.changed.connect(lambda: changes.append(dict(balance.cells())))
    ids = session.dataset.ids()

    session.execute(SetField(ids[3], "completion", " billing\n"))  # relabel
    assert balance.count("billing") == 4 and balance.count("technical") == 1
    session.review(ids[0], status=Status.REJECTED)
    assert balance.count("billing") == 3
    undo = session.execute(DeleteRows((ids[1],)))
    assert balance.count("billing") == 2
    session.execute(undo)
    assert balance.count("billing") == 3
    session.add(ticket("train late", "transport"))
    assert balance.count("transport") == 1
    session.execute(SetField(ids[4], "prompt", "still cannot log in" + SEP))  # no class change

    assert len(changes) == 5  # one per edit that moved a count
    assert balance.cells() == count_cells(session)


def test_new_settings_recount_once(make_session: MakeSession) -> None:
    rows = [
        ticket("a", "x", label="refund"),
        ticket("b", "y", label="refund"),
        ticket("c", "z", label="billing"),
        ticket("d", "MeanOfTransportation", label=None),
    ]
    session = make_session(rows, LEGACY)
    balance = ClassBalance(session)
    assert balance.labels() == ["MeanOfTransportation", "x", "y", "z"]
    recounts = []
    balance.changed.connect(lambda: recounts.append(balance.labels()))

    # A new linter, not run yet: nothing to count.
    session.apply_settings(dataclasses.replace(LEGACY, class_field="label"))
    assert balance.labels() == []
    session.lint_all()
    session.relinted.emit()  # as the window does when the pass is done
    assert balance.labels() == ["refund", "billing"]
    assert balance.unlabelled == 1  # label: null
    assert balance.multi_token() == []  # a class field is never generated: class-token is off
    assert recounts == [[], ["refund", "billing"]]

    session.execute(SetField(session.dataset.ids()[2], "label", "refund"))  # the new linter
    assert balance.count("refund") == 3


def test_no_classes_when_the_dataset_is_not_classification(make_session: MakeSession) -> None:
    session = make_session(ROWS, dataclasses.replace(LEGACY, classification=False))
    balance = ClassBalance(session)
    assert not balance.classification
    assert balance.classes() == [] and balance.imbalance() is None and balance.unlabelled == 0
    session.execute(SetField(session.dataset.ids()[0], "completion", " other\n"))
    assert balance.cells() == Counter() == count_cells(session)


def test_chat_class_is_the_final_assistant_message(make_session: MakeSession) -> None:
    def chat(question: str, *answers: str) -> dict:
        messages = [{"role": "user", "content": question}]
        for answer in answers:
            messages += [{"role": "assistant", "content": answer}, {"role": "user", "content": "?"}]
        return {"messages": messages[:-1]}

    rows = [chat("hi", "greeting"), chat("bye", "greeting", "farewell"), chat("yo", " greeting ")]
    session = make_session(rows, LintSettings(model="gpt-4o-mini", classification=True))
    balance = ClassBalance(session)
    assert {c.label: c.total for c in balance.classes()} == {"greeting": 2, "farewell": 1}


def test_quarantined_lines_are_not_counted(make_session: MakeSession) -> None:
    session = make_session([*ROWS, '{"prompt": "broken'], LEGACY)
    balance = ClassBalance(session)
    assert len(session.dataset) == 7
    assert sum(c.total for c in balance.classes()) + balance.unlabelled == 6


def test_dbpedia_sample_has_14_uneven_classes(make_session: MakeSession) -> None:
    path = SAMPLES / "openai-cookbook_dbpedia_samples.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines()
    expected = Counter(json.loads(line)["completion"] for line in lines)
    session = make_session(path, LintSettings(model="davinci-002"))
    balance = ClassBalance(session)

    assert {c.label: c.total for c in balance.classes()} == expected
    assert len(balance.classes()) == 14
    counter = session.linter.ctx.counter
    long = {label for label in expected if counter.count(" " + label) > 1}
    assert long and set(balance.multi_token()) == long
    imbalance = balance.imbalance()
    assert imbalance is not None
    assert imbalance.ratio == max(expected.values()) / min(expected.values())
    assert imbalance.largest == "Artist" and imbalance.smallest == "MeanOfTransportation"
    assert balance.below_minimum() == sorted(expected, key=lambda k: (expected[k], k))


def test_repairs_and_other_peoples_changes(make_session: MakeSession) -> None:
    session = make_session([*ROWS, '{"prompt": "broken'], LEGACY)
    balance = ClassBalance(session)
    broken = session.dataset.ids()[-1]
    session.replace_line(broken, json.dumps(ticket("fixed", "technical")))
    assert balance.count("technical") == 3

    first = session.dataset.ids()[0]
    with Project.open(session.project.location, author="bob") as other:
        current = other.example(first)
        changed = other.set_fields(first, current.version, {"completion": " refund\n"})
        other.review(first, changed.version, status=Status.REJECTED)
        other.delete(session.dataset.ids()[1], other.example(session.dataset.ids()[1]).version)
    session.refresh()
    assert balance.count("refund") == 0  # relabelled, then rejected
    assert balance.count("billing") == 1
    assert balance.cells() == count_cells(session)
