"""Issued documents: uploaded by their SHA-256 before the events that name them."""

from __future__ import annotations

from typing import Any

import requests
from sqlalchemy import text

from tests.server import wire
from tests.server.apikit import CENTER, enroll, outcomes, push


def test_a_document_event_needs_its_pdf_and_the_pdf_its_hash(central: Any) -> None:
    auth = enroll(central)
    event = wire.taken(f"{CENTER}-003-20261123-0001")
    pdf = b"%PDF-1.4 receipt of \xf0\xa0\xae\xb7"
    doc = wire.document(event, pdf)
    assert outcomes(push(central, auth, event, doc)) == ["stored", "rejected"]
    sha = doc.body.sha256
    wrong = requests.put(central.api + f"/documents/{sha}", data=b"other bytes", headers=auth, timeout=5)
    assert wrong.status_code == 422
    ok = requests.put(central.api + f"/documents/{sha}", data=pdf, headers=auth, timeout=5)
    assert ok.status_code == 200 and ok.json() == {"stored": True}
    again = requests.put(central.api + f"/documents/{sha}", data=pdf, headers=auth, timeout=5)
    assert again.json() == {"stored": False}
    assert outcomes(push(central, auth, doc)) == ["stored"]
    with central.engine().connect() as conn:
        assert bytes(conn.execute(text("SELECT data FROM blobs")).scalar_one()) == pdf
