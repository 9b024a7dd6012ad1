"""Which list entries and paragraph lines are questions.

Numbered entries (`1. …`, `1、…`, `(3) …`, `**7.** …`) are weighed as one sequence: an
entry that follows answer text must ask and continue the numbering (or ask firmly), so a
numbered list inside an answer stays answer text; when every entry holds its answer
indented under it, every entry is a question. A topic entry whose indented sub-list asks
the questions is one question with them. Bullet entries are questions among siblings that
ask: one that asks in the imperative or is bold with an answer under it inherits the role,
a definition (`- **Term**: …`) does not. Bold lines that ask (`**What is X? 👶**`) are
questions when there are at least two of them.
"""

from __future__ import annotations

import re

from .blocks import Block
from .evidence import Verdict, asks, section_names_questions, weigh
from .lines import Kind, Line, answer_label, numbered_rest, strip_bold
from .model import Anchor
from .questionlike import definition_like, imperative, strong, weak
from .translations import attach
from .units import Unit

_WORD = re.compile(r"[^\W_]")  # "3. ..." placeholders ask nothing
_LINK_ONLY = re.compile(r"^(?:(?:\[[^\]]*\]\([^)]*\)|\[\[[^\]]+\]\])[\s,，、|]*)+$")  # "1. [基础](#基础)": contents
_RUN_ON = re.compile(r"(?<=[?？。!！.])\s*(\d{1,2})[.．、]\s*(?=\S)")
_BOLD_Q = re.compile(r"^\*\*(?P<q>[^*]+?)\*\*\s*[:：—–-]?\s*(?P<a>\S.*)$")


def top_level(u: Unit) -> bool:
    return "entry" not in u.path and "quote" not in u.path and u.indent <= 1


def _followed_by_answer(lines: list[Line], idx: int) -> bool:
    for ln in lines[idx + 1: idx + 4]:
        if ln.blank:
            continue
        if answer_label(ln) is not None:
            return True
        if ln.kind is not Kind.TEXT:
            return False
    return False


def sub_questions(lines: list[Line], idx: int) -> tuple[list[str], int]:
    """The indented list right under line `idx` when at least half of its entries ask with a
    question mark and it holds nothing but entries: its entries and the index after it."""
    top = lines[idx].indent
    entries: list[str] = []
    j = idx + 1
    while j < len(lines):
        ln = lines[j]
        if ln.blank:
            j += 1
            continue
        if ln.indent <= top or ln.kind not in (Kind.NUMBERED, Kind.BULLET) or answer_label(ln) is not None:
            break
        entries.append(ln.body)
        j += 1
    if not entries or sum(strong(e) for e in entries) * 2 < len(entries):
        return [], idx + 1
    while j > idx + 1 and lines[j - 1].blank:
        j -= 1
    return entries, j


def run_on(body: str, first: int | None) -> list[tuple[int, str]]:
    """`1.A?2.B?3.C?` on one line: the numbered questions run together (at least three)."""
    if first is None:
        return []
    cuts, expected = [], first + 1
    for m in _RUN_ON.finditer(body):
        if int(m.group(1)) == expected:
            cuts.append(m)
            expected += 1
    if len(cuts) < 2:
        return []
    parts, start, number = [], 0, first
    for m in cuts:
        parts.append((number, body[start:m.start()].strip()))
        start, number = m.end(), int(m.group(1))
    parts.append((number, body[start:].strip()))
    return [(n, q) for n, q in parts if q]


def bold_question_with_answer(line: Line) -> tuple[str, str] | None:
    """`1. **What is a stride?** How far the kernel moves.`: (question, answer on the line)."""
    rest = numbered_rest(line.text)
    m = _BOLD_Q.match(rest) if rest else None
    if not m:
        return None
    question, answer = strip_bold(m.group("q")), m.group("a").strip()
    if not (strong(question) or imperative(question)) or len(answer.split()) < 3 and len(answer) < 8:
        return None
    return question, answer


def _lazy(tops: list[Unit]) -> bool:
    """Every entry numbered `1.` (Markdown renumbers them): the sequence says nothing."""
    return len(tops) >= 3 and sum(u.number == 1 for u in tops) >= 0.8 * len(tops)


def _answers_nested(lines: list[Line], tops: list[Unit]) -> bool:
    """Answers written inside their entries (indented under each `1.` line)."""
    if len(tops) < 3:
        return False
    inside = nested = 0
    for a, b in zip(tops, tops[1:], strict=False):
        for ln in lines[a.idx + 1:b.idx]:
            if ln.blank or ln.kind is Kind.HEADING:
                continue
            inside += 1
            nested += ln.indent >= 2
    return inside >= len(tops) and nested >= 0.95 * inside


def numbered(units: list[Unit], lines: list[Line], allowed: list[bool]) -> list[Anchor]:
    """Numbered entries that are questions, in document order."""
    cand = {u.idx: u for u in units if u.form == "entry" and u.ordered and top_level(u) and allowed[u.idx]
            and lines[u.idx].kind is Kind.NUMBERED and _WORD.search(u.text) and not _LINK_ONLY.match(u.text)}
    tops = sorted(cand.values(), key=lambda u: u.idx)
    lazy, nested = _lazy(tops), _answers_nested(lines, tops)
    lists: dict[int, list[Unit]] = {}
    for u in tops:
        lists.setdefault(u.block.list_id, []).append(u)
    # a list that mostly asks, or sits in a section named for questions: its first entry may be a title
    leading = {lid for lid, members in lists.items()
               if sum(asks(u.text) for u in members) * 2 >= len(members) >= 2
               or section_names_questions(members[0].block, lines)}
    anchors: list[Anchor] = []
    expected: int | None = None
    in_body = False  # content seen since the last accepted question
    last_body_end = -1
    i = 0
    while i < len(lines):
        ln = lines[i]
        if not allowed[i]:
            i += 1
            continue
        if ln.kind is Kind.HEADING:
            expected, in_body = None, False
        elif i in cand and anchors and anchors[-1].question.rstrip().endswith((":", "：")) \
                and style(ln.text) != style(lines[anchors[-1].start].text):
            pass  # "1. 下列说法正确的是：" / "（1）…" / "（2）…": statements of the question, not questions
        elif i in cand:
            got = _numbered_one(lines, i, ln, expected, in_body, lazy, nested or cand[i].block.list_id in leading
                                and expected is None and not in_body)
            for a in got:
                a.group, a.own_end = ("list", cand[i].block.list_id), cand[i].block.end
                a.body_end = own_body_end(cand[i].block, a)
            if got:
                anchors.extend(got)
                expected = (ln.number or 0) + 1
                in_body = False
                i = last_body_end = got[-1].body_start
                continue
        if i >= last_body_end and not ln.blank and ln.kind is not Kind.HEADING and anchors:
            in_body = True
        i += 1
    return _bare(_with_evidence(anchors, tops, lines))


def _with_evidence(anchors: list[Anchor], tops: list[Unit], lines: list[Line]) -> list[Anchor]:
    """Drop a numbered list none of whose entries asks or is answered ("## 学习建议" /
    "1. **理解原理比记答案更重要**"), unless its section names questions."""
    by_list: dict[object, list[Unit]] = {}
    for u in tops:
        by_list.setdefault(("list", u.block.list_id), []).append(u)
    drop = set()
    for key, members in by_list.items():
        if any(asks(u.text) for u in members) or any(_answered(u, lines) for u in members):
            continue
        if section_names_questions(members[0].block, lines):
            continue
        drop.add(key)
    return [a for a in anchors if a.group not in drop]


def _answered(u: Unit, lines: list[Line]) -> bool:
    """Something under the entry's own line: indented content, or an answer label right after it."""
    return u.block.end > u.idx + 1 and any(not ln.blank for ln in lines[u.idx + 1:u.block.end]) \
        or _followed_by_answer(lines, u.idx)


def style(text: str) -> str:
    """How an entry is numbered: "(1)", "1.", "1、", "①"."""
    t = text.lstrip("-*+ \t").lstrip("*")
    if t[:1] in "(（":
        return "paren"
    if "\u2460" <= t[:1] <= "\u2473":
        return "circled"
    m = re.match(r"\d+\s*(\S)", t)
    return m.group(1) if m else ""


def _numbered_one(lines: list[Line], i: int, ln: Line, expected: int | None, in_body: bool, lazy: bool,
                  nested: bool) -> list[Anchor]:
    """`nested`: the entry is a question whatever it says (answers nested under every entry;
    the first entry of a list that mostly asks)."""
    translations, body_start = attach(lines, i, ln.body)
    subs, after_subs = ([], body_start) if translations else sub_questions(lines, i)
    firm = strong(ln.body) or bool(translations) or bool(subs) or _followed_by_answer(lines, i)
    asks = firm or weak(ln.body)
    in_sequence = expected is None or ln.number == expected or (lazy and ln.number == 1)
    definition = definition_like(ln.body) and not firm
    if nested:
        ok = True
    elif in_body:
        ok = asks and not definition and (in_sequence or firm)
    else:
        ok = (asks or in_sequence and expected is not None) and not definition
    if not ok:
        return []
    if subs:
        body_start = after_subs
    out: list[Anchor] = []
    number: int | None = ln.number
    question = " ".join([ln.body, *subs])
    inline = None if subs or translations else bold_question_with_answer(ln)
    if inline:
        question = inline[0]
    run = run_on(ln.body, ln.number)
    if run:  # "1.…是什么?2.…区别?3.…?" written as one paragraph: one item each
        out.extend(Anchor(shape="numbered", question=q, question_line=ln.no, start=i, body_start=i + 1, number=n)
                   for n, q in run[:-1])
        number, question = run[-1]
    out.append(Anchor(shape="bilingual_pairs" if translations else "numbered", question=question, question_line=ln.no,
                      start=i, body_start=body_start, number=number,
                      inline_answer=(inline[1], ln.no) if inline else None, translations=translations))
    return out


def bold(units: list[Unit], allowed: list[bool]) -> list[Anchor]:
    return [Anchor(shape="bold_questions", question=u.text, question_line=u.idx + 1, start=u.idx, body_start=u.idx + 1)
            for u in units if u.form == "bold" and allowed[u.idx] and u.indent <= 1 and "entry" not in u.path
            and strong(u.text) and len(u.text) <= 300]


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


# --- bullet lists ------------------------------------------------------------------------


def bullets(units: list[Unit], lines: list[Line], allowed: list[bool]) -> tuple[list[Anchor], list[tuple[Unit, Unit, str]]]:
    """Bullet entries weighed list by list; also the refused lists that looked like
    questions: (first, last, why)."""
    cands = [u for u in units if u.form == "entry" and not u.ordered and allowed[u.idx] and u.text
             and len(u.text) <= 300 and lines[u.idx].kind is not Kind.CODE]
    groups: dict[tuple[int, int], list[Unit]] = {}
    for u in cands:
        groups.setdefault((id(u.block.parent), u.block.list_id or u.indent), []).append(u)
    by_depth: dict[int, list[int]] = {}
    for u in cands:
        got = by_depth.setdefault(len(u.path), [0, 0])
        got[0] += asks(u.text)
        got[1] += 1
    anchors: list[Anchor] = []
    refused = []
    taken = list(allowed)
    for key, members in sorted(groups.items(), key=lambda kv: (len(kv[1][0].path), kv[1][0].idx)):  # outer lists first
        members = [u for u in members if taken[u.idx]]
        if not members:
            continue
        asking, total = by_depth[len(members[0].path)]
        titled = "entry" not in members[0].path and section_names_questions(members[0].block, lines)
        verdict: Verdict = weigh(members, sum(_answered(u, lines) for u in members), titled, asking / total)
        if not verdict.accept:
            if verdict.looked:
                refused.append((members[0], members[-1], verdict.why))
            continue
        for u in members:
            if verdict.takes(u):
                for k in range(u.idx, u.block.end):  # what is indented under a question is its answer
                    taken[k] = False
                translations, body_start = attach(lines, u.idx, u.text)
                a = Anchor(shape="bilingual_pairs" if translations else "generic", question=u.text,
                           question_line=u.idx + 1, start=u.idx, body_start=body_start, number=u.number,
                           translations=translations, group=("bullets", key), own_end=u.block.end)
                a.body_end = own_body_end(u.block, a)
                anchors.append(a)
    return _bare(anchors), refused


def own_body_end(entry: Block, a: Anchor) -> int | None:
    """An entry followed by another entry of its list answers only with what is indented
    under it; otherwise what follows it (`1. Q` / `答案：…`) may be its answer."""
    parent = entry.parent
    if parent is None:
        return None
    k = parent.children.index(entry)
    nxt = parent.children[k + 1] if k + 1 < len(parent.children) else None
    if nxt is not None and nxt.kind == "entry" and nxt.list_id == entry.list_id:
        return max(entry.end, a.body_start)
    return None


def _bare(anchors: list[Anchor]) -> list[Anchor]:
    """A list of questions without answers: its last entry has none either (what follows
    the list is the document's commentary, not that entry's answer)."""
    by_group: dict[object, list[Anchor]] = {}
    for a in anchors:
        by_group.setdefault(a.group, []).append(a)
    for members in by_group.values():
        if len(members) < 2:
            continue
        bare = sum(a.own_end is not None and a.own_end <= a.body_start and a.body_end is not None for a in members[:-1])
        if bare * 10 >= (len(members) - 1) * 8:
            last = members[-1]
            if last.own_end is not None and last.body_end is None:
                last.body_end = max(last.own_end, last.body_start)
    return anchors


# --- the fallback: lines that ask ---------------------------------------------------------

_FALLBACK_KINDS = (Kind.TEXT, Kind.NUMBERED, Kind.HEADING)


def fallback(lines: list[Line], allowed: list[bool]) -> list[Anchor]:
    """A document with no other template: each short line that asks with a question mark
    (bullet lists were weighed as groups already)."""
    anchors: list[Anchor] = []
    i = 0
    while i < len(lines):
        ln = lines[i]
        t = ln.body or ln.text
        if allowed[i] and ln.kind in _FALLBACK_KINDS and ln.indent <= 1 and len(t) <= 300 and strong(t):
            translations, body_start = attach(lines, i, t)
            anchors.append(Anchor(shape="bilingual_pairs" if translations else "generic", question=t, question_line=ln.no,
                                  start=i, body_start=body_start, number=ln.number,
                                  level=ln.level if ln.kind is Kind.HEADING else 0, translations=translations))
            i = body_start
            continue
        i += 1
    return anchors
