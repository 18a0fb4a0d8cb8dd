"""The deployment's ``[idcard]`` settings as a value (app/config.py reads and checks them).

Apart from app/config.py so the drivers take them without importing the deployment's reader and its dependencies.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class IdCardSettings:
    """The ID-card reader of this counter (``[idcard]``; docs/devices.md).

    Attributes:
        driver: ``none``, ``sdk``, ``wedge`` or ``simulator`` (demo mode only).
        sdk_shape: ``termb`` or ``sdt`` (rules.md §6).
        library: the vendor library (absolute, resolved beside the deployment file), None without one.
        library_sha256: its pinned SHA-256, lower case; the library is refused when the file differs.
        photo_library: the ``wltrs`` library that decodes an ``sdt`` reader's photo, None without one.
        photo_library_sha256: its pinned SHA-256.
        port: the reader's port (USB 1001–1016, serial 1–16).
        poll_ms: how often the poller looks for a card.
    """

    driver: str = "none"
    sdk_shape: str = "termb"
    library: Path | None = None
    library_sha256: str = ""
    photo_library: Path | None = None
    photo_library_sha256: str = ""
    port: int = 1001
    poll_ms: int = 300
