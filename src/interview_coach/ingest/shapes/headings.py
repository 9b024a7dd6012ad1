"""A heading per question: `## What is attention?`, `### 3. 什麼是RLHF？`.

Deeper headings, numbered lists and `---` inside a question's body are answer text.
A level whose question headings have (nearly) no bodies is a list of questions written
as headings: there, every heading of that level is a question, with or without "?"
("#### 手写Kmeans", "#### Limitation of RNN") — a section heading cannot be empty and
sit at the level of the questions it would hold. Headings that open like a question but
have neither "?" nor a number count when they are most of their level (`_asking_level`).
"""

from __future__ import annotations

from collections import Counter

from ..lines import Kind, Line, question_label
from ..model import Anchor
from ..questionlike import questionlike, strong, weak


def _candidates(lines: list[Line]) -> list[Line]:
    """Headings with text, except those that only name the question below them
    ("### Question 3", "### ✅ 2. 判断题"): the labelled shape reads those."""
    return [ln for ln in lines if ln.kind is Kind.HEADING and ln.body and question_label(ln) != ""]


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
        firm = _asking_level(lines, heads)
        if len(firm) < 2:
            return []
    levels = {h.level for h in firm}
    listed = _question_lists(lines, firm)
    picked = [h for h in heads if h in firm or h.level in listed
              or (h.level in levels and weak(h.body) and h.number is None)]
    picked = _without_subheadings(picked, heads)
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


def _without_subheadings(picked: list[Line], heads: list[Line]) -> list[Line]:
    """Drop a question heading that sits inside another question's answer among plain
    sub-headings of its level (`#### Why LN?` / `##### Short answer` / `##### What breaks?`)."""
    chosen = {id(h) for h in picked}
    drop: set[int] = set()
    for k, h in enumerate(heads):
        if id(h) not in chosen:
            continue
        # the sub-headings of h: deeper headings up to the next heading of h's level or above
        subs = []
        for x in heads[k + 1:]:
            if x.level <= h.level:
                break
            subs.append(x)
        for level in {x.level for x in subs}:
            at = [x for x in subs if x.level == level]
            if any(id(x) not in chosen for x in at):
                drop.update(id(x) for x in at)
    return [h for h in picked if id(h) not in drop]


def _asking_level(lines: list[Line], heads: list[Line]) -> list[Line]:
    """Question headings written without "?" or a number ("#### What is seq2seq model",
    "### 如何缓解幻觉"): a level where at least three headings, and most of them, open like
    a question, and no line under them asks with a question mark (then the questions are
    elsewhere and these headings are sections)."""
    for level in sorted({h.level for h in heads}):
        at = [h for h in heads if h.level == level]
        asking = [h for h in at if weak(h.body)]
        if len(asking) < 3 or len(asking) * 10 < len(at) * 6:
            continue
        under = [ln for h in asking for ln in lines[h.no:_block_end(lines, h.no, h.level, len(lines))]]
        if not any(ln.kind is not Kind.CODE and strong(ln.body or ln.text) for ln in under):
            return asking
    return []


def _block_end(lines: list[Line], start: int, level: int, limit: int) -> int:
    """Index of the next heading at `level` or above from `start` (or `limit`)."""
    for i in range(start, limit):
        if lines[i].kind is Kind.HEADING and lines[i].level <= level:
            return i
    return limit


def _empty_body(lines: list[Line], h: Line) -> bool:
    for ln in lines[h.no:]:
        if ln.kind is Kind.HEADING:
            return ln.level <= h.level  # a deeper heading ("### Answer") is content
        if not ln.blank and ln.kind is not Kind.SEPARATOR:
            return False
    return True


def _question_lists(lines: list[Line], firm: list[Line]) -> set[int]:
    """Levels with at least 3 question headings, 80 % or more of them without a body."""
    out = set()
    for level in {h.level for h in firm}:
        at = [h for h in firm if h.level == level]
        if len(at) >= 3 and sum(_empty_body(lines, h) for h in at) >= 0.8 * len(at):
            out.add(level)
    return out


def body_end(lines: list[Line], anchor: Anchor, limit: int) -> int:
    """A heading question's body ends at the next heading of its level or above."""
    return _block_end(lines, anchor.body_start, anchor.level, limit)
