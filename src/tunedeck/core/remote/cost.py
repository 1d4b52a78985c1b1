"""What a fine-tuning job will cost before it is launched.

Billed training tokens are the tokens of one pass over the training file times the number
of epochs. When the user leaves epochs on "auto", OpenAI picks them by the rule its
cookbook publishes (Chat_finetuning_data_prep.ipynb, "Cost Estimation"): aim for 3 epochs,
but at least 100 and at most 25,000 example-passes, and never fewer than 1 or more than 25
epochs. Prices are a table the user can edit, since providers change them.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from tunedeck.core.errors import UserError
from tunedeck.core.io.atomic import atomic_write

TARGET_EPOCHS = 3
MIN_TARGET_EXAMPLES = 100
MAX_TARGET_EXAMPLES = 25_000
MIN_DEFAULT_EPOCHS = 1
MAX_DEFAULT_EPOCHS = 25
# The cookbook bills at most this many tokens per example (longer ones are truncated).
MAX_TOKENS_PER_EXAMPLE = 16_385

# USD per million training tokens: the "Training" column of the fine-tuning table on
# OpenAI's pricing page (openai.com/api/pricing) as published in late 2024, the version that
# still listed o1-preview. Models missing here (the GPT-4.1 family, for one) have no default
# price: the estimate says so rather than guess, and the user can add them.
PRICES_AS_OF = "2024-Q4"
DEFAULT_PRICES: dict[str, float] = {
    "gpt-4o-2024-08-06": 25.00,
    "gpt-4o-mini-2024-07-18": 3.00,
    "gpt-3.5-turbo": 8.00,
    "davinci-002": 6.00,
    "babbage-002": 0.40,
}

_SNAPSHOT = re.compile(r"-(\d{4}-\d{2}-\d{2}|\d{4})$")


def default_epochs(n_examples: int) -> int:
    """The epochs OpenAI chooses for "auto", by its published rule."""
    if n_examples <= 0:
        raise ValueError("a training file has at least one example")
    if n_examples * TARGET_EPOCHS < MIN_TARGET_EXAMPLES:
        return min(MAX_DEFAULT_EPOCHS, MIN_TARGET_EXAMPLES // n_examples)
    if n_examples * TARGET_EPOCHS > MAX_TARGET_EXAMPLES:
        return max(MIN_DEFAULT_EPOCHS, MAX_TARGET_EXAMPLES // n_examples)
    return TARGET_EPOCHS


def tokens_per_epoch(example_tokens: list[int]) -> int:
    """Billed tokens of one pass: each example's tokens, capped as the cookbook caps them."""
    return sum(min(MAX_TOKENS_PER_EXAMPLE, count) for count in example_tokens)


def alias_of(model: str) -> str:
    """The model's name without "ft:" wrapping or a snapshot date.

    "ft:gpt-4o-mini-2024-07-18:org:suffix:id" -> "gpt-4o-mini";
    "gpt-3.5-turbo-0125" -> "gpt-3.5-turbo".
    """
    if model.startswith("ft:"):
        model = model.split(":")[1]
    model = model.split(".ft-")[0]  # Azure's fine-tuned names
    return _SNAPSHOT.sub("", model)


def base_of(model: str) -> str:
    """The base model a (possibly fine-tuned) model name refers to, snapshot kept."""
    if model.startswith("ft:"):
        return model.split(":")[1]
    return model.split(".ft-")[0]


class PriceTable:
    """Training prices in USD per million tokens, editable and saved as JSON.

    Args:
        prices: Model name -> price; the defaults when not given.
    """

    def __init__(self, prices: dict[str, float] | None = None) -> None:
        self._prices = dict(DEFAULT_PRICES if prices is None else prices)

    def __repr__(self) -> str:
        return f"PriceTable({len(self._prices)} models)"

    @classmethod
    def load(cls, path: str | Path) -> PriceTable:
        """The table saved at path, or the defaults if there is none yet.

        Raises:
            UserError: The file exists but is not a price table.
        """
        path = Path(path)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return cls()
        except (OSError, ValueError) as exc:
            raise UserError(f"Cannot read the price table {path}: {exc}.") from exc
        prices = data.get("usd_per_million_training_tokens") if isinstance(data, dict) else None
        if not isinstance(prices, dict) or not all(
            isinstance(v, int | float) and v >= 0 for v in prices.values()
        ):
            raise UserError(f"{path} is not a TuneDeck price table; move it aside to reset it.")
        return cls({str(k): float(v) for k, v in prices.items()})

    def save(self, path: str | Path) -> None:
        """Write the table (all of it, defaults included) to path."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        data = {"usd_per_million_training_tokens": dict(sorted(self._prices.items()))}
        with atomic_write(path) as stream:
            stream.write(json.dumps(data, indent=2).encode("utf-8"))

    def items(self) -> list[tuple[str, float]]:
        """Every (model, price), sorted by model."""
        return sorted(self._prices.items())

    def set_price(self, model: str, usd_per_million: float) -> None:
        """Set or change one model's price."""
        if usd_per_million < 0:
            raise ValueError("a price cannot be negative")
        self._prices[model] = float(usd_per_million)

    def price(self, model: str) -> float | None:
        """The price for a model name as the user or the service spells it.

        Tried in order: the exact name; the base of a fine-tuned name (continuing training
        costs what the base costs); the name without its snapshot date; any priced snapshot
        of the same model (the newest). None when nothing matches.
        """
        base = base_of(model)
        for name in (model, base, alias_of(base)):
            if name in self._prices:
                return self._prices[name]
        alias = alias_of(base)
        snapshots = sorted(name for name in self._prices if alias_of(name) == alias)
        return self._prices[snapshots[-1]] if snapshots else None


@dataclass(frozen=True)
class CostEstimate:
    """What the launch panel shows before the user commits."""

    epochs: int
    epochs_chosen_by_service: bool
    tokens_per_epoch: int
    billed_tokens: int
    usd_per_million: float | None
    usd: float | None


def estimate(
    model: str,
    tokens_per_epoch: int,
    n_examples: int,
    prices: PriceTable,
    n_epochs: int | None = None,
) -> CostEstimate:
    """Billed tokens and price of training `model` on a file.

    Args:
        model: The base model (or a fine-tuned one, to continue training).
        tokens_per_epoch: Billed tokens of one pass (see `tokens_per_epoch`).
        n_examples: Training examples in the file.
        prices: The price table.
        n_epochs: The user's choice, or None for "auto".
    """
    epochs = default_epochs(n_examples) if n_epochs is None else n_epochs
    billed = tokens_per_epoch * epochs
    price = prices.price(model)
    return CostEstimate(
        epochs=epochs,
        epochs_chosen_by_service=n_epochs is None,
        tokens_per_epoch=tokens_per_epoch,
        billed_tokens=billed,
        usd_per_million=price,
        usd=None if price is None else billed * price / 1_000_000,
    )
