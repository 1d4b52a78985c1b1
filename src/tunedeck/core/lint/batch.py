"""The rows a full pass handles together, with what several steps read from each worked out
once per row."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import chain, compress, repeat
from operator import attrgetter, lshift

from tunedeck.core.dataset.example import Example, ExampleFormat
from tunedeck.core.lint.facts import (
    RowFacts,
    compute_facts,
    field_label,
    legacy_facts,
    plain_chat_facts,
    row_overhead,
    row_texts,
)
from tunedeck.core.lint.plain_chat import (
    CONTENTS_AT,
    PACKABLE_TOKENS,
    ROLES,
    ROLES_AT,
    PlainChat,
    layout,
    plain_chat,
)
from tunedeck.core.lint.settings import ResolvedSettings
from tunedeck.core.lint.uniform_chat import uniform_chat, uniform_facts
from tunedeck.core.tokens import TOKENS_PER_MESSAGE, TOKENS_PER_REPLY, TokenCounter

# What a plain row of given roles adds to its contents' tokens (framing and the roles' own
# tokens), where its role tokens go (layout()), and its final assistant message.
_Shape = tuple[int, tuple[int, ...], int, int | None]


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
    # The roles of every row when all are plain chat rows with the same roles (uniform_chat()),
    # and then their message contents, row after row (else None, and no contents).
    shape: tuple[str, ...] | None = field(init=False)
    contents: list[str] = field(init=False)
    _plain: list[PlainChat | None] | None = field(init=False)  # see plain
    tokens: list[int] = field(init=False)  # as RowFacts.tokens
    facts: list[RowFacts] = field(init=False)
    # Every distinct text the batch counted, with its tokens: among them every text a rule
    # scans (prompts, completions, message contents).
    texts: dict[str, int] = field(init=False)

    def __post_init__(self) -> None:
        examples = self.examples
        legacy, chat = ExampleFormat.LEGACY, ExampleFormat.CHAT
        self.ids = [example.id for example in examples]
        self.formats = formats = [example.format for example in examples]
        uniform = (
            uniform_chat(examples) if formats and formats.count(chat) == len(formats) else None
        )
        if uniform is not None:
            self._uniform(*uniform)
            return
        self.shape, self.contents = None, []
        has_legacy = legacy in formats
        if has_legacy:
            rows = list(zip(examples, formats, strict=True))
            self.prompts = [example.prompt if kind is legacy else "" for example, kind in rows]
            self.completions = [
                example.completion if kind is legacy else "" for example, kind in rows
            ]
        else:  # a chat dataset, nearly always: nothing to look up row by row
            self.prompts, self.completions = [""] * len(examples), [""] * len(examples)
        self._plain = plain = [
            plain_chat(example) if kind is chat else None
            for example, kind in zip(examples, formats, strict=True)
        ]
        # The rows no shortcut covers, by position: few, and their texts are needed twice.
        others = (
            {
                index: row_texts(example)
                for index, (example, kind, shape) in enumerate(
                    zip(examples, formats, plain, strict=True)
                )
                if shape is None and kind is not legacy
            }
            if None in plain
            else {}
        )
        # One tokenizer call for the batch. A plain row's roles are counted once per batch
        # (ROLES, in _shape()) rather than once per message.
        self.texts = self.counter.lengths(
            chain(
                ROLES,
                chain.from_iterable(shape[CONTENTS_AT] for shape in plain if shape is not None),
                chain(self.prompts, self.completions) if has_legacy else (),
                chain.from_iterable(others.values()),
            )
        )
        self.facts = self._facts(others)
        self.tokens = list(map(_TOKENS, self.facts))
        self._class_field_labels()

    def _uniform(self, roles: tuple[str, ...], contents: list[str]) -> None:
        """__post_init__() for a uniform_chat() batch: its facts a column at a time."""
        self.shape, self.contents, self._plain = roles, contents, None
        self.prompts = self.completions = [""] * len(self.examples)
        self.texts = self.counter.lengths(chain(ROLES, contents))
        self.facts = uniform_facts(
            roles, contents, self.texts.__getitem__, self.settings.classification
        )
        self.tokens = list(map(_TOKENS, self.facts))
        self._class_field_labels()

    @property
    def plain(self) -> list[PlainChat | None]:
        """plain_chat() of each row; built when first asked for in a uniform batch, where the
        rules answer most questions from `shape` and `contents` instead."""
        if self._plain is None:
            assert self.shape is not None
            by_row = zip(*[iter(self.contents)] * len(self.shape), strict=True)
            self._plain = list(zip(repeat(self.shape), by_row, strict=False))
        return self._plain

    def uniform_rows_holding(self, texts: set[str]) -> set[int]:
        """In a uniform batch, the ids of the rows with a message whose content is in `texts`:
        a C-level pass over the contents instead of a set test per row."""
        assert self.shape is not None
        width, ids = len(self.shape), self.ids
        found = compress(range(len(self.contents)), map(texts.__contains__, self.contents))
        return {ids[position // width] for position in found}

    def _class_field_labels(self) -> None:
        class_field = self.settings.options.class_field
        if self.settings.classification and class_field:
            for example, facts in zip(self.examples, self.facts, strict=True):
                facts.label = field_label(example, class_field)

    def _facts(self, others: dict[int, list[str]]) -> list[RowFacts]:
        """Each row's facts, with its token count (and a plain row's role tokens) summed from
        the batch's counts, in one loop with one Python call per plain row: this runs for every
        row of a full pass."""
        count_of = self.texts.__getitem__
        classification, stop = self.settings.classification, self.settings.stop
        legacy = ExampleFormat.LEGACY
        shapes: dict[tuple[str, ...], _Shape] = {}
        facts: list[RowFacts] = []
        rows = zip(
            self.examples, self.formats, self.prompts, self.completions, self.plain, strict=True
        )
        for index, (example, kind, prompt, completion, plain) in enumerate(rows):
            if plain is not None:
                roles = plain[ROLES_AT]
                shape = shapes.get(roles)
                if shape is None:
                    shape = shapes[roles] = self._shape(roles)
                framing, shifts, present, final = shape
                counts = list(map(count_of, plain[CONTENTS_AT]))
                tokens = framing + sum(counts)
                # As packed_role_tokens(): None where a role's field might overflow.
                packed = (
                    present + sum(map(lshift, counts, shifts))
                    if tokens <= PACKABLE_TOKENS
                    else None
                )
                facts.append(plain_chat_facts(tokens, plain, final, classification, packed))
            elif kind is legacy:
                tokens = count_of(prompt) + count_of(completion)
                facts.append(
                    legacy_facts(
                        prompt, completion, tokens, classification=classification, stop=stop
                    )
                )
            else:
                tokens = sum(map(count_of, others[index])) + row_overhead(example)
                facts.append(
                    compute_facts(example, tokens, classification=classification, stop=stop)
                )
        return facts

    def _shape(self, roles: tuple[str, ...]) -> _Shape:
        shifts, present, final = layout(roles)
        # row_overhead() and the roles' tokens, which row_texts() counts with the contents.
        framing = len(roles) * TOKENS_PER_MESSAGE + TOKENS_PER_REPLY
        return framing + sum(map(self.texts.__getitem__, roles)), shifts, present, final


_TOKENS = attrgetter("tokens")
