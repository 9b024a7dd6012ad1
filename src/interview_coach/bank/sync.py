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
import sqlite3
from collections.abc import Callable

from ..text.normalize import bigrams, dice, key
from .codec import DATA_COLUMNS, item_values
from .db import transaction, utcnow
from .ids import new_id
from .types import ItemData, SyncReport

EDIT_MIN = 0.5  # bigram Dice for "the same question, edited", at the same number/section
MOVE_MIN = 0.75  # ... anywhere in the file

# Tables whose rows keep a canonical question alive when its last item disappears.
# Later features (reviews, notes, link decisions) register their table here.
ATTACHMENTS: list[str] = ["reviews"]


def keys_of(data: ItemData) -> set[str]:
    ks = {key(data.question)}
    ks.update(key(t) for t in data.translations.values())
    return {k for k in ks if k}


def _match_old(new: list[ItemData], old: list[sqlite3.Row]) -> dict[int, sqlite3.Row]:
    """Index in `new` → old row that it continues."""
    matched: dict[int, sqlite3.Row] = {}
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


def _known_keys(conn: sqlite3.Connection, keys: set[str]) -> dict[str, str]:
    """key -> the first canonical question registered for it, for every known key in `keys`."""
    found: dict[str, str] = {}
    ordered = sorted(keys)
    for i in range(0, len(ordered), 900):
        part = ordered[i:i + 900]
        rows = conn.execute(
            f"SELECT key, question_id FROM question_keys WHERE key IN ({', '.join('?' for _ in part)}) "
            "ORDER BY rowid DESC", part)
        for k, qid in rows:
            found[k] = qid  # rows come newest first, so the oldest registration wins
    return found


def _question_for(conn: sqlite3.Connection, known: dict[str, str], keys: set[str], seed: str) -> str:
    for k in sorted(keys):
        if k in known:
            return known[k]
    qid = new_id(conn, "questions", "q", seed)
    conn.execute("INSERT INTO questions (id, created_at) VALUES (?, ?)", (qid, utcnow()))
    return qid


def _add_keys(conn: sqlite3.Connection, qid: str, keys: set[str]) -> None:
    conn.executemany("INSERT OR IGNORE INTO question_keys (key, question_id) VALUES (?, ?)",
                     [(k, qid) for k in keys])


def collect_orphans(conn: sqlite3.Connection) -> int:
    """Delete canonical questions that no item and no attachment refers to."""
    keep = " ".join(
        f"AND NOT EXISTS (SELECT 1 FROM {t} WHERE {t}.question_id = questions.id)" for t in ATTACHMENTS
    )
    cur = conn.execute(
        f"DELETE FROM questions WHERE NOT EXISTS (SELECT 1 FROM items WHERE items.question_id = questions.id) {keep}"
    )
    return cur.rowcount


_INSERT = (
    f"INSERT INTO items (id, source_id, question_id, position, norm, {', '.join(DATA_COLUMNS)}) "
    f"VALUES (?, ?, ?, ?, ?, {', '.join('?' for _ in DATA_COLUMNS)})"
)
_UPDATE = (
    f"UPDATE items SET position = ?, norm = ?, {', '.join(c + ' = ?' for c in DATA_COLUMNS)} WHERE id = ?"
)


def sync_source(
    conn: sqlite3.Connection,
    *,
    path: str,
    sha256: str,
    encoding: str,
    size: int,
    shapes: list[str],
    notices: list[tuple[int, str]],
    items: list[ItemData] | Callable[[], list[ItemData]],
) -> SyncReport:
    """Make the bank hold exactly `items` for `path`. One transaction."""
    with transaction(conn):
        src = conn.execute("SELECT id, sha256 FROM sources WHERE path = ?", (path,)).fetchone()
        if src is not None and src["sha256"] == sha256:
            kept = conn.execute("SELECT COUNT(*) FROM items WHERE source_id = ?", (src["id"],)).fetchone()[0]
            return SyncReport(path, "unchanged", kept=kept)
        parsed = items() if callable(items) else items
        meta = (sha256, encoding, size, json.dumps(shapes), json.dumps(notices, ensure_ascii=False), utcnow())
        if src is None:
            cur = conn.execute(
                "INSERT INTO sources (sha256, encoding, size, shapes, notices, ingested_at, path) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)", (*meta, path))
            source_id, old = cur.lastrowid, []
        else:
            source_id = src["id"]
            conn.execute(
                "UPDATE sources SET sha256 = ?, encoding = ?, size = ?, shapes = ?, notices = ?, "
                "ingested_at = ? WHERE id = ?", (*meta, source_id))
            old = conn.execute("SELECT * FROM items WHERE source_id = ?", (source_id,)).fetchall()
        matched = _match_old(parsed, old)
        all_keys = [keys_of(data) for data in parsed]
        known = _known_keys(conn, set().union(*all_keys)) if all_keys else {}
        added = updated = kept = 0
        for pos, data in enumerate(parsed):
            norm = key(data.question)
            keys = all_keys[pos]
            row = matched.get(pos)
            if row is not None:
                values = item_values(data)
                same = [row[c] for c in DATA_COLUMNS] == values and row["position"] == pos
                if same:
                    kept += 1
                else:
                    conn.execute(_UPDATE, (pos, norm, *values, row["id"]))
                    updated += 1
                _add_keys(conn, row["question_id"], keys)
                continue
            qid = _question_for(conn, known, keys, seed=norm or data.question)
            _add_keys(conn, qid, keys)
            known.update({k: qid for k in keys if k not in known})
            iid = new_id(conn, "items", "i", f"{path}\0{norm}\0{pos}", length=10)
            conn.execute(_INSERT, (iid, source_id, qid, pos, norm, *item_values(data)))
            added += 1
        gone = [row["id"] for row in old if row["id"] not in {r["id"] for r in matched.values()}]
        conn.executemany("DELETE FROM items WHERE id = ?", [(g,) for g in gone])
        collect_orphans(conn)
        status = "new" if src is None else "updated"
        return SyncReport(path, status, added=added, updated=updated, removed=len(gone), kept=kept)


def remove_source(conn: sqlite3.Connection, path: str) -> int | None:
    """Remove a source and its items; returns the number of items removed, None if unknown."""
    with transaction(conn):
        src = conn.execute("SELECT id FROM sources WHERE path = ?", (path,)).fetchone()
        if src is None:
            return None
        n = conn.execute("DELETE FROM items WHERE source_id = ?", (src["id"],)).rowcount
        conn.execute("DELETE FROM sources WHERE id = ?", (src["id"],))
        collect_orphans(conn)
        return n
