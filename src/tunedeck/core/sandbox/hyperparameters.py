"""Checking and resolving a job's hyperparameters as OpenAI does.

Both forms are accepted: the deprecated top-level `hyperparameters` and
`method={"type": "supervised", "supervised": {"hyperparameters": ...}}`. "auto" resolves with
OpenAI's published defaults: 3 epochs, raised or lowered so that the job sees between 100
and 25,000 examples in all; a batch of about 0.2% of the examples.
"""

from __future__ import annotations

from tunedeck.core.sandbox.errors import ApiError, invalid, wrong_type

_BOUNDS = {"n_epochs": (1, 50), "batch_size": (1, 256)}
NAMES = ("n_epochs", "batch_size", "learning_rate_multiplier")
_MIN_EXAMPLES_SEEN, _MAX_EXAMPLES_SEEN, _MAX_AUTO_EPOCHS = 100, 25_000, 25
AUTO_LEARNING_RATE = 1.8  # what OpenAI reports for "auto" on small chat jobs


def requested(body: dict) -> dict:
    """The hyperparameters a create request asks for, "auto" where it names none.

    Raises:
        ApiError: 400 for an unsupported method, both forms at once, an unknown name, a value
            of the wrong type or out of range; `param` names the offending field.
    """
    legacy = body.get("hyperparameters")
    method = body.get("method")
    given, prefix = legacy, "hyperparameters"
    if method is not None:
        supervised = _supervised(method)
        if supervised is not None:
            if legacy is not None:
                raise invalid(
                    "Give hyperparameters in one place only: method.supervised.hyperparameters "
                    "(preferred) or the deprecated top-level hyperparameters.",
                    "hyperparameters",
                )
            given, prefix = supervised, "method.supervised.hyperparameters"
    if given is None:
        given = {}
    if not isinstance(given, dict):
        raise wrong_type(prefix, "an object", given)
    for name in given:
        if name not in NAMES:
            raise invalid(
                f"Unknown parameter: '{prefix}.{name}'.", f"{prefix}.{name}", "unknown_parameter"
            )
    return {name: _checked(f"{prefix}.{name}", given.get(name, "auto")) for name in NAMES}


def resolve(asked: dict, examples: int) -> dict:
    """Numbers for every "auto", given how many examples the training file holds."""
    resolved = dict(asked)
    if resolved["n_epochs"] == "auto":
        epochs = 3
        if examples * epochs < _MIN_EXAMPLES_SEEN:
            # Floor division, as the OpenAI cookbook states the rule: 12 examples, 8 epochs.
            epochs = min(_MAX_AUTO_EPOCHS, _MIN_EXAMPLES_SEEN // examples)
        elif examples * epochs > _MAX_EXAMPLES_SEEN:
            epochs = max(1, _MAX_EXAMPLES_SEEN // examples)
        resolved["n_epochs"] = epochs
    if resolved["batch_size"] == "auto":
        resolved["batch_size"] = max(1, min(256, round(examples * 0.002)))
    if resolved["learning_rate_multiplier"] == "auto":
        resolved["learning_rate_multiplier"] = AUTO_LEARNING_RATE
    return resolved


def _supervised(method: object) -> object:
    if not isinstance(method, dict):
        raise wrong_type("method", "an object", method)
    kind = method.get("type")
    if kind is None:
        raise invalid(
            "Missing required parameter: 'method.type'.",
            "method.type",
            "missing_required_parameter",
        )
    if kind != "supervised":
        raise invalid(
            f"The sandbox simulates supervised fine-tuning only; method.type '{kind}' is not "
            "available here.",
            "method.type",
        )
    supervised = method.get("supervised")
    if supervised is None:
        return None
    if not isinstance(supervised, dict):
        raise wrong_type("method.supervised", "an object", supervised)
    return supervised.get("hyperparameters")


def _checked(param: str, value: object) -> int | float | str:
    name = param.rsplit(".", 1)[1]
    if value == "auto":
        return value
    if name == "learning_rate_multiplier":
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise wrong_type(param, "one of a number or 'auto'", value)
        if value <= 0:
            raise _out_of_range(
                param, "decimal below minimum value", "> 0", value, "decimal_below_min_value"
            )
        return value
    if isinstance(value, bool) or not isinstance(value, int):
        raise wrong_type(param, "one of an integer or 'auto'", value)
    low, high = _BOUNDS[name]
    if value < low:
        raise _out_of_range(
            param, "integer below minimum value", f">= {low}", value, "integer_below_min_value"
        )
    if value > high:
        raise _out_of_range(
            param, "integer above maximum value", f"<= {high}", value, "integer_above_max_value"
        )
    return value


def _out_of_range(param: str, what: str, expected: str, value: object, code: str) -> ApiError:
    return invalid(
        f"Invalid '{param}': {what}. Expected a value {expected}, but got {value} instead.",
        param,
        code,
    )
