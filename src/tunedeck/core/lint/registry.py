"""Every rule TuneDeck has, listed explicitly: nothing is discovered by magic."""

from __future__ import annotations

from tunedeck.core.lint.rule import DatasetRule, GroupRule, RowRule, Rule
from tunedeck.core.lint.rules.chat_structure import ChatStructure
from tunedeck.core.lint.rules.class_imbalance import ClassImbalance
from tunedeck.core.lint.rules.class_token import ClassToken
from tunedeck.core.lint.rules.completion_leading_space import CompletionLeadingSpace
from tunedeck.core.lint.rules.conflicting_completion import ConflictingCompletion
from tunedeck.core.lint.rules.duplicate import Duplicate
from tunedeck.core.lint.rules.empty_field import EmptyField
from tunedeck.core.lint.rules.format_mismatch import FormatMismatch
from tunedeck.core.lint.rules.invalid_record import InvalidRecord
from tunedeck.core.lint.rules.missing_separator import MissingSeparator
from tunedeck.core.lint.rules.missing_stop import MissingStop
from tunedeck.core.lint.rules.mixed_format import MixedFormat
from tunedeck.core.lint.rules.pii import Pii
from tunedeck.core.lint.rules.separator_in_prompt import SeparatorInPrompt
from tunedeck.core.lint.rules.token_overflow import TokenOverflow
from tunedeck.core.lint.rules.too_few_examples import TooFewExamples

RULES: tuple[type[Rule], ...] = (
    InvalidRecord,
    ChatStructure,
    EmptyField,
    MissingSeparator,
    SeparatorInPrompt,
    CompletionLeadingSpace,
    MissingStop,
    ClassToken,
    TokenOverflow,
    Pii,
    Duplicate,
    ConflictingCompletion,
    TooFewExamples,
    ClassImbalance,
    MixedFormat,
    FormatMismatch,
)

BY_NAME: dict[str, type[Rule]] = {rule.name: rule for rule in RULES}


def row_rules() -> list[RowRule]:
    return [rule() for rule in RULES if issubclass(rule, RowRule)]


def group_rules() -> list[GroupRule]:
    return [rule() for rule in RULES if issubclass(rule, GroupRule)]


def dataset_rules() -> list[DatasetRule]:
    return [rule() for rule in RULES if issubclass(rule, DatasetRule)]


def rule_named(name: str) -> type[Rule]:
    try:
        return BY_NAME[name]
    except KeyError:
        raise KeyError(f"no rule named {name!r}; rules: {', '.join(BY_NAME)}") from None
