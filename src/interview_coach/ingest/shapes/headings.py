"""A heading per question: `## What is attention?`, `### 3. 什麼是RLHF？`.

Deeper headings, numbered lists and `---` inside a question's body are answer text.
"""

from __future__ import annotations

from collections import Counter

from ..lines import Kind, Line
from ..model import Anchor
from ..questionlike import questionlike, strong, weak


def _candidates(lines: list[Line]) -> list[Line]:
    return [ln for ln in lines if ln.kind is Kind.HEADING and ln.body]


def find(lines: list[Line]) -> list[Anchor]:
    heads = _candidates(lines)
    numbered_at = Counter(h.level for h in heads if h.number is not None)
    asking_numbered = Counter(h.level for h in heads if h.number is not None and questionlike(h.body))
    firm = [
        h for h in heads
        if strong(h.body) or (h.number is not None and (
            questionlike(h.body) or asking_numbered[h.level] * 2 >= numbered_at[h.level] >= 2))
    ]
    if len(firm) < 2:
        return []
    levels = {h.level for h in firm}
    picked = [h for h in heads if h in firm or (h.level in levels and weak(h.body) and h.number is None)]
    return [
        Anchor(
            shape="heading_per_question",
            question=h.body,
            question_line=h.no,
            start=h.no - 1,
            body_start=h.no,
            number=h.number,
            level=h.level,
        )
        for h in picked
    ]


def body_end(lines: list[Line], anchor: Anchor, limit: int) -> int:
    """A heading question's body ends at the next heading of its level or above."""
    for i in range(anchor.body_start, limit):
        ln = lines[i]
        if ln.kind is Kind.HEADING and ln.level <= anchor.level:
            return i
    return limit
