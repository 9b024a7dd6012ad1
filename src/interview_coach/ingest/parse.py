"""Turn a decoded document into items: pick the shapes, resolve bodies and sections.

Self-delimiting blocks (tables, `<details>`, callouts) are taken first; then labelled
questions (`面试题：`, `Q:`); otherwise question headings plus numbered (or bold) questions
outside their bodies (a list answered later is matched to its headings), with labelled
parts of their own; otherwise a generic fallback. Lines that still ask outside every item
become items too (`leftovers`).
"""

from __future__ import annotations

import re

from ..bank.types import ItemData
from ..text.lang import Lang, chinese_variant
from . import blocks, entries, join, leftovers, question_text, sections, template, units
from . import body as bodies
from .lines import Kind, Line, classify
from .model import Anchor, Group, HintError, ParseResult


def _group_titles(lines: list[Line], anchors: list[Anchor]) -> set[int]:
    """Numbered lines that title the questions right under them ("02. self-attention层相关" /
    "(1) …？"), numbered in another style: they end the answer before them."""
    starts = {a.start: a for a in anchors}
    out = set()
    for k, ln in enumerate(lines):
        if ln.kind is not Kind.NUMBERED or ln.indent > 1 or k in starts:
            continue
        nxt = next((j for j in range(k + 1, min(k + 4, len(lines))) if not lines[j].blank), None)
        if nxt is not None and nxt in starts and lines[nxt].kind is Kind.NUMBERED \
                and entries.style(lines[nxt].text) != entries.style(ln.text):
            out.add(k)
    return out


def _with_bodies(lines: list[Line], anchors: list[Anchor], ask_back: list[int]) -> list[Anchor]:
    stops = set(ask_back) | _group_titles(lines, anchors)
    for k, a in enumerate(anchors):
        nxt = anchors[k + 1] if k + 1 < len(anchors) else None
        limit = nxt.start if nxt is not None else len(lines)
        a.body_end = _new_part(lines, a, nxt, _body_end(lines, a, limit, stops))
    return anchors


def _new_part(lines: list[Line], a: Anchor, nxt: Anchor | None, end: int) -> int:
    """A rule (`---`, `=====`) followed by the introduction of the next questions ("以下是…
    30個問題：", or before a list that starts again at 1) ends the answer there; any other
    rule inside an answer is answer text."""
    if nxt is None or end <= a.body_start:
        return end
    rule = next((i for i in range(end - 1, a.body_start, -1) if lines[i].kind is Kind.SEPARATOR and lines[i].indent == 0),
                None)
    if rule is None or any("<details" in lines[i].raw.lower() for i in range(a.body_start, rule)):
        return end
    after = [ln for ln in lines[rule + 1:end] if not ln.blank]
    restarts = nxt.number is not None and a.number is not None and nxt.number < a.number
    introduces = bool(after) and after[-1].text.endswith((":", "："))
    return rule if after and (restarts or introduces) else end


def _body_end(lines: list[Line], a: Anchor, limit: int, stops: set[int]) -> int:
    end = min(a.body_end, limit) if a.body_end is not None else limit
    for i in range(a.body_start, end):
        ln = lines[i]
        if a.body_end is None and ln.kind is Kind.HEADING and (a.level == 0 or ln.level <= a.level) or i in stops:
            return i  # the next heading; "反问：" (the candidate's own questions) ends any answer
    return end


def _strip_hint(hints: dict[str, str] | None) -> re.Pattern[str] | None:
    """The `strip` layout hint: a pattern removed from every question."""
    pattern = (hints or {}).get("strip")
    if not pattern:
        return None
    try:
        return re.compile(pattern)
    except re.error as e:
        raise HintError(f"strip={pattern!r} is not a valid pattern: {e}") from e


def _lang_default(lines: list[Line]) -> Lang:
    """Script for Chinese text whose characters are common to both scripts: the document's."""
    sample = "".join(ln.raw for ln in lines[:200])[:4000]
    return chinese_variant(sample, "zh-Hans")


def parse_lines(raw_lines: list[str], hints: dict[str, str] | None = None) -> ParseResult:
    lines = classify(raw_lines)
    n = len(lines)
    doc = blocks.build(lines)
    unit_list = units.collect(doc, lines)
    ask_back = template.ask_back_lines(lines)
    found = template.infer(doc, lines, unit_list, hints, ask_back)
    anchors = _with_bodies(lines, sorted(found.anchors, key=lambda a: a.start), ask_back)
    bodies_of = {id(a): bodies.extract(lines[a.body_start:a.body_end or a.body_start]) for a in anchors}
    orphans = leftovers.orphans(lines, anchors, bodies_of, found.excluded)
    if len(orphans) >= 2:  # question lines the document's main shape left out: items of their own
        anchors = sorted(anchors + orphans, key=lambda a: a.start)
        bodies_of.update((id(o), bodies.extract(lines[o.body_start:o.body_end or o.body_start])) for o in orphans)
    sections.assign(lines, anchors, sections.doc_title(lines))

    # answers given elsewhere: listed questions joined to the later place that repeats them
    unanswered = {id(a) for a in anchors if bodies_of[id(a)].answer is None and a.inline_answer is None}
    joined = join.join(anchors, unanswered, unit_list, lines)
    if len(joined) != len(anchors) or any(x is not y for x, y in zip(joined, anchors, strict=False)):
        new = {id(a) for a in joined} - {id(a) for a in anchors}
        spans = [(a.start, a.body_end) for a in joined if id(a) in new and a.body_end is not None]
        # what a joined answer holds is its text, not questions of their own
        joined = [a for a in joined if id(a) in new or a.level or not any(s < a.start < e for s, e in spans)]
        ends = {id(a): a.body_end for a in joined}
        anchors = _with_bodies(lines, joined, ask_back)
        for a in anchors:  # bodies that a joined repeat now ends
            if id(a) in new or a.body_end != ends[id(a)]:
                bodies_of[id(a)] = bodies.extract(lines[a.body_start:a.body_end or a.body_start])

    default_zh = _lang_default(lines)
    strip = _strip_hint(hints)
    items: list[ItemData] = []
    for a in anchors:
        if not a.question:
            continue
        b = bodies_of[id(a)]
        q_end = max(a.body_start, a.start + 1)  # question (and translation) lines
        item = ItemData(
            question=question_text.finish(a.question, strip),
            question_line=a.question_line,
            line_start=a.question_line,
            line_end=lines[q_end - 1].no if q_end - 1 < n else a.question_line,
            lang=question_text.item_lang(a.question, default_zh),
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
    refused = [(r.first, r.last, r.why) for r in found.rejected]
    return ParseResult(items=items, shapes=shapes, notices=leftovers.notices(lines, items, unit_list, refused, anchors),
                       groups=_groups(anchors, found.rejected, lines, strip))


def _groups(anchors: list[Anchor], rejected: list[template.Rejected], lines: list[Line],
            strip: re.Pattern[str] | None) -> list[Group]:
    """The groups read as questions (consecutive questions of one shape: one numbered
    sequence, one heading level, one table), with their item counts, and those refused."""
    runs: list[list[Anchor]] = []
    for a in sorted((a for a in anchors if a.question), key=lambda a: a.question_line):
        if runs and runs[-1][-1].shape == a.shape and runs[-1][-1].level == a.level:
            runs[-1].append(a)
        else:
            runs.append([a])
    out = [Group(kind=members[0].shape, first=members[0].question_line, last=members[-1].question_line,
                 items=len(members), sample=tuple(question_text.finish(a.question, strip)[:80] for a in members[:3]))
           for members in runs]
    for r in rejected:
        sample = tuple(ln.text[:80] for ln in lines[r.first - 1:r.last] if not ln.blank)[:3]
        out.append(Group(kind=r.kind, first=r.first, last=r.last, items=0, sample=sample, why=r.why))
    return sorted(out, key=lambda g: g.first)


