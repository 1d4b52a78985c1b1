"""The rows a full pass handles together, with what several steps read from each worked out
once per row."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import accumulate, chain, islice

from tunedeck.core.dataset.example import Example, ExampleFormat
from tunedeck.core.lint.facts import (
    RowFacts,
    compute_facts,
    field_label,
    legacy_facts,
    packed_role_tokens,
    row_overhead,
    row_texts,
)
from tunedeck.core.lint.plain_chat import PlainChat, plain_chat
from tunedeck.core.lint.settings import ResolvedSettings
from tunedeck.core.tokens import TokenCounter


@dataclass(slots=True)
class Batch:
    examples: Sequence[Example]
    counter: TokenCounter
    settings: ResolvedSettings
    # Lists parallel to `examples`, each read by several steps of the pass.
    ids: list[int] = field(init=False)
    formats: list[ExampleFormat] = field(init=False)
    prompts: list[str] = field(init=False)  # Example.prompt of a legacy row, else ""
    completions: list[str] = field(init=False)  # Example.completion of a legacy row, else ""
    plain: list[PlainChat | None] = field(init=False)  # plain_chat()
    tokens: list[int] = field(init=False)  # as RowFacts.tokens
    role_tokens: list[int | None] = field(init=False)  # as RowFacts.role_tokens
    facts: list[RowFacts] = field(init=False)

    def __post_init__(self) -> None:
        examples = self.examples
        legacy, chat = ExampleFormat.LEGACY, ExampleFormat.CHAT
        self.ids = [example.id for example in examples]
        self.formats = [example.format for example in examples]
        rows = list(zip(examples, self.formats, strict=True))
        self.prompts = [example.prompt if kind is legacy else "" for example, kind in rows]
        self.completions = [example.completion if kind is legacy else "" for example, kind in rows]
        self.plain = [plain_chat(example) if kind is chat else None for example, kind in rows]
        self.tokens, self.role_tokens = self._count()
        classification, stop = self.settings.classification, self.settings.stop
        self.facts = [
            legacy_facts(prompt, completion, tokens, classification=classification, stop=stop)
            if kind is legacy
            else compute_facts(
                example,
                tokens,
                classification=classification,
                stop=stop,
                plain=plain,
                role_tokens=role_tokens,
            )
            for (example, kind), prompt, completion, tokens, plain, role_tokens in zip(
                rows,
                self.prompts,
                self.completions,
                self.tokens,
                self.plain,
                self.role_tokens,
                strict=True,
            )
        ]
        class_field = self.settings.options.class_field
        if classification and class_field:
            for example, facts in zip(examples, self.facts, strict=True):
                facts.label = field_label(example, class_field)

    def _count(self) -> tuple[list[int], list[int | None]]:
        """Token totals and packed role tokens, with one pass through the tokenizer for the
        whole batch."""
        rows = zip(
            self.examples, self.formats, self.prompts, self.completions, self.plain, strict=True
        )
        texts_of = [
            (prompt, completion)  # row_texts() of a legacy row, from the lists above
            if kind is ExampleFormat.LEGACY
            else row_texts(example, plain)
            for example, kind, prompt, completion, plain in rows
        ]
        counts = self.counter.count_many(list(chain.from_iterable(texts_of)))
        overheads = [
            0 if kind is ExampleFormat.LEGACY else row_overhead(example, plain)
            for example, kind, plain in zip(self.examples, self.formats, self.plain, strict=True)
        ]
        rest = iter(counts)
        tokens = [
            sum(islice(rest, len(texts))) + overhead
            for texts, overhead in zip(texts_of, overheads, strict=True)
        ]
        starts = accumulate(map(len, texts_of), initial=0)  # where each row's counts begin
        role_tokens = [
            None if plain is None else packed_role_tokens(plain, counts, total, start)
            for plain, total, start in zip(self.plain, tokens, starts, strict=False)
        ]
        return tokens, role_tokens
