"""The simulated training curve of a job: loss falling, accuracy rising, reproducibly.

Each step's numbers are drawn from a generator seeded by the job's identifier and the step,
so the events, the checkpoints and the results file of a job agree with each other and read
the same after a restart, and any step can be computed without the ones before it.
Validation metrics exist only when the job was given a validation file, as on OpenAI.
"""

from __future__ import annotations

import csv
import io
import math
import random
from dataclasses import dataclass
from functools import lru_cache

from tunedeck.core.sandbox.catalog import COMPLETION

RESULTS_HEADER = ("step", "train_loss", "train_accuracy", "valid_loss", "valid_mean_token_accuracy")
MAX_RESULT_ROWS = 10_000  # a longer job's results file samples its steps evenly


@dataclass(frozen=True)
class StepMetrics:
    """The metrics reported for one training step."""

    step: int
    train_loss: float
    train_accuracy: float
    valid_loss: float | None = None
    valid_accuracy: float | None = None

    def as_data(self, total_steps: int) -> dict:
        """The `data` of a metrics event (the fields OpenAI's events carry)."""
        data = {
            "step": self.step,
            "train_loss": self.train_loss,
            "total_steps": total_steps,
            "train_mean_token_accuracy": self.train_accuracy,
        }
        if self.valid_loss is not None:
            data.update(valid_loss=self.valid_loss, valid_mean_token_accuracy=self.valid_accuracy)
        return data


@dataclass(frozen=True)
class _Shape:
    start: float  # loss at the first step
    floor: float  # what the loss tends to
    rate: float  # how many e-foldings it falls over the whole job
    gap: float  # how far validation loss sits above training loss


def total_steps(job: dict) -> int:
    """Optimizer steps: batches per epoch times epochs."""
    settings = job["resolved"]
    return math.ceil(job["examples"] / settings["batch_size"]) * settings["n_epochs"]


def at(job: dict, step: int) -> StepMetrics:
    """The metrics of one step (1-based)."""
    shape = _shape(job["id"], job["format"])
    rng = random.Random(f"{job['id']}:{step}")
    progress = math.exp(-shape.rate * step / total_steps(job))
    smooth = shape.floor + (shape.start - shape.floor) * progress
    loss = round(smooth * _noise(rng, 0.07), 5)
    accuracy = round(_clip(0.35 + 0.62 * (1 - progress) + rng.gauss(0, 0.02)), 5)
    if not job.get("validation_file"):
        return StepMetrics(step, loss, accuracy)
    valid_loss = round(smooth * shape.gap * _noise(rng, 0.05), 5)
    valid_accuracy = round(_clip(accuracy - rng.uniform(0.0, 0.06)), 5)
    return StepMetrics(step, loss, accuracy, valid_loss, valid_accuracy)


def sampled_steps(steps: int, most: int) -> list[int]:
    """At most about `most` steps spread evenly over 1..steps, always ending with the last."""
    every = math.ceil(steps / most)
    chosen = list(range(every, steps + 1, every))
    return chosen if chosen and chosen[-1] == steps else [*chosen, steps]


def results_csv(job: dict) -> bytes:
    """The results file: a row per step, validation columns empty without a validation file."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(RESULTS_HEADER)
    for step in sampled_steps(total_steps(job), MAX_RESULT_ROWS):
        row = at(job, step)
        valid = (row.valid_loss, row.valid_accuracy) if row.valid_loss is not None else ("", "")
        writer.writerow([row.step, row.train_loss, row.train_accuracy, *valid])
    return out.getvalue().encode()


@lru_cache(maxsize=256)
def _shape(job_id: str, fmt: str) -> _Shape:
    rng = random.Random(job_id)
    # Legacy classification completions are a word or two: their loss starts lower.
    start = rng.uniform(0.9, 2.0) if fmt == COMPLETION else rng.uniform(1.6, 3.2)
    return _Shape(
        start, start * rng.uniform(0.02, 0.12), rng.uniform(3.5, 5.0), rng.uniform(1.05, 1.25)
    )


def _noise(rng: random.Random, spread: float) -> float:
    return min(1 + 2 * spread, max(1 - 2 * spread, rng.gauss(1.0, spread)))


def _clip(value: float) -> float:
    return min(1.0, max(0.0, value))
