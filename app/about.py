"""What the About dialog (ui/about.py) shows and support asks for: this build's version, the store's schema version,
the center and workstation codes, and the Python that runs it.  No personal data, no secret."""

from __future__ import annotations

import platform
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import text

from app.version import version

if TYPE_CHECKING:
    from app.bootstrap import Services


@dataclass(frozen=True)
class AboutFacts:
    version: str
    #: The store's Alembic revision (``0014``); None for a store not yet created.
    schema_version: str | None
    center_code: str
    center_name: str
    workstation_code: str
    window_name: str
    python: str
    system: str


def about_facts(services: Services) -> AboutFacts:
    """The facts of this workstation; reads the store (call it on the database worker).

    Raises:
        StorageError: the store cannot be read.
    """
    with services.db.read_connection() as conn:
        found = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    schema = str(found) if found is not None else None
    deployment = services.deployment
    return AboutFacts(
        version=version(),
        schema_version=schema,
        center_code=deployment.center_code,
        center_name=deployment.center_name,
        workstation_code=deployment.workstation_code,
        window_name=deployment.window_name,
        python=platform.python_version(),
        system=f"{platform.system()} {platform.release()} {platform.machine()}".strip(),
    )
