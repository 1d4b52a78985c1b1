"""Model facts: what can be trained, and announced shutdowns with their source."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

from tunedeck.core.remote.catalog import base_of, is_fine_tunable, model_info, shutdown_of


def test_fine_tuned_names_lead_back_to_their_base() -> None:
    assert base_of("ft:gpt-4o-mini-2024-07-18:acme:support:abc") == "gpt-4o-mini-2024-07-18"
    assert base_of("gpt-4o-mini-2024-07-18.ft-0a1b2c") == "gpt-4o-mini-2024-07-18"
    assert base_of("gpt-4o-mini") is None
    assert is_fine_tunable("ft:gpt-4o-mini-2024-07-18:acme::abc")
    assert not is_fine_tunable("gpt-4-turbo-2024-04-09")


def test_shutdowns_come_with_their_source_and_unknowns_stay_unknown() -> None:
    when, source = shutdown_of("ft:gpt-4o-mini-2024-07-18:acme::abc")
    assert when == date(2027, 1, 14)
    assert source is not None and "deprecations" in source
    assert shutdown_of("davinci-002") == (None, None)


def test_what_the_service_reports_wins_over_the_table() -> None:
    openai_style = SimpleNamespace(
        id="gpt-4o-mini-2024-07-18",
        created=1721172717,
        owned_by="system",
        shutdown_date="2027-02-01",
    )
    info = model_info(openai_style)
    assert info.shutdown_on == date(2027, 2, 1) and info.retirement_source == "the service"
    assert info.fine_tunable and not info.fine_tuned

    azure_style = SimpleNamespace(
        id="gpt-4o-mini-2024-07-18",
        created=1721172717,
        owned_by="system",
        capabilities={"fine_tune": False, "chat_completion": True},
    )
    assert not model_info(azure_style).fine_tunable
