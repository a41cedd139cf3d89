from __future__ import annotations

from pathlib import Path

import pytest

from lotse.conf.env import (
    ConfigurationError,
    env_bool,
    env_int,
    env_list,
    env_required,
    env_str,
    parse_database_url,
)


def test_secret_is_read_from_a_file_when_only_the_file_variable_is_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = tmp_path / "key"
    secret.write_text("s3cr3t-from-file\n", encoding="utf-8")
    monkeypatch.delenv("LOTSE_TEST_KEY", raising=False)
    monkeypatch.setenv("LOTSE_TEST_KEY_FILE", str(secret))
    assert env_str("LOTSE_TEST_KEY") == "s3cr3t-from-file"


def test_the_variable_itself_wins_over_its_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "key").write_text("from-file", encoding="utf-8")
    monkeypatch.setenv("LOTSE_TEST_KEY", "direct")
    monkeypatch.setenv("LOTSE_TEST_KEY_FILE", str(tmp_path / "key"))
    assert env_str("LOTSE_TEST_KEY") == "direct"


def test_an_unreadable_secret_file_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LOTSE_TEST_KEY", raising=False)
    monkeypatch.setenv("LOTSE_TEST_KEY_FILE", "/nonexistent/key")
    with pytest.raises(ConfigurationError, match="LOTSE_TEST_KEY_FILE"):
        env_str("LOTSE_TEST_KEY")


def test_a_missing_required_value_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LOTSE_TEST_REQUIRED", raising=False)
    with pytest.raises(ConfigurationError, match="LOTSE_TEST_REQUIRED"):
        env_required("LOTSE_TEST_REQUIRED", why="testing")


@pytest.mark.parametrize(
    ("raw", "expected"), [("1", True), ("yes", True), ("ON", True), ("0", False), ("no", False)]
)
def test_booleans(raw: str, expected: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOTSE_TEST_FLAG", raw)
    assert env_bool("LOTSE_TEST_FLAG") is expected


def test_a_malformed_boolean_or_number_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOTSE_TEST_FLAG", "perhaps")
    monkeypatch.setenv("LOTSE_TEST_NUMBER", "12a")
    with pytest.raises(ConfigurationError, match="LOTSE_TEST_FLAG"):
        env_bool("LOTSE_TEST_FLAG")
    with pytest.raises(ConfigurationError, match="LOTSE_TEST_NUMBER"):
        env_int("LOTSE_TEST_NUMBER", 1)


def test_lists_drop_blanks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOTSE_TEST_HOSTS", "a.example, b.example,,")
    assert env_list("LOTSE_TEST_HOSTS") == ["a.example", "b.example"]


def test_postgresql_url_is_parsed() -> None:
    db = parse_database_url("postgresql://lotse:p%40ss@db.internal:5433/lotse?sslmode=require")
    assert db.as_django() == {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "lotse",
        "USER": "lotse",
        "PASSWORD": "p@ss",
        "HOST": "db.internal",
        "PORT": "5433",
        "OPTIONS": {"sslmode": "require"},
    }


def test_database_url_errors_are_specific() -> None:
    with pytest.raises(ConfigurationError, match="scheme 'mysql'"):
        parse_database_url("mysql://x/y")
    with pytest.raises(ConfigurationError, match="must name the database"):
        parse_database_url("postgresql://host/")
