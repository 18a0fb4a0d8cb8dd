"""The core's enum types the UI passes back to it, imported in one place.

They are defined in ``db.models``; ``ui`` must never import ``db`` (ARCHITECTURE.md), so the app modules that take
and return them re-export them.
"""

from __future__ import annotations

from app.intake.model import AppState, Decision, MaterialStatus, PartyRole
from app.security.accounts import Role

__all__ = ["AppState", "Decision", "MaterialStatus", "PartyRole", "Role"]
