"""The loss curve of a running job, read from its event log.

A job's result file (the whole curve) exists only once it has succeeded. While it runs, the
services report progress as events whose text reads "Step 12/90: training loss=0.83" (with
", validation loss=0.91" on the steps that were validated); reading those lets the jobs view
draw the curve as it grows. The result file replaces these points when the job succeeds.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from tunedeck.core.storage.job_records import StoredEvent, StoredMetric

_STEP = re.compile(r"^Step (\d+)(?:/(\d+))?:")
_LOSS = re.compile(r"(full validation|validation|training) loss=([-+0-9.eE]+)")


def points_from_events(events: Iterable[StoredEvent]) -> list[StoredMetric]:
    """The (step, training loss, validation loss) points the events report, by step."""
    points: dict[int, StoredMetric] = {}
    for event in events:
        step = _STEP.match(event.message)
        if step is None:
            continue
        losses = {name: _number(value) for name, value in _LOSS.findall(event.message)}
        train = losses.get("training")
        valid = losses.get("validation", losses.get("full validation"))
        if train is None and valid is None:
            continue
        points[int(step.group(1))] = StoredMetric(int(step.group(1)), train, None, valid, None)
    return [points[step] for step in sorted(points)]


def total_steps(events: Iterable[StoredEvent]) -> int | None:
    """The job's step count, when its events name it ("Step 12/90")."""
    total = None
    for event in events:
        step = _STEP.match(event.message)
        if step is not None and step.group(2):
            total = int(step.group(2))
    return total


def _number(text: str) -> float | None:
    try:
        return float(text.rstrip("."))
    except ValueError:
        return None
