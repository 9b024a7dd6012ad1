"""Readiness on the interview date (FSRS forecast), gaps apart from weak topics, and session plans."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from interview_coach.bank.store import Store
from interview_coach.study import jobs, mockplan, readiness, reviews, tagging
from interview_coach.study.scheduler import Rating

from .conftest import LLM_JOB

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def _job(store: Store, date: str | None = "2026-12-20") -> int:
    job, _ = jobs.add(store, LLM_JOB, interview_date=date)
    return job.id


def _tagged(store: Store, topic: str) -> list[str]:
    return [q for q, _ in tagging.by_topic(store)[topic]]


def test_an_unstudied_bank_is_not_ready_and_gaps_are_apart(store: Store) -> None:
    job = store.profiles.get(_job(store))
    rm = readiness.compute(store, job, NOW)
    assert rm.at == "2026-12-20" and rm.dated
    by = {t.topic: t for t in rm.topics}
    assert by["rlhf"].status == "weak" and by["rlhf"].questions >= 1 and by["rlhf"].reviewed == 0
    assert by["containers-kubernetes"].status == "gap" and by["containers-kubernetes"].questions == 0
    assert "containers-kubernetes" in [t.topic for t in rm.gaps]
    assert "containers-kubernetes" not in [t.topic for t in rm.weak]
    assert rm.overall == 0.0 and "0%" in rm.sentence and "no questions" in rm.sentence


def test_reviews_raise_readiness_and_recall_fades_towards_a_later_interview(store: Store) -> None:
    job = store.profiles.get(_job(store))
    lora = _tagged(store, "peft-lora")
    for q in lora:
        for day in (0, 1, 4):
            reviews.record(store, q, Rating.Good, NOW - timedelta(days=10 - day), score=80.0)
    soon = readiness.compute(store, job, NOW, at=NOW + timedelta(days=1))
    late = readiness.compute(store, job, NOW, at=NOW + timedelta(days=60))
    t_soon = next(t for t in soon.topics if t.topic == "peft-lora")
    t_late = next(t for t in late.topics if t.topic == "peft-lora")
    assert t_soon.reviewed == len(lora) and t_soon.recent_grades == [80.0] * min(3, len(lora) * 3)
    assert 0 < t_late.readiness < t_soon.readiness <= 1
    assert soon.overall > 0
    assert late.overall < soon.overall


def test_the_plan_puts_weak_must_haves_first_and_fills_the_time(store: Store) -> None:
    job = store.profiles.get(_job(store))
    plan = mockplan.make(store, job, 30, NOW)
    assert plan.items and plan.planned_minutes <= 30
    assert plan.per_question == mockplan.DEFAULT_ANSWER_MINUTES + mockplan.FEEDBACK_MINUTES
    reasons = [i.reason for i in plan.items]
    assert reasons[0] == "weak must-have"
    assert reasons == sorted(reasons, key=["weak must-have", "due", "weak nice-to-have", "strong check"].index)
    assert len({i.question_id for i in plan.items}) == len(plan.items)
    assert "containers-kubernetes" in plan.gaps and any("no questions" in n for n in plan.notes)
    for item in plan.items:  # every planned question can be graded: it has a reference answer
        assert any(it.answer for it in store.question(item.question_id).items)


def test_the_plan_never_holds_two_near_duplicates(store: Store) -> None:
    """The sample bank asks about hallucination in English and in 繁體 (linking left them apart)."""
    job_id = store.profiles.add(title="eval", description="x", url=None, interview_date=None, lang="en",
                                unmatched=[], notes=[], topics=[{"topic": "hallucination", "must_have": True}])
    pair = _tagged(store, "hallucination")
    assert len(pair) == 2
    plan = mockplan.make(store, store.profiles.get(job_id), 60, NOW)
    assert len([i for i in plan.items if i.question_id in pair]) == 1


def test_strong_topics_come_last_as_a_check(store: Store) -> None:
    job = store.profiles.get(_job(store))
    for q in _tagged(store, "rag") + _tagged(store, "rlhf"):
        for day in (0, 2, 6):
            reviews.record(store, q, Rating.Easy, NOW - timedelta(days=9 - day), score=95.0)
    rm = readiness.compute(store, job, NOW, at=NOW + timedelta(days=1))
    assert {t.topic: t.status for t in rm.topics}["rag"] == "strong"
    plan = mockplan.make(store, job, 40, NOW, rm=rm)
    checks = [i for i in plan.items if i.reason == "strong check"]
    assert 1 <= len(checks) <= mockplan.MAX_CHECKS
    assert plan.items[-len(checks):] == checks


def test_a_bank_with_no_questions_for_the_job_gives_an_empty_plan_that_says_why(store: Store) -> None:
    job_id = store.profiles.add(title="devops", description="x", url=None, interview_date=None, lang="en",
                                unmatched=[], notes=[], topics=[{"topic": "containers-kubernetes", "must_have": True},
                                                                {"topic": "cloud-platforms", "must_have": False}])
    plan = mockplan.make(store, store.profiles.get(job_id), 30, NOW)
    assert plan.items == []
    assert any("no questions" in n for n in plan.notes)
