"""What the grader reads from each human-graded answer, computed once and cached.

For every record, `Grader.analyse` (the product's own code) gives the measures the fitted
model's features come from: point × span alignment matrices and whole-answer similarities,
or nothing for a non-answer. They are cached under bench/results/cache/ (git-ignored) per set
and MEASURES_VERSION; bump the version when the analysis changes.

    .venv/bin/python bench/grading_features.py beetle zh_le ...   # fill the cache
"""

from __future__ import annotations

import hashlib
import pickle
import sys
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from grading_data import Record

from interview_coach.providers import registry
from interview_coach.search.tokenize import script_class
from interview_coach.study import junk, lexical
from interview_coach.study.bank_grading import QUESTION_MODEL, SENTENCE_MODEL
from interview_coach.study.grading import E5_CHARS, Embedder, Grader, Measures, Reference
from interview_coach.study.spans import split

MEASURES_VERSION = "m2"
CACHE = Path(__file__).resolve().parent / "results" / "cache"


@dataclass(slots=True)
class Read:
    """One answer as the grader read it."""

    measures: Measures | None  # None: nothing to grade (empty, echo only, "I don't know")
    flags: list[str]
    junk: bool  # a keyword string or only questions: the grade is capped
    baselines: dict[str, float]  # plain answer–reference similarities, for every answer


def baselines(embed: Embedder, answer: str, references: list[str]) -> dict[str, float]:
    """Plain baselines: cosine of the whole answer with the closest reference (USE, e5) and
    token F1 with it (search tokens, nothing demoted)."""
    if not answer.strip() or not references:
        return {"use": 0.0, "e5": 0.0, "token_f1": 0.0}
    refs = [r[:3000] for r in references]
    use = float(np.max(embed(refs, 0) @ embed([answer[:3000]], 0)[0]))
    e5 = float(np.max(embed(refs, 1) @ embed([answer[:E5_CHARS]], 1)[0]))
    words = lexical.word_set(answer)
    f1 = max(lexical.f1(words, lexical.word_set(r)) for r in references)
    return {"use": use, "e5": e5, "token_f1": f1}


def _key(name: str, records: list[Record]) -> str:
    h = hashlib.sha256(MEASURES_VERSION.encode())
    for r in records:
        h.update("\x00".join([r.question_id, *r.questions, *r.references, r.answer]).encode())
    return h.hexdigest()[:16]


def embedder() -> Embedder:
    return Embedder([registry.load(SENTENCE_MODEL), registry.load(QUESTION_MODEL)])


def read_all(name: str, records: list[Record], embed: Embedder | None = None, verbose: bool = True) -> list[Read]:
    """The grader's reading of every record (cached)."""
    path = CACHE / f"{name}.{_key(name, records)}.pkl"
    if path.exists():
        with path.open("rb") as f:
            rows = pickle.load(f)
        reads = [Read(*row) for row in rows]
        for rd, r in zip(reads, records, strict=True):  # caches written before the "zh" measure ...
            if rd.measures is not None and "zh" not in rd.measures.whole:
                rd.measures.whole["zh"] = float(script_class(r.answer[:400]) == "zh")
            if rd.measures is not None and not rd.junk and "restates the question" not in rd.flags:  # ... and this check
                qwords = frozenset().union(*(lexical.word_set(q) for q in r.questions)) if r.questions else frozenset()
                rwords = frozenset().union(*(lexical.word_set(x) for x in r.references))
                if junk.restates_question(lexical.words(r.answer), qwords, rwords):
                    rd.flags.append("restates the question")
                    rd.junk = True
        return reads
    embed = embed or embedder()
    grader = Grader(embed)
    by_question: dict[str, list[int]] = defaultdict(list)
    for i, r in enumerate(records):
        by_question[r.question_id].append(i)
    out: list[Read | None] = [None] * len(records)
    t0 = time.perf_counter()
    for n, (_qid, idx) in enumerate(by_question.items()):
        answers = [records[i].answer for i in idx]
        # batch what the analysis will ask for, so the models see many texts at once
        embed([s.text for a in answers for s in split(a, min_weight=2, clauses=True)], 0)
        embed([a[:3000] for a in answers], 0)
        embed([a[:E5_CHARS] for a in answers], 1)
        for i in idx:
            r = records[i]
            a = grader.analyse(Reference(r.questions, r.references), r.answer)
            out[i] = Read(a.measures, a.flags, a.junk, baselines(embed, r.answer, r.references))
        embed.clear()
        grader.clear()
        if verbose and (n % 20 == 0 or n == len(by_question) - 1):
            print(f"  {name}: {n + 1}/{len(by_question)} questions, {time.perf_counter() - t0:.0f} s", flush=True)
    reads = [r for r in out if r is not None]
    CACHE.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as f:
        pickle.dump([(r.measures, r.flags, r.junk, r.baselines) for r in reads], f)
    return reads


if __name__ == "__main__":
    from grading_data import load_interview, load_set

    for set_name in sys.argv[1:]:
        recs = load_interview(set_name.split(":")[1]) if set_name.startswith("interview:") else load_set(set_name)
        t = time.perf_counter()
        read_all(set_name, recs)
        print(f"{set_name}: {len(recs)} answers read in {time.perf_counter() - t:.0f} s", flush=True)
