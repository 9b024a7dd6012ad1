"""Test helpers that look at a bank's tables directly (product code never does: SQL lives in
`bank/`). Work on SQLite and PostgreSQL alike."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Integer, insert, select, text

from interview_coach.bank.schema import metadata
from interview_coach.bank.store import Store


def sql(store: Store, statement: str, **params: Any) -> list[tuple[Any, ...]]:
    """Run one SQL statement on the store's database (joining its open transaction, if any);
    rows as tuples for a query, [] otherwise."""
    with store.tx.write() as conn:
        result = conn.execute(text(statement), params)
        return [tuple(r) for r in result] if result.returns_rows else []


def copy_tables(src: Store, dest: Store, tables: list[str] | None = None) -> None:
    """Copy every row of the given tables (default: all) from one bank into another, empty one."""
    wanted = [t for t in metadata.sorted_tables if tables is None or t.name in tables]
    with src.tx.read() as a, dest.tx.write() as b:
        for t in wanted:
            if t.name == "users":
                rows = [dict(r) for r in a.execute(select(t).where(t.c.id != 1)).mappings()]
            else:
                rows = [dict(r) for r in a.execute(select(t)).mappings()]
            if rows:
                b.execute(insert(t), rows)
            if b.dialect.name == "postgresql" and "id" in t.c and isinstance(t.c.id.type, Integer):
                b.execute(text(f"SELECT setval(pg_get_serial_sequence('{t.name}', 'id'), "
                               f"GREATEST((SELECT COALESCE(MAX(id), 0) FROM {t.name}), 1))"))
