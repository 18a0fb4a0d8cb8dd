"""The server's side of sending again after a restore (docs/sync-protocol.md "Sending again after a server restore"):
``yimen-server admin resend`` as the operator runs it, the feed that asks a device only when it asks for it, the
request named done once and only by a device it applies to, the feed counter moved past the lost numbers — a real
server on 127.0.0.1 over a real store (PostgreSQL where it runs)."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from typing import Any

import requests

from tests.server import wire
from tests.server.apikit import CENTER, OTHER, enroll, push, transition
from tests.serverkit import count, operator_token, server_admin

BEIJING = dt.timezone(dt.timedelta(hours=8))


def admin(store_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    """``yimen-server admin ARGS`` in the test's own process (the parser and the command as the operator runs them,
    without a Python start-up each): its exit status and what it printed."""
    import contextlib
    import io

    from server.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(["--database-url", store_url, "admin", *args])
        except SystemExit as exc:  # argparse refuses: exit 2 with its message
            code = int(exc.code or 0)
    return subprocess.CompletedProcess(args, code, out.getvalue(), err.getvalue())


def admin_process(store_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    """``yimen-server admin ARGS`` as its own process, as the operator runs it."""
    return server_admin(store_url, *args)


def feed(server: Any, auth: dict[str, str], **params: Any) -> dict[str, Any]:
    answer = requests.get(server.api + "/feed", params=params, headers=auth, timeout=5)
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


def test_the_operator_asks_the_feed_tells_only_who_asks_and_each_device_names_it_done_once(
    central: Any, store_url: str
) -> None:
    ours, neighbour, other = enroll(central), enroll(central, workstation="004"), enroll(central, OTHER)
    since = dt.datetime.now(BEIJING) - dt.timedelta(hours=1)

    # Bad input: one Chinese sentence each, nothing recorded.
    future = admin(store_url, "resend", "--since", (since + dt.timedelta(days=1)).isoformat(), "--reason", "恢复")
    assert future.returncode == 1 and "晚于现在" in future.stderr and "Traceback" not in future.stderr
    garbage = admin(store_url, "resend", "--since", "昨天", "--reason", "恢复")
    assert garbage.returncode == 2 and "不是时刻" in garbage.stderr
    no_reason = admin(store_url, "resend", "--since", since.isoformat())
    assert no_reason.returncode == 2 and "--reason" in no_reason.stderr
    bad_center = admin(store_url, "resend", "--since", since.isoformat(), "--center", "31A", "--reason", "恢复")
    assert bad_center.returncode == 1 and "中心代码" in bad_center.stderr
    assert count(central.engine(), "resend_requests") == 0

    # A Beijing time without a zone, for this center only.
    local = since.replace(tzinfo=None).isoformat(sep=" ", timespec="minutes")
    made = admin_process(store_url, "resend", "--since", local, "--center", CENTER, "--reason", "数据库恢复到 09:40")
    assert made.returncode == 0, made.stderr
    assert "已登记重发请求 1" in made.stdout and f"中心 {CENTER}" in made.stdout

    # A workstation of an earlier version does not ask: its answer has no key it would refuse.
    assert "resend" not in feed(central, ours)
    asked = feed(central, ours, resend="true")
    assert asked["resend"]["id"] == 1
    assert dt.datetime.fromisoformat(asked["resend"]["since"]) == since.replace(second=0, microsecond=0)
    assert feed(central, other, resend="true")["resend"] is None  # another center's request

    # Named done: recorded once, and no longer offered to that device; the neighbour is still asked.
    assert feed(central, ours, resend="true", resend_done=1)["resend"] is None
    assert feed(central, ours, resend="true", resend_done=1)["resend"] is None
    assert count(central.engine(), "resend_done") == 1
    assert feed(central, neighbour, resend="true")["resend"]["id"] == 1
    # A request that does not apply (another center's, unknown) named done changes nothing; a malformed one is a
    # 422 with the reason, never a 500.
    feed(central, other, resend="true", resend_done=1)
    feed(central, other, resend="true", resend_done=999)
    assert count(central.engine(), "resend_done") == 1
    bad = requests.get(central.api + "/feed", params={"resend_done": "x"}, headers=ours, timeout=5)
    assert bad.status_code == 422 and bad.json()["code"] == "invalid_request"

    # The operator's view: one line per request, who has not done it (codes and times only).
    listed = admin_process(store_url, "resend", "--list")
    assert listed.returncode == 0, listed.stderr
    (line,) = [json.loads(row) for row in listed.stdout.splitlines()]
    assert (line["id"], line["center_code"], line["devices"], line["done"]) == (1, CENTER, 2, 1)
    assert [(d["center_code"], d["workstation_code"]) for d in line["not_done"]] == [(CENTER, "004")]

    # A request for every center, newer: the device that did the first is asked again, the other center too.
    admin(store_url, "resend", "--since", since.isoformat(), "--reason", "再次恢复")
    assert feed(central, ours, resend="true")["resend"]["id"] == 2
    assert feed(central, other, resend="true")["resend"]["id"] == 2


def test_a_request_moves_the_feed_past_the_lost_numbers_and_appends_again_what_the_restore_kept(
    central: Any, store_url: str
) -> None:
    """A workstation's cursor may lie beyond the restored feed's numbers: the request moves the counter past any
    number the lost timeline issued and appends again the entries made since its moment, so a device reads them
    and every later one whatever its cursor."""
    auth = enroll(central)
    number = f"{CENTER}-003-20261123-0001"
    push(central, auth, wire.taken(number))
    token = operator_token(central.engine(), "徐汇后台", (CENTER,))
    before = dt.datetime.now(dt.UTC)
    assert transition(central, token, number, "reviewing").status_code == 200
    first = feed(central, auth)
    assert [e["change"]["status"] for e in first["entries"]] == ["reviewing"]
    lost_cursor = first["cursor"] + 5  # the device read five more entries of the timeline the restore lost

    assert admin(store_url, "resend", "--since", before.isoformat(), "--reason", "恢复").returncode == 0
    again = feed(central, auth, cursor=lost_cursor, resend="true")
    assert [e["change"]["status"] for e in again["entries"]] == ["reviewing"]  # made since: appended again
    assert again["entries"][0]["seq"] > lost_cursor + 10**8
    assert transition(central, token, number, "completed").status_code == 200
    later = feed(central, auth, cursor=again["cursor"])
    assert [e["change"]["status"] for e in later["entries"]] == ["completed"]
