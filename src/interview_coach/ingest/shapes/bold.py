"""Bold question lines without a number: `**What is linear regression? 👶**`, answer below.

A line counts when it is bold as a whole (a trailing emoji or difficulty mark may sit
inside or after the bold) and ends with a question mark. Numbered lines under a bold
question (before the next heading) are its answer; bold questions are used when there
are at least two and no fewer than the numbered questions outside their answers.
"""

from __future__ import annotations

import re

from ..lines import Kind, Line
from ..model import Anchor
from ..questionlike import strong

_BOLD_LINE = re.compile(r"^(\*\*|__)(?P<q>[^*_].*?)\1(?P<tail>[^\w*_]*)$")


def question_of(line: Line) -> str | None:
    if line.kind is not Kind.TEXT or line.indent > 1:
        return None
    m = _BOLD_LINE.match(line.text)
    if not m or "**" in m.group("q"):
        return None
    text = (m.group("q") + m.group("tail")).strip()
    return text if strong(text) and len(text) <= 300 else None


def find(lines: list[Line], allowed: list[bool]) -> list[Anchor]:
    anchors = []
    for i, ln in enumerate(lines):
        question = question_of(ln) if allowed[i] else None
        if question:
            anchors.append(Anchor(shape="bold_questions", question=question, question_line=ln.no,
                                  start=i, body_start=i + 1))
    return anchors


def combine(bolds: list[Anchor], nums: list[Anchor], lines: list[Line]) -> list[Anchor]:
    """The bold questions plus the numbered ones outside their answers, when the bold
    questions are the document's shape; else the numbered questions alone."""
    if len(bolds) < 2:
        return nums
    owner_open = [False] * len(lines)  # is line i under a bold question (no heading since)?
    starts = {a.start for a in bolds}
    open_ = False
    for i, ln in enumerate(lines):
        if i in starts:
            open_ = True
        elif ln.kind is Kind.HEADING:
            open_ = False
        owner_open[i] = open_
    outside = [a for a in nums if not owner_open[a.start]]
    return sorted(bolds + outside, key=lambda a: a.start) if len(bolds) >= len(outside) else nums
