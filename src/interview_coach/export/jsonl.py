"""One JSON object per item, as DESIGN.md's contract describes."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from ..bank.types import Item


def item_record(it: Item) -> dict[str, Any]:
    return {
        "item_id": it.item_id,
        "question_id": it.question_id,
        "source": it.source,
        "line_start": it.line_start,
        "line_end": it.line_end,
        "section": it.section,
        "number": it.number,
        "lang": it.lang,
        "question": it.question,
        "translations": it.translations,
        "answer": it.answer,
        "answer_line_start": it.answer_line_start,
        "answer_line_end": it.answer_line_end,
        "explanation": it.explanation,
        "images": it.images,
        "links": it.links,
        # beyond the contract: where the explanation is, the question's line and shape
        "explanation_line_start": it.explanation_line_start,
        "explanation_line_end": it.explanation_line_end,
        "question_line": it.question_line,
        "title": it.title,
        "listed_line": it.listed_line,
        "shape": it.shape,
    }


def lines(items: Iterable[Item]) -> Iterator[str]:
    for it in items:
        yield json.dumps(item_record(it), ensure_ascii=False) + "\n"
