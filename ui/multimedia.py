"""Qt Multimedia, found and loaded on demand: the document camera (ui/intake/camera.py) and the self-test's Qt child
process (ui/__main__.py) share it.  The module and its FFmpeg libraries are loaded only when used, and the
installers carry them as an optional component (the yimen-camera .deb, the MSI's Camera feature; docs/devices.md
"Document camera"), so it is first looked for without loading it."""

from __future__ import annotations

import functools
import importlib
import importlib.util
from typing import Any

MODULE = "PySide6.QtMultimedia"


@functools.cache
def installed() -> bool:
    """Whether Qt Multimedia is installed at all, found without loading it (a bundle built without it, a source
    install whose PySide6 lacks it)."""
    try:
        return importlib.util.find_spec(MODULE) is not None
    except (ImportError, ValueError):
        return False


def multimedia() -> Any:
    """PySide6.QtMultimedia, imported now (raises ImportError, OSError when a library it links is missing)."""
    from PySide6.QtCore import QLoggingCategory

    # Its FFmpeg backend looks for optional libraries (PipeWire, VA-API) and warns once for each one missing: on a
    # counter's desktop that is normal, and not worth IT's attention in the log.
    QLoggingCategory.setFilterRules("qt.multimedia.symbolsresolver.warning=false")
    return importlib.import_module(MODULE)
