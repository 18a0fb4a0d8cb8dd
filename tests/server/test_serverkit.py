"""Which store the server tests run on: PostgreSQL where it answers, SQLite files on a developer's machine where it
does not, and under CI a failed run rather than a silent fallback (unless ``YIMEN_TEST_PG=none`` asks for it)."""

from __future__ import annotations

import pytest

from tests.serverkit import DEFAULT_PG, NoPostgresError, admin_url_or_exit, choose_postgres


class Probe:
    """Stands in for connecting: answers as told and remembers what it was asked."""

    def __init__(self, answers: bool) -> None:
        self.answers = answers
        self.asked: list[str] = []

    def __call__(self, url: str) -> bool:
        self.asked.append(url)
        return self.answers


def test_the_local_postgresql_when_it_answers() -> None:
    probe = Probe(True)
    assert choose_postgres({}, probe) == DEFAULT_PG
    assert probe.asked == [DEFAULT_PG]


def test_a_named_postgresql_means_psycopg_3() -> None:
    probe = Probe(True)
    url = choose_postgres({"YIMEN_TEST_PG": "postgres://ci@db:5433/tests", "CI": "true"}, probe)
    assert url == "postgresql+psycopg://ci@db:5433/tests"


@pytest.mark.parametrize("ci", [None, "", "false", "0"])
def test_a_developer_without_postgresql_runs_on_sqlite(ci: str | None) -> None:
    env = {"CI": ci} if ci is not None else {}
    assert choose_postgres(env, Probe(False)) is None


@pytest.mark.parametrize("ci", ["true", "TRUE", "1"])
@pytest.mark.parametrize("named", [None, "", "postgresql://postgres@10.0.0.9/postgres"])
def test_ci_without_postgresql_fails_instead_of_falling_back(ci: str, named: str | None) -> None:
    env = {"CI": ci} | ({"YIMEN_TEST_PG": named} if named is not None else {})
    with pytest.raises(NoPostgresError) as raised:
        choose_postgres(env, Probe(False))
    assert "YIMEN_TEST_PG=none" in str(raised.value)


@pytest.mark.parametrize("choice", ["none", "NONE", "sqlite", "0"])
def test_sqlite_asked_for_explicitly_is_used_even_under_ci_and_nothing_is_probed(choice: str) -> None:
    probe = Probe(False)
    assert choose_postgres({"CI": "true", "YIMEN_TEST_PG": choice}, probe) is None
    assert probe.asked == []


def test_under_ci_a_missing_postgresql_ends_the_pytest_run() -> None:
    with pytest.raises(pytest.exit.Exception) as raised:
        admin_url_or_exit({"CI": "true"}, Probe(False))
    assert raised.value.returncode == pytest.ExitCode.USAGE_ERROR
    assert "no PostgreSQL answers" in str(raised.value.msg)
    assert admin_url_or_exit({"CI": "true"}, Probe(True)) == DEFAULT_PG
