"""Cut Markdown answers into units of meaning: bullets, sentences, clauses.

Used on both sides of grading: reference answers become key points, a candidate's
answer becomes the spans that can serve as evidence. Offsets into the original text
are kept so that evidence can be highlighted where the user wrote it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9'\-+]*|\d+(?:\.\d+)?")
_LIST = re.compile(r"^\s*(?:[-*+•·]|\d{1,3}[.)、．]|[(（]\d{1,3}[)）])\s+")
_HEADING = re.compile(r"^\s*#{1,6}\s+")
_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)|<img\b[^>]*>", re.I)
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_URL = re.compile(r"https?://\S+")
_TAG = re.compile(r"<[^>]+>")
_BOLD_LEAD = re.compile(r"^\*\*([^*]{1,60}?)\*\*\s*[:：]?\s*|^([^:：]{1,30})(?:：|:\s)")
_SENTENCE = re.compile(r"(?<=[。！？!?；;])\s*|(?<=[.])\s+(?=[A-Z\u4e00-\u9fff])")
_CLAUSE = re.compile(r"(?<=[，,：:])\s*")
_SOURCE_LINE = re.compile(r"^(?:圖片來源|图片来源|image source|source|來源|来源|閱讀|阅读|read (?:this|more))", re.I)

LONG = 90  # characters: longer sentences are also offered as clauses


@dataclass(frozen=True, slots=True)
class Span:
    text: str  # cleaned text (no Markdown marks)
    start: int  # offsets into the original string
    end: int
    lead: str | None = None  # a bold lead term ("**Generator:** …")


def weight(text: str) -> int:
    """Content size: CJK characters count one, Latin words count two."""
    return len(_CJK.findall(text)) + 2 * len(_WORD.findall(text))


def clean(line: str) -> str:
    line = _IMAGE.sub(" ", line)
    line = _LINK.sub(r"\1", line)
    line = _URL.sub(" ", line)
    line = _TAG.sub("", line)
    line = _HEADING.sub("", line)
    line = _LIST.sub("", line)
    return " ".join(line.replace("**", "").replace("__", "").replace("`", "").split())


def _is_label(text: str) -> bool:
    """A short line ending in a colon introduces a list; it says nothing by itself."""
    return text.endswith((":", "：")) and weight(text) <= 24


def _pieces(text: str, pattern: re.Pattern[str]) -> list[tuple[int, int]]:
    out, pos = [], 0
    for m in pattern.finditer(text):
        if m.start() > pos:
            out.append((pos, m.start()))
        pos = m.end()
    if pos < len(text):
        out.append((pos, len(text)))
    return out


def split(text: str, min_weight: int = 4, clauses: bool = False) -> list[Span]:
    """Units of an answer, in order. `clauses` also offers the clauses of long sentences."""
    spans: list[Span] = []
    offset = 0
    for raw in text.splitlines(keepends=True):
        line_start = offset
        offset += len(raw)
        body = clean(raw)
        if not body or _SOURCE_LINE.match(body) or _is_label(body):
            continue
        lead = None
        m = _BOLD_LEAD.match(_LIST.sub("", raw.strip()))
        if m:
            lead = (m.group(1) or m.group(2) or "").strip(" :：") or None
        cursor = 0
        for a, b in _pieces(body, _SENTENCE):
            sent = body[a:b].strip()
            if weight(sent) < min_weight:
                continue
            s0, s1 = locate(raw, sent, cursor)
            cursor = s1
            spans.append(Span(sent, line_start + s0, line_start + s1, lead))
            if clauses and len(sent) > LONG:
                sub = 0
                for c, d in _pieces(sent, _CLAUSE):
                    part = sent[c:d].strip()
                    if weight(part) >= min_weight and part != sent:
                        p0, p1 = locate(raw, part, max(s0, sub))
                        sub = p1
                        spans.append(Span(part, line_start + p0, line_start + p1, lead))
    return spans


def locate(raw: str, text: str, start: int = 0) -> tuple[int, int]:
    """Where cleaned `text` sits in `raw` (markup may interleave): from its head to its tail."""
    head, tail = text[:6], text[-6:]
    a = raw.find(head, start)
    if a < 0:
        a = raw.find(head)
    if a < 0:
        a = start
    b = raw.find(tail, a)
    b = b + len(tail) if b >= 0 else min(len(raw.rstrip("\n")), a + len(text))
    return a, max(b, a)
