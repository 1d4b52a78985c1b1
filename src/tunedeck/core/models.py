"""What TuneDeck knows about each target model: its encoding and training token limit.

The limits are the published per-example limits for fine-tuning. For the legacy completion
models TuneDeck uses 2048, the limit OpenAI's prompt/completion guidance was written for, so
that datasets stay portable to open-source trainers with the same context. Any limit can be
overridden per dataset.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum

from tunedeck.core.errors import UserError


class ModelKind(StrEnum):
    COMPLETION = "completion"  # trains on prompt/completion pairs
    CHAT = "chat"  # trains on {"messages": [...]}


@dataclass(frozen=True)
class ModelInfo:
    name: str
    encoding: str
    token_limit: int
    kind: ModelKind


_C, _K = ModelKind.CHAT, ModelKind.COMPLETION

# Longest prefix wins, so dated snapshots ("gpt-4o-mini-2024-07-18") and fine-tuned names
# ("ft:gpt-4o-mini-2024-07-18:acme::abc123") resolve to their family.
MODELS: dict[str, ModelInfo] = {
    info.name: info
    for info in [
        ModelInfo("gpt-4.1", "o200k_base", 65_536, _C),
        ModelInfo("gpt-4.1-mini", "o200k_base", 65_536, _C),
        ModelInfo("gpt-4.1-nano", "o200k_base", 65_536, _C),
        ModelInfo("gpt-4o", "o200k_base", 65_536, _C),
        ModelInfo("gpt-4o-mini", "o200k_base", 65_536, _C),
        ModelInfo("o1", "o200k_base", 65_536, _C),
        ModelInfo("o3", "o200k_base", 65_536, _C),
        ModelInfo("o3-mini", "o200k_base", 65_536, _C),
        ModelInfo("o4-mini", "o200k_base", 65_536, _C),
        ModelInfo("gpt-4", "cl100k_base", 8_192, _C),
        ModelInfo("gpt-3.5-turbo", "cl100k_base", 16_385, _C),
        ModelInfo("gpt-3.5-turbo-0613", "cl100k_base", 4_096, _C),
        ModelInfo("gpt-35-turbo", "cl100k_base", 16_385, _C),  # Azure's spelling
        ModelInfo("babbage-002", "cl100k_base", 2_048, _K),
        ModelInfo("davinci-002", "cl100k_base", 2_048, _K),
    ]
}

DEFAULT_CHAT_MODEL = "gpt-4o-mini"
DEFAULT_COMPLETION_MODEL = "davinci-002"


def model_info(name: str, *, token_limit: int | None = None) -> ModelInfo:
    """Look a model up by name, snapshot or fine-tuned id; `token_limit` overrides the table."""
    base = name.removeprefix("ft:").split(":", 1)[0].strip()
    matches = [key for key in MODELS if base == key or base.startswith(key + "-")]
    if not matches:
        known = ", ".join(sorted(MODELS))
        raise UserError(f"Unknown model {name!r}. Known models: {known}.")
    info = MODELS[max(matches, key=len)]
    info = replace(info, name=name)
    if token_limit is not None:
        if token_limit < 1:
            raise UserError(f"The token limit must be a positive number, not {token_limit}.")
        info = replace(info, token_limit=token_limit)
    return info
