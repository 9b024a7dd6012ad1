"""What the shapes left over: lines that ask outside every item (made items of their own
when there are several, else reported), and unanswered questions in an answered bank."""

from __future__ import annotations

from ..bank.types import ItemData
from . import body as bodies
from .lines import Kind, Line
from .model import Anchor, Notice
from .questionlike import strong


def stray_question(ln: Line) -> bool:
    return (ln.kind not in (Kind.CODE, Kind.BLANK, Kind.HEADING, Kind.TABLE) and ln.indent <= 1
            and strong(ln.body or ln.text) and len(ln.text) <= 300)


def orphans(lines: list[Line], anchors: list[Anchor], bodies_of: dict[int, bodies.Body]) -> list[Anchor]:
    """Lines that ask (end with a question mark) outside every item's question, answer and
    explanation: questions of their own (a plain list of questions), answered only by what
    is indented under them."""
    covered: set[int] = set()
    for a in anchors:
        covered.update(ln.no for ln in lines[a.start:max(a.body_start, a.start + 1)])
        covered.update(ln.no for ln in bodies_of[id(a)].lead)
        for span in (bodies_of[id(a)].answer_span, bodies_of[id(a)].explanation_span):
            if span:
                covered.update(range(span[0], span[1] + 1))
    return [Anchor(shape="generic", question=ln.body or ln.text, question_line=ln.no, start=k, body_start=k + 1,
                   body_end=_nested_end(lines, k), number=ln.number)
            for k, ln in enumerate(lines) if ln.no not in covered and stray_question(ln)]


def _nested_end(lines: list[Line], k: int) -> int:
    """End of the block indented under line k (`1. **Q？**` / `   - **答案：** …`): a stray
    question's answer is only what is written inside it."""
    end = k + 1
    for j in range(k + 1, len(lines)):
        if lines[j].blank:
            continue
        if lines[j].indent <= lines[k].indent:
            break
        end = j + 1
    return end


def notices(lines: list[Line], items: list[ItemData]) -> list[Notice]:
    covered: set[int] = set()
    for it in items:
        covered.update(range(it.line_start, it.line_end + 1))
        if it.listed_line:
            covered.add(it.listed_line)
    notes: list[Notice] = []
    for ln in lines:
        if ln.no in covered:
            continue
        if stray_question(ln):
            notes.append(Notice(ln.no, f"looks like a question but is not part of any item: {ln.text[:80]}"))
    answered = sum(it.answer is not None for it in items)
    if answered * 2 >= len(items):  # a document of answered questions: say which have none
        for it in items:
            if it.answer is None:
                notes.append(Notice(it.question_line, f"no answer found for: {it.question[:80]}"))
    return notes
