"""Odd and oversized values in every field of every event type, generated from the protocol's own JSON schema and
pushed to a real server: each is answered per event — refused with the protocol's reason when the protocol refuses
it, stored when it is a value the server can hold (a name of exactly the longest length, bidi controls, the largest
version) — never with a 500, and the good event in the same batch is stored.

The protocol's verdict is computed here too (``protocol.parse``), and the values no column can hold (NUL, other
control characters where a line is expected, lone surrogates, strings past their limit, lists past theirs, numbers
past their column, dates past the range) are checked to be among the refused ones.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import json
import math
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pydantic
import pytest
import requests
from sqlalchemy import text

from app import limits
from app.sync import protocol
from server.services.ingest import UNSTORABLE_REASON
from tests.server import supervisor_wire as sw
from tests.server import wire
from tests.server.apikit import CENTER, enroll, outcomes, push
from tests.serverkit import count

SCHEMA = protocol.Event.model_json_schema()
DEFS = SCHEMA["$defs"]
PDF = b"%PDF-1.4 the citizen's receipt"
#: Stands for a lone surrogate, written into the payload as the JSON escape ``\ud800`` (no JSON parser takes it).
SURROGATE = "\ue000<lone-surrogate>\ue000"
FORMAT_REASON = "事件格式无效"

#: Kinds of value the server must refuse wherever they appear (besides what the protocol's patterns refuse).
MUST_REFUSE = {
    "nul",
    "control",
    "delete",
    "c1",
    "surrogate",
    "too-long",
    "huge",
    "too-big",
    "too-small",
    "int64",
    "bignum",
    "nan",
    "infinity",
    "too-many",
    "bad-key",
    "long-key",
    "nested",
    "far-moment",
    "naive",
    "far-date",
    "no-such-day",
    "not-a-uuid",
}


@dataclass
class Case:
    kind: str  # the event type
    path: tuple[str | int, ...]
    variant: str
    data: dict[str, Any]

    @property
    def where(self) -> str:
        return f"{self.kind} {'.'.join(map(str, self.path))} [{self.variant}]"


# ---------------------------------------------------------------------------------------------------- valid events


def _rich_taken(number: str, app_id: uuid.UUID) -> protocol.Event:
    """A 受理 event with a value in every optional field and two of everything in its lists."""
    base = wire.taken(number, app_id=app_id)
    body = base.body
    assert isinstance(body, protocol.ApplicationTaken)
    party = body.parties[0]
    second = party.model_copy(
        update={
            "party_id": uuid.uuid4(),
            "role": "spouse",
            "name": "Ａｂｄｕｌ·热合曼",
            "values": {"hukou_shanghai": True},
        }
    )
    materials = [
        protocol.MaterialData(
            key="id_card",
            name="身份证",
            form="original",
            count=1,
            required=True,
            status="defective",
            party_id=party.party_id,
            note="复印件不清晰",
        ),
        protocol.MaterialData(
            key="income_proof", name="收入证明", form="copy", count=2, required=True, status="missing", note="下次补交"
        ),
    ]
    decision = protocol.DecisionData(
        decision="supplement",
        decided_at=wire.NOW,
        clerk_username="wangli",
        clerk_staff_no="0301",
        notice_no="示范补正〔2026〕310104003-003-0007号",
        reason="缺收入证明",
        promised_date=dt.date(2026, 12, 7),
        promised_estimated=True,
        missing_keys=["income_proof", "bank_card"],
    )
    values = {
        "monthly_income_fen": 150000,
        "address": "长宁路 1 号",
        "needs": ["food", "rent"],
        "urgent": True,
        "ratio": 0.5,
    }
    rich = body.model_copy(
        update={
            "queue_ticket": "A012",
            "called_at": wire.NOW,
            "values": values,
            "parties": [party.model_copy(update={"values": {"income_fen": 3}}), second],
            "materials": materials,
            "decision": decision,
        }
    )
    return base.model_copy(update={"body": rich})


def _rich_supervisor(kind: str, taken: protocol.Event) -> tuple[protocol.Event, list[protocol.Event]]:
    """A valid supervisor's event with a value in every optional field, and the events it follows."""
    number = taken.body.acceptance_no  # type: ignore[union-attr]
    if kind == "day.closed":
        return sw.day_closed(numbers=[number], unsynced=1, reason="网络中断·待补传"), []
    if kind == "handover.recorded":
        return sw.handover([number]), [taken]
    rated = sw.rating(taken, "very_dissatisfied", phone="13800000000")
    if kind == "rating.recorded":
        return rated, [taken]
    step = sw.follow_up(rated, "contact", reached=False, note="电话未接通，次日再拨")
    return step, [taken, rated]


SUPERVISOR_KINDS = ("rating.recorded", "rating.followed_up", "day.closed", "handover.recorded")


def _valid(kind: str, number: str, app_id: uuid.UUID) -> tuple[protocol.Event, list[protocol.Event]]:
    """A valid event of ``kind`` and the events it follows (the 受理 event; a rating for a follow-up step)."""
    taken = _rich_taken(number, app_id)
    if kind == "application.taken":
        return taken, []
    if kind in SUPERVISOR_KINDS:
        return _rich_supervisor(kind, taken)
    builders: dict[str, Callable[[protocol.Event], protocol.Event]] = {
        "application.supplemented": wire.supplemented,
        "application.corrected": wire.corrected,
        "application.voided": wire.voided,
        "document.issued": lambda t: wire.document(t, PDF),
        "document.reprinted": wire.reprinted,
    }
    event = builders[kind](taken)
    if isinstance(event.body, protocol.MaterialsSupplemented):
        assert isinstance(taken.body, protocol.ApplicationTaken)
        update = {"materials": taken.body.materials, "decision": taken.body.decision}
        event = event.model_copy(update={"body": event.body.model_copy(update=update)})
    if isinstance(event.body, protocol.DocumentIssued):
        event = event.model_copy(update={"body": event.body.model_copy(update={"replaces": [uuid.uuid4()]})})
    return event, [taken]


# ---------------------------------------------------------------------------------------------------- the schema


def _deref(node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = DEFS[node["$ref"].rsplit("/", 1)[-1]]
    return node


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def _branch(node: dict[str, Any], value: Any) -> dict[str, Any]:
    """The schema of ``value`` where ``node`` may be a union (``anyOf``, or the body's discriminated ``oneOf``)."""
    node = _deref(node)
    if "oneOf" in node and isinstance(value, dict) and "discriminator" in node:
        return _deref({"$ref": node["discriminator"]["mapping"][value["type"]]})
    for key in ("anyOf", "oneOf"):
        if key in node:
            wanted = _json_type(value)
            for option in node[key]:
                option = _deref(option)
                if option.get("type") == wanted or (wanted == "integer" and option.get("type") == "number"):
                    return option
            raise AssertionError(f"no branch of {node} for {value!r}")
    return node


def _child(node: dict[str, Any], step: str | int) -> dict[str, Any]:
    if isinstance(step, int):
        return node["items"]  # type: ignore[no-any-return]
    if "properties" in node and step in node["properties"]:
        return node["properties"][step]  # type: ignore[no-any-return]
    if "patternProperties" in node:  # a dict whose keys have a pattern
        return next(iter(node["patternProperties"].values()))  # type: ignore[no-any-return]
    return node["additionalProperties"]  # type: ignore[no-any-return]


def _leaves(value: Any, node: dict[str, Any], path: tuple[str | int, ...] = ()) -> Iterator[tuple[Any, Any, dict]]:
    """Every value of the event with its path and its schema: containers, then what they hold."""
    node = _branch(node, value)
    yield path, value, node
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _leaves(item, _child(node, key), (*path, key))
    elif isinstance(value, list):
        for i, item in enumerate(value[:1]):  # one element of each list stands for all
            yield from _leaves(item, _child(node, i), (*path, i))


# ---------------------------------------------------------------------------------------------------- variants

_FREE_TEXT = {limits.LINE_PATTERN, limits.TEXT_PATTERN}


def _padded(value: str, node: dict[str, Any], length: int) -> str:
    """``value`` grown to ``length`` code points so it keeps matching its pattern: free text with 𠮷 (one code
    point, four bytes), a code or number with its own last character."""
    fill = "𠮷" if node.get("pattern") in _FREE_TEXT or "pattern" not in node else (value[-1:] or "0")
    return value + fill * (length - len(value))


def _string_variants(value: str, node: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    fmt = node.get("format")
    if fmt == "date-time":
        yield "far-moment", "0001-01-01T00:00:00+08:00"
        yield "far-moment", "9999-12-31T23:59:59-08:00"
        yield "far-moment", "1899-12-31T23:59:59Z"
        yield "far-moment", "3000-01-01T00:00:00Z"
        yield "naive", "2026-11-23T10:00:00"
        yield "no-such-day", "2026-02-30T00:00:00Z"
        yield "edge", "1900-01-01T00:00:00Z"
        yield "edge", "2999-12-31T23:59:59.999999+00:00"
        return
    if fmt == "date":
        yield "far-date", "0001-01-01"
        yield "far-date", "9999-12-31"
        yield "far-date", "1849-12-31"
        yield "far-date", "2201-01-01"
        yield "no-such-day", "2026-02-30"
        yield "edge", "1850-01-01"
        yield "edge", "2200-12-31"
        return
    if fmt == "uuid":
        yield "not-a-uuid", "not-a-uuid"
        yield "nul", value[:-1] + "\x00"
        return
    middle = len(value) // 2
    for variant, char in (
        ("nul", "\x00"),
        ("control", "\x07"),
        ("control", "\x1b"),
        ("delete", "\x7f"),
        ("c1", "\x85"),
    ):
        yield variant, value[:middle] + char + value[middle:]
    yield "line-break", value[:middle] + "\n" + value[middle:]
    yield "tab", value[:middle] + "\t" + value[middle:]
    yield "surrogate", value[:middle] + SURROGATE + value[middle:]
    yield "bidi", "\u202e" + value + "\u2066\u2069"  # format characters: text, storable
    yield "empty", ""
    yield "wrong-type", 12345
    if "maxLength" in node:
        yield "longest", _padded(value, node, node["maxLength"])
        yield "too-long", _padded(value, node, node["maxLength"] + 1)
    yield "huge", _padded(value, node, 100_001)


def _variants(value: Any, node: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    kind = node.get("type")
    if "const" in node or "enum" in node:
        yield "not-listed", "bogus"
        yield "nul", f"{value}\x00"
        return
    if kind == "string":
        yield from _string_variants(value, node)
    elif kind == "integer":
        if "maximum" in node:
            yield "largest", node["maximum"]
            yield "too-big", node["maximum"] + 1
        if "minimum" in node:
            yield "smallest", node["minimum"]
            yield "too-small", node["minimum"] - 1
        yield "int64", 2**63
        yield "int64", -(2**63) - 1
        yield "bignum", 10**40
        yield "fraction", 1.5
        yield "wrong-type", "1"
    elif kind == "number":
        yield "nan", math.nan
        yield "infinity", math.inf
        yield "bignum", 1e300
    elif kind == "boolean":
        yield "wrong-type", "yes"
        yield "wrong-type", 2
    elif kind == "array":
        if "maxItems" in node:
            yield "most", _grown(value, node["maxItems"])
            yield "too-many", _grown(value, node["maxItems"] + 1)
        yield "wrong-type", "x"
    elif kind == "object" and "maxProperties" in node and isinstance(value, dict):
        items = list(value.items()) or [("k", 1)]
        most = {f"k{i}": items[i % len(items)][1] for i in range(node["maxProperties"])}
        yield "most", most
        yield "too-many", {**most, "one_more": 1}
        yield "bad-key", {**value, "k\x00": 1}
        yield "long-key", {**value, "k" * (limits.KEY_MAX + 1): 1}
        yield "nested", {**value, "deep": {"a": {"b": 1}}}
        yield "nan", {**value, "x": math.nan}
        yield "infinity", {**value, "x": math.inf}
        yield "bignum", {**value, "x": 10**30}


def _grown(value: list[Any], size: int) -> list[Any]:
    assert value, "every list of the valid events has an element"
    return list(itertools.islice(itertools.cycle(value), size))


def _replace(data: Any, path: tuple[str | int, ...], new: Any) -> Any:
    if not path:
        return new
    copy = dict(data) if isinstance(data, dict) else list(data)
    copy[path[0]] = _replace(data[path[0]], path[1:], new)  # type: ignore[index]
    return copy


def cases() -> list[tuple[Case, list[protocol.Event]]]:
    """Every variant of every value of every event type, with the events each follows."""
    numbers = itertools.count(1)
    out: list[tuple[Case, list[protocol.Event]]] = []
    for kind in (
        "application.taken",
        "application.supplemented",
        "application.corrected",
        "application.voided",
        "document.issued",
        "document.reprinted",
        *SUPERVISOR_KINDS,
    ):
        template, _ = _valid(kind, f"{CENTER}-003-20261123-00001", uuid.uuid4())
        data = template.model_dump(mode="json")
        for path, value, node in _leaves(data, SCHEMA):
            if path in (("body",), ("body", "type")) or not path:
                continue
            for variant, new in _variants(value, node):
                event, taken = _valid(kind, f"{CENTER}-003-20261123-{next(numbers):05d}", uuid.uuid4())
                fresh = event.model_dump(mode="json")
                out.append((Case(kind, path, variant, _replace(fresh, path, new)), taken))
    return out


def _payload(data: dict[str, Any]) -> str:
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return text.replace(SURROGATE, "\\ud800")


def _pushed(case: Case) -> dict[str, Any]:
    payload = _payload(case.data)
    try:
        event_id = str(uuid.UUID(str(case.data["event_id"])))
    except ValueError:
        event_id = str(uuid.uuid4())
    return {"event_id": event_id, "sha256": hashlib.sha256(payload.encode("utf-8")).hexdigest(), "payload": payload}


def _protocol_refuses(case: Case) -> bool:
    try:
        protocol.parse(_payload(case.data).encode("utf-8"))
    except pydantic.ValidationError:
        return True
    return False


def _breaks_a_rule(case: Case) -> bool:
    """Whether a well-formed value still breaks a rule of the push (and is refused with that rule's reason)."""
    if case.path in (("center_code",), ("workstation_code",)):
        return True  # another center or workstation than the device's
    if case.path == ("body", "acceptance_no") and case.kind != "application.taken":
        return True  # another number than the application's
    if case.kind == "day.closed" and case.path == ("body", "day"):
        return True  # its numbers are no longer the day's
    if case.kind == "handover.recorded" and case.path[:2] == ("body", "acceptance_nos"):
        # The same number twice.  (The longest number is the one the 受理 event's own longest-number case stored,
        # earlier in the push: a number of this workstation the server holds.)
        return case.variant == "most"
    return case.path == ("body", "sha256")  # a document whose PDF was not uploaded


def _batches(items: list[dict[str, Any]], limit: int = 150, size: int = 8_000_000) -> Iterator[list[dict[str, Any]]]:
    """Batches of at most ``limit`` events and about ``size`` bytes (the server takes 16 MB)."""
    batch: list[dict[str, Any]] = []
    total = 0
    for item in items:
        weight = len(_body([item]))
        if batch and (len(batch) >= limit or total + weight > size):
            yield batch
            batch, total = [], 0
        batch.append(item)
        total += weight
    if batch:
        yield batch


def _body(events: list[dict[str, Any]]) -> bytes:
    return json.dumps({"events": events}, ensure_ascii=False).encode("utf-8")


def _send(server: Any, auth: dict[str, str], events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    headers = {**auth, "Content-Type": "application/json"}
    answer = requests.post(server.api + "/events", data=_body(events), headers=headers, timeout=120)
    assert answer.status_code == 200, answer.text[:500]
    return list(answer.json()["results"])


@pytest.mark.slow
def test_every_odd_value_of_every_event_type_is_answered_per_event_never_with_a_500(central: Any) -> None:
    auth = enroll(central)
    sha = hashlib.sha256(PDF).hexdigest()
    assert requests.put(central.api + f"/documents/{sha}", data=PDF, headers=auth, timeout=5).ok
    generated = cases()
    # The applications the changes name (and the ratings the follow-up steps name), stored first (each change names
    # its own, so one refusal holds nothing).
    before = [wire.pushed(event) for _case, events in generated for event in events]
    for batch in _batches(before, limit=500):
        assert {r["outcome"] for r in _send(central, auth, batch)} == {"stored"}

    refused_by_protocol = {i for i, (c, _) in enumerate(generated) if _protocol_refuses(c)}
    # The values no column can hold are among the protocol's refusals, wherever they appear.
    slipped = [
        c.where for i, (c, _) in enumerate(generated) if c.variant in MUST_REFUSE and i not in refused_by_protocol
    ]
    assert not slipped, slipped

    good_numbers = itertools.count(90001)
    answers: dict[str, dict[str, Any]] = {}
    pushed = [(case, _pushed(case)) for case, _ in generated]
    for batch in _batches([p for _c, p in pushed]):
        good = wire.taken(f"{CENTER}-003-20261123-{next(good_numbers):05d}")
        results = _send(central, auth, [*batch, wire.pushed(good)])
        assert results[-1] == {"event_id": str(good.event_id), "outcome": "stored", "reason": None}
        by_id = {r["event_id"]: r for r in results}
        for item in batch:
            answers[item["event_id"]] = by_id[item["event_id"]]

    stored = 0
    for i, (case, item) in enumerate(pushed):
        answer = answers[item["event_id"]]
        if i in refused_by_protocol:
            assert answer["outcome"] == "rejected", (case.where, answer)
            assert answer["reason"].startswith(FORMAT_REASON), (case.where, answer)
        elif _breaks_a_rule(case):
            assert answer["outcome"] == "rejected" and answer["reason"], (case.where, answer)
            assert not answer["reason"].startswith(FORMAT_REASON), (case.where, answer)
        else:
            assert answer["outcome"] == "stored", (case.where, answer)
            stored += 1
    # What the counts say (a failure here means the generator lost its reach, not that the server failed).
    assert len(generated) > 700 and len(refused_by_protocol) > 450 and stored > 150, (
        len(generated),
        len(refused_by_protocol),
        stored,
    )


@pytest.mark.allow_warning_logs
def test_a_value_the_store_refuses_after_all_is_that_events_refusal_not_the_batchs(central: Any) -> None:
    """The safety net behind the limits: a column narrower than the protocol's limit (here made so by hand) refuses
    one event; it is answered ``rejected``, its application's later event is held, the rest is stored."""
    if central.engine().dialect.name != "postgresql":
        pytest.skip("SQLite does not enforce column lengths")
    with central.engine().begin() as conn:
        conn.execute(text("ALTER TABLE applications ALTER COLUMN item_name TYPE varchar(8)"))
    auth = enroll(central)
    too_long = wire.taken(f"{CENTER}-003-20261123-0001")  # 临时救助申请 fits; the name below does not
    body = too_long.body
    assert isinstance(body, protocol.ApplicationTaken)
    named = body.model_copy(update={"item": body.item.model_copy(update={"name": "最低生活保障申请（城镇）"})})
    too_long = too_long.model_copy(update={"body": named})
    after = wire.supplemented(too_long)
    fine = wire.taken(f"{CENTER}-003-20261123-0002")
    results = push(central, auth, too_long, after, fine)
    assert outcomes(results) == ["rejected", "held", "stored"]
    assert results[0]["reason"] == UNSTORABLE_REASON
    assert count(central.engine(), "events") == 1 and count(central.engine(), "applications") == 1
