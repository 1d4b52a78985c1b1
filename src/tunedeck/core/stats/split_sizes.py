"""How many examples of each class a stratified split holds out for validation.

A class's share of a side is its examples there over the side's size. Whole examples make
the shares step: with 200 examples and 40 held out, one example is 2.5 points of the
validation side, so no count keeps every one of 14 uneven classes within a point of its
share of the whole. Hence two choices, made here:

- For a given validation size, which classes get the extra example that rounding leaves
  over: those it skews least (the largest skew over all classes, the gap, is minimised).
- The validation size itself: the one closest to the asked fraction whose gap is within the
  tolerance, looking at most a quarter of the size away (20% may become 15-25% for a tiny
  dataset; a large one keeps the asked size). If none is, the size with the smallest gap.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping
from typing import TypeVar

K = TypeVar("K", bound=Hashable)


def validation_sizes(
    sizes: Mapping[K, int], fraction: float, max_gap: float = 0.01
) -> dict[K, int]:
    """Examples to hold out per class (`sizes`: examples per class)."""
    whole = sum(sizes.values())
    ideal = round(whole * fraction)
    if whole < 2 or ideal == 0:
        return dict.fromkeys(sizes, 0)
    ideal = min(ideal, whole - 1)
    reach = max(1, ideal // 4)
    best: tuple[float, dict[K, int]] | None = None
    for distance in range(reach + 1):  # nearest first
        for total in dict.fromkeys((ideal - distance, ideal + distance)):
            if 0 < total < whole:
                gap, counts = allocate(sizes, total)
                if gap <= max_gap:
                    return counts
                if best is None or gap < best[0]:
                    best = gap, counts
    assert best is not None  # total = ideal is always in range
    return best[1]


def allocate(sizes: Mapping[K, int], total: int) -> tuple[float, dict[K, int]]:
    """Per-class counts adding up to `total`, each its share rounded down or up, with the
    leftover examples where they skew least; and the gap they leave."""
    whole = sum(sizes.values())
    low = {key: size * total // whole for key, size in sizes.items()}
    extra = total - sum(low.values())  # 0 <= extra < number of classes
    down = {key: skew(sizes[key], low[key], total, whole) for key in sizes}
    up = {
        key: skew(sizes[key], low[key] + 1, total, whole) if low[key] < sizes[key] else math.inf
        for key in sizes
    }
    # The smallest gap t at which `extra` classes can go up (skew <= t) while every other
    # class can stay down (skew <= t): try each skew value as t, smallest first.
    for threshold in sorted({*down.values(), *up.values()} - {math.inf}):
        must = [key for key in sizes if down[key] > threshold]
        if any(up[key] > threshold for key in must) or len(must) > extra:
            continue
        may = sorted(
            (key for key in sizes if down[key] <= threshold and up[key] <= threshold),
            key=lambda key: up[key] - down[key],
        )
        if len(must) + len(may) < extra:
            continue
        raised = set(must) | set(may[: extra - len(must)])
        counts = {key: low[key] + (key in raised) for key in sizes}
        return threshold, counts
    raise AssertionError("raising every class would reach the total")  # pragma: no cover


def skew(size: int, held: int, total: int, whole: int) -> float:
    """How far a class's share of either side strays from its share of the whole, when
    `held` of its `size` examples are among the `total` held out of `whole`."""
    share = size / whole
    return max(abs(held / total - share), abs((size - held) / (whole - total) - share))
