"""After any sequence of edits, the incrementally maintained findings equal a full re-lint."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tunedeck.core.dataset import Dataset, Example
from tunedeck.core.dataset.commands import Command, DeleteRows, SetField
from tunedeck.core.lint import Linter, LintSettings

# A small pool makes duplicates, conflicts and shared labels likely.
PROMPTS = ["Great phone\n\n###\n\n", "Broke fast\n\n###\n\n", "Meh", "a ### b\n\n###\n\n", ""]
COMPLETIONS = [
    " positive\n",
    "negative\n",
    " positive",
    " MeanOfTransportation\n",
    " ",
    " mail a@b.co\n",
]
SETTINGS = LintSettings(
    model="davinci-002", separator="\n\n###\n\n", stop="\n", classification=True, min_examples=3
)

records = st.builds(
    lambda p, c: {"prompt": p, "completion": c},
    st.sampled_from(PROMPTS),
    st.sampled_from(COMPLETIONS),
)


def snapshot(linter: Linter) -> list[tuple]:
    return [
        (d.row_id, d.rule, d.field, d.severity, d.message, dict(d.data))
        for d in linter.diagnostics()
    ]


operations = st.lists(
    st.one_of(
        st.tuples(
            st.just("set"),
            st.integers(0, 50),
            st.sampled_from(["prompt", "completion"]),
            st.integers(0, 5),
        ),
        st.tuples(st.just("delete"), st.integers(0, 50)),
        st.tuples(st.just("append"), records),
        st.tuples(st.just("undo")),
    ),
    max_size=25,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(initial=st.lists(records, min_size=1, max_size=12), ops=operations)
def test_incremental_equals_full(initial: list[dict], ops: list[tuple]) -> None:
    dataset = Dataset.from_examples(
        Example(id=i, record=dict(r), line=i) for i, r in enumerate(initial, start=1)
    )
    linter = Linter(dataset, SETTINGS)
    linter.run()
    linter.attach()
    undo: list[Command] = []
    for op in ops:
        ids = dataset.ids()
        if op[0] == "set" and ids:
            pool = PROMPTS if op[2] == "prompt" else COMPLETIONS
            command = SetField(ids[op[1] % len(ids)], op[2], pool[op[3] % len(pool)])
            undo.append(command.apply(dataset))
        elif op[0] == "delete" and ids:
            undo.append(DeleteRows((ids[op[1] % len(ids)],)).apply(dataset))
        elif op[0] == "append":
            dataset.append(dict(op[1]))
        elif op[0] == "undo" and undo:
            undo.pop().apply(dataset)

        fresh = Linter(dataset, resolved=linter.settings)
        fresh.run()
        assert snapshot(linter) == snapshot(fresh)


def test_an_edit_reports_the_rows_whose_findings_it_changes() -> None:
    dataset = Dataset.from_examples(
        Example(id=i, record={"prompt": "p\n\n###\n\n", "completion": c}, line=i)
        for i, c in enumerate([" a\n", " a\n", " b\n"], start=1)
    )
    linter = Linter(dataset, SETTINGS)
    linter.run()
    assert [d.rule for d in linter.diagnostics_for(2)].count("duplicate") == 1
    dataset.set_field(2, "completion", " c\n")
    update = linter.row_changed(2)
    # Row 1 lost its copy and stays in conflict with rows 2 and 3: all three may repaint.
    assert update.rows == {1, 2, 3}
    assert "duplicate" not in [d.rule for d in linter.diagnostics_for(2)]
