"""Key points of a canonical question, from all its reference answers.

Bullets, sentences and bold lead terms become candidate points (not the lines that only
announce a list, "… as follows:"); points that say the same thing in another answer or
language (USE cosine ≥ DUPLICATE after folding to simplified, DUPLICATE_ACROSS between
English and Chinese) are kept once. Each point carries its technical terms (acronyms, Latin
words in Chinese text, bold lead terms) for exact matching.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from ..text.lang import cjk_count
from .spans import split, weight

DUPLICATE = 0.78
DUPLICATE_ACROSS = 0.72  # an English point and a Chinese one (a translation scores lower under USE)
MAX_POINTS = 14

_INTRO = re.compile(r"[:：]\s*$")
_TERM = re.compile(r"\b[A-Z][A-Za-z0-9]*[A-Z0-9][A-Za-z0-9\-]*\b|\b[A-Z]{2,}s?\b|\b[A-Za-z]+-[A-Za-z0-9]+\b")


@dataclass(slots=True)
class KeyPoint:
    text: str
    lead: str | None = None
    terms: list[str] = field(default_factory=list)
    weight: float = 1.0
    answer_index: int = 0  # which reference answer it came from


def terms_of(text: str, lead: str | None = None) -> list[str]:
    found = {m.group(0) for m in _TERM.finditer(text)}
    if lead and weight(lead) <= 16:
        found.add(lead)
    return sorted(found, key=len, reverse=True)


def candidates(references: list[str]) -> list[KeyPoint]:
    points = []
    for n, ref in enumerate(references):
        for s in split(ref, min_weight=6):
            if _INTRO.search(s.text):  # "… in several ways:", "具体步骤如下：" only announce a list
                continue
            points.append(KeyPoint(s.text, s.lead, terms_of(s.text, s.lead), float(min(weight(s.text), 80)), n))
    return points


def deduplicate(points: list[KeyPoint], vectors: np.ndarray, anchor: np.ndarray | None = None) -> list[int]:
    """Indices of the points to keep: no two near-duplicates, at most MAX_POINTS, favouring
    points close to `anchor` (the question) and longer ones; original order preserved."""
    if not points:
        return []
    centrality = vectors @ anchor if anchor is not None else np.ones(len(points))
    order = sorted(range(len(points)), key=lambda i: -(centrality[i] + 0.002 * points[i].weight))
    chinese = np.array([cjk_count(p.text) * 2 >= len(p.text.replace(" ", "")) for p in points])
    kept: list[int] = []
    for i in order:
        if kept:
            sims = vectors[kept] @ vectors[i]
            limits = np.where(chinese[kept] == chinese[i], DUPLICATE, DUPLICATE_ACROSS)
            if bool(np.any(sims >= limits)):
                continue
        kept.append(i)
        if len(kept) >= MAX_POINTS:
            break
    return sorted(kept)
