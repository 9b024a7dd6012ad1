"""Migrations applied when a bank is opened: an empty database gets the current schema; the
Alembic chain builds exactly that schema on SQLite and PostgreSQL; banks made by older versions
(before Alembic) are upgraded in place with their data; a bank from a newer version, another
application's database and a broken migration leave everything as it was."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, inspect

from interview_coach.bank import migrate, schema
from interview_coach.bank.database import open_engine
from interview_coach.bank.store import Store
from interview_coach.errors import StoreError
from tests.bank.legacy_schema import LEGACY_MIGRATIONS
from tests.conftest import PG_SERVER, Cli, sqlite_only
from tests.dbutil import sql


def _url(target: str) -> str:
    return target.replace("postgresql://", "postgresql+psycopg://", 1) if target.startswith("postgresql") \
        else f"sqlite:///{target}"


def shape(target: str) -> dict[str, Any]:
    """Tables with their columns, keys, indexes and foreign keys, as the database reports them."""
    engine = create_engine(_url(target))
    try:
        insp = inspect(engine)
        out: dict[str, Any] = {}
        for t in sorted(insp.get_table_names()):
            pk = set(insp.get_pk_constraint(t)["constrained_columns"])
            cols = [(c["name"], type(c["type"]).__name__.replace("VARCHAR", "TEXT"), c["nullable"] and c["name"] not in pk)
                    for c in insp.get_columns(t)]  # SQLite lets an old `TEXT PRIMARY KEY` be NULL; it never is
            out[t] = {
                "columns": sorted(cols),
                "pk": sorted(insp.get_pk_constraint(t)["constrained_columns"]),
                "indexes": sorted((i["name"], tuple(i["column_names"]), bool(i["unique"]))
                                  for i in insp.get_indexes(t)),
                "fks": _foreign_keys(engine, insp, t),
                "unique": sorted(tuple(u["column_names"]) for u in insp.get_unique_constraints(t)),
            }
        return out
    finally:
        engine.dispose()


def _foreign_keys(engine: Any, insp: Any, table: str) -> list[tuple[Any, ...]]:
    if engine.dialect.name == "sqlite":  # the reflection misses ON DELETE on inline REFERENCES
        with engine.connect() as conn:
            rows = conn.exec_driver_sql(f"PRAGMA foreign_key_list({table})").fetchall()
        return sorted(((r[3],), r[2], (r[4],), r[6] if r[6] != "NO ACTION" else None) for r in rows)
    return sorted((tuple(f["constrained_columns"]), f["referred_table"], tuple(f["referred_columns"]),
                   (f.get("options") or {}).get("ondelete")) for f in insp.get_foreign_keys(table))


def _legacy_bank(path: Path, k: int) -> None:
    """A bank as a pre-Alembic version left it: its first k migrations, applied as it did."""
    conn = sqlite3.connect(str(path), isolation_level=None)
    try:
        conn.execute("CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
        for name, statements in LEGACY_MIGRATIONS[:k]:
            conn.executescript(f"BEGIN; {statements}; COMMIT;")
            conn.execute("INSERT INTO schema_migrations VALUES (?, '2024-01-01T00:00:00+00:00')", (name,))
    finally:
        conn.close()


def test_revisions_match_the_migration_files() -> None:
    files = sorted(p.stem for p in (migrate.MIGRATIONS_DIR / "versions").glob("*.py"))
    assert files == migrate.REVISIONS
    assert migrate.REVISIONS[-1] == schema.HEAD


def test_empty_database_is_created_at_head(db_path: str) -> None:
    with Store.open(db_path) as store:
        assert sql(store, "SELECT version_num FROM alembic_version") == [(schema.HEAD,)]
        assert sql(store, "SELECT id, username, role FROM users") == [(1, "local", "admin")]
    assert {"sources", "items", "questions", "reviews", "users", "jobs"} <= set(shape(db_path))


def test_the_migration_chain_builds_the_current_schema(db_path: str, new_bank: Any) -> None:
    """`create_all` (fresh banks) and the Alembic chain (old banks) must never drift apart."""
    Store.open(db_path).close()
    chained = new_bank("chained.sqlite3")
    if PG_SERVER:  # the template already holds a bank: empty this one first
        engine = create_engine(_url(chained))
        with engine.begin() as conn:
            conn.exec_driver_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
        engine.dispose()
    engine = create_engine(_url(chained))
    with engine.connect() as raw, raw.begin():
        migrate._alembic_upgrade(raw)
    engine.dispose()
    assert shape(chained) == shape(db_path)


def test_opening_again_applies_nothing(db_path: str) -> None:
    Store.open(db_path).close()
    engine = open_engine(db_path)
    try:
        assert migrate.upgrade(engine, db_path) == []
    finally:
        engine.dispose()


def test_a_newer_schema_is_refused(db_path: str, cli: Cli) -> None:
    with Store.open(db_path) as store:
        sql(store, "UPDATE alembic_version SET version_num = '9999_from_the_future'")
    before = shape(db_path)
    with pytest.raises(StoreError, match="newer"):
        Store.open(db_path)
    result = cli("stats")
    assert result.exit_code == StoreError.exit_code
    assert "newer" in result.stderr and "9999_from_the_future" in result.stderr
    assert shape(db_path) == before


@sqlite_only
@pytest.mark.parametrize("k", range(1, len(LEGACY_MIGRATIONS) + 1))
def test_upgrade_from_each_pre_alembic_schema(tmp_path: Path, k: int) -> None:
    fresh = tmp_path / "fresh.sqlite3"
    Store.open(fresh).close()
    old = tmp_path / f"old-{k}.sqlite3"
    _legacy_bank(old, k)
    conn = sqlite3.connect(str(old))
    with conn:
        conn.execute("INSERT INTO sources (path, sha256, encoding, size, ingested_at) "
                     "VALUES ('/old/bank.md', 'abc', 'utf-8', 3, '2024-01-01T00:00:00+00:00')")
        if k >= 2:
            conn.execute("INSERT INTO settings VALUES ('script', 'zh-Hant'), ('embedding_model', 'use')")
        if k >= 3:
            conn.execute("INSERT INTO questions VALUES ('q1', '2024-01-01')")
            conn.execute("INSERT INTO reviews (question_id, rating, reviewed_at) VALUES ('q1', 3, "
                         "'2024-01-02T00:00:00.000000+00:00')")
    conn.close()
    with Store.open(old) as store:
        assert [s.path for s in store.sources()] == ["/old/bank.md"]
        if k >= 2:  # the preferred script became the local user's, the model stayed the team's
            assert store.setting("script") == "zh-Hant"
            assert store.setting("embedding_model") == "use"
        if k >= 3:
            assert [(r.question_id, r.rating) for r in store.reviews.entries()] == [("q1", 3)]
    assert shape(str(old)) == shape(str(fresh))


@sqlite_only
def test_question_keys_keep_their_registration_order(tmp_path: Path) -> None:
    old = tmp_path / "old.sqlite3"
    _legacy_bank(old, 3)
    conn = sqlite3.connect(str(old))
    with conn:
        conn.execute("INSERT INTO questions VALUES ('qB', '2024'), ('qA', '2024')")
        conn.execute("INSERT INTO question_keys VALUES ('k', 'qB')")  # registered first
        conn.execute("INSERT INTO question_keys VALUES ('k', 'qA')")
    conn.close()
    with Store.open(old) as store:
        assert sql(store, "SELECT question_id FROM question_keys ORDER BY id") == [("qB",), ("qA",)]


@sqlite_only
def test_a_failing_upgrade_leaves_the_old_bank_as_it_was(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    old = tmp_path / "old.sqlite3"
    _legacy_bank(old, 2)
    before = shape(str(old))
    real = migrate._alembic_upgrade

    def broken(conn: Any) -> None:
        real(conn)
        raise RuntimeError("disk full, say")

    monkeypatch.setattr(migrate, "_alembic_upgrade", broken)
    with pytest.raises((StoreError, RuntimeError)):
        Store.open(old)
    assert shape(str(old)) == before


@sqlite_only
def test_corrupt_file_is_a_store_error(db_path: str, cli: Cli) -> None:
    Path(db_path).write_bytes(b"this is not a database, just text that happens to be long enough " * 20)
    with pytest.raises(StoreError):
        Store.open(db_path)
    result = cli("list")
    assert result.exit_code == StoreError.exit_code
    assert db_path in result.stderr


@sqlite_only
def test_another_applications_database_is_refused_and_untouched(tmp_path: Path, cli: Cli) -> None:
    other = tmp_path / "notes.db"
    conn = sqlite3.connect(str(other))
    with conn:
        conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
        conn.execute("INSERT INTO notes (body) VALUES ('keep me')")
    conn.close()
    before = other.read_bytes()
    result = Cli(str(other), cli.runner)("stats")
    assert result.exit_code == StoreError.exit_code
    assert "not an Interview Coach bank" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert other.read_bytes() == before
    assert not Path(str(other) + "-wal").exists()


@sqlite_only
def test_a_bank_under_a_file_is_one_line_error(tmp_path: Path, runner: Any) -> None:
    blocker = tmp_path / "afile"
    blocker.write_text("x")
    result = Cli(str(blocker / "bank.sqlite3"), runner)("stats")
    assert result.exit_code == StoreError.exit_code
    assert "is a file" in result.stderr and len(result.stderr.strip().splitlines()) == 1


@pytest.mark.skipif(not PG_SERVER, reason="PostgreSQL only")
def test_a_postgres_database_with_other_tables_is_refused(db_path: str) -> None:
    import psycopg

    with psycopg.connect(db_path) as conn:
        conn.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public; CREATE TABLE invoices (id int)")
    with pytest.raises(StoreError, match="not an Interview Coach bank"):
        Store.open(db_path)


def test_a_bank_whose_schema_record_was_removed_is_one_line_error(db_path: str, cli: Cli) -> None:
    with Store.open(db_path) as store:
        sql(store, "DROP TABLE alembic_version")
    result = cli("stats")
    assert result.exit_code == StoreError.exit_code
    assert "no record of its schema version" in result.stderr and len(result.stderr.strip().splitlines()) == 1


@sqlite_only
def test_a_read_only_bank_is_one_line_error_and_unchanged(tmp_path: Path, db_path: str, cli: Cli,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    doc = tmp_path / "new.md"
    doc.write_text("1. What is a logit?\nAnswer:\nAn unnormalised log-probability.\n", encoding="utf-8")
    Store.open(db_path).close()
    before = Path(db_path).read_bytes()
    from sqlalchemy import event

    from interview_coach.bank import database

    real = database._sqlite_engine

    def read_only(path: Path) -> Any:
        engine = real(path)
        event.listen(engine, "connect", lambda dbapi, _: dbapi.execute("PRAGMA query_only = ON"))
        return engine

    monkeypatch.setattr(database, "_sqlite_engine", read_only)
    result = cli("ingest", doc)
    assert result.exit_code != 0 and "read-only" in result.output
    assert "Traceback" not in result.output
    assert Path(db_path).read_bytes() == before
