"""Calls of the central server's API for the tests of its routers, over real HTTP."""

from __future__ import annotations

from typing import Any

import requests

from tests.server import wire
from tests.serverkit import enrollment_code

CENTER = "310104003"
OTHER = "310104004"


def enroll(server: Any, center: str = CENTER, workstation: str = "003") -> dict[str, str]:
    code = enrollment_code(server.engine(), center, workstation)
    answer = requests.post(
        server.api + "/enroll",
        json={"code": code, "center_code": center, "workstation_code": workstation},
        timeout=10,
    )
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['token']}"}


def push(server: Any, auth: dict[str, str], *events: Any) -> list[dict[str, Any]]:
    answer = requests.post(
        server.api + "/events", json={"events": [wire.pushed(e) for e in events]}, headers=auth, timeout=30
    )
    assert answer.status_code == 200, answer.text
    return list(answer.json()["results"])


def outcomes(results: list[dict[str, Any]]) -> list[str]:
    return [r["outcome"] for r in results]


def transition(server: Any, token: str, number: str, status: str) -> requests.Response:
    return requests.post(
        server.api + f"/backoffice/applications/{number}/status",
        json={"status": status, "note": "街道初审"},
        headers={"Authorization": f"Bearer {token}"},
        timeout=5,
    )


class Clock:
    """Monotonic seconds that move only when the test says so."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now
