"""The simulated reader of demos and tests: cards are placed and removed by code, read in a fixed time.

Like every fake it refuses to load outside demo mode (STYLE.md §16, app/demo.py's refusal): a counter in
production never shows a made-up person.
"""

from __future__ import annotations

import threading
import time

from app.config import Deployment
from app.errors import NotAllowedError
from app.i18n import msg
from app.idcard.model import CardData
from app.idcard.reader import DriverKind, FieldWatch, IdCardReader

#: What a real reader takes to read a card's text (about 0.1–0.3 s for the text; 1 s with the photo); the
#: benchmark subtracts it (bench/idcard.py).
READ_SECONDS = 0.05


class SimulatedReader(IdCardReader):
    """A reader whose field holds what :meth:`place` put there.

    Raises (on construction):
        NotAllowedError: the deployment is not in demo mode.
    """

    kind = DriverKind.SIMULATOR

    def __init__(self, deployment: Deployment, *, read_seconds: float = READ_SECONDS) -> None:
        if not deployment.is_demo:
            raise NotAllowedError(
                msg("idcard", '模拟读卡器只能在演示模式下使用（部署文件 deployment.mode = "demo"）。')
            )
        self.read_seconds = read_seconds
        self._lock = threading.Lock()
        self._card: CardData | None = None
        self._watch = FieldWatch()
        self.opened = False

    def place(self, card: CardData) -> None:
        """Put a card on the reader (any thread)."""
        with self._lock:
            self._card = card

    def remove(self) -> None:
        """Take the card away (any thread)."""
        with self._lock:
            self._card = None

    def open(self) -> None:
        self.opened = True

    def poll(self) -> CardData | None:
        with self._lock:
            card = self._card
        if card is None:
            self._watch.field_empty()
            return None
        if not self._watch.card_found():
            return None
        time.sleep(self.read_seconds)  # the chip's read time, as a real reader takes it
        return card

    def close(self) -> None:
        self.opened = False
