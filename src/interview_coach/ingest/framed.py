"""Blocks that frame their own questions: table rows, `<details>` blocks, callouts.

A table holds questions when a column is headed like one ("Question", "面试题"), or, when
no header says so, a column most of whose cells ask; an answer column, a number column and
a topic column are read when present. A `<details>` block asks its summary unless the
summary only says where an answer is ("Answer", "点击查看答案", "💡 答案提示"): then it wraps
the answer of the question before it. A list folded under "查看问题" (or under a summary that
asks nothing, over entries most of which ask) is a list of questions. An Obsidian
`> [!question]` callout asks; the callout right after it (`[!tip]`, `[!answer]` …) answers.
"""

from __future__ import annotations

import re

from ..text.lang import cjk_count
from .blocks import Block
from .lines import Kind, Line, reveal_label, strip_bold
from .model import Anchor
from .questionlike import questionlike, strong
from .units import Unit

_Q = re.compile(r"^(?:(?:common|typical|interview|sample|example)\s+)?(question|questions|q|problem|problems)$"
                r"|^.{0,4}(问题|問題|题目|題目|面试题|面試題|提问|提問)$", re.I)
_TOPIC = re.compile(r"^(topic|topics|subject|area|category|主题|主題|领域|領域|方向|类别|類別)$", re.I)
_A = re.compile(r"^(answer|answers|a|答案|回答|参考答案|參考答案|解答|要点|要點|key points|solution|solutions)$", re.I)
_N = re.compile(r"^(#|no\.?|num|number|id|序号|序號|编号|編號)$", re.I)
_BR = re.compile(r"<br\s*/?>", re.I)
_LINK_ONLY = re.compile(r"^(?:\[[^\]]*\]\([^)]*\)|<a\b[^>]*>.*?</a>|https?://\S+)(?:[\s,，、|/]*"
                        r"(?:\[[^\]]*\]\([^)]*\)|<a\b[^>]*>.*?</a>|https?://\S+))*$", re.I)
_MD_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")


def cells(row: str) -> list[str]:
    row = row.strip()
    if row.startswith("|"):
        row = row[1:]
    if row.endswith("|") and not row.endswith("\\|"):
        row = row[:-1]
    parts = re.split(r"(?<!\\)\|", row)
    return [p.strip().replace("\\|", "|") for p in parts]


def _column(header: list[str], pattern: re.Pattern[str]) -> int | None:
    return next((k for k, h in enumerate(header) if pattern.match(h)), None)


def table(tbl: Block, lines: list[Line], hints: dict[str, str]) -> tuple[list[Anchor], str | None]:
    """Anchors for the rows of one table, or ([], why not) when it holds no questions."""
    header = [strip_bold(c).strip().lower() for c in cells(lines[tbl.start].text)]
    rows = [[strip_bold(c) for c in cells(lines[r.start].text)] for r in tbl.children]
    qcol = _hinted_column(header, hints.get("question_column"))
    if qcol is None:
        qcol = _column(header, _Q)
    if qcol is None:  # no header says so: a column most of whose cells ask
        for k in range(len(header)):
            texts = [r[k] for r in rows if k < len(r) and r[k]]
            if len(texts) >= 2 and sum(strong(t) for t in texts) * 10 >= len(texts) * 6:
                qcol = k
                break
    if qcol is None:
        numbered = _column(header, _N) is not None
        if len(rows) >= 3 and (numbered or any(h in ("title", "name", "题目名称", "题名") for h in header)):
            return [], ("a table of rows with no question column (`--hint question_column=NAME` reads one): "
                        + " | ".join(h for h in header if h))
        return [], None
    acol = _hinted_column(header, hints.get("answer_column"))
    acol = acol if acol is not None else _column(header, _A)
    ncol, tcol = _column(header, _N), _column(header, _TOPIC)
    out = []
    for row, blk in zip(rows, tbl.children, strict=True):
        question = _MD_LINK.sub(r"\1", row[qcol]).strip() if qcol < len(row) else ""
        if not question:
            continue
        topic = row[tcol] if tcol is not None and tcol < len(row) else ""
        if topic and topic.lower() not in question.lower():
            question = f"{topic}{'：' if cjk_count(question) else ': '}{question}"
        raw = cells(lines[blk.start].text)
        answer = raw[acol] if acol is not None and acol < len(raw) else ""
        answer = "\n".join(part.strip() for part in _BR.split(answer)).strip()
        if _LINK_ONLY.match(answer) or answer in ("-", "—", "/"):
            answer = ""  # a link to an answer elsewhere is no answer
        number = None
        if ncol is not None and ncol < len(row) and row[ncol].strip().rstrip(".").isdigit():
            number = int(row[ncol].strip().rstrip("."))
        out.append(Anchor(shape="tables", question=question, question_line=blk.start + 1, start=blk.start,
                          body_start=blk.start + 1, body_end=blk.start + 1, number=number,
                          inline_answer=(answer, blk.start + 1) if answer else None))
    return out, None


def _hinted_column(header: list[str], hint: str | None) -> int | None:
    if not hint:
        return None
    if hint.isdigit():
        return int(hint) - 1
    return next((k for k, h in enumerate(header) if h == hint.strip().lower()), None)


# --- <details> -----------------------------------------------------------------------

_NUM = re.compile(r"^\s*(?:Q\s*)?(\d{1,3})\s*[.．、):：]\s*")
_LIST_SUMMARY = re.compile(
    r"^(?:点击|點擊)?(?:查看|展开|展開|显示|顯示)?(?:全部|所有)?(?:问题|問題|题目|題目|面试题|面試題)(?:列表|清单|清單)?$"
    r"|^(?:show|view|see|expand)?\s*(?:the\s+|all\s+)?(?:interview\s+)?questions?(?:\s+list)?$", re.I)


def details(unit: Unit, lines: list[Line]) -> list[Anchor] | None:
    """Anchors for a `<details>` block; None when it is no question (a folded section or an
    answer wrapper), so that what it holds is read as usual."""
    blk = unit.block
    summary = unit.text
    if blk.head_end <= blk.start:
        return None
    if any(c.kind == "details" for c in blk.walk() if c is not blk):
        return None  # a folded section holding other blocks
    listed = _question_list(blk, lines, summary)
    if listed:
        return [Anchor(shape="details_blocks", question=ln.body, question_line=ln.no, start=ln.no - 1,
                       body_start=ln.no, body_end=ln.no, number=ln.number) for ln in listed]
    if reveal_label(summary) or _LIST_SUMMARY.match(summary) or not summary:
        return None  # wraps the answer of the question before it
    number, question = None, summary
    m = _NUM.match(question)
    if m:
        number, question = int(m.group(1)), question[m.end():]
    q_line = next((k for k in range(blk.start, blk.head_end) if "<summary" in lines[k].raw.lower()), blk.start)
    close = blk.end - 1 if blk.end - 1 > blk.head_end - 1 and "</details" in lines[blk.end - 1].raw.lower() else blk.end
    return [Anchor(shape="details_blocks", question=question, question_line=q_line + 1, start=blk.start,
                   body_start=blk.head_end, body_end=max(close, blk.head_end), number=number)]


def _question_list(blk: Block, lines: list[Line], summary: str) -> list[Line]:
    inside = lines[blk.head_end:blk.end]
    entries = [ln for ln in inside if ln.kind in (Kind.BULLET, Kind.NUMBERED) and ln.indent <= 1 and ln.body]
    content = [ln for ln in inside if not ln.blank and "</details" not in ln.raw.lower()]
    others = len(content) - len(entries)
    if len(entries) < 2 or others > max(1, len(entries) // 5):
        return []
    if _LIST_SUMMARY.match(summary.strip()):
        return entries
    if not questionlike(summary) and sum(questionlike(e.body) for e in entries) * 2 >= len(entries):
        return entries
    return []


# --- callouts --------------------------------------------------------------------------

_QUESTION_TYPES = {"question", "faq", "help", "quiz"}
_ANSWER_TYPES = {"tip", "hint", "answer", "success", "check", "done", "example", "note", "info", "summary", "abstract"}


def _unquote(line: Line) -> str:
    return line.text.lstrip(">").strip().strip("\"“”'").strip()


def callout(unit: Unit, nxt: Block | None, lines: list[Line]) -> Anchor | None:
    blk = unit.block
    if blk.ctype not in _QUESTION_TYPES:
        return None
    content = [ln for ln in lines[blk.start + 1:blk.end] if _unquote(ln)]
    title = blk.title
    if content and (questionlike(_unquote(content[0])) or not questionlike(title)):
        question, q_line = _unquote(content[0]), content[0].no
    else:
        question, q_line = title, blk.start + 1
    if not question:
        return None
    body_start = body_end = blk.end
    if nxt is not None and nxt.kind == "callout" and nxt.ctype in _ANSWER_TYPES:
        body_start, body_end = nxt.start + 1, nxt.end
    return Anchor(shape="callouts", question=question, question_line=q_line, start=blk.start,
                  body_start=body_start, body_end=body_end)
