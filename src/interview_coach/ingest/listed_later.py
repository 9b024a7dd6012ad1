"""A numbered list of questions answered later under reworded headings.

Each listed question with no body of its own is matched to the answering heading:
best pairs first, one-to-one, on character-bigram overlap of the script-folded text,
with a lower bar when the printed numbers agree. Unmatched list entries stay as
unanswered questions; the answered item keeps the list line as `listed_line`.
"""

from __future__ import annotations

from ..text.normalize import bigrams, dice
from .model import Anchor

SAME_NUMBER_MIN = 0.2  # bigram Dice needed when the numbers agree
ANY_NUMBER_MIN = 0.6  # ... and when they do not


def match(listed: list[Anchor], headings: list[Anchor]) -> list[tuple[Anchor, Anchor]]:
    pairs = []
    grams = {id(a): bigrams(a.question) for a in listed + headings}
    for la in listed:
        for ha in headings:
            if ha.start <= la.start:
                continue
            sim = dice(grams[id(la)], grams[id(ha)])
            same = la.number is not None and la.number == ha.number
            if sim >= ANY_NUMBER_MIN or (same and sim >= SAME_NUMBER_MIN):
                pairs.append((sim + (0.05 if same else 0.0), la, ha))
    pairs.sort(key=lambda p: -p[0])
    used_l: set[int] = set()
    used_h: set[int] = set()
    out = []
    for _, la, ha in pairs:
        if id(la) in used_l or id(ha) in used_h:
            continue
        used_l.add(id(la))
        used_h.add(id(ha))
        out.append((la, ha))
    return out
