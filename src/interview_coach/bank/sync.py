"""Store one parsed document: insert, update or keep its items, in one transaction.

Re-ingesting an unchanged file changes nothing. When a file changed, each new item is
matched to an old item of the same source (same text first, then the most similar
text at the same number/section, then any similar text) and keeps that item's id and
its canonical question, so reviews and notes attached to the question survive.
New items join an existing canonical question whose text key they share (the same
question in another file or script) or get a new one.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection, bindparam, delete, exists, func, insert, select, update

from ..text.normalize import bigrams, dice, key
from . import meta
from .codec import DATA_COLUMNS, item_values
from .database import insert_ignore, insert_returning_id, utcnow
from .ids import new_id
from .schema import ATTACHMENTS, items, question_keys, questions, sources
from .types import ItemData, SyncReport

EDIT_MIN = 0.5  # bigram Dice for "the same question, edited", at the same number/section
MOVE_MIN = 0.75  # ... anywhere in the file

Row = Any


def keys_of(data: ItemData) -> set[str]:
    ks = {key(data.question)}
    ks.update(key(t) for t in data.translations.values())
    return {k for k in ks if k}


def _match_old(new: list[ItemData], old: list[Row]) -> dict[int, Row]:
    """Index in `new` → old row that it continues."""
    matched: dict[int, Row] = {}
    free = {row["id"]: row for row in old}
    by_norm: dict[str, list[str]] = {}
    for row in old:
        by_norm.setdefault(row["norm"], []).append(row["id"])
    for i, data in enumerate(new):
        for rid in by_norm.get(key(data.question), []):
            if rid in free:
                matched[i] = free.pop(rid)
                break
    if not free:
        return matched
    grams = {rid: bigrams(row["question"]) for rid, row in free.items()}
    candidates = []
    for i, data in enumerate(new):
        if i in matched:
            continue
        g = bigrams(data.question)
        for rid, row in free.items():
            sim = dice(g, grams[rid])
            same_place = row["number"] == data.number and row["section"] == data.section
            if sim >= MOVE_MIN or (same_place and sim >= EDIT_MIN):
                candidates.append((sim + (0.1 if same_place else 0), i, rid))
    candidates.sort(reverse=True)
    for _, i, rid in candidates:
        if i not in matched and rid in free:
            matched[i] = free.pop(rid)
    return matched


def known_keys(conn: Connection, keys: set[str]) -> dict[str, str]:
    """key -> the first canonical question registered for it, for every known key in `keys`."""
    found: dict[str, str] = {}
    ordered = sorted(keys)
    for i in range(0, len(ordered), 900):
        part = ordered[i:i + 900]
        rows = conn.execute(select(question_keys.c.key, question_keys.c.question_id)
                            .where(question_keys.c.key.in_(part)).order_by(question_keys.c.id.desc()))
        for k, qid in rows:
            found[str(k)] = str(qid)  # rows come newest first, so the oldest registration wins
    return found


def new_question(conn: Connection, seed: str) -> str:
    qid = new_id(conn, questions, "q", seed)
    conn.execute(insert(questions).values(id=qid, created_at=utcnow()))
    return qid


def add_keys(conn: Connection, pairs: list[tuple[str, str]]) -> None:
    """Register (key, question id) pairs, skipping those already known."""
    insert_ignore(conn, question_keys, [{"key": k, "question_id": q} for k, q in dict.fromkeys(pairs)],
                  ["key", "question_id"])


def collect_orphans(conn: Connection) -> int:
    """Delete canonical questions that no item and no attachment refers to."""
    cond = ~exists().where(items.c.question_id == questions.c.id)
    for t in ATTACHMENTS:
        cond &= ~exists().where(t.c.question_id == questions.c.id)
    return int(conn.execute(delete(questions).where(cond)).rowcount or 0)


def sync_source(
    conn: Connection,
    *,
    path: str,
    sha256: str,
    encoding: str,
    size: int,
    shapes: list[str],
    notices: list[tuple[int, str]],
    items_: list[ItemData] | Callable[[], list[ItemData]],
    hints: dict[str, str] | None = None,
) -> SyncReport:
    """Make the bank hold exactly `items_` for `path`. Call inside one write transaction."""
    src = conn.execute(select(sources.c.id, sources.c.sha256, sources.c.hints)
                       .where(sources.c.path == path)).mappings().first()
    new_hints = json.dumps(hints if hints is not None else (json.loads(src["hints"]) if src else {}),
                           ensure_ascii=False, sort_keys=True)
    if src is not None and src["sha256"] == sha256 and src["hints"] == new_hints:
        kept = conn.execute(select(func.count()).where(items.c.source_id == src["id"])).scalar_one()
        return SyncReport(path, "unchanged", kept=kept)
    parsed = items_() if callable(items_) else items_
    fields = {"sha256": sha256, "encoding": encoding, "size": size, "shapes": json.dumps(shapes),
              "notices": json.dumps(notices, ensure_ascii=False), "ingested_at": utcnow(), "hints": new_hints}
    if src is None:
        source_id = insert_returning_id(conn, sources, {**fields, "path": path})
        old: list[Row] = []
    else:
        source_id = src["id"]
        conn.execute(update(sources).where(sources.c.id == source_id).values(**fields))
        old = list(conn.execute(select(items).where(items.c.source_id == source_id)).mappings())
    matched = _match_old(parsed, old)
    all_keys = [keys_of(data) for data in parsed]
    known = known_keys(conn, set().union(*all_keys)) if all_keys else {}
    added = updated = kept = 0
    new_rows: list[dict[str, Any]] = []
    changed_rows: list[dict[str, Any]] = []
    key_pairs: list[tuple[str, str]] = []
    taken_ids: set[str] = set()
    for pos, data in enumerate(parsed):
        norm = key(data.question)
        keys = all_keys[pos]
        values = item_values(data)
        row = matched.get(pos)
        if row is not None:
            if all(row[c] == values[c] for c in DATA_COLUMNS) and row["position"] == pos:
                kept += 1
            else:
                changed_rows.append({"_id": row["id"], "position": pos, "norm": norm, **values})
                updated += 1
            key_pairs += [(k, row["question_id"]) for k in sorted(keys)]
            continue
        qid = next((known[k] for k in sorted(keys) if k in known), None) or new_question(conn, norm or data.question)
        key_pairs += [(k, qid) for k in sorted(keys)]
        known.update({k: qid for k in keys if k not in known})
        iid = _item_id(conn, f"{path}\0{norm}\0{pos}", taken_ids)
        new_rows.append({"id": iid, "source_id": source_id, "question_id": qid, "position": pos, "norm": norm, **values})
        added += 1
    if changed_rows:
        conn.execute(update(items).where(items.c.id == bindparam("_id")), changed_rows)
    gone = [row["id"] for row in old if row["id"] not in {r["id"] for r in matched.values()}]
    if gone:
        conn.execute(delete(items).where(items.c.id.in_(gone)))
    if new_rows:
        conn.execute(insert(items), new_rows)
    add_keys(conn, key_pairs)
    collect_orphans(conn)
    meta.items_changed(conn)
    return SyncReport(path, "new" if src is None else "updated", added=added, updated=updated, removed=len(gone),
                      kept=kept)


def _item_id(conn: Connection, seed: str, taken: set[str]) -> str:
    """A new item id, unused in the bank and among the ids of this batch."""
    for salt in range(1000):
        iid = new_id(conn, items, "i", seed if not salt else f"{seed}\0batch{salt}", length=10)
        if iid not in taken:
            taken.add(iid)
            return iid
    raise RuntimeError("could not allocate an item id")  # pragma: no cover


def move_source(conn: Connection, old_path: str, new_path: str) -> None:
    conn.execute(update(sources).where(sources.c.path == old_path).values(path=new_path))
    meta.bump(conn)


def remove_source(conn: Connection, path: str) -> int | None:
    """Remove a source and its items; returns the number of items removed, None if unknown."""
    source_id = conn.execute(select(sources.c.id).where(sources.c.path == path)).scalar()
    if source_id is None:
        return None
    n = conn.execute(delete(items).where(items.c.source_id == source_id)).rowcount
    conn.execute(delete(sources).where(sources.c.id == source_id))
    collect_orphans(conn)
    meta.items_changed(conn)
    return int(n or 0)


def source_hints(conn: Connection, path: str) -> dict[str, str]:
    raw = conn.execute(select(sources.c.hints).where(sources.c.path == path)).scalar()
    return json.loads(raw) if raw else {}


def set_source_hints(conn: Connection, path: str, hints: dict[str, str]) -> bool:
    n = conn.execute(update(sources).where(sources.c.path == path).values(
        hints=json.dumps(hints, ensure_ascii=False, sort_keys=True))).rowcount
    return bool(n)
