"""Answers given elsewhere: a question listed without an answer is joined to the place
later in the document that repeats it with one.

The repeat may be a question heading already read ("### 1. 你曾經開發過…？"), or a line
the template did not read as a question because it sits in an answers section: a bold or
`<strong>` line, a heading, a list entry ("## 参考回答" / "1." / "<strong>…</strong>" /
the answer; "### 问题解析" / "1. zero-shot" / the answer). Pairs are taken best first, one
to one, on character-bigram overlap of the script-folded texts, with a lower bar when the
printed numbers agree. The joined item sits at the repeat, keeps the list line as
`listed_line`, and asks in the fuller of the two wordings. A listed question without a
repeat stays as it is.
"""

from __future__ import annotations

from ..text.normalize import bigrams, dice
from .evidence import asks
from .lines import Kind, Line
from .model import Anchor
from .questionlike import strong
from .units import Unit

SAME_NUMBER_MIN = 0.2  # bigram Dice needed when the numbers agree
ANY_NUMBER_MIN = 0.6  # ... and when they do not
_REPEAT_FORMS = ("heading", "entry", "bold", "line", "label")


def _number(u: Unit) -> int | None:
    if u.number is not None:
        return u.number
    p = u.block.parent if u.form in ("bold", "line", "label") else None
    while p is not None and p.kind not in ("entry", "section", "doc"):
        p = p.parent
    return p.number if p is not None and p.kind == "entry" else None


def join(anchors: list[Anchor], unanswered: set[int], units: list[Unit], lines: list[Line]) -> list[Anchor]:
    """The anchors with each listed question joined to its repeat. `unanswered`: ids of the
    anchors that have no answer of their own."""
    listed = [a for a in anchors if id(a) in unanswered and a.level == 0 and a.shape != "list_answered_later"]
    if not listed:
        return anchors
    first = min(a.start for a in listed)
    at = {a.start: a for a in anchors}
    starts = {a.start for a in anchors}
    repeats: list[tuple[Unit | Anchor, int | None, str]] = []
    for a in anchors:  # questions read already: headings, and answered ones of other groups
        if a.start > first and (a.level or id(a) not in unanswered):
            repeats.append((a, a.number, a.question))
    for u in units:
        if u.idx <= first or u.form not in _REPEAT_FORMS or u.idx in starts or lines[u.idx].kind is Kind.CODE:
            continue
        if u.form == "heading" and (u.idx in at or _holds_questions(u, lines)) or not _answers(u, lines):
            continue
        repeats.append((u, _number(u), u.text))
    if not repeats:
        return anchors
    grams = {id(a): bigrams(a.question) for a in listed}
    pairs = []
    for r, number, text in repeats:
        rg = bigrams(text)
        start = r.start if isinstance(r, Anchor) else r.idx
        for la in listed:
            if start <= la.start or isinstance(r, Anchor) and not r.level and r.group == la.group:
                continue
            sim = dice(grams[id(la)], rg)
            # agreeing numbers lower the bar for question headings and for entries that are no questions of
            # their own ("1. zero-shot" under "问题解析"); not for section headings, nor between two
            # question lists ("一面" 1-5 and "二面" 1-5 ask different things)
            same = la.number is not None and la.number == number and (
                r.level > 0 if isinstance(r, Anchor) else r.form != "heading")
            if sim >= ANY_NUMBER_MIN or same and sim >= SAME_NUMBER_MIN:
                pairs.append((sim + (0.05 if same else 0.0), la, r, text))
    pairs.sort(key=lambda p: -p[0])
    used_l: set[int] = set()
    used_r: set[int] = set()
    out = list(anchors)
    for _, la, r, text in pairs:
        if id(la) in used_l or id(r) in used_r:
            continue
        used_l.add(id(la))
        used_r.add(id(r))
        out.remove(la)
        if isinstance(r, Anchor):
            r.listed_line, r.section, r.shape = la.question_line, la.section, "list_answered_later"
            if not asks(r.question) and asks(la.question):  # "1. 零样本学习" repeats "1.什么是零样本学习"
                r.question = la.question
            if la.translations and not r.translations:
                r.translations = la.translations
            continue
        question = text if asks(text) and len(text) * 10 >= len(la.question) * 8 else la.question
        out.append(Anchor(shape="list_answered_later", question=question, question_line=r.idx + 1, start=r.idx,
                          body_start=r.idx + 1, number=la.number, listed_line=la.question_line, section=la.section,
                          translations=dict(la.translations), body_end=_repeat_end(r, lines)))
    return sorted(out, key=lambda a: a.start)


def _answers(u: Unit, lines: list[Line]) -> bool:
    """A repeat is followed by an answer: text under it (in its entry or section), or a
    paragraph after an entry that is not followed by its sibling."""
    end = _repeat_end(u, lines) or u.block.end
    if any(not ln.blank for ln in lines[u.idx + 1:end]):
        return True
    if u.form != "entry" or u.block.parent is None:
        return False
    kids = u.block.parent.children
    k = kids.index(u.block)
    return k + 1 < len(kids) and kids[k + 1].kind not in ("entry", "section")


def _holds_questions(u: Unit, lines: list[Line]) -> bool:
    """A section whose lines ask is a section of questions, not the answer to one."""
    return any(ln.kind is not Kind.CODE and strong(ln.body or ln.text) for ln in lines[u.idx + 1:u.block.end])


def _repeat_end(u: Unit, lines: list[Line]) -> int | None:
    """A repeat inside a list entry ("1." / "<strong>Q</strong>" / answer) answers to the
    entry's end; elsewhere to the next question or heading."""
    if u.form in ("bold", "line", "label"):
        p = u.block.parent
        if p is not None and p.kind == "entry":
            return p.end
    if u.form == "entry":
        return None
    return None
