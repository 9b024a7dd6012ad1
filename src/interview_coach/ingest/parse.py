"""Turn a decoded document into items: pick the shapes, resolve bodies and sections.

Self-delimiting blocks (tables, `<details>`) are taken first; then labelled questions
(`面试题：`, `Q:`); otherwise question headings plus numbered questions outside their
bodies (a list answered later is matched to its headings); otherwise a generic fallback.
"""

from __future__ import annotations

import re

from ..bank.types import ItemData
from ..text.lang import Lang, chinese_variant, detect_lang
from . import body as bodies
from .lines import Kind, Line, classify
from .model import Anchor, Notice, ParseResult
from .questionlike import strong
from .shapes import bold, callouts, details, generic, headings, labelled, listed_later, numbered, tables


def _doc_title(lines: list[Line]) -> int | None:
    heads = [ln for ln in lines if ln.kind is Kind.HEADING]
    if heads and heads[0].level == 1 and sum(h.level == 1 for h in heads) == 1:
        return heads[0].no - 1
    return None


def _find_anchors(lines: list[Line]) -> list[Anchor]:
    n = len(lines)
    allowed = [ln.kind is not Kind.CODE for ln in lines]
    anchors: list[Anchor] = []
    for a, end in tables.find(lines):
        anchors.append(a)
        for k in range(a.start, min(end, n)):
            allowed[k] = False
    for a in details.find(lines):
        anchors.append(a)
        for k in range(a.start, details.owned_until(a, lines)):
            allowed[k] = False
    for a in callouts.find(lines):
        anchors.append(a)
        for k in range(a.start, a.body_end or a.body_start):
            allowed[k] = False

    labels = labelled.find(lines, allowed)

    heads = [a for a in headings.find(lines) if allowed[a.start]]
    if heads:
        heads.sort(key=lambda a: a.start)
        for k, a in enumerate(heads):
            limit = heads[k + 1].start if k + 1 < len(heads) else n
            a.body_end = headings.body_end(lines, a, limit)
            for j in range(a.start, a.body_end):
                allowed[j] = False
    nums = numbered.find(lines, allowed)
    found = heads + bold.combine(bold.find(lines, allowed), nums, lines)
    # labelled questions win unless they are a few stray labels inside other answers
    if len(labels) >= 2 and len(labels) * 2 >= len(found) or (labels and not found):
        return anchors + labels
    if not found:
        found = generic.find(lines, allowed)
    return anchors + found + _apart(labels, found, lines)


def _apart(labels: list[Anchor], found: list[Anchor], lines: list[Line]) -> list[Anchor]:
    """Labelled questions in a part of the document of their own (a heading closes every
    question before them), when another shape is the document's main one: a stray `Q:`
    inside an answer stays answer text, a `## 场景题` part of Q/A pairs does not."""
    out = []
    for lab in labels:
        before = [a for a in found if a.start < lab.start]
        if not before:
            out.append(lab)
            continue
        last = max(before, key=lambda a: a.start)
        if any(ln.kind is Kind.HEADING and (last.level == 0 or ln.level <= last.level)
               for ln in lines[last.body_start:lab.start]):
            out.append(lab)
    return out


def _with_bodies(lines: list[Line], anchors: list[Anchor]) -> list[Anchor]:
    for k, a in enumerate(anchors):
        limit = anchors[k + 1].start if k + 1 < len(anchors) else len(lines)
        a.body_end = _body_end(lines, a, limit)
    return anchors


def _stray_question(ln: Line) -> bool:
    return (ln.kind not in (Kind.CODE, Kind.BLANK, Kind.HEADING, Kind.TABLE) and ln.indent <= 1
            and strong(ln.body or ln.text) and len(ln.text) <= 300)


def _orphans(lines: list[Line], anchors: list[Anchor], bodies_of: dict[int, bodies.Body]) -> list[Anchor]:
    """Lines that ask (end with a question mark) outside every item's question, answer and
    explanation: unanswered questions of their own (a plain list of questions)."""
    covered: set[int] = set()
    for a in anchors:
        covered.update(ln.no for ln in lines[a.start:max(a.body_start, a.start + 1)])
        covered.update(ln.no for ln in bodies_of[id(a)].lead)
        for span in (bodies_of[id(a)].answer_span, bodies_of[id(a)].explanation_span):
            if span:
                covered.update(range(span[0], span[1] + 1))
    return [Anchor(shape="generic", question=ln.body or ln.text, question_line=ln.no, start=k, body_start=k + 1,
                   body_end=k + 1, number=ln.number)
            for k, ln in enumerate(lines) if ln.no not in covered and _stray_question(ln)]


def _body_end(lines: list[Line], a: Anchor, limit: int) -> int:
    if a.body_end is not None:
        return min(a.body_end, limit)
    for i in range(a.body_start, limit):
        ln = lines[i]
        if ln.kind is Kind.HEADING and (a.level == 0 or ln.level <= a.level):
            return i
    return limit


_CONTENTS = re.compile(r"^(?:table of contents|contents|toc|index|目录|目錄|索引)[:：]?$", re.I)


def _assign_sections(lines: list[Line], anchors: list[Anchor], title_idx: int | None) -> None:
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


_QUOTES = {'"': '"', "“": "”", "「": "」", "『": "』"}


def _unquoted(question: str) -> str:
    """`"What would you do?"` → `What would you do?` (a question quoted as a whole)."""
    q = question.strip()
    close = _QUOTES.get(q[:1])
    if close and len(q) > 2 and q.endswith(close) and q[0] not in q[1:-1] and close not in q[1:-1]:
        return q[1:-1].strip()
    return question


def _lang_default(lines: list[Line]) -> Lang:
    """Script for Chinese text whose characters are common to both scripts: the document's."""
    sample = "".join(ln.raw for ln in lines[:200])[:4000]
    return chinese_variant(sample, "zh-Hans")


def parse_lines(raw_lines: list[str]) -> ParseResult:
    lines = classify(raw_lines)
    n = len(lines)
    anchors = _with_bodies(lines, sorted(_find_anchors(lines), key=lambda a: a.start))
    bodies_of = {id(a): bodies.extract(lines[a.body_start:a.body_end or a.body_start]) for a in anchors}
    orphans = _orphans(lines, anchors, bodies_of)
    if len(orphans) >= 2:  # question lines the document's main shape left out: items of their own
        anchors = sorted(anchors + orphans, key=lambda a: a.start)
        bodies_of.update((id(o), bodies.Body()) for o in orphans)
    _assign_sections(lines, anchors, _doc_title(lines))

    # a list answered later: list entries without a body, matched to question headings
    listed = [a for a in anchors if a.level == 0 and a.shape in ("numbered", "bilingual_pairs")
              and bodies_of[id(a)].answer is None]
    heads = [a for a in anchors if a.level]
    if listed and heads:
        for la, ha in listed_later.match(listed, heads):
            ha.listed_line, ha.section, ha.shape = la.question_line, la.section, "list_answered_later"
            anchors.remove(la)
            if la.translations and not ha.translations:
                ha.translations = la.translations

    default_zh = _lang_default(lines)
    items: list[ItemData] = []
    for a in anchors:
        if not a.question:
            continue
        b = bodies_of[id(a)]
        q_end = max(a.body_start, a.start + 1)  # question (and translation) lines
        item = ItemData(
            question=_unquoted(a.question),
            question_line=a.question_line,
            line_start=a.question_line,
            line_end=lines[q_end - 1].no if q_end - 1 < n else a.question_line,
            lang=detect_lang(a.question, default_zh),
            shape=a.shape,
            number=a.number,
            section=a.section,
            title=a.title,
            translations=dict(a.translations),
            listed_line=a.listed_line,
        )
        if b.lead:
            _take_lead(item, b.lead, default_zh)
        if a.inline_answer is not None:
            text, line = a.inline_answer
            item.answer, item.answer_line_start, item.answer_line_end = text, line, line
            item.images, item.links = bodies.references(text)
        elif b.answer is not None or b.explanation is not None:
            item.answer = b.answer
            if b.answer_span:
                item.answer_line_start, item.answer_line_end = b.answer_span
            item.explanation = b.explanation
            if b.explanation_span:
                item.explanation_line_start, item.explanation_line_end = b.explanation_span
            item.images, item.links = b.images, b.links
            item.line_end = max(item.line_end, b.last_line or item.line_end)
        items.append(item)
    shapes = sorted({it.shape for it in items})
    return ParseResult(items=items, shapes=shapes, notices=_notices(lines, items))


_OPTION = re.compile(r"^(?:[-*+]\s+)?[(（]?[A-Ha-h][)）.．、:：]\s*\S")


def _take_lead(item: ItemData, lead: list[Line], default_zh: Lang) -> None:
    """Lines between a question and its later answer label: multiple-choice options join the
    question; a lone line asking the same in the other language is its translation; anything
    else (difficulty, tags) stays in the item's lines but in neither text."""
    options = [ln for ln in lead if _OPTION.match(ln.text)]
    others = [ln.body or ln.text for ln in lead if not _OPTION.match(ln.text)]
    if len(others) == 1 and not item.translations and strong(others[0]):
        lang = detect_lang(others[0], default_zh)
        if (lang == "en") != (item.lang == "en"):
            item.translations = {item.lang: item.question, lang: others[0]}
    if len(options) >= 2:
        item.question = "\n".join([item.question, *(ln.text for ln in options)])
    item.line_end = max(item.line_end, lead[-1].no)


def _notices(lines: list[Line], items: list[ItemData]) -> list[Notice]:
    covered: set[int] = set()
    for it in items:
        covered.update(range(it.line_start, it.line_end + 1))
        if it.listed_line:
            covered.add(it.listed_line)
    notes: list[Notice] = []
    for ln in lines:
        if ln.no in covered:
            continue
        if _stray_question(ln):
            notes.append(Notice(ln.no, f"looks like a question but is not part of any item: {ln.text[:80]}"))
    answered = sum(it.answer is not None for it in items)
    if answered * 2 >= len(items):  # a document of answered questions: say which have none
        for it in items:
            if it.answer is None:
                notes.append(Notice(it.question_line, f"no answer found for: {it.question[:80]}"))
    return notes
