"""The stratified split proposal: class shares kept, duplicates never on both sides."""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from tests.conftest import SAMPLE_FILES
from tests.core.stats.conftest import MakeSession, linted, write_jsonl
from tunedeck.core.lint import LintSettings
from tunedeck.core.stats import ClassBalance, LintedDataset, apply_split, find_leaks, propose_split
from tunedeck.core.storage import Review, Split, Status

SEP = "\n\n###\n\n"
SETTINGS = LintSettings(model="davinci-002", separator=SEP, stop="\n", classification=True)
DBPEDIA = next(path for path in SAMPLE_FILES if "dbpedia" in path.name)


def class_gaps(source: LintedDataset, assignments: dict[int, Split]) -> dict[str, float]:
    """Per class, how far its share of either side strays from its share of all (0.01: a
    point), computed here from the assignments alone."""
    label = {row_id: source.linter.facts(row_id).label for row_id in assignments}
    sides: dict[Split, Counter[str]] = defaultdict(Counter)
    for row_id, split in assignments.items():
        sides[split][label[row_id]] += 1
    whole = Counter(label.values())
    gaps = {}
    for name, n in whole.items():
        share = n / len(label)
        gaps[name] = max(
            abs(sides[split][name] / sum(sides[split].values()) - share)
            for split in (Split.TRAIN, Split.VALIDATION)
        )
    return gaps


def crafted(tmp_path: Path, seed: int = 7) -> LintedDataset:
    """Three uneven classes, with exact duplicates and case/punctuation variants."""
    rng = random.Random(seed)
    rows = []
    for label, size in (("billing", 500), ("technical", 300), ("refund", 140)):
        for n in range(size):
            rows.append({"prompt": f"{label} ticket {n}" + SEP, "completion": f" {label}\n"})
    for row in rng.sample(rows, 60):
        variant = row["prompt"].upper() if rng.random() < 0.5 else row["prompt"]
        variant = variant.replace("ticket", "ticket!")
        rows.append({"prompt": variant, "completion": row["completion"]})
    rng.shuffle(rows)
    return linted(write_jsonl(tmp_path / "crafted.jsonl", rows), SETTINGS)


def test_every_class_keeps_its_share_within_a_point(tmp_path: Path) -> None:
    source = crafted(tmp_path)
    proposal = propose_split(source, seed=3)
    gaps = class_gaps(source, proposal.assignments)
    assert set(gaps) == {"billing", "technical", "refund"}
    assert max(gaps.values()) <= 0.01
    assert proposal.max_gap == pytest.approx(max(gaps.values()))
    assert len(proposal.assignments) == len(source.dataset)
    assert proposal.validation == pytest.approx(0.2 * len(source.dataset), abs=2)


def simplified(prompt: str) -> str:
    """What makes the crafted prompts near-duplicates: case and the "!"."""
    return prompt.lower().replace("!", "")


def test_near_duplicates_stay_on_one_side(tmp_path: Path) -> None:
    source = crafted(tmp_path)
    proposal = propose_split(source, seed=3)
    sides: dict[str, set[Split]] = defaultdict(set)
    for row_id, split in proposal.assignments.items():
        sides[simplified(source.dataset[row_id].prompt)].add(split)
    assert all(len(split) == 1 for split in sides.values())
    copies = Counter(simplified(example.prompt) for example in source.dataset)
    assert proposal.kept_together == sum(n for n in copies.values() if n > 1) > 0
    source.reviews = {row_id: Review(split=s) for row_id, s in proposal.assignments.items()}
    assert find_leaks(source) == []


def test_duplicates_are_not_all_sent_to_validation(tmp_path: Path) -> None:
    source = crafted(tmp_path)
    copies = Counter(simplified(example.prompt) for example in source.dataset)
    grouped = [e.id for e in source.dataset if copies[simplified(e.prompt)] > 1]
    held = [propose_split(source, seed=seed).assignments for seed in range(5)]
    share = sum(a[i] is Split.VALIDATION for a in held for i in grouped) / (5 * len(grouped))
    assert 0.05 < share < 0.4  # about the validation fraction, not all of them


def test_same_seed_same_proposal_other_seed_another(tmp_path: Path) -> None:
    source = crafted(tmp_path)
    first = propose_split(source, seed=1).assignments
    assert propose_split(source, seed=1).assignments == first
    assert propose_split(source, seed=2).assignments != first


def test_dbpedia_every_class_within_a_point() -> None:
    source = linted(DBPEDIA, LintSettings(model="davinci-002"))
    proposal = propose_split(source)
    gaps = class_gaps(source, proposal.assignments)
    assert len(gaps) == 14
    assert max(gaps.values()) <= 0.01
    # Whole examples make 40 of 200 skew some class by more than a point; the proposal
    # moves the size instead, by at most a quarter.
    assert 30 <= proposal.validation <= 50
    exact = propose_split(source, max_gap=1.0)
    assert exact.validation == 40 and max(class_gaps(source, exact.assignments).values()) > 0.01


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=lambda path: path.stem)
def test_samples_are_split_whole(path: Path) -> None:
    source = linted(path)
    proposal = propose_split(source, validation_fraction=0.25)
    assert set(proposal.assignments) == set(source.dataset.ids())
    ideal = round(0.25 * len(source.dataset))
    if source.linter.settings.classification:  # dbpedia: the size may move for the shares
        assert abs(proposal.validation - ideal) <= ideal // 4
        assert proposal.max_gap <= 0.01
    else:
        assert proposal.validation == ideal and proposal.shares == []


def test_rejected_rows_and_nothing_held_out(tmp_path: Path) -> None:
    source = crafted(tmp_path)
    rejected = source.dataset.ids()[0]
    source.reviews = {rejected: Review(status=Status.REJECTED)}
    assert rejected not in propose_split(source).assignments
    none_held = propose_split(source, validation_fraction=0.0)
    assert set(none_held.assignments.values()) == {Split.TRAIN}
    with pytest.raises(ValueError):
        propose_split(source, validation_fraction=1.0)


def test_applying_a_proposal_stores_each_split(make_session: MakeSession) -> None:
    session = make_session(DBPEDIA, LintSettings(model="davinci-002"))
    balance = ClassBalance(session)
    first = session.dataset.ids()[0]
    session.review(first, split=Split.VALIDATION)
    proposal = propose_split(session, seed=5)
    changed = proposal.changes(session.reviews)

    previous = apply_split(session, proposal)

    assert set(previous) == set(changed)
    assert all(split is Split.UNASSIGNED for row, split in previous.items() if row != first)
    assert {row: session.reviews[row].split for row in proposal.assignments} == proposal.assignments
    assert balance.count(None) == 0 and balance.has_split
    assert sum(c.count(split=Split.VALIDATION) for c in balance.classes()) == proposal.validation
    assert find_leaks(session) == []
    assert apply_split(session, proposal) == {}  # nothing left to change
