"""Markdown and sanitising, highlighting, charts: the pieces the pages are made of."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from interview_coach.web import charts, render


def test_markdown_keeps_formatting_and_drops_active_content() -> None:
    html = str(render.markdown(
        "## Title\n\n- a **b** `c`\n\n| x | y |\n|---|---|\n| 1 | 2 |\n\n"
        "<details><summary>more</summary>hidden</details>\n\n"
        "<script>alert(1)</script><img src=x onerror=alert(2)><svg onload=alert(3)></svg>"
        "<a href=\"javascript:alert(4)\">j</a> <a href=\"data:text/html,x\">d</a> <form><input></form>"))
    assert "<h2>Title</h2>" in html and "<strong>b</strong>" in html and "<code>c</code>" in html
    assert "<table>" in html and "<details><summary>more</summary>" in html
    for bad in ("<script", "onerror", "onload", "<svg", "javascript:", "data:text", "<form", "<input"):
        assert bad not in html, bad
    assert "<img" not in html  # an image that is not the item's own file is dropped


def test_images_point_at_the_media_route_and_web_images_become_links() -> None:
    urls = render.item_images("i1", ["img/a.png", "https://example.com/b.png", "圖/c.png"])
    assert urls["img/a.png"] == "/media/i1/0" and "https://example.com/b.png" not in urls
    assert urls["图/c.png"] == "/media/i1/2"  # the text may be shown converted to the other script
    html = str(render.markdown("![a](img/a.png) ![b](https://example.com/b.png) ![c](other.png)", urls))
    assert '<img src="/media/i1/0" alt="a">' in html
    assert '<a href="https://example.com/b.png" rel="noopener noreferrer nofollow">b</a>' in html
    assert "<em>[image: c]</em>" in html


def test_styles_keep_colours_only() -> None:
    html = render.sanitize('<mark style="background: #FFE08A80; position: fixed">m</mark>'
                           '<span style="color: red; background: url(https://x/y)">s</span>')
    assert html == '<mark style="background:#FFE08A80">m</mark><span>s</span>'


def test_query_highlighting_across_scripts_and_case() -> None:
    assert str(render.highlight("What is Gradient clipping?", query="gradient CLIPPING")) == \
        "What is <mark>Gradient</mark> <mark>clipping</mark>?"
    assert str(render.highlight("梯度裁剪是什麼？", query="梯度裁剪")) == "<mark>梯度裁剪</mark>是什麼？"
    assert str(render.highlight("什麼是梯度", query="什么是")) == "<mark>什麼是</mark>梯度"  # simplified ↔ traditional
    assert str(render.highlight("<b>x</b> yo", query="yo")) == "&lt;b&gt;x&lt;/b&gt; <mark>yo</mark>"


def test_evidence_marks_escape_and_never_overlap() -> None:
    text = "a <b> c d e"
    out = str(render.marked(text, [(0, 5, "ev covered p0"), (2, 7, "ev partial p1"), (20, 30, "x"), (9, 9, "y")]))
    assert out == '<mark class="ev covered p0">a &lt;b&gt;</mark><mark class="ev partial p1"> c</mark> d e'


@given(st.text(max_size=60), st.lists(st.tuples(st.integers(-5, 70), st.integers(-5, 70)), max_size=6))
def test_marked_always_keeps_the_text(text: str, spans: list[tuple[int, int]]) -> None:
    import html
    import re

    out = str(render.marked(text, [(a, b, "ev") for a, b in spans]))
    assert html.unescape(re.sub(r"</?mark[^>]*>", "", out)) == text


def test_charts_are_plain_svg() -> None:
    svg = str(charts.bars([("mon", 3), ("tue", 0), ("<x>", 12)], title="due & <soon>"))
    assert svg.startswith("<svg") and svg.endswith("</svg>") and svg.count("<rect") == 3
    assert "<x>" not in svg and "&lt;x&gt;" in svg and "due &amp; &lt;soon&gt;" in svg
    assert "<script" not in svg
    meters = str(charts.meters([("Topic A", 0.5, "1/2"), ("B" * 50, 2.0, "x")], title="m"))
    assert meters.count('class="fill"') == 2 and "…" in meters
    assert "desired 90%" in str(charts.retention(None, 0.9)) and 'class="fill"' in str(charts.retention(0.8, 0.9))
