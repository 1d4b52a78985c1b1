from __future__ import annotations

import pytest

from tunedeck.core.errors import UserError
from tunedeck.core.models import ModelKind, model_info


@pytest.mark.parametrize(
    ("name", "encoding", "limit", "kind"),
    [
        ("gpt-4o-mini-2024-07-18", "o200k_base", 65_536, ModelKind.CHAT),
        ("ft:gpt-4o-mini-2024-07-18:acme::abc123", "o200k_base", 65_536, ModelKind.CHAT),
        ("gpt-4.1-2025-04-14", "o200k_base", 65_536, ModelKind.CHAT),
        ("o4-mini", "o200k_base", 65_536, ModelKind.CHAT),
        ("gpt-3.5-turbo-0125", "cl100k_base", 16_385, ModelKind.CHAT),
        ("gpt-3.5-turbo-0613", "cl100k_base", 4_096, ModelKind.CHAT),
        ("gpt-4-0613", "cl100k_base", 8_192, ModelKind.CHAT),
        ("babbage-002", "cl100k_base", 2_048, ModelKind.COMPLETION),
        ("davinci-002", "cl100k_base", 2_048, ModelKind.COMPLETION),
    ],
)
def test_models_resolve_to_their_family(name, encoding, limit, kind) -> None:
    info = model_info(name)
    assert (info.name, info.encoding, info.token_limit, info.kind) == (name, encoding, limit, kind)


def test_the_user_can_override_the_limit() -> None:
    assert model_info("gpt-4o-mini", token_limit=4096).token_limit == 4096
    with pytest.raises(UserError, match="positive"):
        model_info("gpt-4o-mini", token_limit=0)


def test_unknown_models_are_refused_with_the_known_ones_listed() -> None:
    with pytest.raises(UserError, match=r"Unknown model 'gpt-9'.*davinci-002"):
        model_info("gpt-9")
