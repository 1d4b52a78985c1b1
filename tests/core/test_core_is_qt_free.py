"""tunedeck.core must work where Qt is absent: importing all of it loads no Qt."""

from __future__ import annotations

import subprocess
import sys


def test_importing_all_of_core_loads_no_qt() -> None:
    code = (
        "import importlib, pkgutil, sys\n"
        "import tunedeck.core as core\n"
        "for m in pkgutil.walk_packages(core.__path__, 'tunedeck.core.'):\n"
        "    importlib.import_module(m.name)\n"
        "loaded = sorted(n for n in sys.modules if n.split('.')[0] in ('PySide6', 'shiboken6'))\n"
        "assert not loaded, loaded\n"
        "print(len([n for n in sys.modules if n.startswith('tunedeck.core')]))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert int(result.stdout) > 20  # it really walked the package
