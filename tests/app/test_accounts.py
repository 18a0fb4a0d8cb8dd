"""Logging in: one answer for an unknown name, a wrong password and a locked account, so a name cannot be probed;
the lock holds even against the right password; the audit trail tells the cases apart."""

from __future__ import annotations

from typing import Any

import pytest

from app.errors import AuthError
from tests.conftest import ADMIN_PASSWORD, add_user
from tests.storekit import connect_store


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
    with connect_store(services.db.path) as conn:
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


def test_a_supervisor_resets_a_clerks_password_and_the_clerk_must_change_it(
    services: Any, clerk: Any, supervisor: Any
) -> None:
    from app.domain import Decision
    from app.errors import NotAllowedError
    from tests.app.documents.doc_testkit import take

    answers(services, "wangli", services.deployment.max_failed_logins)  # locked out as well
    services.accounts.reset_password("wangli", "temporary-1", by=supervisor, by_password="supervisor-pass-1")
    temporary = services.accounts.login("wangli", "temporary-1")
    assert temporary.must_change_password
    # Nothing can be done on a temporary password, whatever the screens offer.
    with pytest.raises(NotAllowedError, match="临时密码"):
        take(services, temporary, "MZ-SHJZ-002", Decision.ACCEPT)
    own = services.accounts.change_password(temporary, "temporary-1", "my-own-password")
    assert not own.must_change_password
    assert take(services, own, "MZ-SHJZ-002", Decision.ACCEPT).state == "accepted"
    with pytest.raises(AuthError):
        services.accounts.login("wangli", "temporary-1")
    with connect_store(services.db.path) as conn:
        details = [
            row[0] for row in conn.execute("SELECT details FROM audit_events WHERE action = 'user.password_reset'")
        ]
    conn.close()
    assert len(details) == 1 and '"by": "zhangmin"' in details[0] and "temporary-1" not in details[0]


def test_who_may_reset_whose_password(services: Any, clerk: Any, supervisor: Any) -> None:
    from app.errors import NotAllowedError

    other = add_user(services, "lisi", supervisor=True)
    with pytest.raises(NotAllowedError, match="不能重置密码"):
        services.accounts.reset_password("zhangmin", "temporary-1", by=clerk, by_password="counter-pass-1")
    with pytest.raises(NotAllowedError, match="只能重置窗口人员"):
        services.accounts.reset_password("lisi", "temporary-1", by=supervisor, by_password="supervisor-pass-1")
    with pytest.raises(NotAllowedError, match="不能重置自己的密码"):
        services.accounts.reset_password("zhangmin", "temporary-1", by=supervisor, by_password="supervisor-pass-1")
    # IT on the command line may reset any account.
    services.accounts.reset_password("lisi", "temporary-1", by=None)
    assert services.accounts.login("lisi", "temporary-1").must_change_password
    assert other.username == "lisi"


def test_a_reset_at_the_counter_needs_the_actors_own_password(services: Any, clerk: Any, supervisor: Any) -> None:
    from app.errors import NotAllowedError, ValidationError

    with pytest.raises(NotAllowedError, match="本人输入自己的密码确认"):
        services.accounts.reset_password("wangli", "temporary-1", by=supervisor)
    with pytest.raises(AuthError, match="用户名或密码不正确"):
        services.accounts.reset_password("wangli", "temporary-1", by=supervisor, by_password="not-mine-at-all")
    with pytest.raises(ValidationError, match="至少需要 8 个字符") as weak:
        services.accounts.reset_password("wangli", "short", by=supervisor, by_password="supervisor-pass-1")
    assert weak.value.field == "password"
    # Nothing changed; the wrong own password counted against the supervisor, like a login.
    assert not services.accounts.login("wangli", "counter-pass-1").must_change_password
    with connect_store(services.db.path) as conn:
        rows = conn.execute(
            "SELECT action, details FROM audit_events WHERE action IN ('user.password_reset', 'login.failed')"
        )
        actions = [(action, details) for action, details in rows]
    conn.close()
    assert [a for a, _ in actions] == ["login.failed"] and "wrong_password" in actions[0][1]


def test_the_accounts_an_actor_may_reset_follow_the_cores_rule(services: Any) -> None:
    from app.domain import Role
    from app.errors import NotAllowedError

    admin = add_user(services, "it", admin=True)  # the first account of the store
    other_admin = add_user(services, "it2", admin=True, by=admin)
    clerk = add_user(services, "wangli")
    add_user(services, "lina")
    supervisor = add_user(services, "zhangmin", supervisor=True)
    add_user(services, "lisi", supervisor=True)
    answers(services, "lina", services.deployment.max_failed_logins)  # locked out
    services.accounts.reset_password("wangli", "temporary-1", by=None)  # a temporary password pending

    def listed(by: Any) -> list[tuple[str, Role, bool, bool]]:
        return [(a.username, a.role, a.locked, a.temporary) for a in services.accounts.resettable(by)]

    clerks = [("lina", Role.CLERK, True, False), ("wangli", Role.CLERK, False, True)]
    assert listed(supervisor) == clerks  # clerks only, never the supervisor's own account
    assert listed(admin) == [
        *clerks,
        ("lisi", Role.SUPERVISOR, False, False),
        ("zhangmin", Role.SUPERVISOR, False, False),
        ("it2", Role.ADMIN, False, False),
    ]
    # What the list offers is what the core does.
    for by, password in ((supervisor, "supervisor-pass-1"), (admin, ADMIN_PASSWORD)):
        offered = {username for username, *_ in listed(by)}
        for username in ("it", "it2", "wangli", "lina", "zhangmin", "lisi"):
            if username in offered:
                services.accounts.reset_password(username, "temporary-2", by=by, by_password=password)
            else:
                with pytest.raises(NotAllowedError):
                    services.accounts.reset_password(username, "temporary-2", by=by, by_password=password)
    assert other_admin.username == "it2"
    with pytest.raises(NotAllowedError, match="不能重置密码"):
        services.accounts.resettable(clerk)


def test_a_generated_temporary_password_is_random_and_easy_to_read_out() -> None:
    from app.security.accounts import generate_temporary_password

    password = generate_temporary_password()
    assert len(password) == 10 and password.isalnum() and not set(password) & set("0O1lI")
    assert len({generate_temporary_password() for _ in range(50)}) == 50


def test_only_an_admin_creates_an_admin_once_the_store_has_accounts(services: Any) -> None:
    from app.domain import Role
    from app.errors import NotAllowedError

    first = add_user(services, "it", admin=True)  # the first account of an empty store
    clerk = add_user(services)
    with pytest.raises(NotAllowedError, match="只能由现有系统管理员创建"):
        add_user(services, "it2", admin=True)
    with pytest.raises(NotAllowedError):
        add_user(services, "it2", admin=True, by=clerk)
    assert add_user(services, "it2", admin=True, by=first).role is Role.ADMIN  # type: ignore[attr-defined]
    with connect_store(services.db.path) as conn:
        users = [row[0] for row in conn.execute("SELECT username FROM users ORDER BY username")]
    conn.close()
    assert users == ["it", "it2", "wangli"]


def test_a_supervisor_ends_a_clerks_session_and_it_is_audited(services: Any, clerk: Any, supervisor: Any) -> None:
    from app.errors import NotAllowedError

    other = add_user(services, "lina")
    with pytest.raises(NotAllowedError, match="只有值班长可以结束他人的登录"):
        services.accounts.end_session(clerk, by=other)  # a clerk's credentials end nothing
    with pytest.raises(NotAllowedError):
        services.accounts.end_session(supervisor, by=supervisor)
    services.accounts.end_session(clerk, by=supervisor)
    with connect_store(services.db.path) as conn:
        rows = conn.execute(
            "SELECT entity_id, user_id, details FROM audit_events WHERE action = 'session.ended_by_supervisor'"
        ).fetchall()
    conn.close()
    assert len(rows) == 1
    entity, by, details = rows[0]
    assert entity.replace("-", "") == clerk.id.hex and by == supervisor.id.bytes  # by: the stored 16 bytes
    assert '"wangli"' in details and '"zhangmin"' in details
