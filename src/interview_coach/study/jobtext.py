"""A job description as requirement lines: segmentation, section kinds and must/nice cues.

Postings come as Markdown with headings, as plain lines, or flattened into one paragraph
("工作职责：- … - … 任职要求：1. …；2. …"). `segment` splits them into short lines, each with
the kind of section it sits in (duties, requirements, preferred, other, or the intro before
any heading) and the cue words it carries (must: 要求/必须/熟悉/required; nice: 加分/优先/preferred/plus).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

from ..text.script import to_simplified

Kind = Literal["title", "intro", "duty", "require", "prefer", "other"]

# Section headings, matched on the folded (simplified, lower-case) heading text; first match wins.
_HEADINGS: list[tuple[Kind, re.Pattern[str]]] = [
    ("prefer", re.compile(r"nice to have|nice-to-have|preferred|bonus|\bplus\b|stand out|ideal(ly)?\b|desired|not mandatory|"
                          r"extra credit|good to have|加分|优先|更好|加分项|优先条件")),
    ("other", re.compile(r"about (us|the company|the team|[a-z]+$)|benefit|perk|compensation|salary|pay\b|we offer|what we offer|"
                         r"diversity|equal opportunity|location|what to expect|interview process|our people|life at|"
                         r"why join|why you|who we are|culture|values|how to apply|"
                         r"公司介绍|公司简介|福利|待遇|关于我们|薪资|薪酬|工作地点|基本信息|"
                         r"工作时间|联系方式|投递|团队介绍|公司福利|面试流程")),
    ("require", re.compile(r"requirement|qualification|what you (have|bring|need)|what you'?ll need|you have|"
                           r"you bring|looking for|"
                           r"who you are|must have|must-have|mandatory|minimum|basic|skills|experience|about you|"
                           r"please apply if|you should have|what it takes|we need|"
                           r"任职|要求|资格|条件|技能|我们希望|你需要|你应该")),
    ("duty", re.compile(r"responsibilit|contribut|what you'?ll work on|your role|what you'?ll be working|"
                        r"what you'?ll do|what you will do|you will|you'?ll|in this role|day.to.day|the role|"
                        r"role description|job description|description|projects|mission|what you.?ll be doing|your impact|"
                        r"职责|职位概述|概述|职位描述|岗位描述|工作内容|实习内容|岗位方向|职位亮点|工作描述|主要工作|岗位说明")),
]

_PREFER = re.compile(r"\b(a plus|plus|bonus|preferred|ideally|nice to have|nice-to-have|advantage|advantageous|"
                     r"desirable|would be great|would be nice|optional|is a benefit|not required|not mandatory)\b|"
                     r"优先|加分|者佳|为佳|更佳|尤佳|更好")
_MUST = re.compile(r"\b(must|required|require|requires|mandatory|essential|strong|solid|proficien\w*|expert\w*|deep|"
                   r"in-depth|hands-on|extensive|proven|thorough)\b|必须|必备|要求|熟悉|精通|掌握|熟练|扎实|具备|深入")

# Splitting flattened text: inline section labels, list markers, sentence ends.
_INLINE_LABEL = re.compile(r"(?<=[。；;！!\s])(?=(?:工作职责|岗位职责|职位描述|任职要求|岗位要求|"
                           r"职位要求|任职资格|加分项|优先条件|工作内容|条件要求|技能要求)[:：])")
_LIST_MARK = re.compile(r"(?:(?<=[。；;：:！!])|(?<=\s))\s*(?=(?:[-•·●▪]\s|\d{1,2}\s*[、.．)）]\s?(?!\d)|[（(]\d{1,2}[)）]))")
_SENT_END = re.compile(r"(?<=[。；;！!])")
_BULLET = re.compile(r"^\s*(?:[-*+•·●▪◆■□>]+|\d{1,2}\s*[、.．)）](?!\d)|[（(]\d{1,2}[)）]|[a-z][.)]\s)\s*")
_MD = re.compile(r"[*_`#]+")
_EMOJI = re.compile("[\U0001F300-\U0001FAFF\u2600-\u27BF\uFE0F]")
MAX_LINE = 220  # longer lines are split at sentence ends


@dataclass(frozen=True, slots=True)
class Line:
    number: int  # 1-based line of the description it came from
    text: str  # cleaned text (no bullets or Markdown emphasis)
    kind: Kind
    must: bool  # carries a must cue (required, 熟悉, 要求 …)
    nice: bool  # carries a nice-to-have cue (preferred, plus, 优先, 加分, 者佳 …): it wins over must cues
    heading: bool = False


def _clean(text: str) -> str:
    text = _EMOJI.sub("", unicodedata.normalize("NFKC", text))
    text = _BULLET.sub("", text)
    text = _MD.sub("", text)
    return re.sub(r"\s+", " ", text).strip(" \t-—–:：")


def _heading_kind(text: str) -> Kind | None:
    folded = to_simplified(text).lower()
    for kind, pattern in _HEADINGS:
        if pattern.search(folded):
            return kind
    return None


def _looks_like_heading(raw: str, clean: str) -> bool:
    s = raw.strip()
    if not clean or len(clean) > 60:
        return False
    if s.startswith("#") or re.fullmatch(r"[*_]{2}.+[*_]{2}:?", s) or re.fullmatch(r"[【\[].+[】\]]", s):
        return True
    return s.rstrip("*_ ").endswith((":", "：")) and len(clean) <= 40


_CN_NUMBERED = re.compile(r"(?=[一二三四五六七八九十]{1,2}[、.．])")


def _numbered_heading(part: str) -> tuple[str, str] | None:
    """"二、岗位职责大模型开发…" → ("二、岗位职责", "大模型开发…") when a heading word follows the numeral."""
    m = re.match(r"^\s*[一二三四五六七八九十]{1,2}[、.．]", part)
    if not m:
        return None
    head = to_simplified(part[m.end():m.end() + 10]).lower()
    best = None
    for _, pattern in _HEADINGS:
        found = pattern.search(head)
        if found and found.start() <= 2 and (best is None or found.end() > best):
            best = found.end()
    return None if best is None else (part[:m.end() + best], part[m.end() + best:])


def _pieces(raw: str) -> list[str]:
    """One raw line split into list items and sentences where it was flattened."""
    parts = [p for chunk in _INLINE_LABEL.split(raw) for p in _CN_NUMBERED.split(chunk) if p]
    out: list[str] = []
    for part in parts:
        numbered = _numbered_heading(part)
        if numbered is not None:
            out.append(numbered[0] + "：")
            part = numbered[1]
        label = re.match(r"^\s*([^:：]{2,8}[:：])(.*)$", part)
        if label and _heading_kind(label.group(1)) is not None and len(label.group(2).strip()) > 0:
            out.append(label.group(1))
            part = label.group(2)
        items = [p for p in _LIST_MARK.split(part) if p and p.strip()]
        for item in items:
            if len(item) > MAX_LINE:
                out.extend(s for s in _SENT_END.split(item) if s.strip())
            else:
                out.append(item)
    return out


def segment(text: str) -> list[Line]:
    """The description as cleaned lines with their section kind and cues (empty lines dropped)."""
    lines: list[Line] = []
    kind: Kind = "intro"
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        if number == 1 and raw.lstrip().startswith("# "):
            lines.append(Line(number, _clean(raw), "title", False, False, heading=True))
            continue
        for piece in _pieces(raw):
            clean = _clean(piece)
            if not clean:
                continue
            if _looks_like_heading(piece, clean):
                found = _heading_kind(clean)
                kind = found if found is not None else "intro"  # an unknown heading: no section kind to inherit
                lines.append(Line(number, clean, kind, False, False, heading=True))
                continue
            lower = to_simplified(clean).lower()
            lines.append(Line(number, clean, kind, bool(_MUST.search(lower)), bool(_PREFER.search(lower))))
    return lines


# -- what language it is in --------------------------------------------------------------------------
_SCRIPTS = [
    ("Japanese", re.compile(r"[\u3040-\u30ff]")),
    ("Korean", re.compile(r"[\uac00-\ud7af\u1100-\u11ff]")),
    ("Russian or another Cyrillic language", re.compile(r"[\u0400-\u04ff]")),
    ("Arabic", re.compile(r"[\u0600-\u06ff]")),
    ("Hebrew", re.compile(r"[\u0590-\u05ff]")),
    ("Thai", re.compile(r"[\u0e00-\u0e7f]")),
    ("Greek", re.compile(r"[\u0370-\u03ff]")),
    ("Hindi or another Indic language", re.compile(r"[\u0900-\u0dff]")),
]
_CJK = re.compile(r"[\u4e00-\u9fff]")
_ENGLISH = {"the", "and", "of", "to", "in", "with", "for", "you", "we", "our", "a", "is", "are", "on", "or", "will", "be",
            "experience", "team", "work", "your", "as", "an", "that", "this", "have", "skills", "years", "role"}
_OTHER_LATIN = {
    "German": {"und", "der", "die", "das", "mit", "für", "wir", "sie", "eine", "ist", "von", "zu", "kenntnisse", "erfahrung"},
    "French": {"et", "le", "la", "les", "des", "pour", "vous", "nous", "une", "avec", "est", "du", "en", "expérience"},
    "Spanish": {"y", "el", "la", "los", "las", "para", "con", "una", "es", "del", "por", "experiencia", "nosotros"},
    "Portuguese": {"e", "o", "os", "as", "para", "com", "uma", "é", "do", "da", "experiência", "nós", "você"},
    "Dutch": {"en", "de", "het", "een", "voor", "met", "wij", "jij", "je", "van", "ervaring"},
    "Italian": {"e", "il", "la", "per", "con", "una", "è", "del", "della", "esperienza", "noi"},
}


def language(text: str) -> tuple[str, bool]:
    """(language name, whether the taxonomy covers it): English and Chinese (either script) are covered."""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return "no language (no words)", False
    for name, pattern in _SCRIPTS:
        if len(pattern.findall(text)) >= max(5, 0.1 * len(letters)):
            return name, False
    cjk = len(_CJK.findall(text))
    if cjk >= 0.15 * len(letters):
        return "Chinese", True
    words = re.findall(r"[a-zà-ÿ']+", text.lower())
    if not words:
        return "unknown", False
    english = sum(w in _ENGLISH for w in words) / len(words)
    best_other = max(_OTHER_LATIN, key=lambda k: sum(w in _OTHER_LATIN[k] for w in words))
    other = sum(w in _OTHER_LATIN[best_other] for w in words) / len(words)
    if other > english and other >= 0.08:
        return best_other, False
    return "English", True


__all__ = ["Kind", "Line", "language", "segment"]
