"""Which row ids a table shows, in which order: a permutation instead of a sort/filter proxy.

A proxy's lessThan() calls back into Python once per comparison, about two million times to
sort 100,000 rows; sorting a list of ids by precomputed keys is one C-level sort. Qt-free, so
the ordering logic is tested without a QApplication.

An edited row keeps its place until the next sort() or set_filter(): rows that jump away
from under the cursor while someone types are worse than a briefly stale order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any, NamedTuple

SortKey = Callable[[int], Any]
Predicate = Callable[[int], bool]
_REINDEX_AFTER = 512  # inserts/removes before positions are rebuilt (one C-level pass)


class Insertion(NamedTuple):
    row_id: int
    natural_index: int
    sorted_index: int
    row: int | None  # the visible row, or None when the filter hides it


class RowOrder:
    """Row ids in natural (dataset) order, then sorted, then filtered; the visible ones count.

    Visible row -> id is a list index. Id -> visible row is a dict whose keys are exactly the
    visible ids and whose values may have drifted by one per insert or remove since the last
    rebuild, so a lookup checks its guess and, if wrong, searches only that narrow window:
    deleting a thousand rows of 100,000 never re-indexes the table a thousand times.
    """

    def __init__(
        self,
        ids: Iterable[int] = (),
        position: Callable[[int], int] | None = None,
        *,
        key: SortKey | None = None,
        descending: bool = False,
        predicate: Predicate | None = None,
    ) -> None:
        """`key`, `descending` and `predicate` as sort() and set_filter() take them: given
        here, the rows are arranged once instead of once per call (100,000 rows: 10 ms each).
        """
        # `position(row_id)`, the row's index in natural order, lets an inserted row take its
        # place among equal keys as a fresh sort would; without it, it goes after them.
        self._natural_position = position
        self._key = key
        self._descending = descending
        self._predicate = predicate
        self.reset(ids)

    def reset(self, ids: Iterable[int]) -> None:
        """Start over from these ids in natural order, keeping the sort key and filter."""
        self._natural = list(ids)
        self._gone: set[int] = set()  # removed, still listed in _natural/_sorted (see remove)
        self._arrange()

    # --- lookups ---------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._visible)

    def id_at(self, row: int) -> int:
        return self._visible[row]

    def row_of(self, row_id: int) -> int | None:
        """The visible row showing `row_id`, or None when it is filtered out or unknown."""
        guess = self._position.get(row_id)
        if guess is None:
            return None
        visible = self._visible
        if guess < len(visible) and visible[guess] == row_id:
            return guess
        low = max(0, guess - self._drift)
        row = visible.index(row_id, low, min(len(visible), guess + self._drift + 1))
        self._position[row_id] = row
        return row

    def visible_ids(self) -> Sequence[int]:
        return self._visible

    @property
    def is_sorted(self) -> bool:
        return self._key is not None

    @property
    def is_filtered(self) -> bool:
        return self._predicate is not None

    # --- arranging -------------------------------------------------------------------------

    def sort(self, key: SortKey | None, descending: bool = False) -> None:
        """Order by `key(row_id)` (None: natural order); ties keep their natural order."""
        self._key, self._descending = key, descending
        self._arrange()

    def set_filter(self, predicate: Predicate | None) -> None:
        """Show only ids for which `predicate(row_id)` is true (None: show all)."""
        self._predicate = predicate
        self._purge()
        self._filter()

    def _arrange(self) -> None:
        self._purge()
        if self._key is None:
            self._sorted = self._natural
        else:
            # sorted(reverse=True) is still stable, so ties keep natural order either way.
            self._sorted = sorted(self._natural, key=self._key, reverse=self._descending)
        self._filter()

    def _filter(self) -> None:
        predicate = self._predicate
        self._visible = self._sorted if predicate is None else list(filter(predicate, self._sorted))
        self._reindex()

    def _reindex(self) -> None:
        self._position = dict(zip(self._visible, range(len(self._visible)), strict=True))
        self._drift = 0

    def _purge(self) -> None:
        """Drop removed ids from the lists behind the visible one (deferred by remove())."""
        if not self._gone:
            return
        gone = self._gone
        shared_sorted = self._sorted is self._natural
        shared_visible = self._visible is self._sorted
        self._natural = [row_id for row_id in self._natural if row_id not in gone]
        self._sorted = (
            self._natural
            if shared_sorted
            else [row_id for row_id in self._sorted if row_id not in gone]
        )
        if shared_visible:  # the visible list had them removed at once; keep sharing it
            self._visible = self._sorted
        self._gone = set()

    def _moved(self) -> None:
        self._drift += 1
        if self._drift > _REINDEX_AFTER:
            self._reindex()

    # --- following the dataset -------------------------------------------------------------

    def plan_insert(self, row_id: int, natural_index: int) -> Insertion:
        """Where `row_id`, new at `natural_index` of the dataset, will go; changes nothing.

        A Qt model must announce the visible row before the row exists: plan, announce, then
        insert(). A sorted order takes the row at its key's place (after equal keys), without
        re-sorting.
        """
        self._purge()  # natural_index counts the dataset's rows, so ours must match it
        placed = natural_index if self._sorted is self._natural else self._sorted_place(row_id)
        if self._visible is self._sorted:
            row: int | None = placed
        elif self._predicate is not None and self._predicate(row_id):
            row = self._visible_place(placed)
        else:
            row = None
        return Insertion(row_id, natural_index, placed, row)

    def insert(self, row_id: int, natural_index: int, plan: Insertion | None = None) -> int | None:
        """Add `row_id` (as planned, if planned just before); returns its visible row, if any."""
        if plan is None:
            plan = self.plan_insert(row_id, natural_index)
        self._natural.insert(natural_index, row_id)
        if self._sorted is not self._natural:
            self._sorted.insert(plan.sorted_index, row_id)
        if plan.row is None:
            return None
        if self._visible is not self._sorted:
            self._visible.insert(plan.row, row_id)
        self._position[row_id] = plan.row
        self._moved()
        return plan.row

    def remove(self, row_id: int) -> int | None:
        """Forget `row_id`; returns the visible row it had, if it was shown."""
        row = self.row_of(row_id)
        if row is not None:
            del self._visible[row]
            del self._position[row_id]
            self._moved()
        shared = self._natural is self._sorted is self._visible
        if not shared or row is None:
            # Searching the other lists costs a scan per row; a bulk delete would pay it a
            # thousand times. They are only read to re-sort, re-filter or insert: purge then.
            self._gone.add(row_id)
        return row

    def _sorted_place(self, row_id: int) -> int:
        """Binary search for where `row_id`'s key goes among the sorted ids."""
        key, ids, position = self._key, self._sorted, self._natural_position
        assert key is not None
        wanted = key(row_id)
        low, high = 0, len(ids)
        while low < high:
            middle = (low + high) // 2
            found = key(ids[middle])
            before = wanted < found if not self._descending else found < wanted
            if not before and position is not None and wanted == found:
                before = position(row_id) < position(ids[middle])  # a tie: as sort() does
            if before:
                high = middle
            else:
                low = middle + 1
        return low

    def _visible_place(self, sorted_index: int) -> int:
        """The visible row after the nearest shown id before `sorted_index` in sorted order."""
        for index in range(sorted_index - 1, -1, -1):
            row = self.row_of(self._sorted[index])
            if row is not None:
                return row + 1
        return 0
