"""Sections: which heading each question sits under, and the document's title line.

A table of contents is no section; a sub-heading inside a heading question's answer is
not one either; a heading at the same level as heading questions is their section only
until it holds plain (list) questions of its own.
"""

from __future__ import annotations

import re

from .lines import Kind, Line
from .model import Anchor


def doc_title(lines: list[Line]) -> int | None:
    heads = [ln for ln in lines if ln.kind is Kind.HEADING]
    if heads and heads[0].level == 1 and sum(h.level == 1 for h in heads) == 1:
        return heads[0].no - 1
    return None


_CONTENTS = re.compile(r"^(?:table of contents|contents|toc|index|目录|目錄|索引)[:：]?$", re.I)


def assign(lines: list[Line], anchors: list[Anchor], title_idx: int | None) -> None:
    owned: set[int] = set()
    for a in anchors:
        owned.update(range(a.start, a.body_start))
    by_start = {a.start: a for a in anchors}
    inside: list[tuple[int, int]] = [(a.body_start, a.body_end or a.body_start) for a in anchors if a.level]
    stack: list[list] = []  # [level, text, has_plain_questions]
    current_q: Anchor | None = None
    for i, ln in enumerate(lines):
        here = by_start.get(i)
        if here is not None:
            sec = None
            for entry in reversed(stack):
                if here.level == 0 or entry[0] < here.level or (entry[0] == here.level and not entry[2]):
                    sec = entry
                    break
            here.section = sec[1] if sec else None
            if sec is not None and here.level == 0:
                sec[2] = True
            current_q = here
            continue
        if ln.kind is not Kind.HEADING or i in owned or i == title_idx:
            continue
        if _CONTENTS.match(ln.body):  # a table of contents holds no questions
            while stack and stack[-1][0] >= ln.level:
                stack.pop()
            continue
        if current_q is not None and current_q.level and any(s <= i < e for s, e in inside) and ln.level > current_q.level:
            continue  # a sub-heading inside a heading question's answer
        while stack and stack[-1][0] >= ln.level:
            stack.pop()
        stack.append([ln.level, ln.body, False])
