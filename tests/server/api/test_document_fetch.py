"""``GET /documents/{sha256}``: a workstation of the center whose document it is gets the very bytes back (a 补打
after its own retention); anyone else, an unknown hash and a malformed one get the same 404."""

from __future__ import annotations

import hashlib
import uuid
from typing import Any

import requests

from tests.server import wire
from tests.server.apikit import CENTER, OTHER, enroll, outcomes, push


def issued(central: Any, auth: dict[str, str], pdf: bytes, *, center: str = CENTER, workstation: str = "003") -> Any:
    """An application with one issued document (its PDF uploaded first, as the workstation does): the event."""
    event = wire.taken(f"{center}-{workstation}-20261123-0001", center=center, workstation=workstation)
    doc = wire.document(event, pdf)
    stored = requests.put(central.api + f"/documents/{doc.body.sha256}", data=pdf, headers=auth, timeout=5)
    assert stored.status_code == 200, stored.text
    assert outcomes(push(central, auth, event, doc)) == ["stored", "stored"]
    return doc


def fetch(central: Any, auth: dict[str, str], sha256: str, application: object) -> requests.Response:
    return requests.get(
        central.api + f"/documents/{sha256}", params={"application": str(application)}, headers=auth, timeout=5
    )


def test_a_workstation_of_the_center_gets_the_bytes_and_everything_else_the_same_404(central: Any) -> None:
    mine = enroll(central)
    neighbour = enroll(central, workstation="004")  # the same center: a citizen may ask at another window
    elsewhere = enroll(central, center=OTHER)
    pdf = b"%PDF-1.4 receipt of \xf0\xa0\xae\xb7 at 003"
    doc = issued(central, mine, pdf)
    sha = doc.body.sha256

    for auth in (mine, neighbour):
        got = fetch(central, auth, sha, doc.application_id)
        assert got.status_code == 200
        assert got.headers["content-type"] == "application/pdf"
        assert got.content == pdf and hashlib.sha256(got.content).hexdigest() == sha
        assert got.headers["etag"] == f'"{sha}"'
        assert "no-store" in got.headers["cache-control"] and "private" in got.headers["cache-control"]

    unknown = fetch(central, mine, hashlib.sha256(b"never issued").hexdigest(), doc.application_id)
    assert unknown.status_code == 404
    assert unknown.json()["code"] == "not_found" and "没有本中心的该文书" in unknown.json()["message"]
    answers = {
        "another center's device": fetch(central, elsewhere, sha, doc.application_id),
        "another application": fetch(central, mine, sha, uuid.uuid4()),
        "no application": requests.get(central.api + f"/documents/{sha}", headers=mine, timeout=5),
        "malformed application": fetch(central, mine, sha, "not-an-id"),
        "malformed hash": fetch(central, mine, "xyz", doc.application_id),
        "upper-case hash": fetch(central, mine, sha.upper(), doc.application_id),
    }
    for what, answer in answers.items():
        assert (answer.status_code, answer.json()) == (unknown.status_code, unknown.json()), what


def test_the_same_bytes_uploaded_first_by_another_center_are_its_own_only_by_its_own_record(central: Any) -> None:
    """Blobs are content-addressed: who uploaded first decides nothing, the center's own document event does."""
    mine = enroll(central)
    elsewhere = enroll(central, center=OTHER)
    pdf = b"%PDF-1.4 the same bytes at two centers"
    theirs = issued(central, elsewhere, pdf, center=OTHER)  # uploaded first by the other center
    own = issued(central, mine, pdf)  # the PUT stores nothing new; the event names it all the same
    assert fetch(central, mine, own.body.sha256, own.application_id).content == pdf
    assert fetch(central, elsewhere, theirs.body.sha256, theirs.application_id).content == pdf
    # Each center only through its own application's record.
    assert fetch(central, mine, own.body.sha256, theirs.application_id).status_code == 404
    assert fetch(central, elsewhere, own.body.sha256, own.application_id).status_code == 404


def test_a_revoked_credential_and_none_at_all_are_refused(central: Any) -> None:
    old = enroll(central)
    doc = issued(central, old, b"%PDF-1.4 receipt")
    new = enroll(central)  # enrolled again: the old credential is revoked
    assert fetch(central, new, doc.body.sha256, doc.application_id).status_code == 200
    revoked = fetch(central, old, doc.body.sha256, doc.application_id)
    assert revoked.status_code == 403 and revoked.json()["code"] == "device_revoked"
    nobody = fetch(central, {}, doc.body.sha256, doc.application_id)
    assert nobody.status_code == 401 and nobody.json()["message"]
