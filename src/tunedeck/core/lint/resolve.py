"""Filling the blanks in LintSettings from the dataset itself."""

from __future__ import annotations

from itertools import compress, repeat
from operator import is_

from tunedeck.core.dataset.dataset import Dataset
from tunedeck.core.dataset.example import Example, ExampleFormat
from tunedeck.core.lint.facts import label_of
from tunedeck.core.lint.infer import common_ending, looks_like_classification
from tunedeck.core.lint.plain_chat import layout
from tunedeck.core.lint.settings import DEFAULT_SEPARATOR, LintSettings, ResolvedSettings, Source
from tunedeck.core.lint.uniform_chat import uniform_chat
from tunedeck.core.models import DEFAULT_CHAT_MODEL, DEFAULT_COMPLETION_MODEL, model_info

# Conventions are inferred from an evenly spaced sample: a convention most rows follow shows in
# a few thousand of them, and scanning all 100,000 prompts would cost half a second.
SAMPLE = 5000


def _sample(items: list, limit: int = SAMPLE) -> list:
    return items[:: max(1, len(items) // limit)]


def resolve(dataset: Dataset, settings: LintSettings) -> ResolvedSettings:
    # No tuple per row: 100,000 new objects would set off the cycle collector, which then
    # walks the whole dataset.
    examples = list(dataset)
    kinds = [example.format for example in examples]
    legacy = list(compress(examples, map(is_, kinds, repeat(ExampleFormat.LEGACY))))
    chat_count = kinds.count(ExampleFormat.CHAT)
    mostly_legacy = len(legacy) > chat_count
    legacy = _sample(legacy)

    if settings.model:
        model_name, model_source = settings.model, Source.CONFIGURED
    else:
        model_name = DEFAULT_COMPLETION_MODEL if mostly_legacy else DEFAULT_CHAT_MODEL
        model_source = Source.INFERRED
    model = model_info(model_name, token_limit=settings.token_limit)
    limit_source = Source.CONFIGURED if settings.token_limit else model_source

    separator, separator_source = _separator(settings, [e.prompt for e in legacy])
    stop, stop_source = _stop(settings, [e.completion for e in legacy])

    if settings.classification is not None:
        classification, classification_source = settings.classification, Source.CONFIGURED
    elif settings.class_field:  # naming where the class is kept says the dataset has classes
        classification, classification_source = True, Source.CONFIGURED
    else:
        labels = _labels(_sample(examples), _sample(kinds), stop)
        known = [label for label in labels if label is not None]
        classification = looks_like_classification(known)
        classification_source = Source.INFERRED

    return ResolvedSettings(
        model=model,
        model_source=model_source,
        separator=separator,
        separator_source=separator_source,
        stop=stop,
        stop_source=stop_source,
        classification=classification,
        classification_source=classification_source,
        token_limit_source=limit_source,
        options=settings,
    )


def _labels(
    examples: list[Example], kinds: list[ExampleFormat], stop: str | None
) -> list[str | None]:
    """label_of() of each example: for a sample of plain chat rows of one shape (most chat
    datasets), a column of final answers read in C, instead of 5,000 rows walked in Python."""
    uniform = (
        uniform_chat(examples)
        if examples and kinds.count(ExampleFormat.CHAT) == len(kinds)
        else None
    )
    if uniform is None:
        return [label_of(example, stop) for example in examples]
    roles, contents = uniform
    final = layout(roles)[2]
    if final is None:
        return [None] * len(examples)
    return list(map(str.strip, contents[final :: len(roles)]))


def _separator(settings: LintSettings, prompts: list[str]) -> tuple[str | None, Source]:
    if settings.separator:
        return settings.separator, Source.CONFIGURED
    if not prompts:
        return None, Source.NONE
    inferred = common_ending(prompts)
    if inferred:
        return inferred, Source.INFERRED
    return DEFAULT_SEPARATOR, Source.PROPOSED


def _stop(settings: LintSettings, completions: list[str]) -> tuple[str | None, Source]:
    if settings.stop:
        return settings.stop, Source.CONFIGURED
    inferred = common_ending(completions) if completions else None
    return (inferred, Source.INFERRED) if inferred else (None, Source.NONE)
