"""Lint benchmark: full-lint speed against the tokenizer floor, re-lint latency, peak memory.

Run with the project's venv:

    .venv/bin/python bench/lint_bench.py [--n 100000] [--seed 1] [--format legacy|chat]
                                         [--model davinci-002] [--task classify|generate]

One run generates a seeded synthetic dataset, writes it as JSONL to a temporary file, loads it
with `read_jsonl`, and prints a table of figures with the targets and PASS/FAIL next to each.
It is a report, not a test: it exits 0 whatever the figures say, unless something crashes.
See bench/README.md.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import itertools
import json
import math
import os
import platform
import pstats
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import tiktoken

from tunedeck.core.dataset.commands import SetField
from tunedeck.core.io import read_jsonl
from tunedeck.core.lint.facts import row_texts
from tunedeck.core.lint.linter import Linter
from tunedeck.core.lint.settings import LintSettings
from tunedeck.core.models import model_info
from tunedeck.core.tokens import TokenCounter

# --- targets -------------------------------------------------------------------------------

TARGET_LINT_OVER_FLOOR = 1.3  # full lint at most 1.3x what tiktoken alone takes
TARGET_RELINT_MEDIAN_MS = 5.0  # one edit re-linted in under 5 ms (median)
TARGET_MEMORY_OVER_FILE = 3.0  # peak memory under 3x the file size

MB = 1024 * 1024
EDITS = 200  # single-edit re-lints to time
TIMED_RUNS = 5  # full lint and floors are each run this often, interleaved

# --- synthetic data ------------------------------------------------------------------------

SEPARATOR = "\n\n###\n\n"
STOP = "\n"
LABELS = ("billing", "technical", "account", "shipping", "refund", "feedback", "security", "other")
LABEL_WEIGHTS = (25, 24, 15, 10, 10, 7, 5, 4)  # real ticket queues are never balanced
PLANS = ("Free", "Starter", "Team", "Business", "Enterprise")
SYSTEM_PROMPTS = {
    "classify": (
        "You are the ticket triage assistant for Acme Cloud. Read the customer's ticket and "
        "answer with exactly one category: " + ", ".join(LABELS) + ". Answer with the category "
        "name only, in lower case, without punctuation."
    ),
    "generate": (
        "You are a friendly, concise support agent for Acme Cloud. Answer the customer's ticket "
        "in a few sentences. Never promise refunds you cannot grant; escalate security issues."
    ),
}


def _words(text: str) -> list[str]:
    return text.split()


_REAL_WORDS = _words("""
    the a an and or but to of in on for with at by from as is are was were be been being have has
    had do does did not no yes my your our their this that these those it its we you they he she
    i me us them can could would should will shall may might must please thanks thank hello hi
    dear team support customer account invoice invoices payment payments card charge charged
    twice refund refunds subscription plan annual monthly renewal cancel cancelled cancellation
    upgrade downgrade price pricing discount coupon tax receipt bill billing order orders
    shipping shipped delivery delivered package parcel tracking number address courier
    warehouse return returned exchange damaged missing late week weeks day days today yesterday
    tomorrow morning evening hour hours minute minutes login log password reset email e-mail
    username profile settings page button screen app application mobile desktop browser chrome
    firefox safari android iphone update version release bug error crash crashes crashed
    freezes slow loading timeout server outage down status dashboard report export import csv
    file files upload download sync folder workspace project admin admins user users role
    permission permissions access denied invite invited team's security two-factor code phone
    verify verification suspicious activity locked unlock feature request feedback love great
    terrible awful confusing helpful fast quickly again still already never always sometimes
    after before when while since because however also just only really very much many more
    less new old first second last next same different other another every each all any some
    work working works worked help need needs want wanted tried try trying see saw seen get
    got getting make made click clicked open opened close closed send sent receive received
    message messages notification notifications issue issues problem problems question
    questions answer ticket case agent manager company business office colleague data backup
    restore deleted delete lost integration api key token webhook calendar meeting schedule
""")

_NON_ASCII_WORDS = _words("""
    café résumé naïve Zürich Müller São Paulo Kraków façade über señor piñata déjà vu
    — — – “quoted” ‘single’ … €49 £12.50 ¥3000 日本 東京 서울 Москва Ελλάδα 👍 ✓ →
""")


def _made_up_words(count: int) -> list[str]:
    """Product names, jargon and typos: tokens BPE has to split (fixed, whatever --seed)."""
    rng = random.Random(20240501)
    onsets = _words("b br c cl d dr f fl g gr k l m n p pl qu r s sn st t tr v w z x")
    vowels = _words("a e i o u ai ea io ou y")
    codas = ["", "", *_words("n r s t x ck ll nd rk sh th z")]  # open syllables twice as often
    words = set()
    while len(words) < count:
        syllables = rng.choice((1, 2, 2, 3, 3, 4))
        word = "".join(
            rng.choice(onsets) + rng.choice(vowels) + rng.choice(codas) for _ in range(syllables)
        )
        if rng.random() < 0.15:
            word = word.capitalize()
        words.add(word)
    return sorted(words)


VOCABULARY = _REAL_WORDS + _made_up_words(200)
# Zipf-like frequencies: a few words carry most of the text, as in real prose.
_CUMULATIVE = list(itertools.accumulate(1.0 / (rank + 8) for rank in range(len(VOCABULARY))))


class Generator:
    """Seeded support-ticket examples, written straight to a JSONL file."""

    def __init__(self, seed: int, fmt: str, task: str) -> None:
        self.rng = random.Random(seed)
        self.fmt = fmt
        self.task = task
        self.shuffled = VOCABULARY[:]
        self.rng.shuffle(self.shuffled)  # which words are frequent depends on the seed
        self.planted: Counter[str] = Counter()

    # text --------------------------------------------------------------------------------

    def _word(self, international: bool) -> str | None:
        roll = self.rng.random()
        if roll < 0.035:
            return self._number()
        if international and roll < 0.075:
            return self.rng.choice(_NON_ASCII_WORDS)
        return None

    def _number(self) -> str:
        rng = self.rng
        kind = rng.randrange(7)
        if kind == 0:
            return f"#{rng.randrange(10_000, 999_999)}"
        if kind == 1:
            return f"${rng.randrange(1, 2000)}.{rng.randrange(100):02d}"
        if kind == 2:
            return f"2024-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}"
        if kind == 3:
            return f"v{rng.randrange(1, 9)}.{rng.randrange(20)}.{rng.randrange(10)}"
        if kind == 4:
            return f"{rng.randrange(24):02d}:{rng.randrange(60):02d}"
        if kind == 5:
            return f"INV-{rng.randrange(100_000, 999_999)}"
        return str(rng.randrange(1, 500))

    def sentence(self, international: bool) -> str:
        rng = self.rng
        words = rng.choices(self.shuffled, cum_weights=_CUMULATIVE, k=rng.randrange(5, 19))
        for index in range(len(words)):
            special = self._word(international)
            if special is not None:
                words[index] = special
        if rng.random() < 0.2:
            words[rng.randrange(len(words))] += ","
        text = " ".join(words)
        return text[0].upper() + text[1:] + rng.choice(".....?!")

    def text(self, length: int, international: bool) -> str:
        """Sentences, occasionally broken into paragraphs, cut to about `length` characters."""
        parts: list[str] = []
        size = 0
        while size < length:
            part = self.sentence(international)
            parts.append(part)
            size += len(part) + 1
            if self.rng.random() < 0.12:
                parts.append("\n")
        text = " ".join(parts).replace(" \n ", "\n")
        if len(text) > length:
            cut = text.rfind(" ", 0, length)
            text = text[: cut if cut > length // 2 else length].rstrip(" ,\n") + "."
        return text

    def email(self) -> str:
        rng = self.rng
        first = rng.choice(("jane", "li.wei", "m.garcia", "tom", "a.schmidt", "priya", "olu"))
        domain = rng.choice(("example.com", "mail.example.org", "acme-corp.io", "gmail.com"))
        return f"{first}{rng.randrange(100)}@{domain}"

    def prompt_body(self) -> str:
        rng = self.rng
        # Log-normal length, median ~500 characters, kept within 100-3000.
        length = min(3000, max(100, int(rng.lognormvariate(math.log(500), 0.65))))
        international = rng.random() < 0.15
        header = (
            f"Ticket #{rng.randrange(100_000, 999_999)} ({rng.choice(PLANS)} plan)\n"
            f"Subject: {self.sentence(international)}\n\n"
        )
        body = self.text(max(40, length - len(header)), international)
        if rng.random() < 0.003:
            self.planted["e-mail address"] += 1
            body += f" You can reach me at {self.email()} any time."
        return header + body

    def answer(self) -> str:
        if self.task == "classify":
            return self.rng.choices(LABELS, weights=LABEL_WEIGHTS)[0]
        return self.text(self.rng.randint(20, 400), international=False)

    # records -----------------------------------------------------------------------------

    def record(self, body: str, answer: str) -> dict[str, Any]:
        if self.fmt == "chat":
            return {
                "messages": [
                    {"role": "system", "content": SYSTEM_PROMPTS[self.task]},
                    {"role": "user", "content": body},
                    {"role": "assistant", "content": answer},
                ]
            }
        rng = self.rng
        if rng.random() < 0.97:
            prompt = body + SEPARATOR
        else:
            self.planted["prompt without separator"] += 1
            prompt = body
        space = " "
        if rng.random() < 0.002:
            self.planted["completion without leading space"] += 1
            space = ""
        return {"prompt": prompt, "completion": space + answer + STOP}

    def write(self, path: Path, n: int) -> None:
        """Write n examples: ~1% exact duplicates and a few conflicting answers among them."""
        rng = self.rng
        kept: list[tuple[str, str, dict[str, Any]]] = []  # earlier rows, for copies
        conflicts = max(3, n // 2000)
        with path.open("w", encoding="utf-8", newline="\n") as stream:
            for index in range(n):
                roll = rng.random()
                if kept and roll < 0.01:
                    self.planted["duplicate"] += 1
                    record = rng.choice(kept)[2]
                elif kept and roll < 0.01 + conflicts / n:
                    self.planted["conflicting answer"] += 1
                    body, answer, _ = rng.choice(kept)
                    other = answer
                    while other == answer:
                        other = self.answer()
                    record = self.record(body, other)
                else:
                    body, answer = self.prompt_body(), self.answer()
                    record = self.record(body, answer)
                    if index % 10 == 0:  # a sample is enough to draw copies from
                        kept.append((body, answer, record))
                stream.write(json.dumps(record, ensure_ascii=False))
                stream.write("\n")

    # edits -------------------------------------------------------------------------------

    def edit(self, record: dict[str, Any], which: int) -> tuple[str, str, str]:
        """(kind, field path, new value) for a realistic one-field edit of this record.

        Even edits change the answer (relabel a class, or rewrite a reply); odd edits fix a
        typo in the middle of the prompt, which re-tokenizes the longest text of the row.
        """
        rng = self.rng
        chat = "messages" in record
        if which % 2 == 0:
            path = "messages[2].content" if chat else "completion"
            if self.task == "classify":
                current = record["messages"][2]["content"] if chat else record["completion"]
                label = current.strip()
                new = rng.choice([other for other in LABELS if other != label])
            else:
                new = self.text(rng.randint(20, 400), international=False)
            return "answer", path, new if chat else " " + new + STOP
        path = "messages[1].content" if chat else "prompt"
        text: str = record["messages"][1]["content"] if chat else record["prompt"]
        at = text.find(" ", len(text) // 2)
        at = at if at > 0 else len(text) // 2
        return "prompt", path, text[:at] + " " + rng.choice(VOCABULARY) + text[at:]


# --- measuring -----------------------------------------------------------------------------


def timed(work: Callable[[], Any]) -> tuple[float, Any]:
    """(wall seconds, result) of one call, after a full collection so runs start alike."""
    gc.collect()
    start = time.perf_counter()
    result = work()
    return time.perf_counter() - start, result


def peak_rss_bytes() -> int:
    """Peak RSS of this process: VmHWM where /proc has it, else ru_maxrss.

    VmHWM is preferred because ru_maxrss of a child process starts out at the RSS its parent
    had when it spawned the child (Linux carries it across exec), and clear_refs cannot lower it.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024  # bytes on macOS, KiB on Linux


def current_rss_bytes() -> int | None:
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except (OSError, IndexError, ValueError):
        return None
    return pages * os.sysconf("SC_PAGE_SIZE")


def reset_peak_rss() -> bool:
    """Make the peak RSS start again from the current RSS (Linux 4.0+); False if unsupported.

    Building the encoding briefly holds the whole rank table as Python objects; without a
    reset that transient would hide any smaller peak of the load and lint.
    """
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def release_free_memory() -> None:
    """Hand freed heap back to the OS (glibc), so the baseline counts only memory in use."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


def memory_child(kind: str, path: Path, model: str) -> dict[str, Any]:
    """Runs in a fresh interpreter: load + lint only, so the generator's memory is not counted.

    The baseline is taken after importing TuneDeck and building the encoding, which costs the
    same whatever the file.
    """
    TokenCounter(model_info(model))  # builds and caches the encoding
    gc.collect()
    release_free_memory()
    out: dict[str, Any] = {"peak_before_reset": peak_rss_bytes()}
    out["reset"] = reset_peak_rss()
    out["baseline_rss"] = current_rss_bytes()
    out["baseline_peak"] = peak_rss_bytes()
    if kind == "tracemalloc":
        import tracemalloc

        tracemalloc.start()
        dataset = read_jsonl(path)
        out["after_load"], out["peak_load"] = tracemalloc.get_traced_memory()
        linter = Linter(dataset, LintSettings(model=model))
        linter.run()
        out["after_lint"], out["peak"] = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    else:
        dataset = read_jsonl(path)
        out["load_peak"] = peak_rss_bytes()
        linter = Linter(dataset, LintSettings(model=model))
        linter.run()
        out["peak"] = peak_rss_bytes()
        out["end_rss"] = current_rss_bytes()
    return out


def run_child(kind: str, path: Path, model: str) -> dict[str, Any]:
    command = [sys.executable, __file__, "--child", kind, "--file", str(path), "--model", model]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"memory pass ({kind}) failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# --- report --------------------------------------------------------------------------------


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def row(name: str, value: str, target: str = "", result: str = "") -> None:
    print(f"  {name:<40} {value:>18}   {target:<16} {result}".rstrip())


def mb(size: float) -> str:
    return f"{size / MB:,.1f} MB"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000, help="examples to generate")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--format", choices=("legacy", "chat"), default="legacy")
    parser.add_argument(
        "--task",
        choices=("classify", "generate"),
        default="classify",
        help="answers are one of 8 class labels, or 20-400 characters of text",
    )
    parser.add_argument(
        "--model", help="target model (default: davinci-002 for legacy, gpt-4o-mini for chat)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the generated file")
    parser.add_argument(
        "--profile", action="store_true", help="also cProfile one full lint and print hot spots"
    )
    parser.add_argument("--child", choices=("rss", "tracemalloc"), help=argparse.SUPPRESS)
    parser.add_argument("--file", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    model = args.model or ("gpt-4o-mini" if args.format == "chat" else "davinci-002")

    if args.child:
        print(json.dumps(memory_child(args.child, args.file, model)))
        return 0

    with tempfile.TemporaryDirectory(prefix="tunedeck-bench-") as folder:
        path = Path(folder) / f"bench-{args.format}-{args.task}-{args.n}.jsonl"
        if args.keep:
            path = Path(tempfile.gettempdir()) / path.name
        bench(args, model, path)
    return 0


def bench(args: argparse.Namespace, model: str, path: Path) -> None:
    info = model_info(model)
    print(
        f"TuneDeck lint benchmark: {args.n:,} {args.format} examples ({args.task}), "
        f"seed {args.seed}, model {model} ({info.encoding})"
    )
    print(
        f"  Python {platform.python_version()}, tiktoken {tiktoken.__version__}, "
        f"{os.cpu_count()} CPUs, {platform.machine()}"
    )

    start = time.perf_counter()
    generator = Generator(args.seed, args.format, args.task)
    generator.write(path, args.n)
    file_size = path.stat().st_size
    kept = f"  (kept at {path})" if args.keep else ""
    print(f"  generated in {time.perf_counter() - start:.1f} s: {mb(file_size)}{kept}")
    planted = ", ".join(f"{count:,} {kind}" for kind, count in generator.planted.most_common())
    print(f"  planted: {planted}")

    speed = measure_speed(args, model, path)
    # Memory, in fresh interpreters, after the timing passes have let go of their data.
    gc.collect()
    rss = run_child("rss", path, model)
    traced = run_child("tracemalloc", path, model)
    report(args, file_size, speed, rss, traced)


def measure_speed(args: argparse.Namespace, model: str, path: Path) -> dict[str, Any]:
    start = time.perf_counter()
    counter = TokenCounter(model_info(model))  # builds the encoding outside every timed region
    print(f"  encoding built in {time.perf_counter() - start:.2f} s (not timed below)")

    load, dataset = timed(lambda: read_jsonl(path))
    non_ascii = sum(
        1 for example in dataset if not all(text.isascii() for text in row_texts(example))
    )
    print(f"  loaded {len(dataset):,} rows; {non_ascii / len(dataset):.0%} hold non-ASCII text")

    texts = [text for example in dataset for text in row_texts(example)]  # outside the timing
    characters = sum(map(len, texts))
    print(
        f"  {len(texts):,} texts ({len(set(texts)):,} distinct, "
        f"{characters / 1e6:,.1f} M characters) to tokenize"
    )
    settings = LintSettings(model=model)

    def full_lint() -> Linter:
        linter = Linter(dataset, settings)
        linter.run()
        return linter

    # Interleaved, so that neither the lint nor the floor gets all the warm caches.
    lint_times: list[float] = []
    floor_times: list[float] = []
    naive_times: list[float] = []
    encode = counter.encoding.encode_ordinary
    linter: Linter | None = None
    # Each lint sits between two floors, and is judged against their mean (report()).
    floor_times.append(timed(lambda: counter.count_many(texts))[0])
    for _ in range(TIMED_RUNS):
        linter = None  # the previous run's indexes go before the next run builds its own
        seconds, linter = timed(full_lint)
        lint_times.append(seconds)
        seconds, _ = timed(lambda: counter.count_many(texts))
        floor_times.append(seconds)
        seconds, _ = timed(lambda: [len(encode(text)) for text in texts])
        naive_times.append(seconds)
    assert linter is not None

    findings = Counter(diagnostic.rule for diagnostic in linter.diagnostics())
    print("  findings: " + ", ".join(f"{rule} {n:,}" for rule, n in findings.most_common()))
    used = linter.settings
    print(
        f"  resolved: separator {used.separator!r} ({used.separator_source}), "
        f"stop {used.stop!r} ({used.stop_source}), classification {used.classification}"
    )

    # Single-edit re-lint. The edit goes through the dataset untimed; only row_changed, the
    # call an attached linter makes on the dataset's row_changed signal, is timed.
    editor = Generator(args.seed + 1, args.format, args.task)
    relint_ms: dict[str, list[float]] = {"answer": [], "prompt": []}
    for which, row_id in enumerate(editor.rng.sample(dataset.ids(), min(EDITS, len(dataset)))):
        record = dataset[row_id].record
        assert record is not None
        kind, field, value = editor.edit(record, which)
        SetField(row_id, field, value).apply(dataset)
        start = time.perf_counter()
        linter.row_changed(row_id)
        relint_ms[kind].append((time.perf_counter() - start) * 1000)

    profile: pstats.Stats | None = None
    if args.profile:
        linter = None
        gc.collect()
        profiler = cProfile.Profile()
        profiler.enable()
        full_lint()
        profiler.disable()
        profile = pstats.Stats(profiler)

    return {
        "load": load,
        "lint": lint_times,
        "floor": floor_times,
        "naive": naive_times,
        "relint_ms": relint_ms,
        "profile": profile,
    }


def report(
    args: argparse.Namespace,
    file_size: int,
    speed: dict[str, Any],
    rss: dict[str, Any],
    traced: dict[str, Any],
) -> None:
    lint_best, floor_best = min(speed["lint"]), min(speed["floor"])
    # Judged: each round's lint over the mean of the floors run just before and just after
    # it, then the median. On a shared machine the best lint and the best floor can come
    # from rounds minutes apart (their ratio swung from 1.22x to 1.38x between two runs of
    # the same code), and a floor on one side only took the machine's drift for the lint's:
    # rounds of one run ranged 1.07-1.56x.
    floors = speed["floor"]
    around = [(before + after) / 2 for before, after in itertools.pairwise(floors)]
    paired = sorted(lint / floor for lint, floor in zip(speed["lint"], around, strict=True))
    ratio = statistics.median(paired)
    relint_ms: dict[str, list[float]] = speed["relint_ms"]
    every_ms = sorted(relint_ms["answer"] + relint_ms["prompt"])
    median_ms = statistics.median(every_ms)
    p95_ms = (
        statistics.quantiles(every_ms, n=100, method="inclusive")[94]
        if len(every_ms) > 1
        else every_ms[-1]
    )
    # With the peak reset, growth is measured from the RSS in use after import + encoding;
    # without it, only from the peak so far, which the encoding's build may have set.
    baseline = rss["baseline_rss"] if rss["reset"] and rss["baseline_rss"] else rss["baseline_peak"]
    rss_growth = rss["peak"] - baseline
    rss_ratio = rss_growth / file_size

    print()
    print(
        f"Full lint ran {TIMED_RUNS} times, each between two floors. Judged: the median of\n"
        "each lint over the mean of the floors either side of it, which a passing load or a\n"
        "drift of the machine moves much less than best-of over best-of (for reference)."
    )
    print(
        "Floor (judged): TokenCounter.count_many over every row_texts() of the dataset, the\n"
        "linter's own tokenizer call: each distinct text encoded once, one thread. The plain\n"
        "floor encodes every text as it comes, as tiktoken alone would; shown for reference."
    )
    print()
    row("measure", "value", "target", "result")
    row("-" * 40, "-" * 18, "-" * 16, "-" * 20)
    row("file size", mb(file_size))
    row(
        "load (read_jsonl)",
        f"{speed['load']:.2f} s",
        "",
        f"{file_size / MB / speed['load']:.1f} MB/s",
    )
    runs = ", ".join(f"{t:.2f}" for t in speed["lint"])
    row(f"full lint, best of {TIMED_RUNS}", f"{lint_best:.2f} s", "", f"runs: {runs} s")
    runs = ", ".join(f"{t:.2f}" for t in speed["floor"])
    row(f"tokenizer floor, best of {len(floors)}", f"{floor_best:.2f} s", "", f"runs: {runs} s")
    naive_best = min(speed["naive"])
    runs = ", ".join(f"{t:.2f}" for t in speed["naive"])
    row(f"plain tiktoken floor, best of {TIMED_RUNS}", f"{naive_best:.2f} s", "", f"runs: {runs} s")
    reference = "(reference only)"
    row("full lint / plain floor, best of each", f"{lint_best / naive_best:.2f}x", "", reference)
    row("full lint / floor, best of each", f"{lint_best / floor_best:.2f}x", "", reference)
    row(
        "full lint / floor, median of rounds",
        f"{ratio:.2f}x",
        f"<= {TARGET_LINT_OVER_FLOOR}x",
        verdict(ratio <= TARGET_LINT_OVER_FLOOR)
        + "  rounds: "
        + ", ".join(f"{value:.2f}" for value in paired)
        + "x",
    )
    beyond = lint_best - floor_best
    row(
        "  lint time beyond tokenizing",
        f"{beyond:.2f} s",
        "",
        f"{beyond / args.n * 1e6:.1f} us/row",
    )
    row(
        f"re-lint one edit: median of {len(every_ms)}",
        f"{median_ms:.2f} ms",
        f"< {TARGET_RELINT_MEDIAN_MS:g} ms",
        verdict(median_ms < TARGET_RELINT_MEDIAN_MS),
    )
    row("re-lint one edit: p95", f"{p95_ms:.2f} ms")
    row("re-lint one edit: worst", f"{every_ms[-1]:.2f} ms")
    for kind, times in relint_ms.items():
        if times:
            median, worst = statistics.median(times), max(times)
            row(f"  {kind} edits ({len(times)}): median / worst", f"{median:.2f} / {worst:.2f} ms")
    row(
        "RSS after import + encoding (baseline)",
        mb(baseline),
        "",
        f"fixed overhead; its build peaked at {mb(rss['peak_before_reset'])}",
    )
    row(
        "peak RSS growth, load + lint",
        mb(rss_growth),
        f"< {TARGET_MEMORY_OVER_FILE:g}x file",
        verdict(rss_ratio < TARGET_MEMORY_OVER_FILE),
    )
    row("  as a multiple of the file size", f"{rss_ratio:.2f}x")
    row("  peak growth by the end of load", mb(rss["load_peak"] - baseline))
    if rss.get("end_rss") is not None:
        row("  RSS still held after lint", mb(rss["end_rss"] - baseline))
    for name, key in (
        ("tracemalloc peak, load + lint", "peak"),
        ("  peak during load", "peak_load"),
        ("  held after load (dataset)", "after_load"),
        ("  held after lint (dataset + linter)", "after_lint"),
    ):
        row(name, mb(traced[key]), "", f"{traced[key] / file_size:.2f}x file")
    reset_note = (
        "done"
        if rss["reset"]
        else "unsupported here, so the baseline is the peak so far and growth may read low"
    )
    print()
    print(
        "Memory is measured in fresh interpreters that only load and lint. The judged figure is "
        "the RSS growth: peak RSS\n(VmHWM; ru_maxrss where /proc is missing) after the lint "
        "minus the RSS after importing tunedeck and\nbuilding the encoding, freeing its build "
        f"garbage (malloc_trim) and restarting the peak count ({reset_note}).\n"
        "tracemalloc sees only Python's allocator, not tiktoken's Rust heap; its pass is a "
        "separate run."
    )

    profile: pstats.Stats | None = speed["profile"]
    if profile is not None:
        print()
        print("cProfile of one more full lint (profiling inflates the times), by own time:")
        profile.sort_stats("tottime").print_stats(30)


if __name__ == "__main__":
    sys.exit(main())
