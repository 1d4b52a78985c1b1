"""How many examples of each class a split holds out."""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from tunedeck.core.stats.split_sizes import allocate, skew, validation_sizes

sizes = st.lists(st.integers(1, 40), min_size=1, max_size=6).map(
    lambda counts: {f"class{n}": count for n, count in enumerate(counts)}
)


@given(sizes, st.data())
def test_allocation_adds_up_and_is_the_best_rounding(
    classes: dict[str, int], data: st.DataObject
) -> None:
    whole = sum(classes.values())
    if whole < 2:
        return
    total = data.draw(st.integers(1, whole - 1))
    gap, counts = allocate(classes, total)
    assert sum(counts.values()) == total
    for name, size in classes.items():
        assert size * total // whole <= counts[name] <= -(-size * total // whole)
    assert gap == max(skew(classes[k], counts[k], total, whole) for k in classes)
    # No other rounding of the shares does better.
    floors = {k: size * total // whole for k, size in classes.items()}
    for raised in itertools.product((0, 1), repeat=len(classes)):
        other = {k: floors[k] + r for k, r in zip(classes, raised, strict=True)}
        if sum(other.values()) == total and all(other[k] <= classes[k] for k in classes):
            assert gap <= max(skew(classes[k], other[k], total, whole) for k in classes) + 1e-12


@given(sizes, st.sampled_from([0.1, 0.2, 0.3]))
def test_the_size_moves_only_as_far_as_a_quarter(classes: dict[str, int], fraction: float) -> None:
    whole = sum(classes.values())
    counts = validation_sizes(classes, fraction)
    ideal = min(round(whole * fraction), whole - 1)
    held = sum(counts.values())
    if whole < 2 or ideal == 0:
        assert held == 0
        return
    assert abs(held - ideal) <= max(1, ideal // 4)
    gap = max(skew(classes[k], counts[k], held, whole) for k in classes)
    if gap > 0.01:  # then no size within reach would have kept every class within a point
        for total in range(max(1, ideal - max(1, ideal // 4)), ideal + max(1, ideal // 4) + 1):
            if 0 < total < whole:
                assert allocate(classes, total)[0] >= gap - 1e-12


def test_a_large_dataset_keeps_the_asked_size() -> None:
    classes = {"a": 25_000, "b": 24_000, "c": 15_000, "d": 10_000, "e": 26_001}
    assert sum(validation_sizes(classes, 0.2).values()) == round(0.2 * sum(classes.values()))
