"""Blocks that CommonMark does not know, rebuilt over its blocks: `<details>` with its
`<summary>` (CommonMark ends an HTML block at a blank line, so the answer inside is a
sibling), Obsidian callouts (`> [!question] …`), MkDocs admonitions (`??? success "…"` with
the indented blocks under it) and Docusaurus containers (`:::note[…]` … `:::`)."""

from __future__ import annotations

import re

from .lines import Line
from .tree import Block, trim_end

_DETAILS_OPEN = re.compile(r"<details\b", re.I)
_DETAILS_CLOSE = re.compile(r"</details\s*>", re.I)
_SUMMARY = re.compile(r"<summary\b[^>]*>(.*?)</summary\s*>", re.I | re.S)
_TAGS = re.compile(r"<[^>]+>")
_CALLOUT = re.compile(r"^>\s*\[!(?P<type>[\w-]+)\][+-]?\s*(?P<title>.*)$")
_ADMONITION = re.compile(r'^(?:\?\?\?\+?|!!!)[ \t]*(?P<type>[\w-]*)(?:[ \t]+"(?P<title>[^"]*)")?[ \t]*$')
_DIRECTIVE = re.compile(r"^:{3,}[ \t]*(?P<type>[\w-]*)(?:\[(?P<title>.+)\])?(?:\{[^}]*\})?[ \t]*$")


def html_text(html: str) -> str:
    text = _TAGS.sub("", html).replace("**", "").replace("__", "")
    return " ".join(text.split())


def details(kids: list[Block], lines: list[Line]) -> list[Block]:
    """`<details>` … `</details>` around sibling blocks: one block titled by its summary."""
    out: list[Block] = []
    i = 0
    while i < len(kids):
        b = kids[i]
        if b.kind != "html" or not _DETAILS_OPEN.search(lines[b.start].raw):
            out.append(b)
            i += 1
            continue
        close = _details_close(lines, b.start, kids[-1].end if kids else b.end)
        summary_line, title = _summary(lines, b.start, close)
        blk = Block("details", b.start, close + 1, title=title)
        blk.head_end = summary_line + 1 if summary_line is not None else b.start + 1
        j = i + 1
        while j < len(kids) and kids[j].start <= close:
            blk.children.append(kids[j])
            j += 1
        blk.end = max(blk.end, blk.children[-1].end if blk.children else blk.end)
        blk.children = _trim_to(blk.children, blk.head_end)
        out.append(blk)
        i = j
    return out


def _trim_to(children: list[Block], head_end: int) -> list[Block]:
    return [c for c in children if c.end > head_end]


def _details_close(lines: list[Line], start: int, limit: int) -> int:
    depth = 0
    for k in range(start, min(limit, len(lines))):
        raw = lines[k].raw
        depth += len(_DETAILS_OPEN.findall(raw)) - len(_DETAILS_CLOSE.findall(raw))
        if depth <= 0 and k >= start:
            return k
    return min(limit, len(lines)) - 1


def _summary(lines: list[Line], start: int, close: int) -> tuple[int | None, str]:
    joined = ""
    for k in range(start, min(close + 1, start + 12)):
        joined += lines[k].raw + "\n"
        m = _SUMMARY.search(joined)
        if m:
            return k, html_text(m.group(1))
    return None, ""


def callouts(quote: Block, lines: list[Line]) -> list[Block]:
    """`> [!question] title` quotes; a quote holding several callouts is split at each head."""
    heads = [k for k in range(quote.start, quote.end) if _CALLOUT.match(lines[k].text)]
    if not heads or heads[0] != quote.start:
        return [quote]
    out = []
    for h, nxt in zip(heads, [*heads[1:], quote.end], strict=True):
        m = _CALLOUT.match(lines[h].text)
        assert m is not None
        blk = Block("callout", h, trim_end(lines, h, nxt), ctype=m.group("type").lower(), title=m.group("title").strip())
        blk.head_end = h + 1
        blk.children = [c for c in quote.children if h < c.end and c.start < blk.end] if len(heads) == 1 else []
        out.append(blk)
    return out


def admonitions(kids: list[Block], lines: list[Line]) -> list[Block]:
    """`??? success "View Answer"` with the indented blocks under it."""
    out: list[Block] = []
    i = 0
    while i < len(kids):
        b = kids[i]
        m = _ADMONITION.match(lines[b.start].text) if b.kind == "para" else None
        if m is None:
            out.append(b)
            i += 1
            continue
        base = lines[b.start].indent
        blk = Block("admonition", b.start, b.end, ctype=m.group("type").lower(), title=m.group("title") or "")
        blk.head_end = b.start + 1
        if b.end > b.start + 1:  # content lines glued under the marker
            blk.children.append(Block("para", b.start + 1, b.end))
        j = i + 1
        while j < len(kids) and lines[kids[j].start].indent > base:
            blk.children.append(kids[j])
            blk.end = kids[j].end
            j += 1
        out.append(blk)
        i = j
    return out


def directives(kids: list[Block], lines: list[Line]) -> list[Block]:
    """`:::note[Question: …]` … `:::`: a container titled by its bracket."""
    out: list[Block] = []
    i = 0
    while i < len(kids):
        b = kids[i]
        m = _DIRECTIVE.match(lines[b.start].text) if b.kind == "para" else None
        if m is None or not (m.group("type") or m.group("title")):
            out.append(b)
            i += 1
            continue
        blk = Block("container", b.start, b.end, ctype=m.group("type").lower(), title=(m.group("title") or "").strip())
        blk.head_end = b.start + 1
        closed = any(_DIRECTIVE.match(lines[k].text) for k in range(b.start + 1, b.end))
        j = i + 1
        while not closed and j < len(kids):
            nxt = kids[j]
            blk.children.append(nxt)
            blk.end = nxt.end
            j += 1
            if nxt.kind == "para" and _DIRECTIVE.match(lines[nxt.end - 1].text):
                break
        out.append(blk)
        i = j
    return out
