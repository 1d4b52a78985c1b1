"""The settings a dataset is linted with, as the user gave them and as they were resolved."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from tunedeck.core.models import ModelInfo

# The seeds' recommended separator, proposed when a dataset has none at all.
DEFAULT_SEPARATOR = "\n\n###\n\n"


@dataclass
class LintSettings:
    """What the user configured; None means "work it out from the data"."""

    model: str | None = None
    separator: str | None = None
    stop: str | None = None
    token_limit: int | None = None
    classification: bool | None = None
    # Where the class is read from when it is not the answer itself: a field of the record,
    # such as "label" or "metadata.intent". None: the completion / final assistant message.
    class_field: str | None = None
    min_examples: int = 10  # the fine-tuning API rejects smaller files
    min_per_class: int = 100  # the seeds' advice for classification
    imbalance_ratio: float = 3.0  # largest class over smallest beyond which to warn
    suppressed: dict[int, set[str]] = field(default_factory=dict)  # row id -> rule names


class Source(StrEnum):
    CONFIGURED = "configured"
    INFERRED = "inferred"
    PROPOSED = "proposed"  # nothing in the data to infer from; the recommended default
    NONE = "none"  # not applicable, or none found


@dataclass(frozen=True)
class ResolvedSettings:
    """Settings with every blank filled in, and where each value came from."""

    model: ModelInfo
    model_source: Source
    separator: str | None
    separator_source: Source
    stop: str | None
    stop_source: Source
    classification: bool
    classification_source: Source
    token_limit_source: Source
    options: LintSettings

    @property
    def token_limit(self) -> int:
        return self.model.token_limit

    def as_dict(self) -> dict[str, object]:
        """For reports: each value with its source."""
        return {
            "model": {"value": self.model.name, "source": self.model_source.value},
            "encoding": {"value": self.model.encoding, "source": self.model_source.value},
            "separator": {"value": self.separator, "source": self.separator_source.value},
            "stop": {"value": self.stop, "source": self.stop_source.value},
            "token_limit": {"value": self.token_limit, "source": self.token_limit_source.value},
            "classification": {
                "value": self.classification,
                "source": self.classification_source.value,
            },
            "class_field": self.options.class_field,
            "min_examples": self.options.min_examples,
            "min_per_class": self.options.min_per_class,
            "imbalance_ratio": self.options.imbalance_ratio,
        }
