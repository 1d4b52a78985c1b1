"""The job's settings and what it will cost, shown before anything is sent.

Epochs, batch size and learning-rate multiplier default to "Auto" (the service decides; the
estimate uses OpenAI's published rule for epochs). The cost comes from the editable price
table; a model without a price says so and offers to set one, rather than guess. On Azure,
the hourly hosting fee of a deployed model is spelled out, since it dwarfs the training.
"""

from __future__ import annotations

import re

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from tunedeck.core.errors import UserError
from tunedeck.core.remote import AzureProfile, Hyperparameters, JobSpec, Profile
from tunedeck.core.remote import cost as costs
from tunedeck.ui.connections import Connections

AUTO = "Auto"
_SUFFIX_LIMIT = 18  # Azure's limit for the suffix (OpenAI takes 64): the stricter wins


class EstimateBox(QWidget):
    """Job settings (suffix, seed, hyperparameters) and the estimate for them.

    Signals:
        changed(): A setting that changes the estimate or the job was edited.
    """

    changed = Signal()

    def __init__(self, connections: Connections, suffix: str, parent: QWidget | None = None):
        super().__init__(parent)
        self._connections = connections
        self._last: tuple[list[int], str, Profile | None] | None = None
        self.suffix = QLineEdit(suggested_suffix(suffix))
        self.suffix.setMaxLength(_SUFFIX_LIMIT)
        self.suffix.setToolTip("Part of the tuned model's name, so you can tell it apart")
        self.epochs = _auto_spin(QSpinBox(), 0, 25)
        self.batch = _auto_spin(QSpinBox(), 0, 256)
        self.learning = _auto_spin(QDoubleSpinBox(), 0.0, 10.0)
        self.learning.setSingleStep(0.1)
        self.seed = _auto_spin(QSpinBox(), 0, 2_147_483_647)
        self.seed.setToolTip("The same seed and data train the same way again; Auto picks one")
        self.estimate = QLabel("The estimate appears once the examples are checked.")
        self.estimate.setWordWrap(True)
        self.price_button = QPushButton("Set price…")
        self.price_button.setToolTip("Enter what the provider charges to train this model")
        self.price_button.clicked.connect(self._on_set_price)
        self.hosting = QLabel()
        self.hosting.setWordWrap(True)
        self.hosting.setStyleSheet("color:#8a5300;")
        self.hosting.hide()
        tuning = QHBoxLayout()
        for label, spin in (("Epochs", self.epochs), ("Batch", self.batch)):
            tuning.addWidget(QLabel(label))
            tuning.addWidget(spin)
        tuning.addWidget(QLabel("Learning rate ×"))
        tuning.addWidget(self.learning)
        tuning.addStretch(1)
        holder = QWidget()
        tuning.setContentsMargins(0, 0, 0, 0)
        holder.setLayout(tuning)
        self.seed.setMaximumWidth(self.fontMetrics().horizontalAdvance("2147483647") + 48)
        money = QHBoxLayout()
        money.addWidget(self.price_button)
        money.addStretch(1)
        money.setContentsMargins(0, 0, 0, 0)
        money_holder = QWidget()
        money_holder.setLayout(money)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow("Name suffix", self.suffix)
        form.addRow("Training", holder)
        form.addRow("Seed", self.seed)
        form.addRow("Estimate", self.estimate)
        form.addRow("", money_holder)
        form.addRow(self.hosting)
        for spin in (self.epochs, self.batch, self.learning, self.seed):
            spin.valueChanged.connect(self._on_setting_changed)

    def spec(self, model: str) -> JobSpec:
        """The job to ask for, with these settings."""
        return JobSpec(
            base_model=model,
            suffix=self.suffix.text().strip() or None,
            seed=self.seed.value() or None,
            hyperparameters=Hyperparameters(
                n_epochs=self.epochs.value() or None,
                batch_size=self.batch.value() or None,
                learning_rate_multiplier=self.learning.value() or None,
            ),
        )

    def clear(self) -> None:
        self._last = None
        self.estimate.setText("The estimate appears once the examples are checked.")
        self.price_button.hide()

    def show_estimate(self, tokens: list[int], model: str, profile: Profile | None) -> None:
        """Tokens of each training example for `model`; recomputed when a setting changes."""
        self._last = (tokens, model, profile)
        self.hosting.setVisible(isinstance(profile, AzureProfile))
        self.hosting.setText(
            "On Azure, a deployed fine-tuned model is billed by the hour whether or not it is "
            "used — usually far more than the training. Delete the deployment when you are "
            "done testing (a Developer test deployment has no hourly fee and is removed after "
            "24 hours; an idle deployment is deleted after 15 days)."
        )
        if not tokens:
            self.estimate.setText("No training examples: nothing to estimate.")
            self.price_button.hide()
            return
        try:
            prices = self._connections.prices()
        except UserError as error:
            self.estimate.setText(str(error))
            return
        epochs = self.epochs.value() or None
        found = costs.estimate(model, costs.tokens_per_epoch(tokens), len(tokens), prices, epochs)
        chosen = "auto: the usual choice for this many examples" if epochs is None else "chosen"
        lines = [
            f"{len(tokens):,} training examples, {found.tokens_per_epoch:,} tokens per epoch",
            f"{found.epochs} epochs ({chosen}) → {found.billed_tokens:,} billed tokens",
        ]
        if found.usd is None:
            lines.append(f"No price for {model} in the price table: set one to see the cost.")
        else:
            lines.append(
                f"About ${found.usd:,.2f} at ${found.usd_per_million:g} per million tokens "
                f"(prices as of {costs.PRICES_AS_OF} unless you changed them)"
            )
        self.estimate.setText("\n".join(lines))
        self.price_button.setVisible(True)
        self.price_button.setText("Set price…" if found.usd is None else "Change price…")

    def _on_setting_changed(self, _value: object = None) -> None:
        if self._last is not None:
            self.show_estimate(*self._last)
        self.changed.emit()

    def _on_set_price(self) -> None:
        if self._last is None:
            return
        model = self._last[1]
        try:
            prices = self._connections.prices()
            current = prices.price(model) or 0.0
            value, ok = QInputDialog.getDouble(
                self, "Training price", f"US dollars per million training tokens for {model}:",
                current, 0.0, 10_000.0, 2,
            )  # fmt: skip
            if not ok:
                return
            prices.set_price(model, value)
            prices.save(self._connections.prices_path)
        except UserError as error:
            self.estimate.setText(str(error))
            return
        self.show_estimate(*self._last)


def suggested_suffix(name: str) -> str:
    """The dataset's name, as a model-name suffix accepts it."""
    cleaned = re.sub(r"[^a-z0-9-]+", "-", name.lower()).strip("-")
    return cleaned[:_SUFFIX_LIMIT].strip("-")


def _auto_spin(spin, low, high):
    spin.setRange(low, high)
    spin.setSpecialValueText(AUTO)  # the lowest value reads "Auto": the service decides
    spin.setValue(low)
    return spin
