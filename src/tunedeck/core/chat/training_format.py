"""How a tuned model expects to be asked, so the chat tab asks it the way it was trained.

A prompt/completion model learned to answer after the separator and to end with the stop
sequence (the seeds' "\n\n###\n\n" and "\n"); asked without them it rambles. A chat model
tuned with a system message learned it as part of every question; asked without it, or with
another, it answers like the base model.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from tunedeck.core.models import ModelKind


@dataclass(frozen=True)
class TrainingFormat:
    kind: ModelKind
    # Legacy: appended to every prompt / where the answer ends. Chat: what the export removed
    # from converted prompt/completion pairs.
    separator: str | None = None
    stop: str | None = None
    system_message: str | None = None  # chat: the one the model was tuned with

    @classmethod
    def from_record(cls, record: Mapping[str, Any]) -> TrainingFormat:
        """From a launch's recorded export (ExportBuild.describe())."""
        return cls(
            kind=ModelKind(record.get("format", ModelKind.CHAT.value)),
            separator=record.get("separator"),
            stop=record.get("stop"),
            system_message=record.get("system_message"),
        )

    @property
    def is_legacy(self) -> bool:
        return self.kind is ModelKind.COMPLETION

    def completion_prompt(self, text: str) -> str:
        """The user's words as the model saw prompts in training: ending with the separator."""
        if self.separator and not text.endswith(self.separator):
            return text + self.separator
        return text

    def stop_sequences(self) -> list[str] | None:
        return [self.stop] if self.is_legacy and self.stop else None

    def messages(
        self,
        history: Sequence[Mapping[str, str]],
        user_text: str,
        system: str | None = None,
    ) -> list[dict[str, str]]:
        """The conversation to send: the system message (the locked one unless `system`
        overrides it), the earlier turns, then the new question."""
        system = self.system_message if system is None else system
        messages = [{"role": "system", "content": system}] if system else []
        messages += [{"role": m["role"], "content": m["content"]} for m in history]
        messages.append({"role": "user", "content": user_text})
        return messages

    def system_changed(self, system: str | None) -> bool:
        """True when the user's system message is not the one the model was tuned with."""
        if self.is_legacy or self.system_message is None:
            return False
        return (system or "") != self.system_message

    def clean_answer(self, text: str) -> str:
        """An answer as a reviewer compares it: without the leading space and stop sequence."""
        if self.stop and text.endswith(self.stop):
            text = text[: -len(self.stop)]
        return text.strip()
