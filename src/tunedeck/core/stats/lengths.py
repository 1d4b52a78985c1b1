"""Token lengths of each part of the examples, in the target model's encoding.

Parts: the whole example (as the trainer counts it, framing included: RowFacts.tokens),
prompt and completion (legacy rows), and the messages of each chat role (the text of every
message with that role in the example; role names and framing belong to the whole example
only). A part's distribution holds one value per example that has the part.

Computed on demand. Tokenizing is what costs, so as little is tokenized as possible: the
linter already knows each whole example's count, and the parts of a row add up to it (with
its framing). So one part is left out and found as the whole less the others: the costlier
side of legacy rows (judged on a sample), the longest role of each chat row. In a
classification dataset that leaves the labels and a shared system prompt to tokenize, a
handful of distinct texts that count_many tokenizes once each.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import compress

from tunedeck.core.dataset import Example, ExampleFormat
from tunedeck.core.lint.facts import RowFacts
from tunedeck.core.lint.plain_chat import ROLES
from tunedeck.core.stats.collector import collector_paused
from tunedeck.core.stats.histogram import Distribution
from tunedeck.core.stats.message_text import body_texts, plain_messages
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
    """Lengths of the examples `rows` (default: all but the rejected ones; see chosen_rows)."""
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
    """Per-role sums: one count_many over every text to tokenize, then each row's share."""
    role_tokens = dict(zip(ROLES, counter.count_many(ROLES), strict=True))
    costliest = _costliest_role(examples)
    texts: list[str] = []
    # Per row: its id, its messages' roles, how many texts each added to `texts`, and the
    # role left to subtract from the row's content tokens (None: none left out).
    plans: list[tuple[int, list[str], list[int], str | None, int]] = []
    for example, row_facts in zip(examples, facts, strict=True):
        plain = plain_messages(example)
        if plain is None or not role_tokens.keys() >= set(plain[0]):
            # Names, tools, content parts, tool calls, unknown roles: count every part.
            roles, sizes = [], []
            for message in example.messages:
                role = message.get("role") if isinstance(message, dict) else None
                if isinstance(role, str) and role in role_tokens:
                    own = list(body_texts(message))
                    texts.extend(own)
                    roles.append(role)
                    sizes.append(len(own))
            plans.append((example.id, roles, sizes, None, 0))
            continue
        roles, contents = plain
        rest = costliest if costliest in roles else _longest_role(roles, contents)
        sizes = [0 if role == rest else 1 for role in roles]
        texts.extend(c for r, c in zip(roles, contents, strict=True) if r != rest)
        framing = len(roles) * TOKENS_PER_MESSAGE + TOKENS_PER_REPLY
        framing += sum(map(role_tokens.__getitem__, roles))
        plans.append((example.id, roles, sizes, rest, row_facts.tokens - framing))
    counts = iter(counter.count_many(texts))
    for row_id, roles, sizes, rest, content_tokens in plans:
        by_role = dict.fromkeys(roles, 0)
        for role, size in zip(roles, sizes, strict=True):
            for _ in range(size):
                by_role[role] += next(counts)
        if rest is not None:
            by_role[rest] = content_tokens - sum(by_role.values())
        for role, tokens in by_role.items():
            ids, lengths = values.setdefault(role, ([], []))
            ids.append(row_id)
            lengths.append(tokens)


def _costliest_role(examples: list[Example], sample: int = 1000) -> str | None:
    """The role whose texts cost most to tokenize, judged on an evenly spaced sample: the
    length of its distinct texts (a shared system prompt costs once; the user's questions
    each time)."""
    distinct: dict[str, set[str]] = {}
    for example in examples[:: max(1, len(examples) // sample)]:
        plain = plain_messages(example)
        for role, content in zip(*plain, strict=True) if plain else ():
            distinct.setdefault(role, set()).add(content)
    cost = {role: sum(map(len, texts)) for role, texts in distinct.items()}
    return max(cost, key=cost.__getitem__, default=None)


def _longest_role(roles: list[str], contents: list[str]) -> str:
    size: dict[str, int] = {}
    for role, content in zip(roles, contents, strict=True):
        size[role] = size.get(role, 0) + len(content)
    return max(size, key=size.__getitem__)
