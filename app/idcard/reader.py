"""The interface every ID-card reader driver offers, and the rule that a card leaves the field between reads.

A poller (ui/intake/reader.py) calls :meth:`IdCardReader.poll` off the UI thread every few hundred milliseconds:
it returns a :class:`~app.idcard.model.CardData` once per card placed, None otherwise.  SDKs read a card once and
cannot read it again until it has left the field (rules.md §6, the 公安部 SDK's find/select cycle), so a driver
that found a card answers None until a poll finds the field empty (:class:`FieldWatch`).
"""

from __future__ import annotations

import abc
from enum import StrEnum

from app.idcard.model import CardData


class DriverKind(StrEnum):
    """The drivers a deployment may name (``idcard.driver``)."""

    NONE = "none"
    SDK = "sdk"
    WEDGE = "wedge"
    SIMULATOR = "simulator"


class IdCardReader(abc.ABC):
    """One reader at this counter.

    Attributes:
        kind: which driver this is.
        polls: whether a poller must call :meth:`poll` (False for the keyboard wedge, which types into the form).
    """

    kind: DriverKind
    polls: bool = True

    @abc.abstractmethod
    def open(self) -> None:
        """Connect to the reader.

        Raises:
            IdCardError: the reader is absent, refused (a library whose hash is not the pinned one) or failed.
        """

    @abc.abstractmethod
    def poll(self) -> CardData | None:
        """A card newly placed on the reader, or None (no card, or the card already read is still there).

        Raises:
            IdCardError: the reader failed (unplugged, a misread); the poller reports it and polls on.
        """

    @abc.abstractmethod
    def close(self) -> None:
        """Release the reader (never raises)."""


class FieldWatch:
    """Whether the card in the field was already read: a card is read once, then again only after it left."""

    def __init__(self) -> None:
        self.read_once = False

    def card_found(self) -> bool:
        """A card is in the field: True when it is to be read (the first poll that finds it)."""
        if self.read_once:
            return False
        self.read_once = True
        return True

    def field_empty(self) -> None:
        """No card in the field: the next card found is read."""
        self.read_once = False
