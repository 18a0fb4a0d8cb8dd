"""One set of limits (app/limits.py): the catalog's maxima, the protocol's and the server's column sizes agree — read
back from the catalog's and the protocol's JSON schemas and from the server's SQLAlchemy columns — and every value
of an event is bounded."""

from __future__ import annotations

import re._parser as sre_parse
from typing import Any

import pytest
from sqlalchemy import Integer, String

from app import limits
from app.catalog.schema import CODE_PATTERN, KEY_PATTERN, ServiceItem
from app.domain import PartyRole
from app.sync import protocol
from server.store.models import ServerApplication, StoredEvent

CATALOG = ServiceItem.model_json_schema()
WIRE = protocol.Event.model_json_schema()
INT32 = (-(2**31), 2**31 - 1)


def _node(schema: dict[str, Any], *path: str) -> dict[str, Any]:
    """The schema at ``path`` (model names and property names), references and optional values resolved."""
    defs = schema.get("$defs", {})
    node = schema
    for step in path:
        node = defs[step] if step in defs and node is schema else node["properties"][step]
        node = _plain(node, defs)
    return node


def _plain(node: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in node:
        return _plain(defs[node["$ref"].rsplit("/", 1)[-1]], defs)
    if "anyOf" in node:
        (only,) = [option for option in node["anyOf"] if option.get("type") != "null"]
        return _plain(only, defs)
    return node


def _column(model: Any, name: str) -> Any:
    return model.__table__.c[name].type


def _longest(pattern: str) -> int:
    return int(sre_parse.parse(pattern).getwidth()[1])


def test_the_item_code_and_name_fit_the_protocol_and_the_servers_columns() -> None:
    catalog_code = _node(CATALOG, "code")
    assert catalog_code["maxLength"] == limits.ITEM_CODE_MAX
    assert _longest(CODE_PATTERN) <= limits.ITEM_CODE_MAX
    assert _node(WIRE, "CatalogRef", "code")["maxLength"] == limits.ITEM_CODE_MAX
    assert _column(ServerApplication, "item_code").length == limits.ITEM_CODE_MAX

    assert _node(CATALOG, "ItemName", "zh")["maxLength"] == limits.ITEM_NAME_MAX
    assert _node(WIRE, "CatalogRef", "name")["maxLength"] == limits.ITEM_NAME_MAX
    assert _column(ServerApplication, "item_name").length == limits.ITEM_NAME_MAX

    version = (_node(CATALOG, "version"), _node(WIRE, "CatalogRef", "version"))
    assert [v["maximum"] for v in version] == [limits.INT32_MAX] * 2 == [INT32[1]] * 2
    assert isinstance(_column(ServerApplication, "item_version"), Integer)


def test_the_servers_other_columns_hold_what_the_protocol_allows() -> None:
    number = _node(WIRE, "ApplicationTaken", "acceptance_no")
    assert number["maxLength"] == limits.ACCEPTANCE_NO_MAX == _column(ServerApplication, "acceptance_no").length
    assert _longest(_node(WIRE, "ApplicationTaken", "query_code")["pattern"]) == limits.QUERY_CODE_LENGTH
    assert _column(ServerApplication, "query_code").length == limits.QUERY_CODE_LENGTH
    for model in (ServerApplication, StoredEvent):
        assert _longest(_node(WIRE, "center_code")["pattern"]) == limits.CENTER_CODE_MAX
        assert _column(model, "center_code").length == limits.CENTER_CODE_MAX
        assert _longest(_node(WIRE, "workstation_code")["pattern"]) == limits.WORKSTATION_CODE_LENGTH
        assert _column(model, "workstation_code").length == limits.WORKSTATION_CODE_LENGTH
    longest_type = max(len(t) for t in protocol.EventType)
    assert longest_type <= limits.EVENT_TYPE_MAX == _column(StoredEvent, "event_type").length
    assert _column(StoredEvent, "sha256").length == limits.SHA256_HEX_LENGTH
    assert _node(WIRE, "schema_version")["maximum"] == INT32[1]
    assert isinstance(_column(StoredEvent, "schema_version"), Integer)
    for name in ("counter_state", "status"):  # the decisions and statuses the events set
        assert isinstance(_column(ServerApplication, name), String)
        longest = max(len(s) for s in (*protocol.ServerStatus, "accept", "supplement", "refuse", "voided"))
        assert longest <= _column(ServerApplication, name).length


def test_what_the_catalog_allows_the_protocol_carries() -> None:
    assert _node(CATALOG, "Material", "count")["maximum"] == limits.MATERIAL_COUNT_MAX
    assert _node(WIRE, "MaterialData", "count")["maximum"] == limits.MATERIAL_COUNT_MAX
    material_name = _node(CATALOG, "LocalText", "zh")["maxLength"]  # a material's name is a LocalText
    assert material_name == limits.TEXT_MAX <= _node(WIRE, "MaterialData", "name")["maxLength"]
    assert _longest(KEY_PATTERN) == limits.KEY_MAX == _node(WIRE, "MaterialData", "key")["maxLength"]
    per_role = _node(CATALOG, "PartySpec", "max")["maximum"]
    assert per_role == limits.PARTY_PER_ROLE_MAX
    assert per_role * len(PartyRole) <= limits.PARTIES_MAX == _node(WIRE, "ApplicationTaken", "parties")["maxItems"]
    assert (
        _node(CATALOG, "fields")["maxItems"] == limits.FIELDS_MAX == _node(CATALOG, "PartySpec", "fields")["maxItems"]
    )
    assert _node(WIRE, "ApplicationTaken", "values")["maxProperties"] == limits.FIELDS_MAX
    assert _node(CATALOG, "Constraints", "choices")["maxItems"] == limits.CHOICES_MAX
    multichoice = _node(WIRE, "ApplicationTaken", "values")["patternProperties"]
    (value,) = multichoice.values()
    (as_list,) = [option for option in value["anyOf"] if option.get("type") == "array"]
    assert as_list["maxItems"] == limits.CHOICES_MAX
    materials = _node(CATALOG, "materials")["maxItems"]
    assert materials == limits.CATALOG_MATERIALS_MAX <= _node(WIRE, "ApplicationTaken", "materials")["maxItems"]


def _bounded(node: dict[str, Any], defs: dict[str, Any], where: str, seen: set[str]) -> list[str]:
    """The places under ``node`` where a value has no upper bound (a string without a length, a list without a
    size, a number without a range)."""
    if "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        return [] if name in seen else _bounded(defs[name], defs, name, seen | {name})
    found: list[str] = []
    for key in ("anyOf", "oneOf"):
        for option in node.get(key, ()):
            found += _bounded(option, defs, where, seen)
    kind = node.get("type")
    if kind == "string" and not ({"const", "enum", "format"} & set(node)):
        longest = _longest(node["pattern"]) if "pattern" in node else sre_parse.MAXREPEAT
        if "maxLength" not in node and longest >= sre_parse.MAXREPEAT:
            found.append(where)
    if kind in ("integer", "number") and not {"maximum", "exclusiveMaximum"} & set(node):
        found.append(where)
    if kind == "array":
        if "maxItems" not in node:
            found.append(where)
        found += _bounded(node["items"], defs, f"{where}[]", seen)
    if kind == "object":
        if "patternProperties" in node or "additionalProperties" in node and node["additionalProperties"] is not False:
            if "maxProperties" not in node:
                found.append(where)
            extra = node.get("additionalProperties")
            for inner in [*node.get("patternProperties", {}).values(), *([extra] if isinstance(extra, dict) else [])]:
                found += _bounded(inner, defs, f"{where}{{}}", seen)
        for name, inner in node.get("properties", {}).items():
            found += _bounded(inner, defs, f"{where}.{name}", seen)
    return found


@pytest.mark.parametrize("model", [protocol.Event, protocol.PushRequest])
def test_every_value_an_event_carries_is_bounded(model: Any) -> None:
    schema = model.model_json_schema()
    assert _bounded(schema, schema.get("$defs", {}), model.__name__, set()) == []
