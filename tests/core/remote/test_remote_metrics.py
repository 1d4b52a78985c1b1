"""Result files: plain or base64 CSV, old and new column names, gaps where not measured."""

from __future__ import annotations

import base64

import pytest

from tunedeck.core.errors import UserError
from tunedeck.core.remote.metrics import parse_metrics

CSV = (
    "step,train_loss,train_accuracy,valid_loss,valid_mean_token_accuracy,"
    "full_valid_loss,full_valid_mean_token_accuracy\n"
    "2,1.5,0.40,,,,\n"
    "1,2.0,0.25,2.1,0.20,,\n"
    "3,0.9,0.70,1.0,0.65,1.05,0.6\n"
)


def test_plain_and_base64_result_files_read_the_same() -> None:
    plain = parse_metrics(CSV.encode())
    encoded = parse_metrics(base64.b64encode(CSV.encode()))
    assert plain == encoded
    assert [point.step for point in plain] == [1, 2, 3]
    assert plain[0].valid_loss == 2.1 and plain[1].valid_loss is None
    assert plain[2].full_valid_accuracy == 0.6


def test_older_column_names_are_understood() -> None:
    points = parse_metrics(
        b"step,train_loss,train_accuracy,valid_loss,valid_accuracy\n1,1,0.5,2,0.4\n"
    )
    assert points[0].valid_accuracy == 0.4 and points[0].full_valid_loss is None


def test_something_else_is_a_clear_error() -> None:
    with pytest.raises(UserError, match="not the metrics table"):
        parse_metrics(b"<html>Service unavailable</html>")
