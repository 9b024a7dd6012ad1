"""Split the lines after a question into answer and explanation, with exact spans."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .lines import Kind, Line, answer_label, explanation_label, reveal_label

_IMAGE_MD = re.compile(r"!\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_IMAGE_HTML = re.compile(r"<img\b[^>]*\bsrc\s*=\s*[\"']([^\"']+)[\"']", re.I)
_LINK_MD = re.compile(r"(?<!!)\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_DETAILS_OPEN = re.compile(r"^\s*<details\b[^>]*>", re.I)
_SUMMARY = re.compile(r"<summary\b[^>]*>(.*?)</summary\s*>", re.I | re.S)
_DETAILS_CLOSE = re.compile(r"</details\s*>\s*$", re.I)
_TAGS = re.compile(r"<[^>]+>")
_URL = re.compile(r"https?://[^\s<>()\[\]\"'，。；）]+")


@dataclass(slots=True)
class Body:
    answer: str | None = None
    answer_span: tuple[int, int] | None = None
    explanation: str | None = None
    explanation_span: tuple[int, int] | None = None
    images: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    lead: list[Line] = field(default_factory=list)  # lines between the question and a later answer label

    @property
    def last_line(self) -> int | None:
        spans = [s for s in (self.answer_span, self.explanation_span) if s]
        return max(s[1] for s in spans) if spans else None


def _is_boundary(line: Line) -> bool:
    return line.kind is Kind.SEPARATOR and line.indent < 2


_BREAK = re.compile(r"^<br\s*/?>$", re.I)
_PLACEHOLDER = re.compile(r"^(?:[-*+]\s*|\d{1,3}[.)、]\s*)?(?:\.{3,}|…+)$")  # "3. ..." (a list to be continued)


_DANGLING = re.compile(r"^[^\s:：]{1,20}[:：]$")  # "Agent：" closing a body: the next part's label


# MDX components around an answer: "<Question", "choices={[", "]}", "/>", "</Quiz>"
_JSX_FRAME = re.compile(r"^(?:<[A-Z][\w.]*|/>|</[A-Z][\w.]*>|[\w-]+=\{+\[?|\]?\}+\]?\}*|\]\}\s*/>)$")


def _filler(line: Line) -> bool:
    return line.blank or line.kind is Kind.SEPARATOR or bool(
        _BREAK.match(line.text) or _PLACEHOLDER.match(line.text) or _JSX_FRAME.match(line.text))


def _trim(lines: list[Line]) -> list[Line]:
    """Drop blank lines, separators (of any indentation), lone `<br/>` and `...` at both ends,
    and a label line ("Agent：") at the end."""
    start, end = 0, len(lines)
    while start < end and _filler(lines[start]):
        start += 1
    while end > start and (_filler(lines[end - 1]) or _DANGLING.match(lines[end - 1].text)):
        end -= 1
    return lines[start:end]


def render(lines: list[Line], first_inline: str | None = None) -> str:
    """The Markdown text of a span, dedented; `first_inline` replaces the first line."""
    texts = [ln.raw.rstrip() for ln in lines]
    if first_inline is not None and texts:
        texts[0] = first_inline
        rest = [t for t in texts[1:] if t.strip()]
    else:
        rest = [t for t in texts if t.strip()]
    cut = min((len(t) - len(t.lstrip()) for t in rest), default=0)
    out = []
    for i, t in enumerate(texts):
        if first_inline is not None and i == 0:
            out.append(t.strip())
        else:
            out.append(t[cut:] if len(t) >= cut else t.strip())
    return "\n".join(out).strip("\n")


def references(text: str) -> tuple[list[str], list[str]]:
    images = list(dict.fromkeys(_IMAGE_MD.findall(text) + _IMAGE_HTML.findall(text)))
    links: list[str] = []
    for url in _LINK_MD.findall(text) + _URL.findall(text):
        url = url.rstrip(".,;:!?)")
        if url not in images and url not in links:
            links.append(url)
    return images, links


def _span_text(lines: list[Line], label_inline: str | None) -> tuple[str, tuple[int, int]] | None:
    if label_inline:  # "A: text" / "答案：text": the label line starts the answer
        trimmed = _trim(lines[1:])
        span = (lines[0].no, trimmed[-1].no if trimmed else lines[0].no)
        part = lines[: span[1] - lines[0].no + 1]
        return render(part, first_inline=label_inline), span
    trimmed = _trim(lines[1:] if label_inline is not None else lines)
    if not trimmed:
        return None
    return render(trimmed), (trimmed[0].no, trimmed[-1].no)


def _unwrap_reveal(content: list[Line]) -> tuple[list[Line], str | None] | None:
    """`<details><summary>Answer</summary> … </details>` around an answer: the wrapper is
    its label. Returns (lines inside, inline text after the summary or None), or None."""
    if not _DETAILS_OPEN.match(content[0].raw):
        return None
    joined, m, k = "", None, 0
    for k in range(min(4, len(content))):
        joined += content[k].raw + "\n"
        m = _SUMMARY.search(joined)
        if m:
            break
    if m is None:
        return None
    if not reveal_label(" ".join(_TAGS.sub("", m.group(1)).split())):
        return None
    close = next((c for c in range(k + 1, len(content)) if _DETAILS_CLOSE.search(content[c].raw)), len(content))
    inner = list(content[k + 1:close])
    if close < len(content) and _DETAILS_CLOSE.sub("", content[close].raw).strip():
        inner.append(content[close])  # text before the closing tag on its line
    after = _DETAILS_CLOSE.sub("", joined[m.end():]).strip()
    return _trim(inner), after or None


# "_To be filled_", "TBD", "待补充", "略": a slot for an answer, not one
_PLACEHOLDER_ANSWER = re.compile(
    r"^[\s_*`>-]*(?:to be (?:filled|added|written|done|completed)(?: in)?|tbd|todo|coming soon|n/?a|"
    r"待补充|待補充|待更新|待完善|暂无|暫無|敬请期待|敬請期待|略)[\s_*`.。!！…]*$", re.I)
# "--参考自 …", "Source: …", "[notebook](x.ipynb)": where an answer might be, not one
_CITATION = re.compile(r"^[-—–>*\s]*(?:参考自|參考自|参考|參考|来源|來源|出处|出處|转载自|轉載自|引用自|source|sources|"
                       r"reference|references|ref|via|credit|credits|adapted from)\s*[:：]?", re.I)
_LINK_LINE = re.compile(r"^[-*+>\s]*(?:\[[^\]]*\]\([^)]*\)|<?https?://\S+>?|\[\[[^\]]+\]\])[\s,，。.;；]*$")


def _only_references(answer: str) -> bool:
    """An answer made only of links and citation lines points elsewhere."""
    texts = [t for t in answer.splitlines() if t.strip()]
    return bool(texts) and all(_CITATION.match(t) or _LINK_LINE.match(t) for t in texts)


LEAD_LINES = 6  # at most this many short lines may stand between a question and its answer label
LEAD_CHARS = 160


_STUB = re.compile(r"\bTODO\b|your code|在此(?:处)?(?:填写|实现|編寫|编写)|请(?:在此)?(?:实现|補全|补全)|^\s*(?:pass|\.\.\.)\s*$",
                   re.I)


def _stubs(content: list[Line]) -> set[int]:
    """Indexes of the lines of fenced code blocks that are stubs to fill in (`# TODO`, `pass`)."""
    out: set[int] = set()
    k = 0
    while k < len(content):
        if content[k].kind is not Kind.CODE:
            k += 1
            continue
        j = k
        while j < len(content) and content[j].kind is Kind.CODE:
            j += 1
        if j - k <= 15 and any(_STUB.search(ln.text) for ln in content[k:j]):
            out.update(range(k, j))
        k = j
    return out


def _late_label(content: list[Line]) -> int | None:
    """Index of an answer label that follows a few short lines (multiple-choice options, the
    question's translation, "Difficulty: Easy", a code stub to fill in), at the indentation
    they start at; else None."""
    seen = 0
    stubs = _stubs(content)
    for k, ln in enumerate(content[1:], start=1):
        if ln.blank or k in stubs:
            continue
        if answer_label(ln) is not None and ln.indent <= content[0].indent + 1:
            return k
        seen += 1
        if seen >= LEAD_LINES or len(ln.text) > LEAD_CHARS or ln.kind in (Kind.HEADING, Kind.CODE):
            return None
    return None


def extract(lines: list[Line]) -> Body:
    """Answer (after an optional label) and explanation (after a `解析` label)."""
    body = Body()
    content = _trim(lines)
    if not content:
        return body
    wrapped = _unwrap_reveal(content)
    if wrapped is not None:
        inner, after = wrapped
        if after is not None:  # "<details><summary>Answer</summary> text </details>" on one line
            body.answer, body.answer_span = after, (content[0].no, content[0].no)
            body.images, body.links = references(after)
            return body
        content = inner
        if not content:
            return body
    first = content[0]
    label = answer_label(first)
    if label is None:
        late = _late_label(content)
        if late is not None:  # options, a translation or metadata, then "**答案：** B"
            body.lead = [ln for ln in content[:late] if not ln.blank]
            content = content[late:]
            first = content[0]
            label = answer_label(first)
    if label == "":  # a label alone; a second label right after it ("- Answer:" / "**Answer:**")
        rest = _trim(content[1:])
        if rest and answer_label(rest[0]) is not None:
            content = rest
            label = answer_label(rest[0])
    base_indent = first.indent
    expl_at = None
    for i, ln in enumerate(content[1:], start=1):
        if ln.indent <= base_indent + 1 and explanation_label(ln) is not None:
            expl_at = i
            break
    answer_lines = content[:expl_at] if expl_at is not None else content
    if answer_lines:
        got = _span_text(answer_lines, label)
        if got:
            body.answer, body.answer_span = got
    if expl_at is not None:
        expl = content[expl_at:]
        got = _span_text(expl, explanation_label(expl[0]))
        if got:
            body.explanation, body.explanation_span = got
    if body.answer is not None and (_PLACEHOLDER_ANSWER.match(body.answer) or _only_references(body.answer)):
        body.answer, body.answer_span = None, None
    if body.explanation is not None and _PLACEHOLDER_ANSWER.match(body.explanation):
        body.explanation, body.explanation_span = None, None
    text = "\n".join(t for t in (body.answer, body.explanation) if t)
    body.images, body.links = references(text)
    return body
