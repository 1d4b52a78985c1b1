"""The `tunedeck` command line: the same rules as the window, for scripts and CI pipelines."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from tunedeck import __version__
from tunedeck.core.errors import UserError
from tunedeck.core.text_escapes import unescape

EXIT_OK, EXIT_FINDINGS, EXIT_UNUSABLE = 0, 1, 2


def _settings_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "file",
        help="JSONL, JSON, CSV, TSV, XLSX or Parquet file, or a project (.tunedeck file or "
        "PostgreSQL URL)",
    )
    parser.add_argument(
        "--dataset", help="for a project: the dataset to check (needed when it has several)"
    )
    parser.add_argument("--model", help="target model (default: inferred from the data format)")
    parser.add_argument("--separator", help=r'prompt separator, e.g. "\n\n###\n\n"')
    parser.add_argument("--stop", help=r'stop sequence, e.g. "\n"')
    parser.add_argument("--max-tokens", type=int, help="per-example token limit override")
    parser.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="FIELD=COLUMN",
        help="for tables: read FIELD (prompt, completion, messages) from COLUMN (repeatable)",
    )
    parser.add_argument(
        "--class-field",
        metavar="PATH",
        help='read each example\'s class from this field (e.g. "label", "metadata.intent")',
    )
    parser.add_argument("--sheet", help="for XLSX: the sheet to read (name or 0-based number)")
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--classification", dest="classification", action="store_true")
    group.add_argument("--no-classification", dest="classification", action="store_false")
    parser.set_defaults(classification=None)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tunedeck",
        description="Curate fine-tuning datasets and lint them. `tunedeck` alone opens the "
        "window on a sample project; `tunedeck FILE_OR_PROJECT` opens it on yours.",
    )
    parser.add_argument("--version", action="version", version=f"tunedeck {__version__}")
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="open the window offscreen on the bundled sample, lint it and check the installed "
        "parts; exit 0 when all works (for checking an installation)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    lint = commands.add_parser("lint", help="report every problem in a dataset file")
    _settings_arguments(lint)
    lint.add_argument("--format", choices=("text", "json"), default="text")

    fix = commands.add_parser("fix", help="apply the safe fixes and write a new file")
    _settings_arguments(fix)
    fix.add_argument("-o", "--output", type=Path, required=True, help="where to write")
    fix.add_argument(
        "--rule",
        action="append",
        default=[],
        metavar="NAME",
        help="apply this rule's fixes, even unsafe ones (repeatable; default: all safe fixes)",
    )

    imports = commands.add_parser("import", help="import a dataset file into a project")
    imports.add_argument("file", type=Path, help="JSONL, JSON, CSV, TSV, XLSX or Parquet file")
    imports.add_argument(
        "--project", required=True, help="a .tunedeck file (created if missing) or PostgreSQL URL"
    )
    imports.add_argument("--name", help="the dataset's name (default: the file name's stem)")
    imports.add_argument("--map", action="append", default=[], metavar="FIELD=COLUMN")
    imports.add_argument("--sheet", help="for XLSX: the sheet to read (name or 0-based number)")

    export = commands.add_parser("export", help="write a project's dataset to a JSONL file")
    export.add_argument("--project", required=True, help="a .tunedeck file or PostgreSQL URL")
    export.add_argument("--dataset", required=True, help="the dataset to export")
    export.add_argument("-o", "--output", type=Path, required=True, help="where to write")

    sandbox = commands.add_parser(
        "sandbox",
        help="run a local SIMULATION of the OpenAI and Azure OpenAI APIs (offline trials, tests)",
    )
    sandbox.add_argument("--host", default="127.0.0.1", help="address to listen on (loopback)")
    sandbox.add_argument(
        "--port", type=int, default=8765, help="port (default 8765; 0 picks a free one)"
    )
    sandbox.add_argument(
        "--state-dir", type=Path, help="where files and jobs are kept (default: your data folder)"
    )
    sandbox.add_argument(
        "--job-seconds",
        type=float,
        default=30.0,
        help="how long a fine-tuning job takes (default 30)",
    )
    sandbox.add_argument("--api-key", help="accept only this key (default: accept any)")
    sandbox.add_argument("--log", action="store_true", help="print one line per request")
    return parser


def _unescape(value: str | None, option: str) -> str | None:
    """Let users type separators as they read them: "\\n\\n###\\n\\n"."""
    if value is None:
        return None
    try:
        return unescape(value)
    except ValueError as error:
        reason = getattr(error, "reason", error)
        raise UserError(f"{option} {value!r}: {reason}; type \\\\ for a backslash") from None


def _mapping(pairs: list[str]) -> dict[str, str] | None:
    mapping = {}
    for pair in pairs:
        field, sep, column = pair.partition("=")
        if not sep or not field or not column:
            raise UserError(f"--map expects FIELD=COLUMN, e.g. prompt=question; got {pair!r}")
        mapping[field.strip()] = column.strip()
    return mapping or None


def _sheet(sheet: str | None) -> str | int | None:
    return int(sheet) if sheet is not None and sheet.isdigit() else sheet


def _lint(args: argparse.Namespace):
    from tunedeck.core.io import load
    from tunedeck.core.lint import LintSettings, lint
    from tunedeck.core.lint.report import Report

    settings = LintSettings(
        model=args.model,
        separator=_unescape(args.separator, "--separator"),
        stop=_unescape(args.stop, "--stop"),
        token_limit=args.max_tokens,
        classification=args.classification,
        class_field=args.class_field,
    )
    if args.max_tokens is not None and args.max_tokens < 1:
        raise UserError(f"--max-tokens must be a positive number, not {args.max_tokens}")
    if is_project(args.file):
        loaded = _load_from_project(args.file, args.dataset)
        stored = loaded.lint_settings()
        # What the user typed overrides what the project holds; the rest comes from it.
        for name in ("model", "separator", "stop", "token_limit", "classification", "class_field"):
            if getattr(settings, name) is None:
                setattr(settings, name, getattr(stored, name))
        settings.suppressed = stored.suppressed
        name = f"{args.file} [{loaded.info.name}]"
        return Report(name, lint(loaded.dataset, settings))
    dataset = load(args.file, mapping=_mapping(args.map), sheet=_sheet(args.sheet))
    return Report(str(args.file), lint(dataset, settings))


def is_project(location: str) -> bool:
    """A project is a PostgreSQL URL or a .tunedeck file; anything else is a data file."""
    from tunedeck.core.storage.database import PROJECT_SUFFIX, is_url

    return is_url(location) or Path(location).suffix.lower() == PROJECT_SUFFIX


def _load_from_project(location: str, name: str | None):
    from tunedeck.core.storage import Project

    with Project.open(location) as project:
        if name is None:
            names = [info.name for info in project.datasets()]
            if len(names) != 1:
                listed = ", ".join(names) or "none"
                raise UserError(f"{location} holds datasets {listed}; choose one with --dataset")
            name = names[0]
        return project.load(name)


def run_import(args: argparse.Namespace) -> int:
    from tunedeck.core.storage import Project
    from tunedeck.core.storage.importing import read_for_import

    # Read first: a file that cannot be read must not leave an empty new project behind.
    dataset = read_for_import(args.file, _mapping(args.map), _sheet(args.sheet))
    with Project.open(args.project, create=True) as project:
        info = project.import_dataset(
            dataset, args.name or args.file.stem, progress=_progress_line("importing")
        )
        stored = list(project.examples(info.id))
    quarantined = sum(1 for item in stored if item.example.error is not None)
    print(f"{args.project}: imported {len(stored)} examples from {args.file} as {info.name!r}")
    if quarantined:
        lines = "1 line" if quarantined == 1 else f"{quarantined} lines"
        print(f"  {lines} could not be read; kept in the project for repair:")
        for item in stored:
            if item.example.error is not None:
                print(f"    line {item.example.line}: {item.example.error}")
    return EXIT_OK


def _progress_line(what: str):
    """A progress counter on a terminal's stderr; nothing when output goes to a file or CI."""
    if not sys.stderr.isatty():
        return None

    def show(done: int, total: int) -> None:
        end = "\n" if done == total else ""
        sys.stderr.write(f"\r{what}: {done:,} of {total:,} examples{end}")
        sys.stderr.flush()

    return show


def run_export(args: argparse.Namespace) -> int:
    from tunedeck.core.storage import Project

    with Project.open(args.project) as project:
        count = project.export(args.dataset, args.output)
    print(f"{args.output}: wrote {count} examples of {args.dataset!r}")
    return EXIT_OK


def run_lint(args: argparse.Namespace) -> int:
    report = _lint(args)
    if args.format == "json":
        json.dump(report.as_json(), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(report.as_text())
    return EXIT_FINDINGS if report.has_errors() else EXIT_OK


def run_fix(args: argparse.Namespace) -> int:
    from tunedeck.core.io import write_jsonl
    from tunedeck.core.lint.fixing import apply_fixes, choose
    from tunedeck.core.lint.registry import BY_NAME

    unknown = [name for name in args.rule if name not in BY_NAME]
    if unknown:
        raise UserError(f"unknown rule {', '.join(unknown)}; rules: {', '.join(BY_NAME)}")
    report = _lint(args)
    outcome = apply_fixes(report.dataset, choose(report.findings(), args.rule))
    write_jsonl(report.dataset, args.output)
    total = sum(outcome.applied.values())
    print(f"{args.output}: wrote {len(report.dataset)} examples, applied {total} fixes")
    for rule, count in outcome.applied.most_common():
        print(f"  {count:6} {rule}")
    return EXIT_OK


def run_sandbox(args: argparse.Namespace) -> int:
    from tunedeck.core.sandbox.console import serve

    if not 0 <= args.port <= 65535:
        raise UserError(f"--port must be between 0 and 65535, not {args.port}")
    if not args.job_seconds > 0:
        raise UserError(f"--job-seconds must be positive, not {args.job_seconds:g}")
    return serve(
        host=args.host,
        port=args.port,
        state_dir=args.state_dir,
        job_seconds=args.job_seconds,
        api_key=args.api_key,
        log_requests=args.log,
    )


COMMANDS = ("lint", "fix", "import", "export", "sandbox")


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or (argv[0] not in COMMANDS and not argv[0].startswith("-")):
        # `tunedeck` and `tunedeck FILE_OR_PROJECT` open the window.
        if len(argv) > 1:
            print("tunedeck: give one file or project to open", file=sys.stderr)
            return EXIT_UNUSABLE
        from tunedeck.app import run

        return run(argv[0] if argv else None)
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.self_test:
        from tunedeck.self_test import run as self_test

        return self_test()
    if args.command is None:
        parser.print_help()
        return EXIT_OK
    commands = {
        "lint": run_lint,
        "fix": run_fix,
        "import": run_import,
        "export": run_export,
        "sandbox": run_sandbox,
    }
    try:
        return commands[args.command](args)
    except UserError as error:
        print(f"tunedeck: {error}", file=sys.stderr)
        return EXIT_UNUSABLE
    except BrokenPipeError:  # `tunedeck lint big.jsonl | head` is not an error
        return EXIT_OK
