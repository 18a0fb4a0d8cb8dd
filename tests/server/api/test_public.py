"""The citizen's progress page: item, status and date, nothing personal, the same 404 for every miss, whatever the
path or query; no 500 ever; stored text shown with its bidi controls neutralised."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests
from sqlalchemy import update

from server.store.models import ServerApplication
from tests.server import wire
from tests.server.apikit import CENTER, enroll, push, transition
from tests.server.httpkit import call, raw
from tests.serverkit import ServerThread, operator_token


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


# ------------------------------------------------------------------------------------------------ hostile input

NUMBER = f"{CENTER}-003-20261123-0001"

#: Path segments after /q/, as sent (percent-escapes are not re-encoded): NUL, invalid and overlong UTF-8, lone
#: surrogates, code points beyond Unicode, bidi controls, markup, traversal, encoded slashes and spaces, header
#: injection, sizes around and far beyond the store's column.
# fmt: off
SEGMENTS = [
    "%00", f"{NUMBER}%00", "a%00b", "%ff", "%c3%28", "%c0%af", "%ed%a0%80", "%f4%90%80%80", "%F0%A0%AE%B7",
    "%e2%80%ae", f"%e2%81%a6{NUMBER}", "%", "%zz", "%%", "%2e%2e", "..", "a%2fb", "%2f", "%5c", "%20", "+", "-",
    "%27%22%3Cscript%3Ealert(1)%3C%2Fscript%3E", "%0d%0aSet-Cookie:%20x=1", "%ef%bb%bf" + NUMBER, "9" * 40,
    "9" * 41, "9" * 5000, NUMBER.replace("-", "%EF%BC%8D"), NUMBER + "%20", "%EF%BC%93" + NUMBER[1:], NUMBER,
]
#: Query strings: no code, empty, NUL, invalid UTF-8, huge, repeated, array-like, bidi, broken escapes, the right
#: code (123456) plain and spoilt.
QUERIES = [
    "", "c=", "c=%00", "c=%ff", "c=" + "A" * 5000, "c=123456", "c=123456%00", "c=1&c=123456", "c=123456&c=1",
    "c[]=123456", "c=%e2%80%ae123456", "c", "=", "&&&", "c=%", "%zz=1", "c=%ed%a0%80",
]
# fmt: on
#: Paths under /q that no route matches.
ODD_PATHS = ["/q", "/q/", "/q//", "/q/a/b", "/q/%2e%2e/api/v1/health", "/q/" + NUMBER + "/", "/q/./" + NUMBER]


@pytest.fixture(scope="module")
def hostile_target(store_factory: Any) -> Iterator[ServerThread]:
    """One server with one known application (number NUMBER, code 123456) and a budget no test here reaches."""
    server = ServerThread(store_factory.fresh(), settings_overrides={"progress_rate_per_minute": 1_000_000})
    push(server, enroll(server), wire.taken(NUMBER))
    yield server
    server.stop()


def test_no_path_or_query_under_q_gets_anything_but_the_page_or_the_one_404(hostile_target: ServerThread) -> None:
    not_found = requests.get(hostile_target.url + "/q/310104003-003-20261123-9999", timeout=5).text
    assert "未找到该申请" in not_found
    targets = [f"/q/{s}" + (f"?{q}" if q else "") for s in SEGMENTS for q in QUERIES]
    targets += ODD_PATHS + [p + "?c=123456" for p in ODD_PATHS]
    found = []
    for target in targets:
        answer = call(hostile_target.port, "GET", target)
        if answer.status == 307:  # a trailing slash: the page's own address, on this server
            assert target.partition("?")[0].endswith("/") and not target.startswith("/q//"), target
            assert answer.headers["location"].startswith(hostile_target.url + "/q/"), answer.headers
            continue
        assert answer.status in (200, 404), (target, answer.status, answer.text[:300])
        assert answer.content_type.startswith("text/html"), (target, answer.content_type, answer.text[:300])
        if answer.status == 404:
            assert answer.text == not_found, target  # the very same page: no path tells anything apart
        else:
            found.append(target)
    assert found == [f"/q/{NUMBER}?c=123456", f"/q/{NUMBER}?c=1&c=123456"], found


def test_malformed_requests_and_other_methods_never_get_a_500(hostile_target: ServerThread) -> None:
    port = hostile_target.port
    for target in (b"/q/\xff\xfe", b"/q/\x00", b"/q/a b", b"/q/x?c=\xff", b"/q/" + b"9" * 70_000, b"q/x"):
        answer = raw(port, b"GET " + target + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        assert 400 <= answer.status < 500, (target[:40], answer.status)
    for method in ("POST", "PUT", "DELETE", "PATCH", "OPTIONS"):
        answer = call(port, method, f"/q/{NUMBER}?c=123456")
        assert answer.status == 405 and answer.content_type.startswith("text/html"), (method, answer.status)
        assert "Traceback" not in answer.text and "detail" not in answer.text


def test_bidi_controls_in_stored_data_are_shown_neutralised(hostile_target: ServerThread) -> None:
    # An item name as a device may have sent it: every kind of bidi control, and markup.
    hostile = "临时\u202e救助\u202a\u202b\u202c\u202d\u2066\u2067\u2068\u2069申请\u200e\u200f\u061c<b>x</b>"
    with hostile_target.session() as session, session.begin():
        session.execute(
            update(ServerApplication).where(ServerApplication.acceptance_no == NUMBER).values(item_name=hostile)
        )
    try:
        page = call(hostile_target.port, "GET", f"/q/{NUMBER}?c=123456")
    finally:
        with hostile_target.session() as session, session.begin():
            session.execute(
                update(ServerApplication)
                .where(ServerApplication.acceptance_no == NUMBER)
                .values(item_name="临时救助申请")
            )
    assert page.status == 200
    assert not BIDI_CONTROLS & set(page.text), sorted(f"U+{ord(c):04X}" for c in BIDI_CONTROLS & set(page.text))
    assert "临时\ufffd救助" + "\ufffd" * 8 + "申请" + "\ufffd" * 3 + "&lt;b&gt;x&lt;/b&gt;" in page.text
    assert "<b>" not in page.text


BIDI_CONTROLS = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C)}
