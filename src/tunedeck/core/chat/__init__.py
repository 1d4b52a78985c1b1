"""Asking tuned models, and checking them on held-out examples (no Qt).

    fmt = TrainingFormat.from_record(launch.request)   # how the model was trained
    fmt.completion_prompt("What is iMocha?")            # + the separator, for legacy models
    fmt.messages(history, "What is iMocha?")            # the locked system message first

    items = check_items(session, rows, fmt)             # what to ask, what was expected
    run = SpotCheck(items, ["base", "ft:..."], ask)     # ask(model, item) -> answer text
    run.run(progress, cancel); run.retry_failed()       # failures kept, the rest complete
    evaluate(run.pairs("ft:..."))                       # accuracy, precision/recall, confusion

`ask` is where core.remote comes in (Provider.chat / Provider.complete): `asking` builds
the question for a model's format and sends it through anything with those two methods;
`tuned` reads from the project how each of its tuned models was trained; `runs` reopens
and exports stored spot-checks.
"""

from tunedeck.core.chat.evaluation import ClassScore, Evaluation, evaluate
from tunedeck.core.chat.items import CheckItem, check_items, choose_rows, new_example
from tunedeck.core.chat.spot_check import Outcome, SpotCheck
from tunedeck.core.chat.training_format import TrainingFormat
from tunedeck.core.chat.tuned import TunedModel, format_of, plain_format, tuned_models

__all__ = [
    "CheckItem",
    "ClassScore",
    "Evaluation",
    "Outcome",
    "SpotCheck",
    "TrainingFormat",
    "TunedModel",
    "check_items",
    "choose_rows",
    "evaluate",
    "format_of",
    "new_example",
    "plain_format",
    "tuned_models",
]
