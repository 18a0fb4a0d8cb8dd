"""Fixtures of the document tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from app.intake.model import Decision, DecisionResult


@pytest.fixture
def decide(services: Any, clerk: Any) -> Callable[..., DecisionResult]:
    """Take and decide a complete sample case of a shipped item (see doc_testkit.take)."""
    from tests.app.documents.doc_testkit import take

    def make(code: str, decision: Decision = Decision.ACCEPT, **kwargs: Any) -> DecisionResult:
        return take(services, clerk, code, decision, **kwargs)

    return make
