"""The OpenAPI document checked in under docs/ is the one the server serves, and schemathesis, generating requests
from it (with and without valid credentials), never gets a 500."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, settings

from server.cli import openapi_text
from tests.conftest import REPO
from tests.serverkit import ServerThread, enrollment_code, operator_token

SPEC = REPO / "docs" / "openapi.json"
schema = schemathesis.openapi.from_path(str(SPEC))


def test_checked_in_spec_is_current() -> None:
    assert json.loads(SPEC.read_text("utf-8")) == json.loads(openapi_text()), (
        "docs/openapi.json is stale: regenerate it with `.venv/bin/python -m server openapi > docs/openapi.json`"
    )


def test_served_spec_is_the_checked_in_one(central: Any) -> None:
    served = requests.get(central.api + "/openapi.json", timeout=5).json()
    assert served == json.loads(SPEC.read_text("utf-8"))
    assert served["info"]["version"] == "1"
    assert all(path.startswith(("/api/v1/", "/q/")) for path in served["paths"])


@pytest.fixture(scope="module")
def fuzz_server(store_factory: Any) -> Iterator[dict[str, Any]]:
    server = ServerThread(store_factory.fresh(), settings_overrides={"public_rate_per_minute": 100_000})
    code = enrollment_code(server.engine())
    token = requests.post(
        server.api + "/enroll",
        json={"code": code, "center_code": "310104003", "workstation_code": "003"},
        timeout=10,
    ).json()["token"]
    yield {"server": server, "device": token, "operator": operator_token(server.engine())}
    server.stop()


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@pytest.mark.slow
def test_no_request_makes_the_server_fail(case: Any, fuzz_server: dict[str, Any]) -> None:
    server = fuzz_server["server"]
    for token in (None, fuzz_server["device"], fuzz_server["operator"]):
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        response = case.call(base_url=server.url, headers=headers, timeout=30)
        assert response.status_code < 500, (case.method, case.path, response.status_code, response.text[:300])
        if response.status_code >= 400 and "json" in response.headers.get("Content-Type", ""):
            body = response.json()
            assert "Traceback" not in json.dumps(body)
