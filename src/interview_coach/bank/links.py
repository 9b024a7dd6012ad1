"""Which canonical question each item belongs to: manual decisions and the linker's assignment."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import Connection, bindparam, delete, select, update

from . import meta
from .catalog import list_items
from .database import upsert, utcnow
from .schema import ATTACHMENTS, items, link_decisions, question_keys
from .sync import add_keys, collect_orphans, keys_of, new_question


def decisions(conn: Connection) -> list[tuple[str, str, str]]:
    rows = conn.execute(select(link_decisions.c.item_a, link_decisions.c.item_b, link_decisions.c.decision))
    return [(str(a), str(b), str(d)) for a, b, d in rows]


def decide(conn: Connection, pairs: list[tuple[str, str]], decision: str) -> None:
    for a, b in pairs:
        x, y = (a, b) if a < b else (b, a)
        upsert(conn, link_decisions, {"item_a": x, "item_b": y, "decision": decision, "created_at": utcnow()},
               ["item_a", "item_b"])
    meta.items_changed(conn)


def assign(conn: Connection, groups: list[list[str]], old_q: dict[str, str]) -> tuple[int, int, int]:
    """Give each group of item ids one canonical question: the id most of its items already
    had (see the tie-break below), else a new one. `old_q` lists the items in bank order.
    Attachments (reviews) of ids that no longer name a group follow most of their items.
    Returns (questions before, after, merged)."""
    attached: set[str] = set()  # questions that carry someone's reviews (or other attachments)
    for table in ATTACHMENTS:
        rows: list[Any] = list(conn.execute(select(table.c.question_id).distinct()).scalars())
        attached.update(str(v) for v in rows)
    first: dict[str, int] = {}  # each old id's first item in bank order (`old_q` is in bank order)
    for k, q in enumerate(old_q.values()):
        first.setdefault(q, k)
    taken: set[str] = set()
    new_q: dict[str, str] = {}
    for members in sorted(groups, key=lambda m: (-len(m), min(m))):
        counts: dict[str, int] = defaultdict(int)
        for m in members:
            counts[old_q[m]] += 1
        # the id most members have; on a tie the one someone has studied, then the first in bank
        # order — never the clock, so the same files give the same ids in every bank
        ranked = sorted(counts, key=lambda q: (-counts[q], q not in attached, first.get(q, 0), q))
        qid = next((q for q in ranked if q not in taken), None)
        if qid is None:
            qid = new_question(conn, f"split\0{min(members)}")
        taken.add(qid)
        for m in members:
            new_q[m] = qid
    changed = [{"_id": i, "qid": new_q[i]} for i in old_q if new_q[i] != old_q[i]]
    if changed:
        conn.execute(update(items).where(items.c.id == bindparam("_id")).values(question_id=bindparam("qid")),
                     changed)
    old_ids = set(old_q.values())
    items_of: dict[str, list[str]] = defaultdict(list)
    for i, oq in old_q.items():
        items_of[oq].append(i)
    moves = []
    for q in old_ids - taken:
        dest: dict[str, int] = defaultdict(int)
        for i in items_of[q]:
            dest[new_q[i]] += 1
        moves.append({"_old": q, "_new": max(dest, key=lambda d: dest[d])})
    for table in ATTACHMENTS:
        if moves:
            conn.execute(update(table).where(table.c.question_id == bindparam("_old"))
                         .values(question_id=bindparam("_new")), moves)
    _rebuild_keys(conn)
    collect_orphans(conn)
    if changed or moves:
        meta.bump(conn)
    meta.put(conn, "link_pending", "0")
    return len(old_ids), len(taken), len(old_ids - taken)


def _rebuild_keys(conn: Connection) -> None:
    conn.execute(delete(question_keys).where(question_keys.c.question_id.in_(select(items.c.question_id).distinct())))
    add_keys(conn, [(k, it.question_id) for it in list_items(conn) for k in sorted(keys_of(it))])
