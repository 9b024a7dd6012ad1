"""Bring a bank's schema up to date, once, under a lock.

* A new, empty database gets the current tables directly (`schema.metadata.create_all`) and is
  stamped with `schema.HEAD`; a test checks that this equals running every migration.
* A bank at an older revision is upgraded by Alembic (`bank/migrations/versions/`), in one
  transaction; banks made before Alembic (a `schema_migrations` table naming 0001–0003) are
  stamped with the revision they reached first.
* A bank at `HEAD` costs one query; Alembic is imported only when there is work to do.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Connection, Engine, insert, text

from ..errors import StoreError
from . import schema

REVISIONS = ["0001_initial", "0002_embeddings_links_settings", "0003_reviews", "0004_team", "0005_jobs_mock"]
assert REVISIONS[-1] == schema.HEAD
MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def _tables(conn: Connection) -> set[str]:
    if conn.dialect.name == "sqlite":
        rows = conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'table'")
    else:
        rows = conn.exec_driver_sql(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()")
    return {r[0] for r in rows}


def revision(conn: Connection, name: str) -> str | None:
    """The bank's revision; None for an empty database. StoreError for what is not a bank."""
    tables = _tables(conn)
    if "alembic_version" in tables:
        found = [r[0] for r in conn.exec_driver_sql("SELECT version_num FROM alembic_version")]
        if len(found) != 1 or found[0] not in REVISIONS:
            raise StoreError(f"{name}: this bank was written by a newer Interview Coach (schema {', '.join(found)}); "
                             "upgrade Interview Coach to open it")
        return found[0]
    if "schema_migrations" in tables:
        names = {r[0] for r in conn.exec_driver_sql("SELECT name FROM schema_migrations")}
        unknown = sorted(names - set(REVISIONS))
        if unknown:
            raise StoreError(f"{name}: this bank was written by a newer Interview Coach (migrations "
                             f"{', '.join(unknown)}); upgrade Interview Coach to open it")
        done = [r for r in REVISIONS if r in names]
        return done[-1] if done else None
    refuse_unknown(tables, name)
    return None


def refuse_unknown(tables: set[str], name: str) -> None:
    """A database with tables but no record of our schema: never touched."""
    if {"sources", "items", "questions"} <= tables:
        raise StoreError(f"{name}: this bank has no record of its schema version (changed by hand or by another "
                         "program?); refusing to guess — restore a backup, or ingest into a new bank")
    if tables:
        raise StoreError(f"{name}: not an Interview Coach bank (it holds other tables: "
                         f"{', '.join(sorted(tables)[:4])}); refusing to change it")


def _at_head(engine: Engine) -> bool:
    try:
        with engine.connect() as conn:
            return conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == schema.HEAD
    except Exception:  # no table yet (or not a bank): the full path below says which
        return False


def upgrade(engine: Engine, name: str) -> list[str]:
    """Apply what the bank lacks; returns the revisions applied now (empty when up to date)."""
    if _at_head(engine):
        return []
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as raw:
        driver = raw.connection.dbapi_connection
        if sqlite and driver is not None:  # tables are rebuilt by copy; foreign keys are checked once at the end
            driver.execute("PRAGMA foreign_keys = OFF")  # outside any transaction, or SQLite ignores it
        try:
            conn = raw.execution_options(coach_write=True)
            with conn.begin():
                if not sqlite:
                    conn.exec_driver_sql("SELECT pg_advisory_xact_lock(7302)")
                current = revision(conn, name)
                if current == schema.HEAD:
                    return []
                if current is None:
                    _create(conn)
                    return [schema.HEAD]
                if "alembic_version" not in _tables(conn):
                    conn.exec_driver_sql("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY)")
                    conn.execute(text("INSERT INTO alembic_version (version_num) VALUES (:v)"), {"v": current})
                _alembic_upgrade(conn)
                if sqlite:
                    bad = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if bad:
                        raise StoreError(f"{name}: the upgraded bank has dangling references ({len(bad)}); "
                                         "it was left as it was")
        finally:
            if sqlite and driver is not None:
                driver.execute("PRAGMA foreign_keys = ON")
    return REVISIONS[REVISIONS.index(current) + 1:]


def _create(conn: Connection) -> None:
    schema.metadata.create_all(conn)
    conn.execute(insert(schema.users).values(id=schema.LOCAL_USER, username="local", role="admin",
                                             disabled=False, created_at="1970-01-01T00:00:00+00:00"))
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("SELECT setval(pg_get_serial_sequence('users', 'id'), 1)")
    conn.exec_driver_sql("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY)")
    conn.execute(text("INSERT INTO alembic_version (version_num) VALUES (:v)"), {"v": schema.HEAD})


def _alembic_upgrade(conn: Connection) -> None:
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["connection"] = conn
    command.upgrade(cfg, "head")
