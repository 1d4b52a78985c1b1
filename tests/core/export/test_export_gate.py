"""The pre-flight gate: the target model's lint on exactly what will be uploaded."""

from __future__ import annotations

from tests.conftest import SAMPLES
from tests.core.stats.conftest import MakeSession
from tunedeck.core.dataset.commands import SetField
from tunedeck.core.export import ExportOptions, Which, build_export, preflight


def test_a_clean_chat_sample_passes_the_gate(make_session: MakeSession):
    session = make_session(SAMPLES / "genai-for-beginners_clippy_training_set.jsonl")
    gate = preflight(
        build_export(
            session, ExportOptions(model="gpt-4o-mini", which=Which.NOT_REJECTED, min_examples=1)
        )
    )
    assert gate.errors == [] and not gate.blocked


def test_an_example_over_the_target_limit_blocks_the_launch_and_names_its_row(
    make_session: MakeSession,
):
    records = [
        {"prompt": f"Ticket {n}\n\n###\n\n", "completion": f" class{n % 2}\n"} for n in range(12)
    ]
    records[5]["prompt"] = "word " * 3000 + "\n\n###\n\n"  # over babbage-002's 2048 tokens
    session = make_session(records)
    build = build_export(session, ExportOptions(model="babbage-002", which=Which.NOT_REJECTED))
    gate = preflight(build)
    assert gate.blocked and not gate.can_launch
    long_row = session.dataset.ids()[5]
    assert any(d.row_id == long_row for d in gate.errors)
    assert gate.sides[long_row] == "training"

    # Fixing it (shortening the prompt) unblocks the launch.
    session.execute(SetField(long_row, "prompt", "Ticket 5\n\n###\n\n"))
    assert not preflight(build_export(session, build.options)).blocked


def test_warnings_must_be_acknowledged_once(make_session: MakeSession):
    records = [
        {"prompt": f"Ticket {n}\n\n###\n\n", "completion": f"class{n % 2}\n"} for n in range(12)
    ]
    session = make_session(records)  # no leading space: a warning for completion models
    gate = preflight(
        build_export(session, ExportOptions(model="babbage-002", which=Which.NOT_REJECTED))
    )
    assert gate.warnings and not gate.errors
    assert not gate.can_launch
    gate.acknowledged = True
    assert gate.can_launch
