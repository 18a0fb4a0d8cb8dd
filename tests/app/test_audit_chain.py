"""The keyed audit chain (docs/security.md "Keyed audit chain"), with every fault caused for real on the encrypted
store file: an event's details, time or action edited with raw SQL, an edit whose hashes are recomputed without the
key, an event deleted, two swapped, the tail cut off, the record of where the keyed chain begins removed, and a
person's name, phone or a form value changed with no event.  ``verify_chain`` names each finding by its position."""

from __future__ import annotations

import hashlib
import json
import uuid
from typing import Any

import pytest
from sqlalchemy import select

from app.domain import Decision
from app.security import audit, crypto
from app.security.audit import AuditKeyMissingError, FindingKind, HeadSource, KnownHead
from app.store import Store
from db.models import AuditEvent, StoreMeta
from tests.app.documents.doc_testkit import take
from tests.conftest import add_user
from tests.storekit import connect_store, store_key

ITEM = "MZ-SHJZ-002"  # 临时救助: one applicant


def verify(services: Any, *known: KnownHead) -> audit.ChainReport:
    with services.db.read() as session:
        return audit.verify_chain(session, known=known)


def sql(services: Any, *statements: tuple[str, tuple[Any, ...]] | str) -> None:
    conn = connect_store(services.db.path)
    try:
        for statement in statements:
            text, args = (statement, ()) if isinstance(statement, str) else statement
            conn.execute(text, args)
        conn.commit()
    finally:
        conn.close()


def rows(services: Any, text: str, *args: Any) -> list[Any]:
    conn = connect_store(services.db.path)
    try:
        return conn.execute(text, args).fetchall()
    finally:
        conn.close()


def head_seq(services: Any) -> int:
    return int(rows(services, "SELECT max(seq) FROM audit_events")[0][0])


@pytest.fixture
def day(services: Any, clerk: Any, supervisor: Any) -> list[Any]:
    """A small day at the counter: accounts, two applications of the same person, a 更正 and a 作废."""
    first = take(services, clerk, ITEM)
    second = take(services, clerk, ITEM, Decision.SUPPLEMENT)
    values = dict(services.intake.load(first.acceptance_no).values)
    values["situation"] = "家中突发火灾，房屋受损。"
    services.intake.correct(first.acceptance_no, values=values, reason="情况说明补充", approver=supervisor, user=clerk)
    services.intake.void(second.acceptance_no, reason="重复受理，作废", approver=supervisor, user=clerk)
    return [first, second]


# ---------------------------------------------------------------------------------------------------- as written


def test_a_day_at_the_counter_verifies_and_every_change_carries_digests_but_no_values(services: Any, day: Any) -> None:
    report = verify(services)
    assert report.intact, report.findings
    assert report.keyed_from == 1 and report.events == head_seq(services) >= 6
    assert (
        report.head_mac == rows(services, "SELECT lower(hex(hash)) FROM audit_events ORDER BY seq DESC LIMIT 1")[0][0]
    )
    events = rows(services, "SELECT action, details FROM audit_events WHERE entity_type = 'application'")
    assert len(events) >= 4
    people = rows(services, "SELECT name, id_number, phone FROM persons")
    for action, details in events:
        data = json.loads(details)["data"]
        assert set(data) == {"application", "persons"} and len(data["persons"]) == 1, action
        for name, id_number, phone in people:
            assert name not in details and id_number not in details and phone not in details
        assert not audit.holds_id_number(details)


def test_the_links_are_hmacs_not_plain_hashes(services: Any, clerk: Any) -> None:
    with services.db.read() as session:
        first = session.scalars(select(AuditEvent).order_by(AuditEvent.seq)).first()
        assert first is not None
        assert first.hash != _plain(first.prev_hash, _content(first))
        assert first.hash != crypto.mac(b"k" * 32, audit._keyed_input(first.prev_hash, _content(first)))
        border = session.get(StoreMeta, audit.KEYED_FROM)
        assert border is not None and border.value.startswith("1:")


def test_a_session_without_the_audit_key_records_nothing(services: Any, clerk: Any) -> None:
    before = head_seq(services)
    unkeyed = Store(services.db.path, store_key())  # the store's key, but not the audit chain's
    try:
        with pytest.raises(AuditKeyMissingError, match="audit key"), unkeyed.write() as session:
            audit.record(
                session, action="x.y", entity_type="user", entity_id=None, workstation_code="003", user_id=None
            )
        with pytest.raises(AuditKeyMissingError), unkeyed.read() as session:
            audit.verify_chain(session)
    finally:
        unkeyed.dispose()
    assert head_seq(services) == before


# ---------------------------------------------------------------------------------------------------- events


@pytest.mark.parametrize(
    "change",
    [
        "UPDATE audit_events SET details = json_set(details, '$.reason', '改过的理由') WHERE seq = ?",
        "UPDATE audit_events SET at = '2020-01-01 08:00:00.000000' WHERE seq = ?",
        "UPDATE audit_events SET action = 'application.voided' WHERE seq = ?",
        "UPDATE audit_events SET user_id = NULL WHERE seq = ?",
    ],
    ids=["details", "at", "action", "user"],
)
def test_an_edited_event_is_found_at_its_position(services: Any, day: Any, change: str) -> None:
    target = head_seq(services) - 2
    sql(services, (change, (target,)))
    report = verify(services)
    assert report.kinds() == [(FindingKind.EDITED, target)]
    assert report.first == target
    assert f"第 {target} 条审计记录被改动" in report.findings[0].message().render()


def _content(event: AuditEvent) -> dict[str, Any]:
    """What a link covers, as anybody can read it from the table."""
    return {
        "seq": event.seq,
        "at": event.at.isoformat(),
        "user_id": str(event.user_id) if event.user_id else None,
        "workstation": event.workstation_code,
        "action": event.action,
        "entity_type": event.entity_type,
        "entity_id": event.entity_id,
        "details": event.details,
    }


def _plain(prev_hash: str, content: dict[str, Any]) -> str:
    blob = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256((prev_hash + blob).encode("utf-8")).hexdigest()


def _guessed_key(prev_hash: str, content: dict[str, Any]) -> str:
    return crypto.mac(b"an attacker's own key, 32 bytes", audit._keyed_input(prev_hash, content))


# In the stored form: the hashes as their bytes (db.types.HexDigest).
RELINK = "UPDATE audit_events SET prev_hash = unhex(?), hash = unhex(?) WHERE seq = ?"


def _recompute_from(services: Any, start: int, link: Any, until: int | None = None) -> None:
    """What an attacker who can write the file does after an edit: every hash from ``start`` on (to ``until``),
    recomputed."""
    updates = []
    prev = audit.GENESIS
    with services.db.read() as session:
        for event in session.scalars(select(AuditEvent).order_by(AuditEvent.seq)):
            if start <= event.seq <= (until or event.seq):
                new = link(prev, _content(event))
                updates.append((RELINK, (prev, new, event.seq)))
                prev = new
            else:
                prev = event.hash
    sql(services, *updates)


@pytest.mark.parametrize("link", [_plain, _guessed_key], ids=["plain-sha256", "another-key"])
def test_an_edit_with_every_later_hash_recomputed_without_the_key_is_found(services: Any, day: Any, link: Any) -> None:
    """Without the key a recomputed chain never verifies: with plain SHA-256 links (the chain before it was keyed)
    or an HMAC under a key of one's own.  A chain keyed in name only would let this pass."""
    head = head_seq(services)
    target = head - 3
    sql(services, ("UPDATE audit_events SET details = json_set(details, '$.reason', '改过') WHERE seq = ?", (target,)))
    _recompute_from(services, target, link)
    report = verify(services)
    assert report.kinds() == [(FindingKind.EDITED, seq) for seq in range(target, head + 1)]


def test_events_rewritten_by_yimen_itself_under_another_key_are_found(services: Any, day: Any) -> None:
    """An attacker with a Yimen of their own (another machine's audit key) deletes the tail and writes it again
    through ``audit.record``: every rewritten event is found, whatever the link's formula, as long as the key
    counts."""
    head = head_seq(services)
    start = head - 2
    with services.db.read() as session:
        tail = [
            (e.action, e.entity_type, e.entity_id, e.workstation_code, e.user_id, dict(e.details))
            for e in session.scalars(select(AuditEvent).where(AuditEvent.seq >= start).order_by(AuditEvent.seq))
        ]
    sql(services, ("DELETE FROM audit_events WHERE seq >= ?", (start,)))
    forger = Store(services.db.path, store_key(), info={"audit_key": crypto.new_key()})
    try:
        with forger.write() as session:
            for action, entity_type, entity_id, workstation, user_id, details in tail:
                data = details.pop("data", None)
                details["reason"] = "改过的理由"
                audit.record(
                    session,
                    action=action,
                    entity_type=entity_type,
                    entity_id=entity_id,
                    workstation_code=workstation,
                    user_id=user_id,
                    details=details,
                    data=data,
                )
    finally:
        forger.dispose()
    assert head_seq(services) == head
    report = verify(services)
    edited = [(kind, seq) for kind, seq in report.kinds() if kind is FindingKind.EDITED]
    assert edited == [(FindingKind.EDITED, seq) for seq in range(start, head + 1)]
    # The 更正 among them explains nothing now: the application's data is ahead of its last authentic digest.
    assert [f.acceptance_no for f in report.findings if f.kind is FindingKind.UNEXPLAINED] == [day[0].acceptance_no]


def test_moving_the_border_of_the_keyed_chain_is_found(services: Any, day: Any) -> None:
    """The plain links before the first keyed event are accepted as such; moving or removing the record of that
    border, to pass off a chain recomputed in plain SHA-256, is found."""
    head = head_seq(services)
    sql(services, ("UPDATE store_meta SET value = ? WHERE key = ?", (f"{head + 1}:{'0' * 64}", audit.KEYED_FROM)))
    _recompute_from(services, 1, _plain)
    report = verify(services)
    assert (FindingKind.UNKEYED, None) in report.kinds() and not report.intact
    sql(services, ("DELETE FROM store_meta WHERE key = ?", (audit.KEYED_FROM,)))
    report = verify(services)
    assert report.kinds()[0] == (FindingKind.UNKEYED, None) and not report.intact
    assert "没有密钥校验的部分" in report.findings[0].message().render()


def test_a_deleted_event_is_found(services: Any, day: Any) -> None:
    target = head_seq(services) - 2  # the 补正 decision, explained again by the 作废 after it
    sql(services, ("DELETE FROM audit_events WHERE seq = ?", (target,)))
    report = verify(services)
    assert report.kinds() == [(FindingKind.DELETED, target)]
    assert report.findings[0].message().render() == f"第 {target} 条审计记录被删除。"
    sql(services, "DELETE FROM audit_events WHERE seq IN (1, 2)")
    report = verify(services)
    assert report.kinds() == [(FindingKind.DELETED, 1), (FindingKind.DELETED, target)]
    assert report.findings[0].message().render() == "第 1 至 2 条审计记录被删除。"


def test_deleting_the_event_that_explains_a_change_leaves_the_change_unexplained(services: Any, day: Any) -> None:
    void = head_seq(services)
    sql(services, ("DELETE FROM audit_events WHERE seq = ?", (void - 1,)))  # the 更正
    report = verify(services)
    assert report.kinds() == [(FindingKind.UNEXPLAINED, 3), (FindingKind.DELETED, void - 1)]
    assert report.findings[0].acceptance_no == day[0].acceptance_no


def test_two_swapped_events_are_found_as_reordered(services: Any, day: Any) -> None:
    a = head_seq(services) - 3
    sql(
        services,
        ("UPDATE audit_events SET seq = -1 WHERE seq = ?", (a,)),
        ("UPDATE audit_events SET seq = ? WHERE seq = ?", (a, a + 1)),
        ("UPDATE audit_events SET seq = ? WHERE seq = -1", (a + 1,)),
    )
    report = verify(services)
    assert report.kinds() == [(FindingKind.REORDERED, a), (FindingKind.REORDERED, a + 1)]
    assert [f.other_seq for f in report.findings] == [a + 1, a]
    assert report.findings[0].message().render() == f"第 {a} 条审计记录位置被调换（原为第 {a + 1} 条）。"


def test_a_truncated_tail_is_found_against_a_head_known_elsewhere(services: Any, day: Any) -> None:
    add_user(services, "lina")
    add_user(services, "zhouqi")
    head = head_seq(services)
    mac = rows(services, "SELECT lower(hex(hash)) FROM audit_events WHERE seq = ?", head)[0][0]
    sql(services, ("DELETE FROM audit_events WHERE seq > ?", (head - 2,)))
    known = KnownHead(HeadSource.MARKER, head, mac)  # the vault's store marker holds the highest committed position
    assert verify(services).intact  # nothing inside the chain shows a cut tail ...
    report = verify(services, known)  # ... a head known elsewhere does
    assert report.kinds() == [(FindingKind.TRUNCATED, head - 1)]
    assert report.findings[0].other_seq == head and report.compared == (HeadSource.MARKER,)
    assert (
        report.findings[0].message().render()
        == f"审计链被截短：本机只到第 {head - 2} 条，本机密钥文件夹的记录已记录到第 {head} 条。"
    )


def test_a_known_head_that_the_chain_holds_differently_is_found(services: Any, day: Any) -> None:
    head = head_seq(services)
    report = verify(services, KnownHead(HeadSource.SERVER, head - 1, "f" * 64))
    assert report.kinds() == [(FindingKind.EDITED, head - 1)]
    assert report.findings[0].source is HeadSource.SERVER and "中心服务器" in report.findings[0].message().render()
    mac = rows(services, "SELECT lower(hex(hash)) FROM audit_events WHERE seq = ?", head - 1)[0][0]
    assert verify(services, KnownHead(HeadSource.SERVER, head - 1, mac)).intact


# ---------------------------------------------------------------------------------------------------- the data


@pytest.mark.parametrize(
    ("change", "case", "entity"),
    [
        ("UPDATE persons SET name = '李四'", None, "person"),
        ("UPDATE persons SET phone = '13900000000'", None, "person"),
        ("UPDATE persons SET birth_date = '1980-01-01'", None, "person"),
        ("UPDATE application_parties SET name = '李四'", None, "application"),
        ("UPDATE applications SET form_values = json_set(form_values, '$.situation', '改过的情况')", 0, "application"),
        ("UPDATE applications SET state = 'accepted', void_reason = NULL", 1, "application"),
    ],
    ids=["person-name", "person-phone", "person-birth", "party-name", "form-value", "voided-undone"],
)
def test_personal_data_changed_without_an_event_is_found(
    services: Any, day: Any, change: str, case: int | None, entity: str
) -> None:
    assert verify(services).intact
    if case is None:
        sql(services, change)
    else:
        sql(services, (change + " WHERE acceptance_no = ?", (day[case].acceptance_no,)))
    report = verify(services)
    assert report.findings and {f.kind for f in report.findings} == {FindingKind.UNEXPLAINED}
    assert {f.entity for f in report.findings} == {entity}
    if case is not None:
        assert [f.acceptance_no for f in report.findings] == [day[case].acceptance_no]
    latest = dict(
        rows(
            services,
            "SELECT json_extract(details, '$.acceptance_no'), max(seq) FROM audit_events "
            "WHERE entity_type = 'application' GROUP BY 1",
        )
    )
    for finding in report.findings:
        # The position named is the latest event that carried the record's digest: the change came after it.
        assert finding.acceptance_no in latest
        assert finding.seq is not None and finding.seq <= latest[finding.acceptance_no]
        text = finding.message().render()
        assert "李四" not in text and "13900000000" not in text and "改过" not in text
        assert finding.acceptance_no in text and f"第 {finding.seq} 条" in text


def test_an_application_deleted_without_a_purge_event_is_found_and_one_a_purge_names_is_not(
    services: Any, day: Any
) -> None:
    gone = day[0].acceptance_no
    app_id = str(uuid.UUID(bytes=rows(services, "SELECT id FROM applications WHERE acceptance_no = ?", gone)[0][0]))
    children = ("documents", "application_materials", "decisions", "application_parties", "outbox")
    raw = uuid.UUID(app_id).bytes  # as the store keeps it
    sql(
        services,
        *((f"DELETE FROM {table} WHERE application_id = ?", (raw,)) for table in children),
        ("DELETE FROM applications WHERE id = ?", (raw,)),
    )
    report = verify(services)
    assert [(f.kind, f.entity, f.acceptance_no) for f in report.findings] == [
        (FindingKind.UNEXPLAINED, "removed", gone)
    ]
    assert report.findings[0].message().render() == (
        f"申请 {gone} 的记录被删除，但没有审计记录说明（最近一次说明是第 {report.findings[0].seq} 条）。"
    )
    # The retention purge's event (app/retention.py) names what it removed: that is the explanation.
    with services.db.write() as session:
        audit.record(
            session,
            action=audit.PURGED,
            entity_type="workstation",
            entity_id="003",
            workstation_code="003",
            user_id=None,
            details={"count": 1, audit.PURGED_APPLICATIONS: [{"id": app_id, "acceptance_no": gone}]},
        )
    assert verify(services).intact
    # The same event edited without the key explains nothing: it is a finding itself, and the deletion is back.
    sql(services, "UPDATE audit_events SET details = replace(details, '1', '2') WHERE action = 'records.purged'")
    findings = {(f.kind, f.entity) for f in verify(services).findings}
    assert findings == {(FindingKind.EDITED, None), (FindingKind.UNEXPLAINED, "removed")}


def test_the_same_person_in_a_later_application_and_an_approved_correction_are_no_alarm(
    services: Any, clerk: Any, supervisor: Any
) -> None:
    first = take(services, clerk, ITEM)
    assert rows(services, "SELECT count(*) FROM persons")[0][0] == 1
    take(services, clerk, ITEM)  # the same person again: the row is shared, its digest moves with the later event
    values = dict(services.intake.load(first.acceptance_no).values)
    values["situation"] = "家中突发火灾。邻居协助报警。"
    services.intake.correct(first.acceptance_no, values=values, reason="情况说明补充", approver=supervisor, user=clerk)
    assert verify(services).intact


def test_a_chain_written_before_the_key_is_verified_as_plain_links(services: Any) -> None:
    """A store of an earlier version: its events are plain SHA-256 links and stay valid; the first keyed event
    records where the keyed chain begins and pins the plain part before it."""
    with services.db.write() as session:
        prev = audit.GENESIS
        for seq in (1, 2, 3):
            event = AuditEvent(
                seq=seq,
                at=services.intake.clock(),
                user_id=None,
                workstation_code="003",
                action="login.failed",
                entity_type="user",
                entity_id=None,
                details={"username": f"user{seq}"},
                prev_hash=prev,
                hash="",
            )
            event.hash = _plain(prev, _content(event))
            session.add(event)
            prev = event.hash
    report = verify(services)
    assert report.kinds() == [(FindingKind.UNKEYED, None)]  # a chain with no keyed part yet
    add_user(services)  # the first keyed event
    report = verify(services)
    assert report.intact and report.keyed_from == 4
    # A plain event edited and the plain links after it recomputed: the keyed event no longer follows on.
    sql(services, "UPDATE audit_events SET details = json_set(details, '$.username', 'x') WHERE seq = 2")
    _recompute_from(services, 2, _plain, until=3)
    assert verify(services).kinds() == [(FindingKind.EDITED, 3)]
    # ... and recomputing the keyed event too, in plain SHA-256, breaks that one.
    _recompute_from(services, 2, _plain)
    assert verify(services).kinds() == [(FindingKind.EDITED, 4)]


def test_a_hash_is_not_taken_for_an_id_number_but_a_number_in_words_is() -> None:
    # A SHA-256 whose hex holds 18 digits in a row (as about one in twenty hashes hold 15).
    sha = "ab" + "310104198506150023" + "cd" * 22
    assert len(sha) == 64 and not audit.holds_id_number(json.dumps({"sha256": sha}))
    for text in ("身份证310104198506150023已核", "号码 310104198506150023。", "31010419850615002X", "310104850615002"):
        assert audit.holds_id_number(text), text
