"""After any sequence of edits through a session, the maintained balance equals a recount."""

from __future__ import annotations

import dataclasses
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.core.stats.conftest import create_project, write_jsonl
from tunedeck.core.dataset.commands import Command, DeleteRows, SetField
from tunedeck.core.dataset.fields import MISSING
from tunedeck.core.lint import LintSettings
from tunedeck.core.session import CurationSession
from tunedeck.core.stats import ClassBalance, count_cells
from tunedeck.core.storage import Project, Split, Status

SEP = "\n\n###\n\n"
# Few values, so that classes, duplicates and empty classes come and go.
PROMPTS = ["ticket one" + SEP, "ticket two" + SEP, "Ticket one!" + SEP, ""]
ANSWERS = [" billing\n", " technical\n", " MeanOfTransportation\n", " \n", "refund"]
FIELD_LABELS = ["refund", "billing", None, MISSING]  # None: null; MISSING: no such key
SETTINGS = LintSettings(model="davinci-002", separator=SEP, stop="\n", classification=True)
START = [
    {"prompt": PROMPTS[i % 3], "completion": ANSWERS[i % 4], "label": FIELD_LABELS[i % 2]}
    for i in range(8)
] + ['{"prompt": "a quarantined line']


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("balance")
    location = folder / "template.tunedeck"
    create_project(location, write_jsonl(folder / "start.jsonl", START), SETTINGS)
    return location


row = st.integers(0, 50)
operations = st.lists(
    st.one_of(
        st.tuples(st.just("answer"), row, st.sampled_from(ANSWERS)),
        st.tuples(st.just("prompt"), row, st.sampled_from(PROMPTS)),
        st.tuples(st.just("field"), row, st.sampled_from(FIELD_LABELS)),
        st.tuples(st.just("delete"), row),
        st.tuples(st.just("add"), st.sampled_from(PROMPTS), st.sampled_from(ANSWERS)),
        st.tuples(st.just("status"), row, st.sampled_from(list(Status))),
        st.tuples(st.just("split"), row, st.sampled_from(list(Split))),
        # Many rows in one change (a split): the balance follows them as one batch.
        st.tuples(
            st.just("many"),
            st.sets(row, max_size=6),
            st.sampled_from(list(Status)),
            st.sampled_from(list(Split)),
        ),
        st.tuples(st.just("undo")),
        st.tuples(st.just("settings"), st.sampled_from([None, "label"])),
    ),
    max_size=12,
)


@settings(max_examples=100)
@given(ops=operations)
def test_maintained_counts_equal_a_recount(template: Path, ops: list[tuple]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        location = Path(folder) / "p.tunedeck"
        shutil.copy(template, location)
        with Project.open(location, author="ann") as project:
            session = CurationSession(project, "data")
            session.lint_all()
            balance = ClassBalance(session)
            undo: list[Command] = []
            for op in ops:
                _apply(session, op, undo)
                assert balance.cells() == count_cells(session), op


def _apply(session: CurationSession, op: tuple, undo: list[Command]) -> None:
    ids = [i for i in session.dataset.ids() if not session.dataset[i].is_quarantined]
    kind = op[0]
    if kind == "add":
        session.add({"prompt": op[1], "completion": op[2]})
    elif kind == "undo" and undo:
        session.execute(undo.pop())
    elif kind == "settings":
        session.apply_settings(dataclasses.replace(SETTINGS, class_field=op[1]))
        session.lint_all()
        session.relinted.emit()  # as the window does when the pass is done
    elif kind in ("answer", "prompt", "field") and ids:
        path = {"answer": "completion", "prompt": "prompt", "field": "label"}[kind]
        undo.append(session.execute(SetField(ids[op[1] % len(ids)], path, op[2])))
    elif kind == "delete" and ids:
        undo.append(session.execute(DeleteRows((ids[op[1] % len(ids)],))))
    elif kind in ("status", "split") and ids:
        session.review(ids[op[1] % len(ids)], **{kind: op[2]})
    elif kind == "many" and ids:
        side = {"status": op[2], "split": op[3]}  # one mapping for every row, as a split's
        session.review_many({ids[index % len(ids)]: side for index in op[1]})
