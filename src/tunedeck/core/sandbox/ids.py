"""Object identifiers shaped like OpenAI's: a prefix and random letters and digits."""

from __future__ import annotations

import hashlib
import secrets
import string

_ALPHABET = string.ascii_letters + string.digits


def new_id(prefix: str, length: int = 24) -> str:
    """A fresh random identifier such as "file-3fT9..." or "ftjob-Qw8...".

    Args:
        prefix: Written before the random part, separator included ("file-", "ftjob-").
        length: How many random characters follow the prefix.
    """
    return prefix + "".join(secrets.choice(_ALPHABET) for _ in range(length))


def stable_id(prefix: str, *parts: object, length: int = 24) -> str:
    """An identifier derived from `parts`: the same parts always give the same identifier.

    Event, checkpoint and result-file identifiers are derived rather than stored, so that a
    job's history reads the same before and after a sandbox restart.
    """
    digest = hashlib.sha256("\x1f".join(map(str, parts)).encode()).digest()
    number = int.from_bytes(digest, "big")
    chars = []
    for _ in range(length):
        number, index = divmod(number, len(_ALPHABET))
        chars.append(_ALPHABET[index])
    return prefix + "".join(chars)
