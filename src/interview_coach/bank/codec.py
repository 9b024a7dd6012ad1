"""Rows ↔ records: the one place that knows how items are laid out in the database."""

from __future__ import annotations

import json
from dataclasses import fields
from typing import Any

from .types import Item, ItemData

_JSON = {"translations", "images", "links"}
DATA_COLUMNS = [f.name for f in fields(ItemData)]


def item_values(data: ItemData) -> dict[str, Any]:
    return {name: (json.dumps(getattr(data, name), ensure_ascii=False) if name in _JSON else getattr(data, name))
            for name in DATA_COLUMNS}


def item_from_row(row: Any) -> Item:
    values = {name: (json.loads(row[name]) if name in _JSON else row[name]) for name in DATA_COLUMNS}
    return Item(**values, item_id=row["id"], question_id=row["question_id"], source=row["path"],
                position=row["position"])
