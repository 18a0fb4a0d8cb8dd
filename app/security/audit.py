"""The audit trail: who did what, when, as a keyed chain (tamper evidence; docs/security.md "Keyed audit chain").

Every event's ``hash`` is an HMAC-SHA256, under the machine's audit key, of the previous event's ``hash`` and the
event's own content (position, time, who, what, details).  Without the key nobody can write an event that verifies,
so an event edited, inserted, deleted, moved or cut off — even with every later hash recomputed — is found by
:func:`verify_chain`, which names each finding by its position.  The key comes with every session of the store as
``session.info["audit_key"]`` (app/integrity.py); a session without it refuses to record.

Events written before the chain was keyed are plain SHA-256 links and are verified as such; ``store_meta`` keeps
the seq of the first keyed event (``audit_keyed_from``, itself under the key), so an attacker cannot move that
border to pass off recomputed plain hashes.

Every event about an application carries, in ``details["data"]``, keyed digests of the application's stored
personal data and of each of its people as they were after the change (:func:`data_digests`; never the values, never
an ID number).  :func:`verify_chain` recomputes them from the current rows: a change of those rows that no event
explains is a finding too, and so is an application the chain names whose record is gone, unless an authentic
``records.purged`` event (the retention purge, app/retention.py) names it.

Details must never hold ID numbers, disability or income data (PIPL; rules.md §8): callers pass record ids and
codes, and :func:`record` refuses anything that looks like an ID number.
"""

from __future__ import annotations

import base64
import json
import re
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.i18n import Message, msg
from app.security import crypto
from db.models import Application, ApplicationParty, AuditEvent, Person, StoreMeta
from db.types import utcnow

GENESIS = "0" * 64
#: ``session.info`` key under which the store hands every session the chain's key (app/integrity.py).
KEY_INFO = "audit_key"
#: ``store_meta`` key: ``"{seq}:{mac}"`` of the first keyed event (earlier events are plain SHA-256 links).
KEYED_FROM = "audit_keyed_from"
#: ``details`` key of an application event's data digests.
DATA = "data"
#: The action of a purge's event (app/retention.py) and the ``details`` key listing the applications it removed
#: (``[{"id": …, "acceptance_no": …}]``): their rows are gone by design, not unexplained.
PURGED = "records.purged"
PURGED_APPLICATIONS = "applications"
#: The action of a pruning transaction's event (app/pruning.py): an acknowledged payload's or an issued PDF's bytes
#: cleared, the rows kept; counts only.  It concerns the workstation, not an application, and changes no personal
#: data, so verification needs nothing more from it.
PRUNED = "records.pruned"

# Domain separation: the audit key also signs the vault's store marker (app/integrity.py); what one MAC covers can
# never be read as another.
_CHAIN = b"yimen.audit.chain.v1\x00"
_DATA = b"yimen.audit.data.v1\x00"
_BORDER = b"yimen.audit.keyed-from.v1\x00"

# 15 or 18 characters of an ID number standing on their own: not a run of digits inside a longer token of letters and
# digits, such as a SHA-256 in hex (one in twenty of them holds 15 digits in a row: a material's file or a signature
# named by its hash would otherwise be refused at random).  Chinese text around a number still counts as apart.
_ID_LIKE = re.compile(r"(?<![0-9A-Za-z])\d{15}(\d{2}[\dXx])?(?![0-9A-Za-z])")


class AuditKeyMissingError(RuntimeError):
    """The session belongs to a store opened without the audit chain's key: nothing is recorded, since an unkeyed
    event could be forged by anyone who can write the file."""

    def __init__(self) -> None:
        super().__init__(
            "this session has no audit key (session.info['audit_key']): the store must be opened through "
            "app.integrity.open_store, which hands every session the machine's audit key; no audit event written"
        )


def _key(session: Session) -> bytes:
    key = session.info.get(KEY_INFO)
    if not isinstance(key, bytes) or len(key) < crypto.KEY_BYTES:
        raise AuditKeyMissingError()
    return key


def holds_id_number(text: str) -> bool:
    """Whether ``text`` holds what looks like an ID number (15 or 18 characters of one): never in the trail."""
    return bool(_ID_LIKE.search(text))


# ---------------------------------------------------------------------------------------------------- the links


def _canonical(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str).encode("utf-8")


def _content(
    *,
    seq: int,
    at: Any,
    user_id: uuid.UUID | None,
    workstation_code: str,
    action: str,
    entity_type: str,
    entity_id: str | None,
    details: dict[str, Any],
) -> dict[str, Any]:
    return {
        "seq": seq,
        "at": at.isoformat(),
        "user_id": str(user_id) if user_id else None,
        "workstation": workstation_code,
        "action": action,
        "entity_type": entity_type,
        "entity_id": entity_id,
        "details": details,
    }


def _content_of(event: AuditEvent, seq: int | None = None) -> dict[str, Any]:
    return _content(
        seq=event.seq if seq is None else seq,
        at=event.at,
        user_id=event.user_id,
        workstation_code=event.workstation_code,
        action=event.action,
        entity_type=event.entity_type,
        entity_id=event.entity_id,
        details=event.details,
    )


def _plain_link(prev_hash: str, content: dict[str, Any]) -> str:
    """The link of an event written before the chain was keyed: SHA-256, recomputable by anybody."""
    blob = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return crypto.digest((prev_hash + blob).encode("utf-8"))


def _keyed_input(prev_hash: str, content: dict[str, Any]) -> bytes:
    return _CHAIN + prev_hash.encode("ascii", "replace") + b"\x00" + _canonical(content)


def _border_mac(key: bytes, seq: int) -> str:
    return crypto.mac(key, _BORDER + str(seq).encode("ascii"))


# ---------------------------------------------------------------------------------------------------- the data digests


def _short(mac_hex: str) -> str:
    """A MAC as 43 base64url characters: shorter than hex, and never a run of digits that reads as an ID number."""
    return base64.urlsafe_b64encode(bytes.fromhex(mac_hex)).rstrip(b"=").decode("ascii")


def _application_data(application: Application, parties: Iterable[ApplicationParty]) -> dict[str, Any]:
    return {
        "state": application.state,
        "decision": application.decision,
        "refusal_reason": application.refusal_reason,
        "void_reason": application.void_reason,
        "form_values": application.form_values,
        "parties": [
            {
                "id": str(p.id),
                "person_id": str(p.person_id),
                "role": p.role,
                "position": p.position,
                "name": p.name,
                "values": p.values,
            }
            for p in sorted(parties, key=lambda p: (p.position, str(p.id)))
        ],
    }


def _person_data(person: Person) -> dict[str, Any]:
    return {
        "id_number": person.id_number,
        "id_kind": person.id_kind,
        "name": person.name,
        "sex": person.sex,
        "birth_date": person.birth_date.isoformat() if person.birth_date else None,
        "phone": person.phone,
    }


def _digest(key: bytes, kind: str, record_id: Any, data: dict[str, Any]) -> str:
    return _short(crypto.mac(key, _DATA + f"{kind}:{record_id}\x00".encode("ascii") + _canonical(data)))


def data_digests(session: Session, application: Application) -> dict[str, Any]:
    """Keyed digests of an application's stored personal data after a change: the application's own fields and
    parties, and each of its people (``{"application": …, "persons": {person id: …}}``).  Only MACs: no value and
    no ID number can be read back from them.  Goes into the change's audit event (app/changes.py)."""
    key = _key(session)
    session.flush()
    persons: dict[str, str] = {}
    for party in application.parties:
        person = session.get(Person, party.person_id)
        if person is not None:
            persons[str(person.id)] = _digest(key, "person", person.id, _person_data(person))
    return {
        "application": _digest(key, "application", application.id, _application_data(application, application.parties)),
        "persons": persons,
    }


def content_digest(session: Session, application: Application) -> str:
    """A keyed digest of what a citizen signs: the form values and the parties (names, values, their people's
    data), not the case's state.  A signature keeps it from the moment of signing (app/signatures.py), so a later
    更正 shows: the digest differs.  Only a MAC (43 characters), like :func:`data_digests`."""
    key = _key(session)
    session.flush()
    people: dict[str, str] = {}
    for party in application.parties:
        person = session.get(Person, party.person_id)
        if person is not None:
            people[str(person.id)] = _digest(key, "person", person.id, _person_data(person))
    data = _application_data(application, application.parties)
    content = {"form_values": data["form_values"], "parties": data["parties"], "persons": people}
    return _digest(key, "signed-content", application.id, content)


# ---------------------------------------------------------------------------------------------------- writing


def record(
    session: Session,
    *,
    action: str,
    entity_type: str,
    entity_id: str | uuid.UUID | None,
    workstation_code: str,
    user_id: uuid.UUID | None,
    details: dict[str, Any] | None = None,
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one keyed audit event inside the caller's transaction.  ``data`` is :func:`data_digests` of the
    record the event changed (application events carry it: app/changes.py).

    Raises:
        AuditKeyMissingError: the session has no audit key; nothing was written.
        ValueError: the details hold what looks like an ID number.
    """
    key = _key(session)
    details = dict(details or {})
    blob = json.dumps(details, ensure_ascii=False, default=str)
    if holds_id_number(blob):
        raise ValueError("audit details must not contain ID numbers")
    if data is not None:
        details[DATA] = data
    last = session.execute(select(AuditEvent.seq, AuditEvent.hash).order_by(AuditEvent.seq.desc()).limit(1)).first()
    seq = (last[0] + 1) if last else 1
    prev_hash = last[1] if last else GENESIS
    if session.get(StoreMeta, KEYED_FROM) is None:
        # The first keyed event: the events before it stay plain SHA-256 links, verified as such.
        session.add(StoreMeta(key=KEYED_FROM, value=f"{seq}:{_border_mac(key, seq)}"))
    at = utcnow()
    entity = str(entity_id) if entity_id else None
    content = _content(
        seq=seq,
        at=at,
        user_id=user_id,
        workstation_code=workstation_code,
        action=action,
        entity_type=entity_type,
        entity_id=entity,
        details=details,
    )
    event = AuditEvent(
        seq=seq,
        at=at,
        user_id=user_id,
        workstation_code=workstation_code,
        action=action,
        entity_type=entity_type,
        entity_id=entity,
        details=details,
        prev_hash=prev_hash,
        hash=crypto.mac(key, _keyed_input(prev_hash, content)),
    )
    session.add(event)
    session.flush()
    session.info["yimen_audit_seq"] = seq  # app/store.py: the vault's marker follows the committed chain
    return event


def head(session: Session) -> tuple[int, str] | None:
    """The chain's latest position and its hash (an HMAC once keyed), or None for an empty chain."""
    row = session.execute(select(AuditEvent.seq, AuditEvent.hash).order_by(AuditEvent.seq.desc()).limit(1)).first()
    return (int(row[0]), str(row[1])) if row else None


def count(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(AuditEvent)) or 0)


# ---------------------------------------------------------------------------------------------------- verifying


class FindingKind(StrEnum):
    EDITED = "edited"  # the event at this position is not the one written there (content, time, action, hash)
    DELETED = "deleted"  # positions missing from the chain
    REORDERED = "reordered"  # an authentic event moved to another position
    TRUNCATED = "truncated"  # the chain ends before a head known elsewhere (the server, the vault's marker)
    UNEXPLAINED = "unexplained"  # stored personal data that no audit event explains
    UNKEYED = "unkeyed"  # the keyed part of the chain, or the record of where it begins, is missing or altered


class HeadSource(StrEnum):
    SERVER = "server"  # the head the central server holds for this workstation
    MARKER = "marker"  # the machine vault's store marker (app/integrity.py)
    ACKNOWLEDGED = "acknowledged"  # the last head the server accepted, as this store recorded it


@dataclass(frozen=True)
class KnownHead:
    """A chain position known outside the chain: the local chain must reach it, and hold ``mac`` there."""

    source: HeadSource
    seq: int
    mac: str | None = None


@dataclass(frozen=True)
class Finding:
    kind: FindingKind
    #: The position concerned (for DELETED the first missing one; None where no position applies).
    seq: int | None
    #: DELETED: the last missing position of the run.  REORDERED: where the event belongs.  TRUNCATED: the known
    #: head's position.
    other_seq: int | None = None
    source: HeadSource | None = None
    #: UNEXPLAINED: "application", "person", or "removed" (an application's record deleted without a purge event),
    #: and the case number of the application concerned (never a name).
    entity: str | None = None
    acceptance_no: str | None = None

    def message(self) -> Message:
        """One Chinese sentence naming the position; never personal data."""
        where = _SOURCE_NAMES[self.source] if self.source else None
        if self.kind is FindingKind.EDITED and where is not None:
            return msg("audit", "第 {seq} 条审计记录与{where}所存的不一致（本机记录被改动或被替换）。").bind(
                seq=self.seq, where=where
            )
        if self.kind is FindingKind.EDITED:
            return msg("audit", "第 {seq} 条审计记录被改动（与其密钥校验值不符）。").bind(seq=self.seq)
        if self.kind is FindingKind.DELETED and self.other_seq not in (None, self.seq):
            return msg("audit", "第 {seq} 至 {last} 条审计记录被删除。").bind(seq=self.seq, last=self.other_seq)
        if self.kind is FindingKind.DELETED:
            return msg("audit", "第 {seq} 条审计记录被删除。").bind(seq=self.seq)
        if self.kind is FindingKind.REORDERED:
            return msg("audit", "第 {seq} 条审计记录位置被调换（原为第 {other} 条）。").bind(
                seq=self.seq, other=self.other_seq
            )
        if self.kind is FindingKind.TRUNCATED:
            return msg("audit", "审计链被截短：本机只到第 {have} 条，{where}已记录到第 {want} 条。").bind(
                have=(self.seq or 1) - 1, want=self.other_seq, where=where or ""
            )
        if self.kind is FindingKind.UNEXPLAINED and self.seq is None:
            return msg("audit", "申请 {no} 没有任何审计记录（记录被直接写入数据库）。").bind(no=self.acceptance_no)
        if self.kind is FindingKind.UNEXPLAINED and self.entity == "removed":
            return msg("audit", "申请 {no} 的记录被删除，但没有审计记录说明（最近一次说明是第 {seq} 条）。").bind(
                no=self.acceptance_no, seq=self.seq
            )
        if self.kind is FindingKind.UNEXPLAINED:
            what = (
                msg("audit", "申请 {no} 当事人的个人信息")
                if self.entity == "person"
                else msg("audit", "申请 {no} 的记录内容")
            ).bind(no=self.acceptance_no)
            return msg("audit", "{what}被改动，但没有审计记录说明（最近一次说明是第 {seq} 条）。").bind(
                what=what, seq=self.seq
            )
        return msg("audit", "审计链没有密钥校验的部分，或其起点记录被删除、改动。")


_SOURCE_NAMES = {
    HeadSource.SERVER: "中心服务器",
    HeadSource.MARKER: "本机密钥文件夹的记录",
    HeadSource.ACKNOWLEDGED: "本机上次同步时中心服务器确认的位置",
}


@dataclass(frozen=True)
class ChainReport:
    """What :func:`verify_chain` found, position by position."""

    events: int
    head_seq: int
    head_mac: str | None
    keyed_from: int | None
    findings: list[Finding] = field(default_factory=list)
    #: The known heads the chain was compared with.
    compared: tuple[HeadSource, ...] = ()

    @property
    def intact(self) -> bool:
        return not self.findings

    @property
    def first(self) -> int | None:
        """The lowest position with a finding (None: intact, or only findings without a position)."""
        seqs = [f.seq for f in self.findings if f.seq is not None]
        return min(seqs) if seqs else None

    def kinds(self) -> list[tuple[FindingKind, int | None]]:
        return [(f.kind, f.seq) for f in self.findings]


def _keyed_from(session: Session, key: bytes) -> tuple[int | None, bool]:
    """(the first keyed seq, whether its record verifies); (None, True) when there is none."""
    row = session.get(StoreMeta, KEYED_FROM)
    if row is None:
        return None, True
    seq_text, _, mac = row.value.partition(":")
    if not seq_text.isdigit() or not crypto.mac_matches(key, _BORDER + seq_text.encode("ascii"), mac):
        return None, False
    return int(seq_text), True


def verify_chain(session: Session, *, known: Iterable[KnownHead] = ()) -> ChainReport:
    """Check the whole chain and the stored personal data against it; compare with heads ``known`` elsewhere.

    Findings, by position: an edited event (its content or hash no longer matches the key), deleted events (a gap),
    a reordered event (authentic, at another position), a truncated chain (it ends below a known head), data that no
    event explains (the current rows differ from the latest event's digest), and an unkeyed chain (the keyed part
    or the record of where it begins is gone).
    """
    key = _key(session)
    events = list(session.scalars(select(AuditEvent).order_by(AuditEvent.seq)))
    findings: list[Finding] = []
    flagged: set[int] = set()

    def flag(finding: Finding) -> None:
        findings.append(finding)
        if finding.seq is not None:
            last = finding.other_seq if finding.kind is FindingKind.DELETED and finding.other_seq else finding.seq
            flagged.update(range(finding.seq, last + 1))

    border, border_ok = _keyed_from(session, key)

    def authentic(event: AuditEvent, seq: int, keyed_from: int | None) -> bool:
        content = _content_of(event, seq)
        if keyed_from is not None and seq >= keyed_from:
            return crypto.mac_matches(key, _keyed_input(event.prev_hash, content), event.hash)
        return _plain_link(event.prev_hash, content) == event.hash

    if not border_ok or (border is None and events):
        # No valid record of the border: one finding, and the border as the chain itself shows it (its first event
        # that verifies under the key).  A chain with no keyed event at all — written before the key, or rewritten
        # in plain SHA-256 — is then checked as plain links, so its positions are still named.
        flag(Finding(FindingKind.UNKEYED, None))
        border = next((e.seq for e in events if authentic(e, e.seq, 1)), None)

    by_hash: dict[str, AuditEvent] = {}
    for event in events:
        by_hash.setdefault(event.hash, event)
    depths: dict[str, int | None] = {GENESIS: 0}

    def depth(event: AuditEvent) -> int | None:
        """Where an event belongs: one after the event its ``prev_hash`` names, back to the genesis."""
        trail: list[str] = []
        current: str | None = event.hash
        while current is not None and current not in depths and len(trail) <= len(events):
            trail.append(current)
            found = by_hash.get(current)
            current = found.prev_hash if found is not None else None
        base = depths.get(current) if current is not None else None
        for h in reversed(trail):
            base = base + 1 if base is not None else None
            depths[h] = base
        return depths.get(event.hash)

    position = {event.seq: event for event in events}
    previous = 0
    authentic_seqs: set[int] = set()
    for event in events:
        if event.seq > previous + 1:
            flag(Finding(FindingKind.DELETED, previous + 1, event.seq - 1))
        previous = event.seq
        if authentic(event, event.seq, border):
            authentic_seqs.add(event.seq)
            continue
        belongs = depth(event)
        if belongs is not None and belongs != event.seq and authentic(event, belongs, border):
            flag(Finding(FindingKind.REORDERED, event.seq, belongs))
        else:
            flag(Finding(FindingKind.EDITED, event.seq))
    # The links: an authentic event names its predecessor's hash.  A predecessor that is self-consistent but not
    # the one named was rewritten where no key protects it (a plain event recomputed) or moved.
    for seq in sorted(authentic_seqs):
        event = position[seq]
        if seq == 1:
            if event.prev_hash != GENESIS:
                flag(Finding(FindingKind.EDITED, seq))
            continue
        before = position.get(seq - 1)
        if (seq - 1) not in flagged and before is not None and before.hash != event.prev_hash:
            flag(Finding(FindingKind.EDITED, seq - 1))

    untrusted = set(flagged)  # what the chain itself shows: such an event explains no data
    head_seq = events[-1].seq if events else 0
    head_mac = events[-1].hash if events else None
    compared: list[HeadSource] = []
    for known_head in known:
        compared.append(known_head.source)
        if known_head.seq > head_seq:
            flag(Finding(FindingKind.TRUNCATED, head_seq + 1, known_head.seq, known_head.source))
        elif known_head.mac is not None and known_head.seq > 0 and known_head.seq not in flagged:
            there = position.get(known_head.seq)
            if there is not None and there.hash != known_head.mac:
                flag(Finding(FindingKind.EDITED, known_head.seq, source=known_head.source))

    findings.extend(_unexplained(session, key, events, untrusted))
    return ChainReport(
        events=len(events),
        head_seq=head_seq,
        head_mac=head_mac,
        keyed_from=border,
        findings=sorted(findings, key=_order),
        compared=tuple(dict.fromkeys(compared)),
    )


def _order(finding: Finding) -> tuple[int, int, str]:
    return (finding.seq if finding.seq is not None else 0, list(FindingKind).index(finding.kind), finding.entity or "")


def _unexplained(session: Session, key: bytes, events: list[AuditEvent], untrusted: set[int]) -> list[Finding]:
    """Applications no event names, applications the chain names whose record is gone without an authentic purge
    event naming them, and records whose stored personal data differs from the digest of their latest authentic
    event (an event with a finding of its own is no explanation)."""
    latest_app: dict[str, tuple[int, str, str | None]] = {}
    latest_person: dict[str, tuple[int, str, str | None]] = {}
    mentioned: dict[str, tuple[int, str | None]] = {}  # application id → its latest event's seq and case number
    purged: set[str] = set()
    for event in events:
        if event.action == PURGED and event.seq not in untrusted:
            listed = event.details.get(PURGED_APPLICATIONS)
            if isinstance(listed, list):
                purged.update(str(entry.get("id")) for entry in listed if isinstance(entry, Mapping))
            continue
        if event.entity_type != "application" or not event.entity_id:
            continue
        said = event.details.get("acceptance_no")
        mentioned[event.entity_id] = (event.seq, said if isinstance(said, str) else None)
        if event.seq in untrusted:
            continue
        data = event.details.get(DATA)
        if not isinstance(data, Mapping):
            continue
        number = event.details.get("acceptance_no")
        number = number if isinstance(number, str) else None
        if isinstance(data.get("application"), str):
            latest_app[event.entity_id] = (event.seq, data["application"], number)
        persons = data.get("persons")
        if isinstance(persons, Mapping):
            for person_id, digest in persons.items():
                if isinstance(digest, str):
                    latest_person[str(person_id)] = (event.seq, digest, number)

    findings: list[Finding] = []
    parties: dict[uuid.UUID, list[ApplicationParty]] = {}
    for party in session.scalars(select(ApplicationParty)):
        parties.setdefault(party.application_id, []).append(party)
    present: set[str] = set()
    for application in session.scalars(select(Application)):
        app_id = str(application.id)
        present.add(app_id)
        if app_id not in mentioned:
            findings.append(
                Finding(FindingKind.UNEXPLAINED, None, entity="application", acceptance_no=application.acceptance_no)
            )
            continue
        known = latest_app.get(app_id)
        if known is None:
            continue  # recorded before the chain was keyed: no digest to compare with
        now = _digest(
            key, "application", application.id, _application_data(application, parties.get(application.id, []))
        )
        if now != known[1]:
            findings.append(
                Finding(
                    FindingKind.UNEXPLAINED, known[0], entity="application", acceptance_no=application.acceptance_no
                )
            )
    for app_id, (seq, number) in mentioned.items():
        if app_id not in present and app_id not in purged:
            findings.append(Finding(FindingKind.UNEXPLAINED, seq, entity="removed", acceptance_no=number))
    if latest_person:
        for person in session.scalars(select(Person)):
            known = latest_person.get(str(person.id))
            if known is not None and _digest(key, "person", person.id, _person_data(person)) != known[1]:
                findings.append(Finding(FindingKind.UNEXPLAINED, known[0], entity="person", acceptance_no=known[2]))
    return findings
