"""Which headings are questions: the headings of one level form a group, weighed together.

A heading that asks ("## What is attention?") or is numbered among numbered headings that
mostly ask is a question; so is every heading of a level where it stands among them and
asks in the imperative or opens like a question ("### 解释 RoPE", "### How does X work"),
and every heading of a level whose questions have (nearly) no bodies (a list of questions
written as headings: a section cannot be empty at the level of the questions it would
hold). Headings that open like a question but have neither "?" nor a number count when
they are most of their level and nothing under them asks. A question heading is a
sub-heading of an answer when other headings of its level beside it are not questions.
Deeper headings, lists and `---` inside a question's section are answer text.
"""

from __future__ import annotations

import re
from collections import Counter

from .blocks import Block
from .lines import Kind, Line, answer_label, question_label, reveal_label
from .model import Anchor
from .questionlike import imperative, questionlike, strong, weak
from .units import Unit, link_text


def candidates(units: list[Unit], lines: list[Line], allowed: list[bool]) -> list[Unit]:
    """Heading units with text, except those that only name the question below them
    ("### Question 3": the label reads them)."""
    return [u for u in units if u.form == "heading" and allowed[u.idx] and u.text and question_label(lines[u.idx]) != ""
            and not in_answer_wrapper(u.block)]


def in_answer_wrapper(b: Block) -> bool:
    """Inside `<details><summary>Answer</summary>` or an admonition: answer text."""
    p = b.parent
    while p is not None:
        if p.kind == "admonition" or p.kind == "details" and (not p.title or reveal_label(p.title)):
            return True
        p = p.parent
    return False


def pick(heads: list[Unit], lines: list[Line], hint_level: int | None = None) -> tuple[list[Unit], list[tuple[int, int, str]]]:
    """The question headings, and the levels that were weighed and refused: (first line,
    last line, why)."""
    why: list[tuple[int, int, str]] = []
    if hint_level:
        return [h for h in heads if h.level == hint_level], why
    numbered_at = Counter(h.key for h in heads if h.number is not None)
    asking_numbered = Counter(h.key for h in heads if h.number is not None and questionlike(h.text))
    firm = [
        h for h in heads
        if strong(h.text) or (h.number is not None and (
            questionlike(h.text) or asking_numbered[h.key] * 2 >= numbered_at[h.key] >= 2))
    ]
    inherit = _inheriting(heads, firm)
    if len(firm) < 2:
        firm = _answered_level(heads, lines) or _asking_level(heads, lines, why)
        if len(firm) < 2:
            return [], why
    levels = {h.level for h in firm}
    listed = _question_lists(lines, firm)
    picked = [h for h in heads if h in firm or h.level in listed or h.key in inherit and _answered_title(h, lines)
              or (h.level in levels and h.number is None and (weak(h.text) or imperative(h.text)))]
    return _without_subheadings(picked, heads), why


def _inheriting(heads: list[Unit], firm: list[Unit]) -> set[tuple[object, ...]]:
    """Groups (a level in one place) where questions are most headings: a title among them
    ("### Comparing the methods") is one of their questions too."""
    firm_ids = {id(h) for h in firm}
    out = set()
    for key in {h.key for h in heads}:
        at = [h for h in heads if h.key == key]
        asking = sum(id(h) in firm_ids for h in at)
        if asking >= 3 and asking * 10 >= len(at) * 6:
            out.add(key)
    return out


_SECTION_TITLE = re.compile(
    r"^(?:references?|reference links|summary|conclusions?|introduction|overview|contents|table of contents|appendix|"
    r"further reading|resources|acknowledge?ments?|license|notes?|preface|about|changelog|todo|"
    r"examples?|code|sample code|code examples?|demo|tips?|summary|recap|"
    r"示例|例子|举例|舉例|代码|代碼|示例代码|代码示例|代碼示例|演示|提示|注意|注意事项|注意事項|"
    r"参考|参考资料|参考文献|参考链接|總結|总结|小结|小結|目录|目錄|引言|前言|附录|附錄|说明|說明|致谢|致謝|备注|備註|更新日志)"
    r"[\s:：]*$", re.I)


def _answered_title(h: Unit, lines: list[Line]) -> bool:
    """A title heading that answers like its question siblings: it has a body of its own,
    is not a section name, and nothing under it asks (else it holds questions)."""
    if _SECTION_TITLE.match(h.text.strip()) or len(h.text) > 120 or answer_label(lines[h.idx]) is not None:
        return False
    under = lines[h.idx + 1:h.block.end]
    if not any(not ln.blank and ln.kind is not Kind.HEADING for ln in under):
        return False
    return not any(ln.kind is not Kind.CODE and strong(link_text(ln.body or ln.text)) for ln in under)


def _without_subheadings(picked: list[Unit], heads: list[Unit]) -> list[Unit]:
    """Drop a question heading that sits inside another question's answer among plain
    sub-headings of its level (`#### Why LN?` / `##### Short answer` / `##### What breaks?`)."""
    chosen = {id(h) for h in picked}
    drop: set[int] = set()
    for k, h in enumerate(heads):
        if id(h) not in chosen:
            continue
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


def _answered_level(heads: list[Unit], lines: list[Line]) -> list[Unit]:
    """A small group where every heading asks (one with a question mark, the others in the
    imperative or with a question mark too) and has an answer under it of its own."""
    for key in sorted({h.key for h in heads}, key=str):
        at = [h for h in heads if h.key == key]
        if len(at) >= 2 and all(strong(h.text) or imperative(h.text) for h in at) and any(strong(h.text) for h in at) \
                and all(_answered_title(h, lines) or strong(h.text) and not _empty_body(lines, h) for h in at):
            return at
    return []


def _asking_level(heads: list[Unit], lines: list[Line], why: list[tuple[int, int, str]]) -> list[Unit]:
    """Question headings written without "?" or a number ("#### What is seq2seq model",
    "### 如何缓解幻觉"): a level where at least three headings, and most of them, open like
    a question, and no line under them asks with a question mark (then the questions are
    elsewhere and these headings are sections)."""
    for level in sorted({h.level for h in heads}):
        at = [h for h in heads if h.level == level]
        asking = [h for h in at if weak(h.text)]
        if len(asking) < 2:
            continue
        if len(asking) < 3 or len(asking) * 10 < len(at) * 6:
            why.append((asking[0].idx + 1, asking[-1].idx + 1,
                        f"{len(asking)} of {len(at)} level-{level} headings open like questions"))
            continue
        under = [ln for h in asking for ln in lines[h.block.start + 1:h.block.end]]
        if not any(ln.kind is not Kind.CODE and strong(ln.body or ln.text) for ln in under):
            return asking
        why.append((asking[0].idx + 1, asking[-1].idx + 1,
                    f"level-{level} headings open like questions but hold questions of their own"))
    return []


def _empty_body(lines: list[Line], h: Unit) -> bool:
    for ln in lines[h.idx + 1:]:
        if ln.kind is Kind.HEADING:
            return ln.level <= h.level  # a deeper heading ("### Answer") is content
        if not ln.blank and ln.kind is not Kind.SEPARATOR:
            return False
    return True


def _question_lists(lines: list[Line], firm: list[Unit]) -> set[int]:
    """Levels with at least 3 question headings, 80 % or more of them without a body."""
    out = set()
    for level in {h.level for h in firm}:
        at = [h for h in firm if h.level == level]
        if len(at) >= 3 and sum(_empty_body(lines, h) for h in at) >= 0.8 * len(at):
            out.add(level)
    return out


def anchors(picked: list[Unit], lines: list[Line]) -> list[Anchor]:
    out = []
    for h in picked:
        end = h.block.end  # its section: to the next heading of its level or above in the same block
        out.append(Anchor(shape="heading_per_question", question=h.text, question_line=h.idx + 1, start=h.idx,
                          body_start=h.idx + 1, number=h.number, level=h.level, body_end=end))
    return out
