"""The core's enum types the UI passes back to it, imported in one place.

``app.intake.model`` and ``app.security.accounts`` take and return these enums, which are defined in ``db.models``;
``ui`` must never import ``db`` (ARCHITECTURE.md), so they are imported through the app modules that use them.
Those modules do not list them in ``__all__`` yet, hence the ``attr-defined`` ignores: remove them once the core
re-exports the names explicitly (requested in the UI issue's note).
"""

from __future__ import annotations

from app.intake.model import Decision, MaterialStatus, PartyRole  # type: ignore[attr-defined]
from app.intake.service import AppState  # type: ignore[attr-defined]
from app.security.accounts import Role  # type: ignore[attr-defined]

__all__ = ["AppState", "Decision", "MaterialStatus", "PartyRole", "Role"]
