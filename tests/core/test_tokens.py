"""Token counts are exact, offline, and come from the real vocabularies."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
import tiktoken
import tiktoken_ext.openai_public as openai_public

from tunedeck.core import tokens
from tunedeck.core.errors import UserError
from tunedeck.core.models import model_info

TEXTS = [
    "Hello, world!",
    " MeanOfTransportation",
    "Ünïcödé — 日本語のテキスト, emoji 🎉, and   spaces\n\n###\n\n",
    "def f(x):\n    return x ** 2  # comment\r\n",
    "<|endoftext|> is text here",
]


@pytest.fixture
def fresh_cache():
    tokens._cached_encoding.cache_clear()
    yield
    tokens._cached_encoding.cache_clear()


@pytest.mark.parametrize("name", sorted(tokens.ENCODINGS))
def test_counting_works_with_the_network_disabled(name, no_network, fresh_cache) -> None:
    encoding = tokens.get_encoding(name)
    assert len(encoding.encode_ordinary("hello world")) == 2


@pytest.mark.parametrize("name", sorted(tokens.ENCODINGS))
def test_shipped_vocabularies_match_tiktokens_pinned_hashes(name) -> None:
    data = tokens.vocabulary_path(name).read_bytes()
    assert hashlib.sha256(data).hexdigest() == tokens.ENCODINGS[name].sha256


@pytest.mark.parametrize("name", sorted(tokens.ENCODINGS))
def test_our_encodings_are_tiktokens_own(name, no_network, tmp_path, monkeypatch) -> None:
    """Build tiktoken's own definition offline from our files (its cache is keyed by the sha1
    of the download address) and compare: same pattern, specials and tokens."""
    constructor = getattr(openai_public, name)
    url = f"https://openaipublic.blob.core.windows.net/encodings/{name}.tiktoken"
    cache_key = hashlib.sha1(url.encode()).hexdigest()
    shutil.copy(tokens.vocabulary_path(name), tmp_path / cache_key)
    monkeypatch.setenv("TIKTOKEN_CACHE_DIR", str(tmp_path))
    reference = tiktoken.Encoding(**constructor())
    ours = tokens.get_encoding(name)
    assert ours._pat_str == reference._pat_str
    assert ours._special_tokens == reference._special_tokens
    assert ours.n_vocab == reference.n_vocab
    for text in TEXTS:
        assert ours.encode_ordinary(text) == reference.encode_ordinary(text)


def test_a_damaged_vocabulary_is_refused(tmp_path: Path, monkeypatch, fresh_cache) -> None:
    damaged = tmp_path / "tokenizers"
    damaged.mkdir()
    original = tokens.vocabulary_path("cl100k_base").read_bytes()
    (damaged / "cl100k_base.tiktoken").write_bytes(original[:-10] + b"AAAA 99999\n")
    monkeypatch.setattr(tokens, "vocabulary_path", lambda name: damaged / f"{name}.tiktoken")
    with pytest.raises(UserError, match="damaged"):
        tokens.get_encoding("cl100k_base")


def test_a_missing_vocabulary_says_so(tmp_path: Path, monkeypatch, fresh_cache) -> None:
    monkeypatch.setattr(tokens, "vocabulary_path", lambda name: tmp_path / "nope.tiktoken")
    with pytest.raises(UserError, match="missing"):
        tokens.get_encoding("o200k_base")


def test_known_counts_per_encoding() -> None:
    legacy = tokens.TokenCounter(model_info("davinci-002"))
    chat = tokens.TokenCounter(model_info("gpt-4o"))
    assert legacy.tokens(" MeanOfTransportation") == [" Mean", "Of", "Transport", "ation"]
    assert legacy.is_single_token(" positive")
    assert chat.count("Hello, world!") == 4
    assert legacy.count_many(["a b", "a b", "hello"]) == [2, 2, 1]


def test_lengths_count_each_distinct_text_of_any_iterable() -> None:
    counter = tokens.TokenCounter(model_info("gpt-4o-mini"))
    lengths = counter.lengths(text for text in [*TEXTS, *TEXTS])
    assert lengths == {text: counter.count(text) for text in TEXTS}
    assert counter.count_many(TEXTS) == [lengths[text] for text in TEXTS]


def test_chat_examples_carry_the_per_message_overhead() -> None:
    counter = tokens.TokenCounter(model_info("gpt-4o-mini"))
    messages = [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello there"}]
    texts = sum(counter.count(t) for m in messages for t in tokens.message_texts(m))
    assert texts == 5  # "user", "Hi", "assistant", "Hello", " there"
    assert tokens.chat_overhead(messages) == 2 * 3 + 3
    named = [{"role": "user", "name": "ann", "content": "Hi"}]
    assert tokens.chat_overhead(named) == 3 + 1 + 3


def test_prefetching_a_models_vocabulary_is_quiet_and_leaves_it_ready():
    import threading

    from tunedeck.core import tokens

    tokens.prefetch(None)  # no model chosen yet: nothing to do
    tokens.prefetch("no-such-model")  # reported later, where settings are resolved
    tokens.prefetch("gpt-4o-mini")
    for thread in threading.enumerate():
        if thread.name == "tunedeck-vocabulary":
            thread.join(timeout=30)
    assert tokens.get_encoding("o200k_base").encode_ordinary("hello world")
