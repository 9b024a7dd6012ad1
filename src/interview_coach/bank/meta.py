"""Bank-wide counters and flags in the `meta` table.

`content_version` goes up in every transaction that changes what search, linking and grading
are derived from (sources, items, canonical questions, link decisions, the embedding model), so
every process or worker notices another's writes with one cheap query. `link_pending` is set
when files were stored but linking has not finished since; any command that needs links
finishes it first.
"""

from __future__ import annotations

from sqlalchemy import Connection, Integer, Text, cast, select, update

from .database import insert_ignore, upsert
from .schema import meta


def get(conn: Connection, key: str) -> str | None:
    return conn.execute(select(meta.c.value).where(meta.c.key == key)).scalar()


def put(conn: Connection, key: str, value: str) -> None:
    upsert(conn, meta, {"key": key, "value": value}, ["key"])


def content_version(conn: Connection) -> int:
    return int(get(conn, "content_version") or 0)


def bump(conn: Connection) -> None:
    """Content changed in this transaction (an atomic increment: concurrent writers never lose one)."""
    insert_ignore(conn, meta, [{"key": "content_version", "value": "0"}], ["key"])
    conn.execute(update(meta).where(meta.c.key == "content_version")
                 .values(value=cast(cast(meta.c.value, Integer) + 1, Text)))


def items_changed(conn: Connection) -> None:
    """Items were added, edited or removed: content changed and the links are stale until relinked."""
    bump(conn)
    put(conn, "link_pending", "1")


def link_state(conn: Connection) -> str:
    """"" (linked), "1" (items changed and linking has not finished: an import was interrupted)
    or "skipped" (the user ingested with --no-link)."""
    value = get(conn, "link_pending")
    return "" if value in (None, "0") else str(value)
