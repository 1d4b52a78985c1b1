"""From a vetted dataset to the files a fine-tune trains on (no Qt).

    options = ExportOptions(model="gpt-4o-mini", which=Which.APPROVED, system_message="...")
    build = build_export(session, options)      # records per side, class counts, leaks
    gate = preflight(build)                     # the lint for the target model, on exactly
                                                #   what will be written: errors block
    written = write_export(build, folder)       # atomic; names, sizes, fingerprint

The output format follows the model: prompt/completion for the legacy completion models,
chat `messages` for the others, converting legacy pairs on the way (convert.py).
"""

from tunedeck.core.export.build import ExportBuild, Side, build_export
from tunedeck.core.export.gate import Gate, preflight
from tunedeck.core.export.options import ExportOptions, SplitSource, Which
from tunedeck.core.export.write import WrittenExport, write_export

__all__ = [
    "ExportBuild",
    "ExportOptions",
    "Gate",
    "Side",
    "SplitSource",
    "Which",
    "WrittenExport",
    "build_export",
    "preflight",
    "write_export",
]
