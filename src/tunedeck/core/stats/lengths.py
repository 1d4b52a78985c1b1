"""Token lengths of each part of the examples, in the target model's encoding.

Parts: the whole example (as the trainer counts it, framing included: RowFacts.tokens),
prompt and completion (legacy rows), and the messages of each chat role (the text of every
message with that role in the example; role names and framing belong to the whole example
only). A part's distribution holds one value per example that has the part.

Computed on demand. Tokenizing is what costs, so as little is tokenized as possible: the
linter already knows each whole example's count, and the parts of a row add up to it (with
its framing). So one part is left out and found as the whole less the others: the one
costliest to tokenize, judged on a sample (count_many tokenizes each distinct text once, so a
shared system prompt costs once and the users' questions each time). In a classification
dataset that leaves the labels and a shared system prompt to tokenize: next to nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import compress, islice
from operator import add, sub

from tunedeck.core.collector import paused as collector_paused
from tunedeck.core.dataset import Example, ExampleFormat
from tunedeck.core.lint.facts import RowFacts
from tunedeck.core.lint.plain_chat import ROLES
from tunedeck.core.stats.histogram import Distribution
from tunedeck.core.stats.message_text import Shape, body_texts, plain_shapes
from tunedeck.core.stats.source import StatsSource, chosen_rows
from tunedeck.core.tokens import TOKENS_PER_MESSAGE, TOKENS_PER_REPLY, TokenCounter

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
    role_tokens = dict(zip(ROLES, counter.count_many(ROLES), strict=True))
    shapes, others = plain_shapes(examples)
    for shape in shapes:
        if role_tokens.keys() >= set(shape.roles):
            _shape_parts(shape, examples, facts, counter, role_tokens, values)
        else:  # a role the API does not know: chat-structure flags it
            others.extend(shape.rows)
    if others:
        _other_parts([examples[index] for index in sorted(others)], counter, values)


def _shape_parts(
    shape: Shape,
    examples: list[Example],
    facts: list[RowFacts],
    counter: TokenCounter,
    role_tokens: dict[str, int],
    values: Values,
) -> None:
    """Per-role sums for rows of one shape, a column of messages at a time."""
    rest = _costliest_role(shape)
    sums: dict[str, list[int]] = {}
    for position, role in enumerate(shape.roles):
        if role != rest:
            counts = counter.count_many(shape.column(position))
            before = sums.get(role)
            sums[role] = counts if before is None else list(map(add, before, counts))
    # A plain row's count is its contents, its roles and the framing of every message.
    framing = len(shape.roles) * TOKENS_PER_MESSAGE + TOKENS_PER_REPLY
    framing += sum(map(role_tokens.__getitem__, shape.roles))
    left = [facts[index].tokens - framing for index in shape.rows]
    for counts in sums.values():
        left = list(map(sub, left, counts))
    sums[rest] = left
    ids = [examples[index].id for index in shape.rows]
    for role in dict.fromkeys(shape.roles):
        _extend(values, role, ids, sums[role])


def _costliest_role(shape: Shape, sample: int = 200) -> str:
    """The role whose texts cost most to tokenize, judged on an evenly spaced sample: the
    length of its distinct texts (a shared system prompt costs once; the user's questions
    each time)."""
    rows = shape.contents[:: max(1, len(shape.contents) // sample)]
    distinct: dict[str, set[str]] = {}
    for position, role in enumerate(shape.roles):
        distinct.setdefault(role, set()).update(contents[position] for contents in rows)
    cost = {role: sum(map(len, texts)) for role, texts in distinct.items()}
    return max(cost, key=cost.__getitem__)


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
