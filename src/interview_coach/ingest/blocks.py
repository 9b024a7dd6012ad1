"""Read a document once into a tree of blocks with exact line spans.

CommonMark structure comes from markdown-it-py (its tokens carry line maps); on top of it
come the blocks people write that CommonMark does not know: `<details>` with its
`<summary>`, Obsidian callouts (`> [!question]`), MkDocs admonitions (`??? success "…"`),
Docusaurus containers (`:::note[…]`), front matter, and loosely numbered lines (`1、`,
`（2）`, `2.` right under a paragraph) that Markdown reads as paragraph text but people
write as entries. Headings then nest what follows them into sections.

Every block knows its 0-based first line and the line just past its last non-blank line.
What a line says (heading, numbered, label, code) is the line classifier's (`lines.py`);
the tree says what holds what.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator

from markdown_it import MarkdownIt
from markdown_it.token import Token

from . import containers
from .lines import Kind, Line
from .tree import Block, trim_end

__all__ = ["Block", "build"]


_PARSERS: dict[frozenset[str], MarkdownIt] = {}


def _md(unused: frozenset[str] = frozenset()) -> MarkdownIt:
    """A block parser without the rules a document cannot need (a rule tried at every line
    costs even when it never matches): one per set of unused rules, made once."""
    md = _PARSERS.get(unused)
    if md is None:
        md = MarkdownIt("commonmark").enable("table")
        # indented text is answer text in these documents, not code; "text\n---" is a rule, not a heading;
        # link reference definitions define nothing here
        md.disable(["code", "lheading", "reference", *unused])
        md.disable(["inline", "text_join"])  # only the blocks are read: inline parsing is half the time
        _PARSERS[unused] = md
    return md


def _unused_rules(lines: list[Line]) -> frozenset[str]:
    table = quote = html = False
    for ln in lines:
        t = ln.text
        if not t:
            continue
        table = table or "|" in t
        quote = quote or ">" in t
        html = html or "<" in t
    return frozenset(rule for rule, used in (("table", table), ("blockquote", quote), ("html_block", html)) if not used)



_FRONT_KEY = re.compile(r"^[\w-]+\s*:")


def _front_matter(lines: list[Line]) -> int:
    """Lines of a `---` … `---` YAML header at the top (0 when there is none)."""
    if not lines or lines[0].text != "---":
        return 0
    for k in range(1, min(len(lines), 60)):
        if lines[k].text in ("---", "..."):
            return k + 1 if k > 1 and _FRONT_KEY.match(lines[1].text) else 0
    return 0


def build(lines: list[Line]) -> Block:
    """The block tree of a classified document."""
    front = _front_matter(lines)
    text = "\n".join("" if k < front else ln.raw.replace("\r", " ") for k, ln in enumerate(lines))
    tokens = _md(_unused_rules(lines)).parse(text)
    doc = Block("doc", 0, len(lines))
    if front:
        doc.children.append(Block("front", 0, front))
    _from_tokens(tokens, doc, lines)
    _restructure(doc, lines)
    _nest_sections(doc)
    _link(doc)
    return doc


_SKIP = frozenset({"inline", "paragraph_close", "heading_close", "th_open", "th_close", "td_open", "td_close", "tr_close",
                   "thead_open", "thead_close", "tbody_open", "tbody_close"})


def _from_tokens(tokens: list[Token], doc: Block, lines: list[Line], offset: int = 0,
                 ids: Iterator[int] | None = None) -> None:
    """Blocks from markdown-it tokens; `offset`: the line where the parsed text began."""
    ids = ids if ids is not None else itertools.count(1)
    stack: list[Block] = [doc]
    lists: list[tuple[bool, int]] = []
    in_table: Block | None = None
    for t in tokens:
        typ = t.type
        if typ in _SKIP:
            continue
        if t.map:
            start, stop = t.map[0] + offset, t.map[1] + offset
        if typ == "paragraph_open" and t.map:
            stack[-1].children.append(Block("para", start, trim_end(lines, start, stop)))
        elif typ in ("bullet_list_open", "ordered_list_open"):
            lists.append((typ == "ordered_list_open", next(ids)))
        elif typ in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif typ == "list_item_open" and t.map:
            ordered, lid = lists[-1]
            num = int(t.info) if ordered and t.info.isdigit() else None
            entry = Block("entry", start, trim_end(lines, start, stop), ordered=ordered, list_id=lid, number=num)
            entry.head_end = start + 1
            stack[-1].children.append(entry)
            stack.append(entry)
        elif typ in ("list_item_close", "blockquote_close"):
            stack.pop()
        elif typ == "blockquote_open" and t.map:
            quote = Block("quote", start, trim_end(lines, start, stop))
            stack[-1].children.append(quote)
            stack.append(quote)
        elif typ == "heading_open" and t.map:
            stack[-1].children.append(Block("heading", start, start + 1, level=int(t.tag[1])))
        elif typ == "table_open" and t.map:
            in_table = Block("table", start, trim_end(lines, start, stop))
            stack[-1].children.append(in_table)
        elif typ == "table_close":
            in_table = None
        elif typ == "tr_open" and t.map and in_table is not None and start > in_table.start:
            in_table.children.append(Block("row", start, start + 1))
        elif typ == "fence" and t.map and stop - start > 2 and lines[start].kind is Kind.BLANK:
            # a fenced list of prose (lines.prose_fence): its lines are read as a paragraph
            stack[-1].children.append(Block("para", start + 1, trim_end(lines, start + 1, stop - 1)))
        elif typ == "html_block" and t.map:
            stack[-1].children.extend(_html_runs(lines, start, trim_end(lines, start, stop), ids))
        elif typ in ("fence", "hr") and t.map:
            stack[-1].children.append(Block("code" if typ == "fence" else "hr", start, trim_end(lines, start, stop)))


def _html_runs(lines: list[Line], start: int, end: int, ids: Iterator[int]) -> list[Block]:
    """An HTML block runs to a blank line in CommonMark, so `</details>` / `2. Next question?`
    or `<h3>…</h3>` / `## Practice` / a table would hide what follows the markup: the lines
    that are not markup are read as Markdown of their own."""
    out: list[Block] = []
    k = start
    while k < end:
        markup = lines[k].text.startswith("<")
        j = k + 1
        while j < end and lines[j].text.startswith("<") == markup:
            j += 1
        if markup:
            out.append(Block("html", k, j))
        else:
            holder = Block("doc", k, j)
            text = "\n".join(ln.raw.replace("\r", " ") for ln in lines[k:j])
            _from_tokens(_md(_unused_rules(lines[k:j])).parse(text), holder, lines, k, ids)
            out.extend(holder.children)
        k = j
    return out


def _restructure(node: Block, lines: list[Line]) -> None:
    """Details, callouts, admonitions, containers and loose entries, in every container."""
    kids = node.children
    if not kids or node.kind == "entry" and len(kids) == 1 and kids[0].kind == "para" and kids[0].end == node.start + 1:
        return  # an entry of one line: nothing to rebuild
    kids = _split_paragraphs(kids, lines, node.start if node.kind == "entry" else -1)
    firsts = {lines[b.start].text[:3] for b in kids if b.kind in ("html", "para")}
    if any(f.startswith("<") for f in firsts):
        kids = containers.details(kids, lines)
    if "???" in firsts or "!!!" in firsts:
        kids = containers.admonitions(kids, lines)
    if ":::" in firsts:
        kids = containers.directives(kids, lines)
    out: list[Block] = []
    for b in kids:
        if b.kind == "quote":
            out.extend(containers.callouts(b, lines))
        else:
            if b.kind == "heading" and lines[b.start].kind is not Kind.HEADING:
                b.kind = "para"  # "# step 3" between lines of code: a comment (lines.py decides)
            out.append(b)
    done: list[Block] = []
    for b in out:
        if b.kind in ("entry", "quote", "details", "admonition", "container", "callout"):
            _restructure(b, lines)
        done.append(b)
        if b.kind == "entry":
            done.extend(_hoist(b, lines))
    node.children = done


def _hoist(entry: Block, lines: list[Line]) -> list[Block]:
    """Loose entries and headings written at the entry's own indentation inside it (lazy
    continuation lines in Markdown: `1. Q?` / `Answer: …` / `2.what …?`) end it: they and
    what follows them are its siblings."""
    base = lines[entry.start].indent
    for k, c in enumerate(entry.children):
        if c.start > entry.start and (c.loose or c.kind == "heading") and lines[c.start].indent <= base:
            rest = entry.children[k:]
            entry.children = entry.children[:k]
            entry.end = trim_end(lines, entry.start, c.start)
            return rest
    return []


def _split_paragraphs(kids: list[Block], lines: list[Line], marker_line: int) -> list[Block]:
    """A paragraph whose lines start with numbers Markdown does not read as a list ("1、…",
    "（2）…", "2. …" under a line of text) or with a heading it does not read ("###2、…")
    is split there: each numbered part becomes a loose entry, each heading a heading."""
    out: list[Block] = []
    for b in kids:
        if b.kind != "para":
            out.append(b)
            continue
        base = lines[b.start].indent if b.start != marker_line else lines[b.start].indent + 2
        cuts = [k for k in range(b.start, b.end) if k != marker_line and _loose_start(lines[k], base, k == b.start)]
        if not cuts:
            out.append(b)
            continue
        if cuts[0] > b.start:
            out.append(Block("para", b.start, trim_end(lines, b.start, cuts[0])))
        for c, nxt in zip(cuts, [*cuts[1:], b.end], strict=True):
            ln = lines[c]
            if ln.kind is Kind.HEADING:
                out.append(Block("heading", c, c + 1, level=ln.level))
                if nxt > c + 1:
                    out.append(Block("para", c + 1, trim_end(lines, c + 1, nxt)))
                continue
            entry = Block("entry", c, trim_end(lines, c, nxt), ordered=ln.kind is Kind.NUMBERED, loose=True,
                          number=ln.number, list_id=-b.start - 1)  # the loose entries of one paragraph: one list
            entry.head_end = c + 1
            entry.children.append(Block("para", c, entry.end))
            out.append(entry)
    return out


def _loose_start(ln: Line, base: int, first: bool) -> bool:
    if ln.indent > base + 1:
        return False
    if ln.kind is Kind.HEADING:
        return True
    if ln.kind is Kind.NUMBERED:
        return True
    return ln.kind is Kind.BULLET and not first and ln.text[:1] in "•·"


# --- sections ------------------------------------------------------------------------


def _nest_sections(node: Block) -> None:
    """Sections in the document and in every block that holds others (a heading inside a
    `<details>` answer opens a section of that answer, not of the document)."""
    if node.kind in ("doc", "details", "admonition", "container", "callout", "quote", "entry"):
        node.children = _sections(node.children)
    for c in node.children:
        _nest_sections(c)


def _sections(kids: list[Block]) -> list[Block]:
    """Nest the blocks after each heading into its section, up to the next heading of its
    level or above."""
    root: list[Block] = []
    stack: list[Block] = []
    for b in kids:
        if b.kind == "heading":
            while stack and stack[-1].level >= b.level:
                stack.pop()
            sec = Block("section", b.start, b.end, level=b.level)
            (stack[-1].children if stack else root).append(sec)
            stack.append(sec)
            continue
        (stack[-1].children if stack else root).append(b)
    return root


def _link(node: Block) -> None:
    """Parents, and the ends of the blocks that hold others."""
    for c in node.children:
        c.parent = node
        _link(c)
        if node.kind in ("section", "doc", "details", "admonition", "container", "entry", "quote", "callout"):
            node.end = max(node.end, c.end)

