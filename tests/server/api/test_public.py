"""The citizen's progress page: item, status and date, nothing personal, the same 404 for every miss."""

from __future__ import annotations

from typing import Any

import requests

from tests.server import wire
from tests.server.apikit import CENTER, enroll, push, transition
from tests.serverkit import operator_token


def test_progress_page_shows_item_status_and_date_and_nothing_personal(central: Any) -> None:
    auth = enroll(central)
    event = wire.taken(f"{CENTER}-003-20261123-0001", name="𠮷乃·阿依古丽", id_number="11010519491231002X")
    push(central, auth, event)
    number = event.body.acceptance_no
    page = requests.get(central.url + f"/q/{number}", params={"c": "123456"}, timeout=5)
    assert page.status_code == 200
    assert "text/html" in page.headers["Content-Type"]
    assert "临时救助申请" in page.text and "已受理，待审核" in page.text and "2026年11月23日" in page.text
    for secret in ("𠮷乃", "阿依古丽", "11010519491231002X", "1949", "13800000000", "123456"):
        assert secret not in page.text
    wrong = requests.get(central.url + f"/q/{number}", params={"c": "654321"}, timeout=5)
    unknown = requests.get(central.url + "/q/310104003-003-20261123-9999", params={"c": "123456"}, timeout=5)
    missing = requests.get(central.url + f"/q/{number}", timeout=5)
    assert wrong.status_code == unknown.status_code == missing.status_code == 404
    assert wrong.text == unknown.text == missing.text
    assert "未找到" in wrong.text


def test_progress_page_follows_the_back_office(central: Any) -> None:
    auth = enroll(central)
    event = wire.taken(f"{CENTER}-003-20261123-0001")
    push(central, auth, event)
    token = operator_token(central.engine())
    transition(central, token, event.body.acceptance_no, "reviewing")
    page = requests.get(central.url + f"/q/{event.body.acceptance_no}", params={"c": "123456"}, timeout=5)
    assert "审核中" in page.text
