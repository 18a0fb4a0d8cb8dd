"""The source lines PySide6 reads of every module imported after it are not kept for the day (ui/memory.py
spare_module_sources, forget_module_sources): 37 MiB of the counter's memory once its window was open (issue 16).
The import hook is the process's, so each case runs in a fresh interpreter."""

from __future__ import annotations

import json
import linecache
import subprocess
import sys
import textwrap
from pathlib import Path

from ui.memory import forget_module_sources

# Imports modules after PySide6 (one that names PySide6 in its source, two that do not) and reports what
# linecache kept of them and what PySide6 recorded for each (0: uses PySide6, -1: ignored).  PySide6 looks at the
# module an import statement returns, so they are top-level modules.
PROBE = textwrap.dedent(
    """
    import json, linecache, sys
    import PySide6.QtCore
    from ui.memory import spare_module_sources
    spared = spare_module_sources() if sys.argv[1] == "spared" else None
    sys.path.insert(0, sys.argv[2])
    import csv
    import probe_plain
    import probe_with_qt
    feature = sys.modules["shibokensupport.feature"]
    names = ["csv", "probe_plain", "probe_with_qt"]
    files = [sys.modules[name].__file__ for name in names]
    print(json.dumps({
        "spared": spared,
        "kept": sum(1 for path in files if path in linecache.cache),
        "recorded": {name: feature.pyside_feature_dict.get(name) for name in names},
    }))
    """
)


def probe(mode: str, folder: Path) -> dict[str, object]:
    (folder / "probe_plain.py").write_text('"""No Qt here: 𠮷."""\nVALUE = 1\n', "utf-8")
    (folder / "probe_with_qt.py").write_text("from PySide6.QtCore import QObject\n\nHOLDER = QObject\n", "utf-8")
    done = subprocess.run(
        [sys.executable, "-c", PROBE, mode, str(folder)], capture_output=True, text=True, timeout=120, check=True
    )
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def test_modules_imported_after_it_leave_no_source_lines_and_pyside_still_tells_its_users(tmp_path: Path) -> None:
    spared = probe("spared", tmp_path)
    assert spared["spared"] is True
    assert spared["kept"] == 0
    # The same answers PySide6's own check gives (the control below).
    assert spared["recorded"] == {"csv": -1, "probe_plain": -1, "probe_with_qt": 0}


def test_without_it_pyside_keeps_the_source_of_every_module_imported(tmp_path: Path) -> None:
    default = probe("default", tmp_path)
    assert default["kept"] == 3
    assert default["recorded"] == {"csv": -1, "probe_plain": -1, "probe_with_qt": 0}


def test_forgetting_the_sources_kept_empties_the_cache_and_a_traceback_reads_them_again() -> None:
    import csv

    assert csv.__file__ is not None
    assert linecache.getline(csv.__file__, 1)  # read and kept
    assert forget_module_sources() >= 1
    assert linecache.cache == {}
    assert linecache.getline(csv.__file__, 1)  # read again when asked
