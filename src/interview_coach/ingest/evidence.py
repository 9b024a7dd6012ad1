"""Is a group of sibling entries a group of questions? The group's evidence decides, and a
member that does not ask on its own inherits the group's role.

Evidence: how many members ask (a question mark; an interrogative or imperative opening),
how many carry an answer-like body (indented content, an answer label after them), whether
the section around them names questions ("## 8. 问答", "## Interview Questions"), and how
many read as definitions (`- **Term**: …`) or statements. A group is refused when too few
members ask; the refusal is kept with its reason for the notices.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .blocks import Block
from .lines import Line
from .questionlike import definition_like, imperative, strong, weak
from .units import Unit

_QUESTION_SECTION = re.compile(
    r"^[\d.\s、]*(?:(?:常见|常見|高频|高頻|经典|經典|面试|面試|精选|精選)的?)*"
    r"(?:问答|問答|问题|問題|面试题|面試題|面经|面經|题目|題目|习题|習題|练习题?|練習題?|八股文?|考题|考題|提问|提問)"
    r"(?:集|汇总|彙總|列表|清单|清單|部分|区|區)?\s*$"
    r"|^[\d.\s]*(?:(?:common|top|typical|sample|interview|practice|review|quiz|technical|frequently asked)\s+)*"
    r"(?:questions?|faqs?|q\s*&\s*a|q\s*and\s*a)(?:\s*(?:and|&)\s*answers?)?\s*$",
    re.I)
_STATEMENT = re.compile(r"[。；;]\s*\S|[。.]$")  # "随着模型的增大，学习率越来越小。": says, does not ask


def section_names_questions(b: Block, lines: list[Line]) -> bool:
    """The nearest section around `b` is titled like a list of questions."""
    p = b.parent
    while p is not None:
        if p.kind == "section":
            return bool(_QUESTION_SECTION.match(lines[p.start].body.strip()))
        p = p.parent
    return False


def asks(text: str) -> bool:
    return strong(text) or weak(text) or imperative(text)


def can_inherit(text: str) -> bool:
    """A member that may take its group's role: not a definition, not a statement, not long."""
    t = text.strip()
    if not t or len(t) > 160 or definition_like(t):
        return False
    return not _STATEMENT.search(t)  # a title does not end like a sentence


@dataclass(slots=True)
class Verdict:
    accept: bool
    inherit: bool  # members that do not ask are questions too
    why: str = ""  # for a refused group that looked like questions
    looked: bool = False  # worth a notice when refused
    strong_only: bool = False  # only members with a question mark

    def takes(self, u: Unit) -> bool:
        if not self.accept:
            return False
        if strong(u.text):
            return True
        if self.strong_only:
            return False
        return asks(u.text) and not definition_like(u.text) or self.inherit and can_inherit(u.text)


def weigh(members: list[Unit], answered: int, titled: bool, prior: float) -> Verdict:
    """`answered`: members with an answer-like body; `prior`: the share of asking members of
    this kind across the document (a short list leans on it)."""
    n = len(members)
    firm = sum(strong(u.text) for u in members)
    asking = sum(asks(u.text) for u in members)
    defs = sum(definition_like(u.text) and not strong(u.text) for u in members)
    share = asking / n if n else 0.0
    if titled and defs * 2 < n:
        return Verdict(True, True)
    if firm and share >= 0.5 or asking >= 2 and share >= 0.6:
        return Verdict(True, share >= 0.6)
    if n <= 2 and asking and prior >= 0.7:
        return Verdict(True, True)
    if answered >= 2 and answered * 10 >= (n - defs) * 8 and firm and defs * 2 < n:
        return Verdict(True, True)  # answered entries beside one that asks: bold titles with answers
    looked = firm >= 2 or asking >= 3
    why = f"{asking} of {n} entries ask" + (f", {defs} read as definitions" if defs else "")
    return Verdict(firm > 0 and firm * 5 >= n, False, why, looked, strong_only=True) if firm * 5 >= n and firm \
        else Verdict(False, False, why, looked)
