"""Rows ↔ records: the one place that knows how items are laid out in SQL."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import fields

from .types import Item, ItemData

_JSON = {"translations", "images", "links"}
DATA_COLUMNS = [f.name for f in fields(ItemData)]


def item_values(data: ItemData) -> list[object]:
    out: list[object] = []
    for name in DATA_COLUMNS:
        value = getattr(data, name)
        out.append(json.dumps(value, ensure_ascii=False) if name in _JSON else value)
    return out


def item_from_row(row: sqlite3.Row) -> Item:
    values = {name: (json.loads(row[name]) if name in _JSON else row[name]) for name in DATA_COLUMNS}
    return Item(**values, item_id=row["id"], question_id=row["question_id"], source=row["path"],
                position=row["position"])
