"""The gate counts each example's tokens as the target model will, for the cost estimate."""

from __future__ import annotations

from tests.core.stats.conftest import MakeSession
from tunedeck.core.export import ExportOptions, SplitSource, Which, build_export, preflight
from tunedeck.core.storage import Split


def test_tokens_are_counted_for_the_converted_records_of_the_training_side(
    make_session: MakeSession,
):
    records = [
        {"prompt": f"Ticket {n} words words\n\n###\n\n", "completion": f" class{n % 2}\n"}
        for n in range(12)
    ]
    session = make_session(records)
    ids = session.dataset.ids()
    held = {row_id: Split.VALIDATION if row_id in ids[:2] else Split.TRAIN for row_id in ids}
    legacy = preflight(
        build_export(
            session,
            ExportOptions(
                model="babbage-002",
                which=Which.NOT_REJECTED,
                split=SplitSource.PROPOSED,
                assignments=held,
            ),
        )
    )
    assert len(legacy.training_tokens()) == 10 and set(legacy.tokens) == set(ids)
    chat = preflight(
        build_export(
            session,
            ExportOptions(
                model="gpt-4o-mini",
                which=Which.NOT_REJECTED,
                system_message="You sort support tickets into classes.",
            ),
        )
    )
    # The chat form drops the separator but adds a system message and message framing.
    assert len(chat.training_tokens()) == 12
    assert all(n > 10 for n in chat.training_tokens())
    assert chat.tokens[ids[0]] != legacy.tokens[ids[0]]
