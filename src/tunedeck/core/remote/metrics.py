"""Read a job's result file: the per-step losses and accuracies the loss chart draws.

The file is a CSV (step, train_loss, train_accuracy, valid_loss, ...). OpenAI has served it
base64-encoded at times, so both forms are accepted. Column names have changed over the
years; each field lists the names it has gone by. Empty cells mean "not measured at this
step" (validation runs only every few steps).
"""

from __future__ import annotations

import base64
import binascii
import csv
import io
import math

from tunedeck.core.errors import UserError
from tunedeck.core.remote.records import MetricsPoint

_COLUMNS = {
    "train_loss": ("train_loss",),
    "train_accuracy": ("train_accuracy", "train_mean_token_accuracy"),
    "valid_loss": ("valid_loss",),
    "valid_accuracy": ("valid_mean_token_accuracy", "valid_accuracy"),
    "full_valid_loss": ("full_valid_loss",),
    "full_valid_accuracy": ("full_valid_mean_token_accuracy", "full_valid_accuracy"),
}


def decode_result_file(content: bytes) -> str:
    """The CSV text of a result file, whether it came plain or base64-encoded.

    Raises:
        UserError: The content is neither.
    """
    stripped = content.strip()
    if stripped.startswith(b"step"):
        return stripped.decode("utf-8-sig")
    try:
        decoded = base64.b64decode(stripped, validate=False)
    except (binascii.Error, ValueError):
        decoded = b""
    if decoded.lstrip().startswith(b"step"):
        return decoded.decode("utf-8-sig")
    raise UserError(
        "The job's result file is not the metrics table TuneDeck expects (a CSV starting "
        "with a 'step' column); the provider may have changed its format."
    )


def _number(text: str | None) -> float | None:
    if text is None or not text.strip():
        return None
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def parse_metrics(content: bytes) -> list[MetricsPoint]:
    """The rows of a result file, in step order.

    Raises:
        UserError: It is not a result file.
    """
    reader = csv.DictReader(io.StringIO(decode_result_file(content)))
    columns = {name.strip() for name in reader.fieldnames or ()}
    chosen = {
        field: next((name for name in names if name in columns), None)
        for field, names in _COLUMNS.items()
    }
    points = []
    for row in reader:
        row = {key.strip(): value for key, value in row.items() if key is not None}
        step = _number(row.get("step"))
        if step is None:
            continue
        values = {field: _number(row.get(name)) if name else None for field, name in chosen.items()}
        points.append(MetricsPoint(step=int(step), **values))
    return sorted(points, key=lambda point: point.step)
