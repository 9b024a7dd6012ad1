"""Small charts as inline SVG, drawn on the server (no JS library, nothing fetched)."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from markupsafe import Markup


def _nice_max(v: float) -> float:
    if v <= 0:
        return 1.0
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000):
        if v <= step:
            return float(step)
    return float(v)


def bars(points: Sequence[tuple[str, float]], *, title: str, width: int = 640, height: int = 180,
         label_every: int = 1, css: str = "bar") -> Markup:
    """A vertical bar chart: one (label, value) per bar, values ≥ 0."""
    left, right, top, bottom = 34, 8, 10, 26
    w, h = width - left - right, height - top - bottom
    top_value = _nice_max(max((v for _, v in points), default=0))
    n = max(len(points), 1)
    slot = w / n
    bar_w = max(slot * 0.7, 1.0)
    parts = [f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" width="100%" '
             f'preserveAspectRatio="xMidYMid meet" aria-label="{escape(title)}"><title>{escape(title)}</title>']
    for frac in (0, 0.5, 1):
        y = top + h - frac * h
        parts.append(f'<line class="grid" x1="{left}" x2="{left + w}" y1="{y:.1f}" y2="{y:.1f}"/>')
        value = top_value * frac
        parts.append(f'<text class="axis" x="{left - 4}" y="{y + 4:.1f}" text-anchor="end">'
                     f'{value:g}</text>')
    for i, (label, value) in enumerate(points):
        bh = h * (value / top_value) if top_value else 0
        x = left + i * slot + (slot - bar_w) / 2
        y = top + h - bh
        parts.append(f'<rect class="{css}" x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{bh:.1f}">'
                     f'<title>{escape(label)}: {value:g}</title></rect>')
        if value and n <= 14:
            parts.append(f'<text class="value" x="{x + bar_w / 2:.1f}" y="{y - 3:.1f}" '
                         f'text-anchor="middle">{value:g}</text>')
        if i % label_every == 0 or i == n - 1:
            parts.append(f'<text class="axis" x="{x + bar_w / 2:.1f}" y="{height - 8}" '
                         f'text-anchor="middle">{escape(label)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def meters(rows: Sequence[tuple[str, float, str]], *, title: str, width: int = 640, row_h: int = 26,
           label_w: int = 230) -> Markup:
    """Horizontal 0–100 % bars: (label, share 0..1, note shown at the bar's end)."""
    height = max(len(rows), 1) * row_h + 6
    w = width - label_w - 90
    parts = [f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" width="100%" '
             f'aria-label="{escape(title)}"><title>{escape(title)}</title>']
    for i, (label, share, note) in enumerate(rows):
        y = 4 + i * row_h
        share = min(max(share, 0.0), 1.0)
        shown = label if len(label) <= 32 else label[:31] + "…"
        parts.append(f'<text class="label" x="{label_w - 8}" y="{y + row_h * 0.62:.1f}" text-anchor="end">'
                     f'<title>{escape(label)}</title>{escape(shown)}</text>')
        parts.append(f'<rect class="track" x="{label_w}" y="{y + 4}" width="{w}" height="{row_h - 10}" rx="3"/>')
        parts.append(f'<rect class="fill" x="{label_w}" y="{y + 4}" width="{w * share:.1f}" height="{row_h - 10}" '
                     f'rx="3"/>')
        parts.append(f'<text class="value" x="{label_w + w + 6}" y="{y + row_h * 0.62:.1f}">{escape(note)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def retention(true: float | None, desired: float, *, width: int = 640, height: int = 70) -> Markup:
    """True retention against the desired one on a 50–100 % scale."""
    left, right = 10, 10
    w = width - left - right

    def x(v: float) -> float:
        return left + w * min(max((v - 0.5) / 0.5, 0.0), 1.0)

    title = "true retention " + ("—" if true is None else f"{true:.0%}") + f", desired {desired:.0%}"
    parts = [f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" width="100%" '
             f'aria-label="{escape(title)}"><title>{escape(title)}</title>',
             f'<rect class="track" x="{left}" y="18" width="{w}" height="16" rx="3"/>']
    if true is not None:
        parts.append(f'<rect class="fill" x="{left}" y="18" width="{x(true) - left:.1f}" height="16" rx="3"/>')
    dx = x(desired)
    parts.append(f'<line class="target" x1="{dx:.1f}" x2="{dx:.1f}" y1="12" y2="40"/>')
    parts.append(f'<text class="axis" x="{dx:.1f}" y="10" text-anchor="middle">desired {desired:.0%}</text>')
    for v in (0.5, 0.75, 1.0):
        anchor = "start" if v == 0.5 else "end" if v == 1.0 else "middle"
        parts.append(f'<text class="axis" x="{x(v):.1f}" y="{height - 12}" text-anchor="{anchor}">{v:.0%}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
