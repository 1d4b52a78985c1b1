"""The estimate: tokens per epoch, epochs (auto or chosen), billed tokens, and a price only
when the table has one."""

from __future__ import annotations

import pytest

from tunedeck.core.remote import AzureProfile
from tunedeck.ui.launch.estimate_box import EstimateBox, suggested_suffix

pytestmark = pytest.mark.gui


def _box(qtbot, connections) -> EstimateBox:
    box = EstimateBox(connections, "Support tickets (2024)")
    qtbot.addWidget(box)
    return box


def test_auto_epochs_follow_the_published_rule_and_a_choice_overrides_them(qtbot, connections):
    box = _box(qtbot, connections)
    box.show_estimate([100] * 20, "gpt-4o-mini-2024-07-18", None)
    text = box.estimate.text()
    assert "2,000 tokens per epoch" in text
    assert "5 epochs (auto" in text and "10,000 billed tokens" in text  # 20 × 5 ≥ 100 passes
    assert "About $0.03" in text
    box.epochs.setValue(2)
    assert "4,000 billed tokens" in box.estimate.text()
    assert box.spec("gpt-4o-mini-2024-07-18").hyperparameters.n_epochs == 2


def test_a_model_without_a_price_says_so_instead_of_guessing(qtbot, connections):
    box = _box(qtbot, connections)
    box.show_estimate([50] * 12, "gpt-4.1-mini-2025-04-14", None)
    assert "No price for gpt-4.1-mini-2025-04-14" in box.estimate.text()
    assert box.price_button.text() == "Set price…"
    prices = connections.prices()
    prices.set_price("gpt-4.1-mini-2025-04-14", 5.0)
    prices.save(connections.prices_path)
    box.show_estimate([50] * 12, "gpt-4.1-mini-2025-04-14", None)
    assert "$5 per million" in box.estimate.text()


def test_azure_shows_the_hosting_fee(qtbot, connections):
    box = _box(qtbot, connections)
    box.show_estimate(
        [10] * 12, "gpt-4o-mini-2024-07-18", AzureProfile(id="a", name="A", endpoint="https://x")
    )
    assert box.hosting.isVisibleTo(box)
    assert "billed by the hour" in box.hosting.text()


def test_the_suffix_and_settings_make_the_job_spec(qtbot, connections):
    box = _box(qtbot, connections)
    assert box.suffix.text() == suggested_suffix("Support tickets (2024)") == "support-tickets-20"
    spec = box.spec("davinci-002")
    assert spec.seed is None and spec.hyperparameters.batch_size is None  # Auto: service decides
    box.seed.setValue(42)
    box.learning.setValue(0.5)
    spec = box.spec("davinci-002")
    assert spec.seed == 42 and spec.hyperparameters.learning_rate_multiplier == 0.5
