"""Token lengths of each part of the examples, in the target model's encoding.

Parts: the whole example (as the trainer counts it, framing included: RowFacts.tokens),
prompt and completion (legacy rows), and the messages of each chat role (the text of every
message with that role in the example; role names and framing belong to the whole example
only). A part's distribution holds one value per example that has the part.

Computed on demand. Tokenizing is what costs, so as little is tokenized as possible. The
linter's pass has tokenized every message of a chat row already, and keeps each role's tokens
(RowFacts.role_tokens) for the rows of the common plain shape; only the other rows (names,
tools, content parts, tool calls) are tokenized here. A legacy row's prompt and completion add
up to the whole count, so only the side cheaper to tokenize is, judged on a sample
(count_many tokenizes each distinct text once: a classification dataset's labels cost next to
nothing), and the other is the whole less that side.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import compress, islice

from tunedeck.core.collector import paused as collector_paused
from tunedeck.core.dataset import Example, ExampleFormat
from tunedeck.core.lint.facts import RowFacts
from tunedeck.core.lint.plain_chat import ROLE_MASK, ROLE_SHIFTS, ROLES
from tunedeck.core.stats.histogram import Distribution
from tunedeck.core.stats.message_text import body_texts
from tunedeck.core.stats.source import StatsSource, chosen_rows
from tunedeck.core.tokens import TokenCounter

EXAMPLE, PROMPT, COMPLETION = "example", "prompt", "completion"
_LEGACY = ExampleFormat.LEGACY
PARTS = (EXAMPLE, PROMPT, COMPLETION, *ROLES)  # the order a view shows them in

Values = dict[str, tuple[list[int], list[int]]]  # part -> (row ids, tokens)


@dataclass(frozen=True)
class LengthStats:
    model: str
    encoding: str
    token_limit: int
    parts: dict[str, Distribution]  # in PARTS order: EXAMPLE always, others if present

    @property
    def example(self) -> Distribution:
        return self.parts[EXAMPLE]

    def longest(self, n: int = 10) -> list[tuple[int, int]]:
        """The n longest whole examples as (row id, tokens), longest first."""
        return self.example.longest(n)


@collector_paused
def length_stats(source: StatsSource, rows: Iterable[int] | None = None) -> LengthStats:
    """Lengths of the examples (of `rows`, when given; see source.chosen_rows)."""
    linter = source.linter
    counter = linter.ctx.counter
    found = chosen_rows(source, rows)
    examples, facts = found.examples, found.facts
    values: Values = {EXAMPLE: ([e.id for e in examples], [f.tokens for f in facts])}
    is_legacy = [example.format is _LEGACY for example in examples]
    if any(is_legacy):
        legacy = list(compress(examples, is_legacy)), list(compress(facts, is_legacy))
        _legacy_parts(*legacy, counter, values)
    if not all(is_legacy):
        is_chat = [not legacy for legacy in is_legacy]
        _role_parts(
            list(compress(examples, is_chat)), list(compress(facts, is_chat)), counter, values
        )
    limit = linter.settings.token_limit
    parts = {
        name: Distribution(name, tuple(values[name][0]), tuple(values[name][1]), limit)
        for name in PARTS
        if name in values
    }
    return LengthStats(linter.settings.model.name, linter.settings.model.encoding, limit, parts)


def _legacy_parts(
    examples: list[Example], facts: list[RowFacts], counter: TokenCounter, values: Values
) -> None:
    # A legacy row has no framing: prompt + completion is the whole count, so one side is
    # tokenized and the other follows.
    ids = [e.id for e in examples]
    totals = [f.tokens for f in facts]
    if _prompts_cost_less(examples):
        prompt_tokens = counter.count_many([e.prompt for e in examples])
        completion_tokens = [t - n for t, n in zip(totals, prompt_tokens, strict=True)]
    else:
        completion_tokens = counter.count_many([e.completion for e in examples])
        prompt_tokens = [t - n for t, n in zip(totals, completion_tokens, strict=True)]
    values[PROMPT] = ids, prompt_tokens
    values[COMPLETION] = ids, completion_tokens


def _prompts_cost_less(examples: list[Example], sample: int = 1000) -> bool:
    """Whether tokenizing the prompts costs less than the completions, judged on an evenly
    spaced sample. count_many tokenizes each distinct text once, so what a side costs is the
    length of its distinct texts: the completions of a classification dataset are a handful
    of labels, those of a generation dataset as long as their prompts, or longer."""
    picked = examples[:: max(1, len(examples) // sample)]
    prompts = sum(map(len, {e.prompt for e in picked}))
    completions = sum(map(len, {e.completion for e in picked}))
    return prompts < completions


def _role_parts(
    examples: list[Example], facts: list[RowFacts], counter: TokenCounter, values: Values
) -> None:
    """Each role's tokens as the linter's pass counted them (RowFacts.role_tokens), a role at a
    time in comprehensions; the rows it left unpacked are counted here."""
    ids = [example.id for example in examples]
    packed = [row.role_tokens for row in facts]
    known = [tokens is not None for tokens in packed]
    if not all(known):
        unknown = [
            example for example, is_known in zip(examples, known, strict=True) if not is_known
        ]
        ids, packed = list(compress(ids, known)), list(compress(packed, known))
        _other_parts(unknown, counter, values)
    for role, shift in ROLE_SHIFTS.items():
        fields = [tokens >> shift & ROLE_MASK for tokens in packed]  # 0: the row has no such role
        if any(fields):
            _extend(
                values, role, list(compress(ids, fields)), [field - 1 for field in fields if field]
            )


def _other_parts(examples: list[Example], counter: TokenCounter, values: Values) -> None:
    """Names, tools, content parts, tool calls, unknown roles: every known role's messages
    counted directly, in one count_many."""
    texts: list[str] = []
    plans: list[tuple[int, list[tuple[str, int]]]] = []  # row id, (role, texts) per message
    for example in examples:
        messages = []
        for message in example.messages:
            role = message.get("role") if isinstance(message, dict) else None
            if isinstance(role, str) and role in ROLES:
                own = list(body_texts(message))
                texts.extend(own)
                messages.append((role, len(own)))
        plans.append((example.id, messages))
    counts = iter(counter.count_many(texts))
    for row_id, messages in plans:
        by_role: dict[str, int] = {}
        for role, size in messages:
            by_role[role] = by_role.get(role, 0) + sum(islice(counts, size))
        for role, tokens in by_role.items():
            _extend(values, role, [row_id], [tokens])


def _extend(values: Values, part: str, ids: list[int], tokens: list[int]) -> None:
    have = values.setdefault(part, ([], []))
    have[0].extend(ids)
    have[1].extend(tokens)
