"""The reader a deployment names (``[idcard] driver``; docs/devices.md)."""

from __future__ import annotations

from app.config import Deployment
from app.idcard.reader import DriverKind, IdCardReader


def open_reader(deployment: Deployment) -> IdCardReader | None:
    """The configured reader, not yet opened; None when the counter has none (``driver = "none"``).

    Raises:
        IdCardError: the SDK's library is missing, refused (hash) or not a library.
        NotAllowedError: the simulator outside demo mode.
    """
    settings = deployment.idcard
    kind = DriverKind(settings.driver)
    if kind is DriverKind.NONE:
        return None
    if kind is DriverKind.WEDGE:
        from app.idcard.wedge import WedgeReader

        return WedgeReader()
    if kind is DriverKind.SIMULATOR:
        from app.idcard.simulator import SimulatedReader

        return SimulatedReader(deployment)
    from app.idcard.sdk import open_sdk_reader

    return open_sdk_reader(settings)
