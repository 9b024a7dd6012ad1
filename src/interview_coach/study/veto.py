"""The off-topic veto: "this is an answer to another question in the bank", said only on clear
evidence, and naming that question.

All of these must hold (measured on the development answers, see bench/grading_eval.py):

* the answer is much closer to another question's reference answers than to ours
  (USE cosine, margin ≥ MARGIN) — and that question is not ours under another wording
  (question texts closer than DUPLICATE_QUESTION are skipped);
* it is far from our references (cosine ≤ OWN_MAX) and close to theirs (≥ THEIRS_MIN);
* it makes none of our key points (no point covered or partial);
* where the question model is loaded (e5, query ↔ passage), the answer also matches that
  other question's text better than ours.

The veto is separate from the grade: the grade says how good an answer it is; the veto only
explains a low grade by naming the question the answer seems to address.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from ..search.tokenize import script_class
from .alignment import across_languages

if TYPE_CHECKING:
    from .grading import Embedder, Reference

DUPLICATE_QUESTION = 0.8  # USE cosine of two question texts that ask the same thing
MARGIN = 0.12  # USE cosine: the other question's best reference minus ours
OWN_MAX = 0.55  # USE cosine with our best reference above which an answer is never vetoed
THEIRS_MIN = 0.45  # USE cosine with the other question's reference below which it is no clear evidence
CHARS = 3000  # of an answer or reference compared whole
QUESTION_CHARS = 600  # of an answer matched to question texts (e5 cost grows with length)


@dataclass(frozen=True, slots=True)
class Veto:
    question_id: str | None
    question: str  # the other question's text
    similarity: float  # USE cosine of the answer with that question's closest reference
    own: float  # ... and with ours


class Rivals:
    """The other questions of the bank, embedded once (reference answers with USE, question
    texts with the question model as queries)."""

    def __init__(self, embed: Embedder, others: list[Reference]) -> None:
        self.embed = embed
        self.others = [o for o in others if o.answers]
        self.question_model = len(embed.models) > 1
        self._owner = np.array([i for i, o in enumerate(self.others) for _ in o.answers], dtype=np.int64)
        self._vecs = embed([a[:CHARS] for o in self.others for a in o.answers], 0, persist=True)
        self._chinese = np.array([script_class(a[:400]) == "zh" for o in self.others for a in o.answers], dtype=bool)
        self._qvecs = embed([o.questions[0] if o.questions else "" for o in self.others], 0, persist=True)
        self._qtext_owner = np.array([i for i, o in enumerate(self.others) for _ in o.questions], dtype=np.int64)
        self._qtexts = (embed([t for o in self.others for t in o.questions], 1, persist=True, kind="query")
                        if self.question_model else None)

    def index(self, question_id: str | None) -> int | None:
        """Position of a question in the comparison set (to leave it out), by id."""
        return next((i for i, o in enumerate(self.others) if question_id is not None and o.id == question_id), None)

    def _keep(self, ref: Reference, exclude: int | None) -> np.ndarray:
        keep = np.ones(len(self.others), dtype=bool)
        if exclude is not None and 0 <= exclude < len(keep):
            keep[exclude] = False
        if ref.questions and len(self._qvecs):
            q = self.embed(ref.questions, 0, persist=True)
            keep &= (self._qvecs @ q.T).max(axis=1) < DUPLICATE_QUESTION
        return keep

    def veto(self, ref: Reference, answer: np.ndarray, content: str, own: float, makes_points: bool,
             exclude: int | None = None) -> Veto | None:
        """`answer`: the answer's USE vector; `own`: its cosine with our best reference (cosines
        across languages on the same-language scale, `alignment.across_languages`)."""
        if makes_points or own > OWN_MAX or not len(self._vecs):
            return None
        keep = self._keep(ref, exclude)
        cos = self._vecs @ answer
        cos = np.where(self._chinese != (script_class(content[:400]) == "zh"), across_languages(cos), cos)
        sims = np.where(keep[self._owner], cos, -1.0)
        j = int(np.argmax(sims))
        best = float(sims[j])
        if best < THEIRS_MIN or best - own < MARGIN:
            return None
        rival = int(self._owner[j])
        if self.question_model and self._qtexts is not None and ref.questions:
            a = self.embed([content[:QUESTION_CHARS]], 1)[0]
            ours = float(np.max(self.embed(ref.questions, 1, persist=True, kind="query") @ a))
            theirs = float(np.max((self._qtexts @ a)[self._qtext_owner == rival]))
            if theirs <= ours:
                return None
        other = self.others[rival]
        return Veto(other.id, other.questions[0] if other.questions else "", best, own)
