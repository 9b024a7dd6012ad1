"""The five real seed banks: the job posting bank (004) read as a job, and a readiness map over
all five (read from ../shared/seeds at run time; nothing of them is copied here)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

from interview_coach.bank.store import Store
from interview_coach.ingest.pipeline import ingest_paths
from interview_coach.study import jobs, mockplan, readiness, reviews, tagging
from interview_coach.study.scheduler import Rating

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def test_a_readiness_map_over_the_five_seeds(db_path: str, seeds_dir: Path) -> None:
    seed = next(p for p in seeds_dir.iterdir() if p.name.startswith("004_"))
    titles = [m.group(1) for m in re.finditer(r"^### (?!\d)(.+)$", seed.read_text(encoding="utf-8"), re.M)]
    with Store.open(db_path) as store:
        ingest_paths(store, [seeds_dir])
        assert len(store.sources()) == 5
        job, _ = jobs.add(store, "\n".join(titles), title="AI Researcher", interview_date="2026-12-15")
        assert tagging.ensure(store) > 0
        rm = readiness.compute(store, job, NOW)
        by = {t.topic: t for t in rm.topics}
        assert by["data-labelling"].questions >= 10 and by["rlhf"].questions >= 10
        assert all(t.status == "weak" for t in rm.topics) and rm.overall == 0.0
        # a week of drilling the labelling questions makes that topic ready, and the whole map rises
        for qid, _ in tagging.by_topic(store)["data-labelling"][:10]:
            for day in (0, 2, 5):
                reviews.record(store, qid, Rating.Good, NOW - timedelta(days=7 - day), score=75.0)
        after = readiness.compute(store, job, NOW)
        assert {t.topic: t for t in after.topics}["data-labelling"].readiness > 0.5
        assert after.overall > 0.05
        plan = mockplan.make(store, job, 30, NOW, rm=after)
        assert plan.items and "data-labelling" not in {i.topic for i in plan.items[:3]}  # the weak ones come first
