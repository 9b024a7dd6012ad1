"""Questions introduced by a label: `面试题：` / `题目：` blocks (titled by the numbered heading
above them) and `Q:` / `问：` / `Q1.` pairs; "### Question 3" headings name the question below.

The question is the text after the label, or the lines under a label that stands alone, up
to a blank line, an answer label or another label.
"""

from __future__ import annotations

import re

from ..text.lang import cjk_count, detect_lang
from .lines import Kind, Line, answer_label
from .model import Anchor
from .questionlike import questionlike
from .translations import side
from .units import Unit, label_text

_OTHER_LABEL = re.compile(r"^(?:\*\*)?[^\s:：*][^:：]{0,19}[:：](?:\*\*)?\s*$")  # "考察重點:" starts another block
_SHORT = re.compile(r"^(?:[-*+]\s+)?(?:\*\*)?\s*(?:[Qq]\d*|问|問)\s*(?:\*\*)?\s*[:：.]")
_QNUM = re.compile(r"^(?:\*\*)?[Qq](\d{1,3})(?:\*\*)?\s*[.:：)]")
# "Q: …" in prose about attention is a Query, not a question: "Q：查询向量", "Q/K/V"
_QKV = re.compile(r"^(?:[-*+]\s+)?(?:\*\*)?\s*[Qq]\s*(?:\*\*)?\s*[:：]\s*(?:\*\*)?\s*(?:query|查询|查詢|询问向量)", re.I)


def anchor(unit: Unit, lines: list[Line], allowed: list[bool]) -> Anchor | None:
    i = unit.idx
    ln = lines[i]
    if _QKV.match(ln.text) or _followed_by_key(lines, i):
        return None
    inline = label_text(ln)
    if inline is None:
        return None
    number = None
    m = _QNUM.match(ln.text)
    if m:
        number = int(m.group(1))
    q_lines = [(ln.no, inline)] if inline else []
    j = i + 1
    if not inline:
        while j < len(lines) and lines[j].blank:
            j += 1
    while j < len(lines):
        nxt = lines[j]
        if nxt.blank or nxt.kind in (Kind.HEADING, Kind.SEPARATOR) or answer_label(nxt) is not None:
            break
        if label_text(nxt) is not None or (not inline and nxt.kind is not Kind.TEXT) or _OTHER_LABEL.match(nxt.text):
            break
        if inline and nxt.indent <= ln.indent:  # an inline question continues only on indented lines
            break
        if not allowed[j]:
            break
        q_lines.append((nxt.no, nxt.body or nxt.text))
        j += 1
    if not q_lines:
        return None
    start, title = i, None
    k = i - 1
    while k >= 0 and lines[k].blank:
        k -= 1
    prev = lines[k] if k >= 0 else None
    short = bool(_SHORT.match(ln.text) or m)
    if (
        prev is not None and prev.kind is Kind.HEADING
        # a numbered heading titles a `面试题：` block; above `Q:` pairs it is a section
        and (questionlike(prev.body) or (prev.number is not None and not short))
        and (prev.level < ln.level if ln.kind is Kind.HEADING else i - k <= 2)
    ):
        start, title = k, prev.body
        number = prev.number if number is None else number
    question, translations = _question_text([t for _, t in q_lines])
    return Anchor(shape="qa_pairs" if short else "interview_blocks", question=question, question_line=q_lines[0][0],
                  start=start, body_start=j, number=number, title=title, translations=translations)


_KEY = re.compile(r"^(?:[-*+]\s+)?(?:\*\*)?\s*K\s*(?:\*\*)?\s*[:：]")


def _followed_by_key(lines: list[Line], i: int) -> bool:
    """`Q：…` then `K：…`: queries and keys of attention, not a question and its answer."""
    if not lines[i].text.lstrip("-*+ ").lstrip("*").lstrip().startswith(("Q", "q")):
        return False
    nxt = next((ln for ln in lines[i + 1:i + 4] if not ln.blank), None)
    return nxt is not None and bool(_KEY.match(nxt.text))


def _question_text(texts: list[str]) -> tuple[str, dict[str, str]]:
    """The question, and its translations when its two lines are one question in two
    languages (`給你一個…` / `(Given a …)`)."""
    if len(texts) == 2:
        first, second = texts[0].strip(), texts[1].strip()
        inner = second[1:-1].strip() if second[:1] in "(（" and second[-1:] in ")）" else second
        sides = side(first), side(inner)
        if None not in sides and sides[0] != sides[1] and (cjk_count(inner) == 0 or cjk_count(first) == 0):
            a, b = detect_lang(first), detect_lang(inner, default_zh="zh-Hans")
            if a != b:
                return first, {a: first, b: inner}
    return " ".join(texts).strip(), {}
