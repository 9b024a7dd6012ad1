"""A mock interview driven through the library: answers stored at once, reviews logged, a
follow-up from a missed key point, a session interrupted and resumed, the report."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from interview_coach.bank.store import Store
from interview_coach.errors import InvalidInput
from interview_coach.study import jobs, mockreport
from interview_coach.study.mock import MockSession

from .conftest import LLM_JOB

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=30)
        return self.now


def _job(store: Store) -> int:
    return jobs.add(store, LLM_JOB, interview_date="2026-12-20")[0].id


def test_a_practice_session_from_start_to_report(store: Store) -> None:
    clock = Clock()
    s = MockSession.start(store, _job(store), minutes=12, mode="practice", clock=clock)
    assert len(s.row.plan) == 3
    first = s.next_prompt()
    assert first is not None and first.kind == "main" and first.number == 1 and first.target_seconds == 240
    out = s.answer(first, "It is a method.", duration_ms=5000)  # says little: key points are missing
    assert out.score is not None and out.rating is not None and out.grade is not None
    follow = out.followup
    assert follow is not None and follow.kind == "followup-point" and follow.point
    assert s.next_prompt() == follow
    out2 = s.answer(follow, "It also matters how it is trained and evaluated, step by step.", duration_ms=3000)
    assert out2.rating is None  # prompted recall is not a second review of the same card
    second = s.next_prompt()
    assert second is not None and second.number == 2
    s.answer(second, "")  # passed: stored, not graded, logged as Again
    third = s.next_prompt()
    assert third is not None and third.number == 3
    if s.answer(third, "I am not sure, something about attention.").followup is not None:
        s.skip_followup()  # a second follow-up is allowed; this one is skipped (nothing is stored)
    assert s.next_prompt() is None
    row = s.finish()
    assert row.status == "finished" and row.after is not None
    log = store.reviews.entries()
    assert [e.question_id for e in log] == [first.question_id, second.question_id, third.question_id]
    assert log[1].rating == 1 and log[1].score is None
    report = mockreport.build(store, s.id)
    assert report["answered"] == 3 and not report["stopped_early"]
    assert [a["kind"] for a in report["answers"]] == ["main", "followup-point", "main", "main"]
    assert report["answers"][2]["graded"] is False and report["answers"][2]["note"] == "no answer given"
    assert report["overall_after"] >= report["overall_before"]
    assert report["study_next"] and report["study_next"][0]["kind"] == "gap"  # Kubernetes: no questions
    assert len(report["trend"]) == 1
    text = mockreport.markdown(report)
    assert "not graded" in text and "## What to study next" in text and "## Trend for this job" in text


def test_a_session_killed_midway_keeps_its_answers_and_resumes(bank: str) -> None:
    with Store.open(bank) as store:
        job = _job(store)
        s = MockSession.start(store, job, minutes=12, mode="interview", clock=Clock())
        p = s.next_prompt()
        assert p is not None
        s.answer(p, "LoRA freezes the weights and learns a low-rank update.")
        sid = s.id
    # the process died here; a new one opens the bank
    with Store.open(bank) as store:
        again = MockSession(store, sid, Clock())
        assert [a.question_id for a in again.answers()] == [p.question_id]
        assert len(store.reviews.entries()) == 1
        nxt = again.next_prompt()
        assert nxt is not None and nxt.number == 2
        report = mockreport.build(store, sid, now=T0 + timedelta(hours=1))
        assert report["status"] == "running" and report["stopped_early"] and report["answered"] == 1


def test_a_finished_session_takes_no_more_answers(store: Store) -> None:
    s = MockSession.start(store, _job(store), minutes=5, mode="practice", clock=Clock())
    p = s.next_prompt()
    assert p is not None
    s.finish()
    with pytest.raises(InvalidInput, match="finished"):
        s.answer(p, "late")


def test_no_session_for_a_job_the_bank_cannot_serve(store: Store) -> None:
    job_id = store.profiles.add(title="devops", description="x", url=None, interview_date=None, lang="en",
                                unmatched=[], notes=[], topics=[{"topic": "containers-kubernetes", "must_have": True}])
    with pytest.raises(InvalidInput, match="no questions"):
        MockSession.start(store, job_id, minutes=10, clock=Clock())
