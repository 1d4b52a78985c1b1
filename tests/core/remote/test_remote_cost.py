"""Cost estimates: OpenAI's default-epochs rule at its edges, and price lookup by any name."""

from __future__ import annotations

from pathlib import Path

import pytest

from tunedeck.core.errors import UserError
from tunedeck.core.remote.cost import PriceTable, default_epochs, estimate, tokens_per_epoch


@pytest.mark.parametrize(
    ("examples", "epochs"),
    [
        (1, 25),  # 100 // 1 = 100, capped at 25
        (4, 25),  # 100 // 4 = 25: exactly the cap
        (5, 20),  # 100 // 5
        (10, 10),
        (33, 3),  # 99 example-passes < 100: 100 // 33 = 3
        (34, 3),  # 102 >= 100: the target itself
        (8333, 3),  # 24,999 <= 25,000
        (8334, 2),  # 25,002 > 25,000: 25,000 // 8334 = 2
        (12500, 2),
        (12501, 1),  # 25,000 // 12501 = 1
        (30000, 1),  # 25,000 // 30,000 = 0, raised to the minimum of 1
    ],
)
def test_default_epochs_follow_openais_rule(examples: int, epochs: int) -> None:
    assert default_epochs(examples) == epochs


def test_an_empty_file_has_no_default_epochs() -> None:
    with pytest.raises(ValueError):
        default_epochs(0)


def test_billed_tokens_are_tokens_per_epoch_times_epochs() -> None:
    prices = PriceTable()
    auto = estimate("gpt-4o-mini-2024-07-18", 50_000, n_examples=20, prices=prices)
    assert (auto.epochs, auto.epochs_chosen_by_service) == (5, True)
    assert auto.billed_tokens == 250_000
    assert auto.usd == pytest.approx(250_000 * 3.00 / 1_000_000)

    chosen = estimate("gpt-4o-mini-2024-07-18", 50_000, n_examples=20, prices=prices, n_epochs=2)
    assert (chosen.epochs, chosen.billed_tokens, chosen.epochs_chosen_by_service) == (
        2,
        100_000,
        False,
    )


def test_a_very_long_example_is_billed_only_up_to_the_cap() -> None:
    assert tokens_per_epoch([100, 20_000, 50]) == 100 + 16_385 + 50


@pytest.mark.parametrize(
    ("model", "price"),
    [
        ("gpt-4o-mini-2024-07-18", 3.00),
        ("gpt-4o-mini", 3.00),  # alias -> its priced snapshot
        ("gpt-4o", 25.00),  # not mistaken for gpt-4o-mini
        ("gpt-4o-2024-08-06", 25.00),
        ("gpt-3.5-turbo-0125", 8.00),  # snapshot -> priced alias
        ("ft:gpt-4o-mini-2024-07-18:acme:support:abc123", 3.00),  # continue training
        ("ft:davinci-002:acme::xyz", 6.00),
        ("gpt-4o-mini-2024-07-18.ft-0123abcd", 3.00),  # Azure's fine-tuned name
        ("babbage-002", 0.40),
    ],
)
def test_prices_are_found_for_snapshot_alias_and_fine_tuned_names(model: str, price: float) -> None:
    assert PriceTable().price(model) == price


def test_an_unpriced_model_gets_no_price_rather_than_a_guess() -> None:
    result = estimate("gpt-4.1-2025-04-14", 1000, n_examples=50, prices=PriceTable())
    assert result.usd_per_million is None and result.usd is None
    assert result.billed_tokens == 3000


def test_the_user_edits_the_table_and_it_survives_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "prices.json"
    assert PriceTable.load(path).price("gpt-4o-mini") == 3.00  # defaults before any save
    table = PriceTable.load(path)
    table.set_price("gpt-4.1-2025-04-14", 25.0)
    table.set_price("gpt-4o-mini-2024-07-18", 2.5)
    table.save(path)
    again = PriceTable.load(path)
    assert again.price("ft:gpt-4.1-2025-04-14:me::x") == 25.0
    assert again.price("gpt-4o-mini") == 2.5


def test_a_damaged_price_file_is_a_user_error(tmp_path: Path) -> None:
    path = tmp_path / "prices.json"
    path.write_text('{"usd_per_million_training_tokens": {"x": -1}}')
    with pytest.raises(UserError, match="not a TuneDeck price table"):
        PriceTable.load(path)


def test_the_sandbox_trains_as_many_auto_epochs_as_the_estimate_says():
    from tunedeck.core.sandbox.hyperparameters import resolve

    auto = {"n_epochs": "auto", "batch_size": "auto", "learning_rate_multiplier": "auto"}
    for examples in (1, 10, 12, 33, 34, 5000, 8334, 30000):
        assert resolve(auto, examples)["n_epochs"] == default_epochs(examples), examples
