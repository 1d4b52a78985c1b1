"""Writing an export's files atomically, and the fingerprint that ties a job to them."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from tunedeck.core.errors import UserError
from tunedeck.core.export.build import ExportBuild
from tunedeck.core.io import atomic_write
from tunedeck.core.io.files import writing


@dataclass(frozen=True)
class WrittenFile:
    path: Path
    examples: int
    bytes: int
    sha256: str


@dataclass(frozen=True)
class WrittenExport:
    training: WrittenFile
    validation: WrittenFile | None
    fingerprint: str  # sha256 over both files and the options that produced them

    def summary(self) -> str:
        parts = [_line(self.training)]
        if self.validation is not None:
            parts.append(_line(self.validation))
        return "\n".join(parts)


def export_contents(build: ExportBuild) -> dict[str, bytes]:
    """{"training": bytes, "validation": bytes (absent without validation examples)}."""
    bom = build.options.byte_order_mark
    contents = {"training": build.training.content(bom)}
    if len(build.validation):
        contents["validation"] = build.validation.content(bom)
    return contents


def fingerprint(build: ExportBuild, contents: dict[str, bytes]) -> str:
    digest = hashlib.sha256()
    digest.update(json.dumps(build.options.describe(), sort_keys=True).encode())
    for name in sorted(contents):
        digest.update(name.encode() + b"\0" + hashlib.sha256(contents[name]).digest())
    return digest.hexdigest()


def write_export(build: ExportBuild, folder: str | Path, stem: str = "dataset") -> WrittenExport:
    """Write `<stem>-training.jsonl` (and `-validation.jsonl`) into `folder`, atomically.

    Raises:
        UserError: The build has problems (see ExportBuild.problems), a file exceeds the
            provider's size limit, or the folder cannot be written.
    """
    problems = build.problems()
    if problems:
        raise UserError("Not exported: " + "; ".join(problems) + ".")
    contents = export_contents(build)
    limit = build.options.max_bytes
    for name, content in contents.items():
        if limit is not None and len(content) > limit:
            raise UserError(
                f"Not exported: the {name} file would be {len(content):,} bytes; the provider "
                f"accepts at most {limit:,}. Export fewer examples or split the dataset."
            )
    folder = Path(folder)
    with writing(folder):
        folder.mkdir(parents=True, exist_ok=True)
    written = {}
    for name, content in contents.items():
        path = folder / f"{stem}-{name}.jsonl"
        with writing(path), atomic_write(path) as stream:
            stream.write(content)
        side = build.training if name == "training" else build.validation
        written[name] = WrittenFile(
            path, len(side), len(content), hashlib.sha256(content).hexdigest()
        )
    return WrittenExport(
        training=written["training"],
        validation=written.get("validation"),
        fingerprint=fingerprint(build, contents),
    )


def _line(file: WrittenFile) -> str:
    return f"{file.path.name}: {file.examples:,} examples, {file.bytes:,} bytes"
