"""From a job description to a profile: the taxonomy topics the job requires, must-have or
nice-to-have, each with its evidence, and the requirements that match no topic.

Two kinds of evidence per (job, topic):

* aliases — the taxonomy's words in any of the three scripts (`Taxonomy.find`), counted per
  section kind of the line they occur in (duties, requirements, preferred, intro, other);
* similarity — the cosine between a requirement line and the topic's description under the
  Universal Sentence Encoder (multilingual; Chinese folded to simplified), for phrasing the
  aliases miss ("serve models with low latency" → model deployment).

A logistic model over these features decides which topics the job requires; its weights are
fitted on the labelled dev split (bench/fit_profile.py writes them to `profile_weights.json`
beside this module). Must-have comes from the posting's structure and wording: a topic is a
must when some line naming it is a duty or requirement without a nice-to-have cue (优先, 加分,
preferred, plus …) or carries a must cue; only preferred-section or cued lines make it nice-to-have.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import numpy as np

from ..errors import InvalidInput
from . import jobtext
from .jobtext import Line
from .taxonomy import Taxonomy, load

Embed = Callable[[Sequence[str]], np.ndarray]  # texts -> unit vectors (n, dim)

SECTION_KINDS = ("duty", "require", "prefer", "intro", "other", "title")
MAX_EVIDENCE = 3
MAX_CHARS = 200_000


@dataclass(slots=True)
class ProfileTopic:
    topic: str
    must_have: bool
    evidence: list[str]
    score: float = 0.0  # the model's probability that the job requires the topic
    origin: str = "extracted"  # extracted | manual

    def as_json(self) -> dict[str, object]:
        return {"topic": self.topic, "must_have": self.must_have, "evidence": self.evidence,
                "score": round(self.score, 3), "origin": self.origin}


@dataclass(slots=True)
class Profile:
    title: str
    lang: str
    topics: list[ProfileTopic]
    unmatched: list[str]
    notes: list[str] = field(default_factory=list)  # what the reader should know (language, nothing found)


@dataclass(slots=True)
class Candidate:
    """Everything the model sees about one topic in one description."""

    topic: str
    hits: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SECTION_KINDS, 0))
    nested: int = 0
    sim: float = 0.0  # best cosine of a duty/requirement/preferred/intro line with the topic
    sim_kind: str = "other"
    lines: list[tuple[int, Line]] = field(default_factory=list)  # (index, line) of the evidence

    def features(self) -> list[float]:
        h = self.hits
        core = h["duty"] + h["require"] + h["intro"]
        return [
            1.0,
            math.log1p(core),
            math.log1p(h["prefer"]),
            math.log1p(h["other"] + h["title"]),
            float(h["title"] > 0),
            math.log1p(self.nested),
            self.sim,
            float(core + h["prefer"] == 0),  # seen only by similarity (or only in other sections)
            float(core + h["prefer"] == 0) * self.sim,  # ... and then how similar: the only evidence left
        ]


FEATURES = ["bias", "alias_core", "alias_prefer", "alias_other", "in_title", "nested", "similarity", "no_alias",
            "no_alias_similarity"]
# Used until bench/fit_profile.py has written fitted weights (see profile_weights.json).
DEFAULT_WEIGHTS = {"bias": -3.0, "alias_core": 5.0, "alias_prefer": 4.5, "alias_other": 0.5, "in_title": 1.0,
                   "nested": 0.5, "similarity": 0.0, "no_alias": 0.0,
                   "no_alias_similarity": 0.0, "threshold": 0.5, "line_sim_floor": 0.45,
                   "unmatched_sim": 0.45}


@lru_cache(maxsize=1)
def weights() -> dict[str, float]:
    try:
        data = resources.files("interview_coach.study").joinpath("profile_weights.json").read_text(encoding="utf-8")
    except (FileNotFoundError, OSError):
        return dict(DEFAULT_WEIGHTS)
    fitted = json.loads(data)
    return {**DEFAULT_WEIGHTS, **fitted.get("weights", {})}


def _is_requirement(line: Line) -> bool:
    return not line.heading and line.kind in ("duty", "require", "prefer", "intro")


@lru_cache(maxsize=4)
def _topic_matrix(model_key: str, embed: Embed) -> np.ndarray:
    tax = load()
    return embed([t.embed_text() for t in tax])


def candidates(lines: list[Line], tax: Taxonomy, embed: Embed | None, model_key: str = "use") -> dict[str, Candidate]:
    """Alias and similarity evidence for every topic the description touches."""
    found: dict[str, Candidate] = {}
    for i, line in enumerate(lines):
        if line.heading and line.kind != "title":
            continue
        hits = tax.find(line.text)
        nested = tax.nested(hits)
        for j, h in enumerate(hits):
            c = found.setdefault(h.topic, Candidate(h.topic))
            if j in nested:
                c.nested += 1
            else:
                c.hits[line.kind] += 1
            if not c.lines or c.lines[-1][0] != i:
                c.lines.append((i, line))
    if embed is None:
        return found
    req = [(i, line) for i, line in enumerate(lines) if _is_requirement(line)]
    if not req:
        return found
    vecs = embed([line.text for _, line in req])
    sims = vecs @ _topic_matrix(model_key, embed).T  # (lines, topics)
    floor = weights()["line_sim_floor"]
    ids = [t.id for t in tax]
    for col, tid in enumerate(ids):
        row = int(np.argmax(sims[:, col]))
        best = float(sims[row, col])
        if best < floor and tid not in found:
            continue
        c = found.setdefault(tid, Candidate(tid))
        c.sim = best
        c.sim_kind = req[row][1].kind
        if not c.lines and best >= floor:
            c.lines.append(req[row])
    return found


def probability(c: Candidate, w: dict[str, float]) -> float:
    z = sum(w[name] * x for name, x in zip(FEATURES, c.features(), strict=True))
    return 1.0 / (1.0 + math.exp(-z))


def must_have(c: Candidate) -> bool:
    """A must when some line naming the topic is a duty or a requirement (or the title) without a
    nice-to-have cue; a topic named only in preferred sections or cued lines is nice-to-have."""
    for _, line in c.lines:
        if line.kind == "prefer" or line.nice:
            continue
        if line.kind in ("duty", "require", "intro", "title") or line.must:
            return True
    return False


def _unmatched(lines: list[Line], used: set[int], embed_hits: set[int]) -> list[str]:
    out = []
    for i, line in enumerate(lines):
        if i in used or i in embed_hits or not _is_requirement(line) or line.kind == "intro":
            continue
        if len(line.text) < 4:
            continue
        out.append(line.text)
    return list(dict.fromkeys(out))


def extract(text: str, *, title: str | None = None, embed: Embed | None = None,
            tax: Taxonomy | None = None) -> Profile:
    """The profile of a job description (InvalidInput when there is nothing to read)."""
    if text is None or not text.strip():
        raise InvalidInput(["the job description is empty"])
    if len(text) > MAX_CHARS:
        raise InvalidInput([f"the job description is longer than {MAX_CHARS} characters"])
    tax = tax or load()
    lang, covered = jobtext.language(text)
    notes: list[str] = []
    if not covered:
        notes.append(f"this description looks {lang}; the topic taxonomy covers English, 简体 and 繁體 Chinese, "
                     "so topics may be missed (English technical terms are still recognised)")
    lines = jobtext.segment(text)
    w = weights()
    cands = candidates(lines, tax, embed)
    chosen: list[ProfileTopic] = []
    used: set[int] = set()
    for tid in tax.order:
        c = cands.get(tid)
        if c is None:
            continue
        p = probability(c, w)
        if p < w["threshold"]:
            continue
        chosen.append(ProfileTopic(tid, must_have(c), [line.text for _, line in c.lines[:MAX_EVIDENCE]], p))
        used.update(i for i, _ in c.lines)
    chosen.sort(key=lambda t: (not t.must_have, -t.score, tax.order.index(t.topic)))
    unmatched = _unmatched(lines, used, set())
    if not chosen:
        notes.append("no topic of the taxonomy was found in this description" +
                     ("" if covered else f" (it looks {lang})"))
    first = next((line.text for line in lines if line.kind == "title"), None)
    return Profile(title or _title(first, text), "en" if lang == "English" else ("zh" if lang == "Chinese" else lang),
                   chosen, unmatched, notes)


def _title(first: str | None, text: str) -> str:
    if first:
        return first.split(" — ")[0].strip()[:120]
    line = next((s.strip(" #*") for s in text.splitlines() if s.strip()), "job")
    return line[:120]


__all__ = ["Candidate", "Embed", "Profile", "ProfileTopic", "candidates", "extract", "must_have", "weights"]
