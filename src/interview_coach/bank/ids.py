"""Short, stable ids: derived from content when first created, never recomputed."""

from __future__ import annotations

import hashlib

from sqlalchemy import Connection, Table, select


def new_id(conn: Connection, table: Table, prefix: str, seed: str, length: int = 8) -> str:
    """`prefix` + hex digest of `seed`, lengthened or salted until unused in `table`."""
    digest = hashlib.sha1(seed.encode("utf-8")).hexdigest()
    for salt in range(1000):
        if salt:
            digest = hashlib.sha1(f"{seed}\0{salt}".encode()).hexdigest()
        candidate = prefix + digest[:length]
        if conn.execute(select(table.c.id).where(table.c.id == candidate)).first() is None:
            return candidate
    raise RuntimeError("could not allocate an id")  # pragma: no cover - 1000 collisions
