"""Request and response bodies that only the server and its back office use.  What a workstation sends or receives
is the wire format shared with it, ``app/sync/protocol.py``; these never reach a counter."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from app.sync.protocol import ServerStatus


class _Body(BaseModel):
    """Unknown keys are refused, as in the wire format: a typo is an error and not silently ignored."""

    model_config = ConfigDict(extra="forbid")


class TransitionRequest(_Body):
    status: ServerStatus
    note: Annotated[str, Field(max_length=500)] = ""


class TransitionResponse(_Body):
    acceptance_no: str
    status: ServerStatus
    changed_at: dt.datetime
