"""Turning bank text into safe HTML: Markdown (markdown-it-py) sanitised with nh3, query terms
and grading evidence highlighted, and image references pointed at the media route.

Answers in real banks contain raw HTML (`<mark style=…>`, `<img>`, `<details>`). It is kept
when harmless: formatting tags, a few colour properties in `style`, links to http(s)/mailto
and relative targets. Scripts, styles, event handlers, `javascript:` and `data:` URLs, forms
and frames are removed. Images never load from the network: a relative image of the item is
served by `/media/{item}/{n}` from its source's folder; any other image becomes a plain link.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from html import escape
from urllib.parse import urlsplit

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

from ..text.script import to_simplified, to_traditional

_md = MarkdownIt("commonmark", {"html": True, "linkify": False, "typographer": False}).enable(
    ["table", "strikethrough"])

TAGS = set(nh3.ALLOWED_TAGS) - {"area", "map"}
ATTRIBUTES: dict[str, set[str]] = {
    **{k: set(v) for k, v in nh3.ALLOWED_ATTRIBUTES.items()},
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "mark": {"style"},
    "span": {"style"},
    "font": {"color"},
    "code": {"class"},
    "details": {"open"},
    "td": {"align", "colspan", "rowspan", "style"},
    "th": {"align", "colspan", "rowspan", "style", "scope"},
}
STYLE_PROPERTIES = {"background", "background-color", "color", "font-weight", "font-style", "text-decoration",
                    "text-align"}
URL_SCHEMES = {"http", "https", "mailto"}
_SRCLESS_IMG = re.compile(r"<img(?![^>]*\ssrc=)[^>]*>")
_BAD_STYLE = re.compile(r"url\s*\(|expression\s*\(|javascript:|@import|\\|behavior\s*:", re.I)


def _is_relative(url: str) -> bool:
    parts = urlsplit(url)
    return not parts.scheme and not parts.netloc and not url.startswith("//")


def sanitize(html: str, images: dict[str, str] | None = None) -> str:
    """Clean an HTML fragment. `images` maps an image reference as written in the source to the
    URL that serves it; other images are dropped (their alt text stays in the link below)."""
    known = images or {}

    def keep(tag: str, attr: str, value: str) -> str | None:
        if attr == "style":
            return None if _BAD_STYLE.search(value) else value
        if tag == "img" and attr == "src":
            return known.get(value.strip())
        if tag == "code" and attr == "class":
            return value if re.fullmatch(r"language-[\w+#-]{1,30}", value) else None
        return value

    cleaned = nh3.clean(
        html, tags=TAGS, clean_content_tags={"script", "style", "textarea", "select", "iframe", "object", "embed",
                                             "noscript", "template"},
        attributes=ATTRIBUTES, attribute_filter=keep, url_schemes=URL_SCHEMES,
        filter_style_properties=STYLE_PROPERTIES, link_rel="noopener noreferrer nofollow",
    )
    return _SRCLESS_IMG.sub("", cleaned)


_IMG_MD = re.compile(r"!\[([^\]]*)\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")


@lru_cache(maxsize=4096)
def _markdown(text: str, images: tuple[tuple[str, str], ...]) -> str:
    mapping = dict(images)

    def unknown_image(m: re.Match[str]) -> str:
        alt, src = m.group(1), m.group(2)
        if src.strip() in mapping:
            return m.group(0)
        label = alt or src
        return f"[{label}]({src})" if urlsplit(src).scheme in ("http", "https") else f"*[image: {label}]*"

    return sanitize(_md.render(_IMG_MD.sub(unknown_image, text)), mapping)


def markdown(text: str | None, images: dict[str, str] | None = None) -> Markup:
    """Markdown (with raw HTML) → sanitised HTML. Results are cached: answers repeat across pages."""
    if not text:
        return Markup("")
    return Markup(_markdown(text, tuple(sorted((images or {}).items()))))


def item_images(item_id: str, refs: Iterable[str]) -> dict[str, str]:
    """The media URLs of an item's relative image references (by their position in `images`),
    also under the reference's other script (the text shown may have been converted)."""
    out: dict[str, str] = {}
    for n, ref in enumerate(refs):
        if _is_relative(ref):
            for key in (ref, to_simplified(ref), to_traditional(ref)):
                out.setdefault(key, f"/media/{item_id}/{n}")
    return out


# -- highlighting -------------------------------------------------------------------------------
_LATIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9+#.\-]*")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


def _fold(text: str) -> str:
    """Lower-case, simplified: only when that keeps every offset (it almost always does)."""
    folded = to_simplified(text)
    return (folded if len(folded) == len(text) else text).lower()


def query_spans(query: str, text: str) -> list[tuple[int, int]]:
    """Where the query's words (Latin words of 2+ letters, CJK bigrams) occur in `text`."""
    q, t = _fold(query), _fold(text)
    needles: set[str] = {w for w in _LATIN.findall(q) if len(w) >= 2}
    for run in _CJK.findall(q):
        needles.update(run[i:i + 2] for i in range(len(run) - 1))
        if len(run) == 1:
            needles.add(run)
    spans: list[tuple[int, int]] = []
    for n in needles:
        for m in re.finditer(re.escape(n), t):
            spans.append((m.start(), m.end()))
    return _merge(spans)


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def highlight(text: str, spans: Iterable[tuple[int, int]] | None = None, *, query: str | None = None) -> Markup:
    """`text` escaped, with `<mark>` around the spans (or around the query's words)."""
    marks = [(s, e, "") for s, e in (query_spans(query, text) if query is not None else spans or [])]
    return marked(text, marks)


def marked(text: str, marks: Iterable[tuple[int, int, str]]) -> Markup:
    """`text` escaped, with `<mark class=…>` around non-overlapping (start, end, class) spans;
    a span overlapping an earlier one is cut to what is left of it."""
    out, pos = [], 0
    for s, e, cls in sorted(marks):
        s = max(s, pos, 0)
        e = min(e, len(text))
        if e <= s:
            continue
        out.append(escape(text[pos:s]))
        attr = f' class="{escape(cls)}"' if cls else ""
        out.append(f"<mark{attr}>{escape(text[s:e])}</mark>")
        pos = e
    out.append(escape(text[pos:]))
    return Markup("".join(out))
