"""The bank's questions ranked for a job: how strongly each is tagged with the job's topics,
must-haves counting double (what `bench/job_match.py` measures as P@10 on the seeds)."""

from __future__ import annotations

from ..bank.profiles import JobRow
from ..bank.store import Store
from . import tagging
from .readiness import MUST_WEIGHT

FULL_TAG = 4.0  # a tag score from which a question counts as fully on its topic


def rank(store: Store, job: JobRow, k: int | None = 10,
         topic_questions: dict[str, list[tuple[str, float]]] | None = None) -> list[tuple[str, float]]:
    """(question id, relevance) of the questions tagged with the job's topics, most relevant first."""
    if topic_questions is None:
        tagging.ensure(store)
        topic_questions = tagging.by_topic(store)
    score: dict[str, float] = {}
    for t in job.topics:
        w = MUST_WEIGHT if t.must_have else 1.0
        for qid, s in topic_questions.get(t.topic, []):
            score[qid] = score.get(qid, 0.0) + w * min(s / FULL_TAG, 1.0)
    ranked = sorted(score.items(), key=lambda kv: (-kv[1], kv[0]))
    return ranked if k is None else ranked[:k]


__all__ = ["rank"]
