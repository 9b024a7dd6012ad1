"""Opening a bank on SQLite or PostgreSQL: engines, transactions, the few dialect differences.

A bank is named by a file path (SQLite, the default for one person) or a URL
(`postgresql://user@host/db`, for a team). `open_engine` refuses what is not a bank —
another application's SQLite file or a PostgreSQL database holding other tables — before
writing anything, then brings the schema up to date (`migrate.upgrade`).

Transactions: `Transactions.write()` is all-or-nothing and serialised with every other writer
(SQLite `BEGIN IMMEDIATE`; PostgreSQL takes a transaction-level advisory lock when the caller
asks for one), `read()` sees one consistent snapshot. Both are re-entrant within a thread: an
inner block joins the outer transaction.
"""

from __future__ import annotations

import sqlite3
import threading
import weakref
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, Table, create_engine, event, insert, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError, SQLAlchemyError

from ..errors import StoreError

_LOCKS = {"link": 7301, "migrate": 7302}  # advisory lock ids (PostgreSQL)


def utcnow() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def is_url(target: str | Path) -> bool:
    return isinstance(target, str) and target.startswith(("postgresql:", "postgresql+", "postgres:"))


def display_name(target: str | Path) -> str:
    """The bank as shown to people: a path, or a URL without its password."""
    if is_url(target):
        try:
            return make_url(str(target)).render_as_string(hide_password=True)
        except ArgumentError:
            return str(target).split("@")[-1]
    return str(target)


def _pg_url(target: str) -> str:
    try:
        url = make_url(target.replace("postgres://", "postgresql://", 1))
    except ArgumentError:
        raise StoreError(f"{display_name(target)}: not a valid database URL "
                         "(expected postgresql://user[:password]@host[:port]/database)") from None
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    return url.render_as_string(hide_password=False)


def _check_sqlite_file(path: Path) -> None:
    """Refuse, before anything is written, a path that cannot be a bank file."""
    parent = path.parent
    for p in (parent, *parent.parents):
        if p.exists():
            if not p.is_dir():
                raise StoreError(f"{path}: cannot create the bank there: {p} is a file, not a folder")
            break
    if path.is_dir():
        raise StoreError(f"{path}: is a folder; --db names a bank file")
    if not path.exists() or path.stat().st_size == 0:
        return
    try:
        with path.open("rb") as f:
            head = f.read(16)
    except OSError as e:
        raise StoreError(f"{path}: cannot read the bank: {e.strerror or e}") from None
    if head != b"SQLite format 3\x00":
        raise StoreError(f"{path}: not an Interview Coach bank (not a SQLite database); refusing to change it")
    try:
        ro = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
        try:
            names = {r[0] for r in ro.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        finally:
            ro.close()
    except sqlite3.DatabaseError as e:
        raise StoreError(f"{path}: cannot open the bank: {e}") from None
    if names and not names & {"alembic_version", "schema_migrations"}:
        from .migrate import refuse_unknown

        refuse_unknown(names, str(path))


def _sqlite_engine(path: Path) -> Engine:
    if str(path) != ":memory:":
        _check_sqlite_file(path)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise StoreError(f"{path}: cannot create the bank's folder: {e.strerror or e}") from None
    engine = create_engine(f"sqlite:///{path}", connect_args={"check_same_thread": False, "timeout": 30})

    @event.listens_for(engine, "connect")
    def _connect(dbapi: Any, _record: Any) -> None:
        dbapi.isolation_level = None  # transactions are begun explicitly below
        dbapi.execute("PRAGMA foreign_keys = ON")
        dbapi.execute("PRAGMA busy_timeout = 30000")
        if str(path) != ":memory:":
            mode = dbapi.execute("PRAGMA journal_mode").fetchone()[0]
            if mode != "wal":
                dbapi.execute("PRAGMA journal_mode = WAL")
            dbapi.execute("PRAGMA synchronous = NORMAL")

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("coach_write") else "BEGIN")

    return engine


def _pg_engine(url: str) -> Engine:
    return create_engine(_pg_url(url), pool_pre_ping=True, pool_size=5, max_overflow=10)


def open_engine(target: str | Path) -> Engine:
    """An engine on the bank at `target`, its schema brought up to date."""
    from . import migrate

    engine = _pg_engine(str(target)) if is_url(target) else _sqlite_engine(Path(target))
    try:
        migrate.upgrade(engine, display_name(target))
    except BaseException as e:
        engine.dispose()
        if isinstance(e, (SQLAlchemyError, sqlite3.Error, OSError)):
            raise StoreError(f"{display_name(target)}: cannot open the bank: {_reason(e)}") from None
        raise
    return engine


def _reason(e: BaseException) -> str:
    if isinstance(e, DBAPIError) and e.orig is not None:
        return str(e.orig).strip().splitlines()[0]
    return str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__


class Transactions:
    """Re-entrant read and write transactions on one engine, per thread."""

    def __init__(self, engine: Engine, name: str) -> None:
        self.engine = engine
        self.name = name
        self.postgres = engine.dialect.name == "postgresql"
        self._local = threading.local()
        # a bank nobody holds any more closes its pooled connections (a store that was never closed)
        weakref.finalize(self, engine.dispose)

    @property
    def current(self) -> Connection | None:
        return getattr(self._local, "conn", None)

    @contextmanager
    def _open(self, write: bool, lock: str | None) -> Iterator[Connection]:
        outer = self.current
        if outer is not None:
            if lock and self.postgres:
                outer.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _LOCKS[lock]})
            yield outer
            return
        try:
            conn = self.engine.connect()
        except OperationalError as e:
            raise StoreError(f"{self.name}: cannot open the bank: {_reason(e)}") from None
        if write:
            conn = conn.execution_options(coach_write=True)
        self._local.conn, self._local.write = conn, write
        try:
            with conn.begin():
                if lock and self.postgres:
                    conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _LOCKS[lock]})
                yield conn
        except OperationalError as e:
            msg = _reason(e)
            if "readonly" in msg or "read-only" in msg:
                raise StoreError(f"{self.name}: the bank is read-only; nothing was changed") from None
            if "locked" in msg or "busy" in msg:
                raise StoreError(f"{self.name}: the bank is busy (another program holds it); try again") from None
            raise
        finally:
            self._local.conn = None
            self._local.write = False
            conn.close()

    def read(self) -> Any:
        return self._open(False, None)

    def write(self, lock: str | None = None) -> Any:
        return self._open(True, lock)


# -- dialect differences ----------------------------------------------------------------------------
def _insert(conn: Connection, table: Table) -> Any:
    return (postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert)(table)


def insert_ignore(conn: Connection, table: Table, rows: Sequence[dict[str, Any]], keys: Sequence[str]) -> None:
    """Insert rows, skipping those whose `keys` are already there."""
    if rows:
        conn.execute(_insert(conn, table).on_conflict_do_nothing(index_elements=list(keys)), list(rows))


def upsert(conn: Connection, table: Table, rows: dict[str, Any] | Sequence[dict[str, Any]],
           keys: Sequence[str]) -> None:
    """Insert rows, or update the existing row with the same `keys` (one row or many)."""
    many = list(rows) if not isinstance(rows, dict) else [rows]
    if not many:
        return
    stmt = _insert(conn, table)
    update = {c: stmt.excluded[c] for c in many[0] if c not in keys}
    stmt = (stmt.on_conflict_do_update(index_elements=list(keys), set_=update) if update
            else stmt.on_conflict_do_nothing(index_elements=list(keys)))
    conn.execute(stmt, many)


def insert_returning_id(conn: Connection, table: Table, row: dict[str, Any]) -> int:
    return int(conn.execute(insert(table).values(**row).returning(table.c.id)).scalar_one())
