"""Turn a decoded document into items: pick the shapes, resolve bodies and sections.

Self-delimiting blocks (tables, `<details>`, callouts) are taken first; then labelled
questions (`面试题：`, `Q:`); otherwise question headings plus numbered (or bold) questions
outside their bodies (a list answered later is matched to its headings), with labelled
parts of their own; otherwise a generic fallback. Lines that still ask outside every item
become items too (`leftovers`).
"""

from __future__ import annotations

from ..bank.types import ItemData
from ..text.lang import Lang, chinese_variant, detect_lang
from . import body as bodies
from . import leftovers, question_text, sections
from .lines import Kind, Line, classify
from .model import Anchor, ParseResult
from .shapes import bold, callouts, details, generic, headings, labelled, listed_later, numbered, tables


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
    taken = {a.start for a in found}
    for lab in labels:
        if lab.start in taken:  # "### 10、title" / "问题：…": the heading question already holds it
            continue
        before = [a for a in found if a.start < lab.start]
        if not before:
            out.append(lab)
            continue
        last = max(before, key=lambda a: a.start)
        if any(ln.kind is Kind.HEADING and (last.level == 0 or ln.level <= last.level)
               for ln in lines[last.body_start:lab.start + 1]):
            out.append(lab)
    return out


def _with_bodies(lines: list[Line], anchors: list[Anchor]) -> list[Anchor]:
    for k, a in enumerate(anchors):
        limit = anchors[k + 1].start if k + 1 < len(anchors) else len(lines)
        a.body_end = _body_end(lines, a, limit)
    return anchors


def _body_end(lines: list[Line], a: Anchor, limit: int) -> int:
    if a.body_end is not None:
        return min(a.body_end, limit)
    for i in range(a.body_start, limit):
        ln = lines[i]
        if ln.kind is Kind.HEADING and (a.level == 0 or ln.level <= a.level):
            return i
    return limit


def _lang_default(lines: list[Line]) -> Lang:
    """Script for Chinese text whose characters are common to both scripts: the document's."""
    sample = "".join(ln.raw for ln in lines[:200])[:4000]
    return chinese_variant(sample, "zh-Hans")


def parse_lines(raw_lines: list[str]) -> ParseResult:
    lines = classify(raw_lines)
    n = len(lines)
    anchors = _with_bodies(lines, sorted(_find_anchors(lines), key=lambda a: a.start))
    bodies_of = {id(a): bodies.extract(lines[a.body_start:a.body_end or a.body_start]) for a in anchors}
    orphans = leftovers.orphans(lines, anchors, bodies_of)
    if len(orphans) >= 2:  # question lines the document's main shape left out: items of their own
        anchors = sorted(anchors + orphans, key=lambda a: a.start)
        bodies_of.update((id(o), bodies.extract(lines[o.body_start:o.body_end or o.body_start])) for o in orphans)
    sections.assign(lines, anchors, sections.doc_title(lines))

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
            question=question_text.unquoted(a.question),
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
            question_text.take_lead(item, b.lead, default_zh)
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
    return ParseResult(items=items, shapes=shapes, notices=leftovers.notices(lines, items))


