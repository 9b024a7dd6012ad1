"""Named, transactional migrations applied when a bank is opened: from an empty database,
from every older schema, never twice, and never on a bank written by a newer version."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from interview_coach.bank import db as bank_db
from interview_coach.bank.migrations import MIGRATIONS
from interview_coach.bank.store import Store
from interview_coach.errors import StoreError

NAMES = [name for name, _ in MIGRATIONS]


def _applied(path: Path) -> list[tuple[str, str]]:
    conn = sqlite3.connect(str(path))
    try:
        return [tuple(r) for r in conn.execute("SELECT name, applied_at FROM schema_migrations ORDER BY name")]
    finally:
        conn.close()


def _schema(path: Path) -> list[tuple[str, str, str]]:
    """Tables, indexes and triggers with their normalised SQL."""
    conn = sqlite3.connect(str(path))
    try:
        rows = conn.execute(
            "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' "
            "ORDER BY type, name").fetchall()
    finally:
        conn.close()
    return [(t, n, " ".join(s.split())) for t, n, s in rows]


def _apply_first(path: Path, k: int) -> None:
    """An older bank: only the first k migrations, applied by hand as an older version would have."""
    conn = sqlite3.connect(str(path), isolation_level=None)
    try:
        conn.execute("CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
        for name, sql in MIGRATIONS[:k]:
            conn.executescript(f"BEGIN; {sql}; COMMIT;")
            conn.execute("INSERT INTO schema_migrations VALUES (?, '2024-01-01T00:00:00+00:00')", (name,))
    finally:
        conn.close()


def test_migration_names_are_unique_and_ordered() -> None:
    assert NAMES, "no migrations"
    assert len(set(NAMES)) == len(NAMES)
    assert NAMES == sorted(NAMES)  # applied() lists them by name


def test_empty_database_gets_every_migration(db_path: Path) -> None:
    with Store.open(db_path):
        pass
    assert [name for name, _ in _applied(db_path)] == NAMES
    tables = {name for kind, name, _ in _schema(db_path) if kind == "table"}
    assert {"sources", "items", "questions", "question_keys", "schema_migrations"} <= tables


def test_opening_again_applies_nothing(db_path: Path) -> None:
    with Store.open(db_path):
        pass
    first, schema = _applied(db_path), _schema(db_path)
    with Store.open(db_path) as store:
        assert bank_db.migrate(store.conn) == []
    assert _applied(db_path) == first  # same names, same applied_at
    assert _schema(db_path) == schema


def test_unknown_future_migration_is_refused(db_path: Path) -> None:
    with Store.open(db_path):
        pass
    conn = sqlite3.connect(str(db_path))
    with conn:
        conn.execute("INSERT INTO schema_migrations VALUES ('9999_from_the_future', '2099-01-01T00:00:00+00:00')")
    conn.close()
    schema = _schema(db_path)
    with pytest.raises(StoreError) as exc:
        Store.open(db_path)
    assert "9999_from_the_future" in str(exc.value)
    assert _schema(db_path) == schema


def test_unknown_future_migration_through_the_cli(db_path: Path, cli) -> None:
    with Store.open(db_path):
        pass
    conn = sqlite3.connect(str(db_path))
    with conn:
        conn.execute("INSERT INTO schema_migrations VALUES ('9999_from_the_future', '2099-01-01T00:00:00+00:00')")
    conn.close()
    result = cli("stats")
    assert result.exit_code == StoreError.exit_code
    assert "newer" in result.stderr and "9999_from_the_future" in result.stderr


@pytest.mark.parametrize("k", range(len(MIGRATIONS)))
def test_upgrade_from_each_older_schema(tmp_path: Path, k: int) -> None:
    fresh = tmp_path / "fresh.sqlite3"
    with Store.open(fresh):
        pass
    old = tmp_path / f"old-{k}.sqlite3"
    _apply_first(old, k)
    if k >= 1:  # a source stored by the older version must survive the upgrade
        conn = sqlite3.connect(str(old))
        with conn:
            conn.execute("INSERT INTO sources (path, sha256, encoding, size, ingested_at) "
                         "VALUES ('/old/bank.md', 'abc', 'utf-8', 3, '2024-01-01T00:00:00+00:00')")
        conn.close()
    with Store.open(old) as store:
        assert bank_db.migrate(store.conn) == []
        if k >= 1:
            assert [s.path for s in store.sources()] == ["/old/bank.md"]
    applied = _applied(old)
    assert [name for name, _ in applied] == NAMES
    assert [stamp for _, stamp in applied[:k]] == ["2024-01-01T00:00:00+00:00"] * k  # old records untouched
    assert _schema(old) == _schema(fresh)


@pytest.mark.parametrize("k", range(len(MIGRATIONS)))
def test_upgraded_bank_is_usable(tmp_path: Path, k: int, cli) -> None:
    _apply_first(cli.db, k)
    bank = tmp_path / "bank.md"
    bank.write_text("1. What is a logit?\nAnswer:\nAn unnormalised log-probability.\n", encoding="utf-8")
    assert cli("ingest", bank).exit_code == 0
    assert cli.json("stats")["items"] == 1


def test_a_failing_migration_is_rolled_back(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with Store.open(db_path):
        pass
    before_schema, before_applied = _schema(db_path), _applied(db_path)
    broken = ("9998_broken", "CREATE TABLE half_done (x INTEGER); INSERT INTO no_such_table VALUES (1)")
    monkeypatch.setattr(bank_db, "MIGRATIONS", [*MIGRATIONS, broken])
    with pytest.raises(StoreError):
        Store.open(db_path)
    assert _schema(db_path) == before_schema  # half_done was not left behind
    assert _applied(db_path) == before_applied


def test_corrupt_file_is_a_store_error(db_path: Path, cli) -> None:
    db_path.write_bytes(b"this is not a database, just text that happens to be long enough " * 20)
    with pytest.raises(StoreError):
        Store.open(db_path)
    result = cli("list")
    assert result.exit_code == StoreError.exit_code
    assert str(db_path) in result.stderr
