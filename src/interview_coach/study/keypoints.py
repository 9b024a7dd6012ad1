"""Key points of a canonical question: the handful of claims a person would list, drawn from
every reference answer of the question, in any language or script.

1. *Candidates* are the bullets and sentences of the references (`spans.split`), minus what
   is not a claim: headings, lines that only announce a list ("… as follows:"), conclusions
   that restate ("In summary, …", "总之…"). Leading transitions ("However,", "此外，") are
   dropped from the text. A sentence that leans on the one before it ("It …", "这使得…",
   "For example …") is not a claim of its own: it joins the previous claim as a variant.
2. *Grouping*: claims saying the same thing in two references (another language, another
   script, a longer wording) become one point whose variants are all of them (USE cosine after
   folding to simplified; the same bold lead term). Within one reference only near-repeats merge.
3. *Selection*: points stated by more references, closer to the question and earlier in their
   answer come first; a question keeps about as many points as its most concise reference has
   claims (at least half of the longest one's), never more than MAX_POINTS. A reference of one
   phrase ("O(n)", "main memory") is one point.

The text shown for a point is its most concise variant that still says something.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

import numpy as np

from ..text.normalize import similarity
from .spans import Span, clean, split, weight

MAX_POINTS = 6
MIN_WEIGHT = 6  # content weight of a sentence that can be a claim (CJK chars + 2 × Latin words)
SAME_CLAIM = 0.62  # USE cosine of two references' sentences that state the same claim
REPEAT = 0.8  # ... of two sentences of one reference that repeat each other
SAME_LEAD = 0.5  # bigram Dice of two bold lead terms that name the same thing ("小批量判别", "小批量歧視")
SHOWN_MIN_WEIGHT = 8  # the shown text is the most concise variant at least this heavy

_INTRO = re.compile(r"[:：]\s*$")
_TERM = re.compile(r"\b[A-Z][A-Za-z0-9]*[A-Z0-9][A-Za-z0-9\-]*\b|\b[A-Z]{2,}s?\b|\b[A-Za-z]+-[A-Za-z0-9]+\b")
_CONCLUSION = re.compile(r"^(?:in summary|in conclusion|to summari[sz]e|overall|in short|all in all|総之|总之|總之|"
                         r"总而言之|總而言之|综上|綜上|总的来说|總的來說|总结|總結)", re.I)
_TRANSITION = re.compile(r"^(?:however|moreover|furthermore|additionally|in addition|also|besides|on the other hand|"
                         r"然而|此外|另外|另一方面|同时|同時|而且|并且|並且|其次|首先|最后|最後|因此|所以)[,，、:：\s]*", re.I)
_ITEM_START = re.compile(r"\s*(?:(?:[-*+•·]|\d{1,3}[.)、．]|[(（]\d{1,3}[)）])\s*)?(?:\*\*|__)?")
_LEANS = re.compile(r"^(?:it|its|this|these|that|those|they|their|such|thus|hence|for example|for instance|e\.g\.|"
                    r"这|這|它|其|此|该|該|例如|比如|譬如|举例|舉例)(?![a-z])", re.I)


@dataclass(slots=True)
class KeyPoint:
    text: str  # the claim as shown
    variants: list[str] = field(default_factory=list)  # every reference sentence that states it
    lead: str | None = None
    terms: list[str] = field(default_factory=list)
    weight: float = 1.0
    answer_index: int = 0  # the reference answer the shown text came from


@dataclass(slots=True)
class Candidate:
    text: str
    answer_index: int
    position: int  # order of the claim inside its reference answer
    lead: str | None = None
    leans: bool = False  # continues the sentence before it


def terms_of(text: str, lead: str | None = None) -> list[str]:
    """Technical terms to match exactly: acronyms, CamelCase and hyphenated words, the lead."""
    found = {m.group(0) for m in _TERM.finditer(text)}
    if lead and weight(lead) <= 16:
        found.add(lead)
    return sorted(found, key=len, reverse=True)


def _claim(span: Span) -> str | None:
    """The span's claim text, or None when it is not a claim at all."""
    if span.heading or _INTRO.search(span.text) or _CONCLUSION.match(span.text):
        return None
    text = _TRANSITION.sub("", span.text, count=1).strip()
    return text if weight(text) >= 2 else None


def candidates(references: list[str]) -> list[Candidate]:
    """Claims of every reference answer, in order. A one-phrase reference is one claim."""
    out: list[Candidate] = []
    for n, ref in enumerate(references):
        found: list[Candidate] = []
        for span in split(ref, min_weight=MIN_WEIGHT, semicolons=False):
            text = _claim(span)
            if text is None:
                continue
            line_start = ref.rfind("\n", 0, span.start) + 1
            opens_line = bool(_ITEM_START.fullmatch(ref[line_start:span.start]))  # a bullet is a claim of its own
            leans = bool(_LEANS.match(text)) and bool(found) and not opens_line
            found.append(Candidate(text, n, len(found), span.lead, leans))
        if not found:
            short = clean(" ".join(ref.split()))
            if weight(short) >= 1:
                found.append(Candidate(short, n, 0))
        out.extend(found)
    return out


def _groups(cands: list[Candidate], vecs: np.ndarray) -> list[list[int]]:
    """Candidates grouped into claims: a leaning sentence with the claim before it; the same
    claim across references (or repeated in one) with its first statement."""
    groups: list[list[int]] = []
    owner: dict[int, int] = {}
    for i, c in enumerate(cands):
        if c.leans and i > 0 and cands[i - 1].answer_index == c.answer_index:
            owner[i] = owner[i - 1]
            groups[owner[i]].append(i)
            continue
        best, where = -1.0, -1
        for g, members in enumerate(groups):
            head = cands[members[0]]
            limit = REPEAT if all(cands[m].answer_index == c.answer_index for m in members) else SAME_CLAIM
            sims = vecs[members] @ vecs[i]
            score = float(sims.max())
            if c.lead and head.lead and similarity(c.lead, head.lead) >= SAME_LEAD and head.answer_index != c.answer_index:
                score = max(score, limit)
            if score >= limit and score > best:
                best, where = score, g
        if where < 0:
            groups.append([i])
            where = len(groups) - 1
        else:
            groups[where].append(i)
        owner[i] = where
    return groups


def _per_answer(cands: list[Candidate]) -> dict[int, int]:
    counts: dict[int, int] = {}
    for c in cands:
        counts[c.answer_index] = counts.get(c.answer_index, 0) + 1
    return counts


def how_many(cands: list[Candidate]) -> int:
    """Points to keep: the most concise reference's sentence count, at least half of the longest's."""
    per_answer = _per_answer(cands)
    if not per_answer:
        return 0
    fewest, most = min(per_answer.values()), max(per_answer.values())
    return min(MAX_POINTS, max(1, fewest, math.ceil(most / 2)))


def select(cands: list[Candidate], vecs: np.ndarray, question: np.ndarray | None = None) -> list[tuple[KeyPoint, list[int]]]:
    """The key points, in reference order, each with the indices of its variants in `cands`."""
    if not cands:
        return []
    groups = _groups(cands, vecs)
    n_answers = len({c.answer_index for c in cands})
    per_answer = _per_answer(cands)
    fewest = min(per_answer.values())
    centre = vecs.mean(axis=0)
    centre = centre / (np.linalg.norm(centre) or 1.0)

    def importance(members: list[int]) -> float:
        support = len({cands[m].answer_index for m in members}) / n_answers
        heads = [m for m in members if not cands[m].leans] or members
        focus = float(np.max(vecs[heads] @ question)) if question is not None else 0.0
        central = float(np.max(vecs[heads] @ centre))
        early = 1.0 / (1.0 + min(cands[m].position for m in heads))
        concise = max(fewest / per_answer[cands[m].answer_index] for m in heads)  # an outline's claims are its points
        return support + 0.5 * focus + 0.5 * central + 0.2 * early + 0.5 * concise

    ranked = sorted(range(len(groups)), key=lambda g: -importance(groups[g]))
    keep = sorted(ranked[:how_many(cands)], key=lambda g: min(groups[g]))
    out = []
    for g in keep:
        members = groups[g]
        heads = [m for m in members if not cands[m].leans] or members
        heavy = [m for m in heads if weight(cands[m].text) >= SHOWN_MIN_WEIGHT] or heads
        shown = min(heavy, key=lambda m: (weight(cands[m].text), m))
        c = cands[shown]
        lead = next((cands[m].lead for m in heads if cands[m].lead), None)
        terms = sorted({t for m in members for t in terms_of(cands[m].text, cands[m].lead)}, key=len, reverse=True)
        out.append((KeyPoint(c.text, [cands[m].text for m in members], lead, terms, 1.0, c.answer_index), members))
    return out
