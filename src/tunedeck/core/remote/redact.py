"""Keep API keys out of the messages TuneDeck shows and stores.

Every key TuneDeck holds is remembered here the moment it is read (see `secrets.ApiKey`),
so `scrub` can blank it in any text built from what a service said. No logging filter is
installed: the planted-key test runs the SDK and its HTTP stack at DEBUG and they never log
a key (openai 3.54 logs methods and status codes only; httpcore2 logs header-less events).
"""

from __future__ import annotations

import threading

HIDDEN = "<hidden key>"

_lock = threading.Lock()
_secrets: set[str] = set()
# A fragment this short cannot be told apart from ordinary text; real keys are far longer.
_MIN_LENGTH = 8


def remember(secret: str) -> None:
    """Blank this secret from now on wherever `scrub` sees it."""
    if len(secret) >= _MIN_LENGTH:
        with _lock:
            _secrets.add(secret)


def scrub(text: str) -> str:
    """The text with every remembered secret replaced by a marker."""
    with _lock:
        secrets = sorted(_secrets, key=len, reverse=True)
    for secret in secrets:
        if secret in text:
            text = text.replace(secret, HIDDEN)
    return text
