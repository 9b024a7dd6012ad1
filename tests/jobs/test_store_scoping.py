"""Job profiles and mock interviews belong to one user; topic edits are team data that survive
re-ingest and relinking."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from interview_coach.bank.store import Store
from interview_coach.errors import NotFound
from interview_coach.ingest.pipeline import ingest_paths
from interview_coach.search import linking
from interview_coach.search.engine import SearchEngine
from interview_coach.study import jobs, tagging

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def _profile(store: Store) -> int:
    return store.profiles.add(title="ML engineer", description="Requirements: RLHF", url=None, interview_date=None,
                              lang="en", unmatched=[], notes=[],
                              topics=[{"topic": "rlhf", "must_have": True, "evidence": ["Requirements: RLHF"]}])


def test_another_users_jobs_and_sessions_are_not_found(db_path: str) -> None:
    with Store.open(db_path) as store:
        bob_id = store.users.add("bob", "learner", None, NOW.isoformat()).id
        mine = _profile(store)
        sid = store.mocks.start(job_id=mine, mode="practice", minutes=10, plan=[], before={"overall": 0, "topics": []},
                                started_at=NOW.isoformat())
        bob = store.for_user(bob_id)
        assert bob.profiles.all() == [] and bob.mocks.sessions() == []
        for call in (lambda: bob.profiles.get(mine), lambda: bob.profiles.remove(mine),
                     lambda: bob.profiles.set_topic(mine, "rag", True), lambda: bob.mocks.get(sid),
                     lambda: bob.mocks.answers(sid), lambda: bob.mocks.start(job_id=mine, mode="practice", minutes=5,
                                                                              plan=[], before={}, started_at="x")):
            with pytest.raises(NotFound):
                call()
        assert [j.id for j in store.profiles.all()] == [mine]
        store.profiles.remove(mine)  # the owner can; the session goes with the job
        assert store.mocks.sessions() == []


def test_profile_topics_can_be_added_removed_and_flipped(db_path: str) -> None:
    with Store.open(db_path) as store:
        job_id = _profile(store)
        job = jobs.edit(store, job_id, add=["LoRA"], nice=["rlhf"], interview_date="2027-01-10")
        assert {t.topic: (t.must_have, t.origin) for t in job.topics} == {"rlhf": (False, "extracted"),
                                                                          "peft-lora": (True, "manual")}
        assert job.interview_date == "2027-01-10"
        job = jobs.edit(store, job_id, remove=["人类反馈强化学习"])
        assert [t.topic for t in job.topics] == ["peft-lora"]


def _write(folder: Path, name: str, text: str) -> None:
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")


def test_tag_edits_survive_reingest_and_relinking(db_path: str, tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    _write(docs, "a.md", "# Bank A\n\n1. What is LoRA?\n\nAnswer: a low-rank update of frozen weights.\n\n"
                         "2. What is a KV cache?\n\nAnswer: cached keys and values of past tokens.\n")
    with Store.open(db_path) as store:
        assert ingest_paths(store, [docs]).ok
        tagging.ensure(store)
        lora = next(q.question_id for q in store.questions() if "LoRA" in q.primary.question)
        assert "peft-lora" in [t.topic for t in tagging.topics_of(store, lora)]
        tagging.edit(store, lora, add=["fine-tuning"], remove=["peft-lora"])
        # the file is edited and re-ingested: the question keeps its id and its edited topics
        _write(docs, "a.md", "# Bank A\n\n1. What is LoRA, and why is it cheap?\n\nAnswer: a low-rank update.\n\n"
                             "2. What is a KV cache?\n\nAnswer: cached keys and values of past tokens.\n")
        assert ingest_paths(store, [docs]).ok
        tagging.ensure(store)
        assert {t.topic: t.origin for t in tagging.topics_of(store, lora)}["fine-tuning"] == "manual"
        assert "peft-lora" not in [t.topic for t in tagging.topics_of(store, lora)]
        # a second file asks the same question: linking merges the two; the edits follow the surviving id
        _write(docs, "b.md", "# Bank B\n\n1. What is LoRA, and why is it cheap?\n\nAnswer: only small low-rank "
                             "matrices are trained.\n")
        assert ingest_paths(store, [docs]).ok
        linking.relink(store, lambda: SearchEngine.build(store))
        tagging.ensure(store)
        merged = {q.question_id: q for q in store.questions() if "LoRA" in q.primary.question}
        assert len(merged) == 1
        qid = next(iter(merged))
        tags = {t.topic: t.origin for t in tagging.topics_of(store, qid)}
        assert tags.get("fine-tuning") == "manual" and "peft-lora" not in tags
