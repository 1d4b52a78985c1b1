"""What we know about models beyond their names: can they be fine-tuned, when do they go.

The tables are maintained by hand from the providers' own pages; each entry names its
source. Where no date has been announced the answer is None, never a guess. When the
service itself reports a shutdown date (OpenAI's models endpoint has an optional
`shutdown_date`), that wins over the table.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from tunedeck.core.remote.convert import timestamp
from tunedeck.core.remote.records import ModelInfo

_DEPRECATIONS = "https://developers.openai.com/api/docs/deprecations"
_FINE_TUNING_GUIDE = "https://developers.openai.com/api/docs/guides/model-optimization"

# Base models the fine-tuning guide (_FINE_TUNING_GUIDE) lists as trainable, with the aliases
# the jobs endpoint accepts, and Azure's spelling of GPT-3.5 Turbo ("gpt-35-turbo"). Whether
# one is still available is the shutdown table's business, not this set's.
FINE_TUNABLE = frozenset(
    {
        "gpt-4.1-2025-04-14",
        "gpt-4.1-mini-2025-04-14",
        "gpt-4.1-nano-2025-04-14",
        "gpt-4o-2024-08-06",
        "gpt-4o-mini-2024-07-18",
        "gpt-4o-mini",
        "gpt-4-0613",
        "gpt-3.5-turbo",
        "gpt-3.5-turbo-0125",
        "gpt-3.5-turbo-1106",
        "gpt-3.5-turbo-0613",
        "gpt-35-turbo-0125",
        "gpt-35-turbo-1106",
        "davinci-002",
        "babbage-002",
    }
)

# Shutdown dates announced on OpenAI's deprecations page (_DEPRECATIONS), read 2026-11-22.
# Fine-tuned models follow the schedule of their base model, says the same page.
_ANNOUNCED_2026_10_14 = f"{_DEPRECATIONS} (notice of 2026-10-14)"
_ANNOUNCED_2026_04_22 = f"{_DEPRECATIONS} (notice of 2026-04-22)"
SHUTDOWNS: dict[str, tuple[date, str]] = {
    "gpt-4o-2024-08-06": (date(2027, 1, 14), _ANNOUNCED_2026_10_14),
    "gpt-4o-2024-11-20": (date(2027, 1, 14), _ANNOUNCED_2026_10_14),
    "gpt-4o-mini-2024-07-18": (date(2027, 1, 14), _ANNOUNCED_2026_10_14),
    "gpt-4.1-2025-04-14": (date(2027, 1, 14), _ANNOUNCED_2026_10_14),
    "gpt-4.1-mini-2025-04-14": (date(2027, 1, 14), _ANNOUNCED_2026_10_14),
    "gpt-4.1-nano": (date(2026, 10, 23), _ANNOUNCED_2026_04_22),
    "gpt-4.1-nano-2025-04-14": (date(2026, 10, 23), _ANNOUNCED_2026_04_22),
    "gpt-3.5-turbo": (date(2026, 10, 23), _ANNOUNCED_2026_04_22),
    "gpt-3.5-turbo-0125": (date(2026, 10, 23), _ANNOUNCED_2026_04_22),
    "gpt-4-0613": (date(2026, 10, 23), _ANNOUNCED_2026_04_22),
    "o4-mini-2025-04-16": (date(2026, 10, 23), _ANNOUNCED_2026_04_22),
    # davinci-002 and babbage-002: no shutdown date announced as of 2026-11-22.
}

_FT_NAME = re.compile(r"^ft:([^:]+):")
# Azure names a fine-tuned model BASE.ft-HEX.
_AZURE_FT_NAME = re.compile(r"^(.+?)\.ft-[0-9a-f]+$")


def base_of(model: str) -> str | None:
    """The base model a fine-tuned model was trained from; None for a base model."""
    for pattern in (_FT_NAME, _AZURE_FT_NAME):
        match = pattern.match(model)
        if match:
            return match.group(1)
    return None


def shutdown_of(model: str) -> tuple[date | None, str | None]:
    """The announced shutdown date of a model (or of its base) and where it was announced."""
    name = base_of(model) or model
    entry = SHUTDOWNS.get(name)
    return (entry[0], entry[1]) if entry else (None, None)


def is_fine_tunable(model: str) -> bool:
    """Whether the model can be trained further (a fine-tuned model of a trainable base can)."""
    return (base_of(model) or model) in FINE_TUNABLE


def _reported_shutdown(raw: Any) -> date | None:
    # OpenAI: "shutdown_date": "YYYY-MM-DD". Azure: "deprecation": {"inference": unix time}.
    reported = getattr(raw, "shutdown_date", None)
    if reported:
        try:
            return date.fromisoformat(str(reported)[:10])
        except ValueError:
            return None
    deprecation = getattr(raw, "deprecation", None)
    if isinstance(deprecation, dict):
        when = timestamp(deprecation.get("inference"))
        return when.date() if when else None
    return None


def model_info(raw: Any) -> ModelInfo:
    """A ModelInfo from the SDK's Model, with our tables filled in.

    What the service reports about itself wins: Azure's `capabilities.fine_tune`, and the
    shutdown date either service sends.
    """
    model_id = str(raw.id)
    shutdown, source = shutdown_of(model_id)
    reported = _reported_shutdown(raw)
    if reported is not None:
        shutdown, source = reported, "the service"
    capabilities = getattr(raw, "capabilities", None)
    fine_tunable = is_fine_tunable(model_id)
    if isinstance(capabilities, dict) and "fine_tune" in capabilities:
        fine_tunable = bool(capabilities["fine_tune"])
    return ModelInfo(
        id=model_id,
        owned_by=getattr(raw, "owned_by", None),
        created_at=timestamp(getattr(raw, "created", None)),
        fine_tunable=fine_tunable,
        fine_tuned=base_of(model_id) is not None,
        base_model=base_of(model_id),
        shutdown_on=shutdown,
        retirement_source=source,
    )
