"""Choosing, converting and splitting: what ends up in the files a fine-tune trains on."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import BUNDLED_SAMPLE, SAMPLES
from tests.core.stats.conftest import MakeSession
from tunedeck.core.errors import UserError
from tunedeck.core.export import ExportOptions, SplitSource, Which, build_export, write_export
from tunedeck.core.stats import propose_split
from tunedeck.core.storage import Split, Status


def _pairs(count: int, classes=("billing", "technical")) -> list[dict]:
    return [
        {
            "prompt": f"Ticket about {classes[n % len(classes)]}, number {n}\n\n###\n\n",
            "completion": f" {classes[n % len(classes)]}\n",
            "label": classes[n % len(classes)],
        }
        for n in range(count)
    ]


def test_legacy_pairs_become_chat_without_separator_stop_or_leading_space(
    make_session: MakeSession,
):
    session = make_session(_pairs(12))
    options = ExportOptions(
        model="gpt-4o-mini", which=Which.NOT_REJECTED, system_message="Classify the ticket."
    )
    build = build_export(session, options)
    first = build.training.records[0]
    assert first == {
        "messages": [
            {"role": "system", "content": "Classify the ticket."},
            {"role": "user", "content": "Ticket about billing, number 0"},
            {"role": "assistant", "content": "billing"},
        ]
    }
    assert build.dropped_keys == {"label": 12}  # the extra field is not uploaded
    assert build.classes == {"billing": (6, 0), "technical": (6, 0)}


def test_a_completion_model_keeps_the_pairs_as_they_are(make_session: MakeSession):
    session = make_session(_pairs(12))
    build = build_export(session, ExportOptions(model="babbage-002", which=Which.NOT_REJECTED))
    assert build.training.records[1] == {
        "prompt": "Ticket about technical, number 1\n\n###\n\n",
        "completion": " technical\n",
    }


def test_chat_examples_cannot_train_a_completion_model(make_session: MakeSession):
    session = make_session(SAMPLES / "openai-cookbook_toy_chat_fine_tuning.jsonl")
    build = build_export(session, ExportOptions(model="davinci-002", which=Which.NOT_REJECTED))
    assert len(build.incompatible) == 5 and build.examples == 0
    assert any("cannot train the completion model davinci-002" in p for p in build.problems())


def test_review_decisions_choose_the_examples_and_their_side(make_session: MakeSession):
    session = make_session(_pairs(20))
    ids = session.dataset.ids()
    for row_id in ids[:14]:
        session.review(row_id, status=Status.APPROVED)
    session.review(ids[0], split=Split.VALIDATION)
    session.review(ids[14], status=Status.REJECTED)
    session.review(ids[15], status=Status.NEEDS_WORK)

    approved = build_export(session, ExportOptions(model="gpt-4o-mini"))
    assert approved.training.rows == tuple(ids[1:14])
    assert approved.validation.rows == (ids[0],)
    assert approved.left_out == {"unreviewed": 4, "rejected": 1, "needs-work": 1}

    everything = build_export(session, ExportOptions(model="gpt-4o-mini", which=Which.NOT_REJECTED))
    assert everything.examples == 18  # all but the rejected and the one that needs work


def test_quarantined_lines_are_never_exported(make_session: MakeSession, tmp_path: Path):
    source = tmp_path / "broken.jsonl"
    source.write_text(
        "".join(json.dumps(r) + "\n" for r in _pairs(11)) + '{"prompt": "half\n', encoding="utf-8"
    )
    session = make_session(source)
    build = build_export(session, ExportOptions(model="gpt-4o-mini", which=Which.NOT_REJECTED))
    assert build.examples == 11 and build.left_out == {"unreadable line": 1}


def test_a_proposed_split_keeps_class_shares_and_is_written(
    make_session: MakeSession, tmp_path: Path
):
    session = make_session(SAMPLES / "openai-cookbook_dbpedia_samples.jsonl")
    proposal = propose_split(session, validation_fraction=0.2, seed=3)
    options = ExportOptions(
        model="babbage-002",
        which=Which.NOT_REJECTED,
        split=SplitSource.PROPOSED,
        assignments=proposal.assignments,
        proposal={"validation_fraction": 0.2, "seed": 3},
    )
    build = build_export(session, options)
    assert build.leaks == []
    assert len(build.validation) == proposal.validation
    for label, (train, valid) in build.classes.items():
        assert valid <= train, label  # every class keeps most of its examples for training
    written = write_export(build, tmp_path / "out", stem="dbpedia")
    lines = written.training.path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == written.training.examples == len(build.training)
    assert written.validation is not None
    assert written.validation.path.name == "dbpedia-validation.jsonl"


def test_a_split_that_leaks_duplicates_is_refused(make_session: MakeSession, tmp_path: Path):
    records = _pairs(12)
    records.append(dict(records[0]))  # the same ticket twice
    session = make_session(records)
    ids = session.dataset.ids()
    session.review(ids[-1], split=Split.VALIDATION)
    build = build_export(session, ExportOptions(model="gpt-4o-mini", which=Which.NOT_REJECTED))
    (leak,) = build.leaks
    assert set(leak.rows) == {ids[0], ids[-1]}
    with pytest.raises(UserError, match="both sides of the split"):
        write_export(build, tmp_path)
    assert list(tmp_path.glob("dataset-*.jsonl")) == []


def test_azure_rules_a_byte_order_mark_and_a_size_limit(make_session: MakeSession, tmp_path: Path):
    session = make_session(BUNDLED_SAMPLE)
    azure = ExportOptions(model="gpt-4o-mini", which=Which.NOT_REJECTED, byte_order_mark=True)
    written = write_export(build_export(session, azure), tmp_path)
    assert written.training.path.read_bytes().startswith(b"\xef\xbb\xbf{")

    tiny = ExportOptions(model="gpt-4o-mini", which=Which.NOT_REJECTED, max_bytes=100)
    with pytest.raises(UserError, match=r"accepts at most 100"):
        write_export(build_export(session, tiny), tmp_path / "tiny")


def test_too_few_examples_for_the_provider(make_session: MakeSession):
    build = build_export(
        make_session(_pairs(9)), ExportOptions(model="gpt-4o-mini", which=Which.NOT_REJECTED)
    )
    assert build.problems() == ["9 training example(s); the provider needs at least 10"]


def test_the_fingerprint_follows_the_data_and_the_options(make_session: MakeSession, tmp_path):
    session = make_session(_pairs(12))
    plain = ExportOptions(model="gpt-4o-mini", which=Which.NOT_REJECTED)
    first = write_export(build_export(session, plain), tmp_path / "a")
    again = write_export(build_export(session, plain), tmp_path / "b")
    assert first.fingerprint == again.fingerprint
    other_system = ExportOptions(model="gpt-4o-mini", which=Which.NOT_REJECTED, system_message="Hi")
    assert write_export(build_export(session, other_system), tmp_path / "c").fingerprint != (
        first.fingerprint
    )
    row = session.dataset.ids()[0]
    session.review(row, status=Status.REJECTED)
    fewer = write_export(build_export(session, plain), tmp_path / "d")
    assert fewer.fingerprint != first.fingerprint
