"""Logging in: one answer for an unknown name, a wrong password and a locked account, so a name cannot be probed;
the lock holds even against the right password; the audit trail tells the cases apart."""

from __future__ import annotations

import sqlite3
from typing import Any

import pytest

from app.errors import AuthError


def answers(services: Any, username: str, attempts: int) -> list[str]:
    out = []
    for attempt in range(attempts):
        with pytest.raises(AuthError) as info:
            services.accounts.login(username, f"wrong-password-{attempt}")
        out.append(info.value.message.render())
    return out


def test_an_unknown_name_and_a_locked_account_answer_alike(services: Any, clerk: Any) -> None:
    limit = services.deployment.max_failed_logins
    known = answers(services, "wangli", limit + 2)
    unknown = answers(services, "nobody-here", limit + 2)
    assert known == unknown
    assert len(set(known)) == 1 and "用户名或密码不正确" in known[0]
    # Locked: the right password is refused with the same sentence.
    with pytest.raises(AuthError) as info:
        services.accounts.login("wangli", "counter-pass-1")
    assert info.value.message.render() == known[0]
    with sqlite3.connect(services.db.path) as conn:
        actions = [row[0] for row in conn.execute("SELECT action FROM audit_events WHERE action LIKE 'login.%'")]
    conn.close()
    assert actions.count("login.locked") == 1
    assert "login.refused_locked" in actions
    assert actions.count("login.failed") >= limit + 2  # the unknown name's attempts, and the known one's first ones


def test_the_lock_ends_after_its_minutes(services: Any, clerk: Any, clock: Any) -> None:
    answers(services, "wangli", services.deployment.max_failed_logins)
    with pytest.raises(AuthError):
        services.accounts.login("wangli", "counter-pass-1")
    clock.advance(minutes=services.deployment.lockout_minutes + 1)
    assert services.accounts.login("wangli", "counter-pass-1").username == "wangli"
