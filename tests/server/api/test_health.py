"""``GET /api/v1/health``."""

from __future__ import annotations

from typing import Any

import requests


def test_health_and_date_header(central: Any) -> None:
    answer = requests.get(central.api + "/health", timeout=5)
    assert answer.json() == {"status": "ok"}
    assert answer.headers["Date"].endswith("GMT")
