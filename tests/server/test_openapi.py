"""The OpenAPI document checked in under docs/ is the one the server serves, and schemathesis, generating requests
from it (with and without valid credentials, and pushes of generated events with a real device's), never gets a
500."""

from __future__ import annotations

import hashlib
import itertools
import json
import re
import uuid
from collections import Counter
from collections.abc import Iterator
from typing import Any

import hypothesis.strategies as st
import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.generation import GenerationMode

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
@pytest.mark.allow_warning_logs  # a generated audit head reset is logged as a warning for the operator, by design
def test_no_request_makes_the_server_fail(case: Any, fuzz_server: dict[str, Any]) -> None:
    server = fuzz_server["server"]
    for token in (None, fuzz_server["device"], fuzz_server["operator"]):
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        response = case.call(base_url=server.url, headers=headers, timeout=30)
        assert response.status_code < 500, (case.method, case.path, response.status_code, response.text[:300])
        if response.status_code >= 400 and "json" in response.headers.get("Content-Type", ""):
            body = response.json()
            assert "Traceback" not in json.dumps(body)


def _push_operation() -> Any:
    """``POST /events`` with each pushed payload given as the event itself (the payload's ``contentSchema``), so
    that schemathesis generates events, well-formed ones and broken ones, rather than arbitrary text."""
    raw = json.loads(SPEC.read_text("utf-8"))
    pushed = raw["components"]["schemas"]["PushedEvent"]["properties"]
    pushed["payload"] = pushed["payload"]["contentSchema"]
    return schemathesis.openapi.from_dict(raw)["/api/v1/events"]["POST"]


def _as_pushed(body: Any, center: str, workstation: str, sequence: Iterator[int]) -> Any:
    """Each generated event as a workstation pushes it: serialized, its SHA-256 beside it, the envelope's id its
    own; every other one steered into the device's center and workstation, with an application and a number of its
    series not used before, so that the rules past the envelope are reached too."""
    if not isinstance(body, dict) or not isinstance(body.get("events"), list):
        return body
    for index, item in enumerate(body["events"]):
        if not isinstance(item, dict) or "payload" not in item:
            continue
        event = item["payload"]
        if isinstance(event, dict):
            if index % 2 == 0:
                event = item["payload"] = _in_range(event)
                event.update(center_code=center, workstation_code=workstation, application_id=str(uuid.uuid4()))
                inner = event.get("body")
                if isinstance(inner, dict) and isinstance(inner.get("acceptance_no"), str):
                    inner["acceptance_no"] = f"{center}-{workstation}-20261123-{next(sequence):04d}"
            try:
                item["event_id"] = str(uuid.UUID(str(event.get("event_id"))))
            except ValueError:
                pass
        text = json.dumps(event, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=repr)
        item["payload"] = text
        item["sha256"] = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    return body


_MOMENT = re.compile(r"^[0-9]{4}(-[0-9]{2}-[0-9]{2}(T.*)?)$")


def _in_range(value: Any) -> Any:
    """``value`` with every date and moment moved to 2024 (the OpenAPI document cannot say their range)."""
    if isinstance(value, dict):
        return {key: _in_range(inner) for key, inner in value.items()}
    if isinstance(value, list):
        return [_in_range(inner) for inner in value]
    if isinstance(value, str) and (found := _MOMENT.match(value)):
        return "2024" + found.group(1)
    return value


@pytest.mark.slow
def test_generated_pushes_with_a_device_credential_never_make_the_server_fail(fuzz_server: dict[str, Any]) -> None:
    server = fuzz_server["server"]
    headers = {"Authorization": f"Bearer {fuzz_server['device']}"}
    operation = _push_operation()
    cases = st.one_of(operation.as_strategy(GenerationMode.POSITIVE), operation.as_strategy(GenerationMode.NEGATIVE))
    seen: Counter[str] = Counter()
    sequence = itertools.count(1)

    @given(case=cases)
    @settings(max_examples=80, derandomize=True, database=None, deadline=None, suppress_health_check=list(HealthCheck))
    def push(case: Any) -> None:
        case.body = _as_pushed(case.body, "310104003", "003", sequence)
        response = case.call(base_url=server.url, headers=headers, timeout=60)
        assert response.status_code < 500, (response.status_code, response.text[:300])
        seen[str(response.status_code)] += 1
        if response.status_code == 200:
            for result in response.json()["results"]:
                seen[result["outcome"]] += 1
                assert result["outcome"] in {"stored", "duplicate", "conflict", "rejected", "held"}, result
                assert (result["reason"] is None) == (result["outcome"] in {"stored", "duplicate"}), result

    push()
    # The generated pushes got past the request's schema to per-event answers, and some events were stored.
    assert seen["200"] > 10 and seen["stored"] > 0 and seen["rejected"] > 0, seen
