"""A mock interview for a job: the plan asked in order, answers graded, follow-ups, reviews logged.

The terminal and the web UI both drive `MockSession`; it does no I/O beyond the bank and takes
the clock from its caller (UTC). Every answer is stored the moment it is given, with its grade
(or why it has none), and a graded answer to a bank question is also a review in the FSRS log
(rating proposed from the grade, as in a drill), so a session killed midway keeps every answer
already given and its effect on the schedule. Practice mode shows each grade at once; interview
mode keeps feedback for the report (`show_feedback`).

Follow-ups — at most one per main question and `MAX_FOLLOWUPS` per session — come from the key
points the grader marked missing ("could you say more about …"; the follow-up answer is graded
together with the first one, and is not a second review of the same card, since prompted recall
is not recall), or, after a good answer, from a related question of the same job topic in the
bank (a review of its own).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, Protocol

from ..bank.mocks import AnswerRow, SessionRow
from ..bank.store import Store
from ..errors import CoachError, InvalidInput
from . import mockplan, readiness, reviews, tagging
from .drill import propose
from .grading import Grade, Status
from .keypoints import terms_of
from .scheduler import Rating

Mode = Literal["practice", "interview"]
MODES: tuple[Mode, ...] = ("practice", "interview")
MAX_FOLLOWUPS = 2  # per session
POINT_FOLLOWUP_BELOW = 85.0  # a main answer scoring below this, with a key point missing, gets a follow-up on it
RELATED_FOLLOWUP_FROM = 70.0  # a main answer scoring at least this may get a related question
MAX_ANSWER = 20000


class AnswerGrader(Protocol):
    def grade(self, question_id: str, answer: str) -> Grade: ...


@dataclass(slots=True)
class Prompt:
    kind: str  # main | followup-point | followup-related
    question_id: str
    topic: str | None
    text: str
    number: int  # which main question (1-based)
    total: int  # main questions planned
    target_seconds: int  # time the plan allows; informative only, never enforced
    point: str | None = None  # the missed key point a follow-up is about


@dataclass(slots=True)
class Outcome:
    position: int
    score: float | None
    note: str | None  # why there is no grade
    grade: dict[str, Any] | None
    rating: str | None  # the review logged (None: no review)
    followup: Prompt | None


def grade_json(g: Grade) -> dict[str, Any]:
    return {"score": g.score, "relevance": round(g.relevance, 3), "coverage": round(g.coverage, 3),
            "flags": list(g.flags),
            "key_points": [{"text": p.text, "status": p.status.value, "evidence": p.evidence} for p in g.points]}


def show_feedback(mode: str) -> bool:
    return mode == "practice"


class MockSession:
    def __init__(self, store: Store, session_id: int, clock: Callable[[], datetime],
                 grader: AnswerGrader | None = None) -> None:
        self.store = store
        self.id = session_id
        self.clock = clock
        self._grader = grader
        self.row: SessionRow = store.mocks.get(session_id)
        self.pending: Prompt | None = None  # a follow-up waiting for its answer
        self._asked_followup: set[int] = set()

    # -- starting --------------------------------------------------------------------------
    @classmethod
    def start(cls, store: Store, job_id: int, *, minutes: int = 30, mode: str = "practice",
              clock: Callable[[], datetime], grader: AnswerGrader | None = None) -> MockSession:
        if mode not in MODES:
            raise InvalidInput([f"--mode {mode!r}: expected practice or interview"])
        if not 1 <= minutes <= 240:
            raise InvalidInput([f"--minutes {minutes}: expected 1 to 240"])
        job = store.profiles.get(job_id)
        now = clock()
        tagging.ensure(store)
        topic_questions = tagging.by_topic(store)
        cards = reviews.cards(store)
        rm = readiness.compute(store, job, now, cards=cards, topic_questions=topic_questions)
        plan = mockplan.make(store, job, minutes, now, rm=rm, topic_questions=topic_questions, cards=cards)
        if not plan.items:
            raise InvalidInput(plan.notes or ["nothing to ask for this job"])
        sid = store.mocks.start(job_id=job_id, mode=mode, minutes=minutes, plan=plan.as_json()["questions"],  # type: ignore[arg-type]
                                before=rm.as_json(recall=True), started_at=now.isoformat(timespec="seconds"))
        return cls(store, sid, clock, grader)

    @property
    def grader(self) -> AnswerGrader:
        if self._grader is None:
            from .bank_grading import BankGrader

            self._grader = BankGrader(self.store)
        return self._grader

    # -- asking ----------------------------------------------------------------------------
    def answers(self) -> list[AnswerRow]:
        return self.store.mocks.answers(self.id)

    def next_prompt(self) -> Prompt | None:
        """The follow-up waiting for an answer, else the next planned question not yet answered."""
        if self.pending is not None:
            return self.pending
        done = {a.question_id for a in self.answers() if a.kind == "main"}
        plan = self.row.plan
        for n, item in enumerate(plan, start=1):
            if item["question_id"] not in done:
                return Prompt("main", item["question_id"], item.get("topic"), self._text(item["question_id"], item["text"]),
                              n, len(plan), int(item["minutes"] * 60))
        return None

    def _text(self, question_id: str, fallback: str) -> str:
        try:
            return self.store.question(question_id).primary.question
        except CoachError:
            return fallback

    # -- answering -------------------------------------------------------------------------
    def answer(self, prompt: Prompt, text: str, duration_ms: int | None = None) -> Outcome:
        """Grade and store one answer (and its review); decide on a follow-up."""
        if len(text) > MAX_ANSWER:
            raise InvalidInput([f"the answer is longer than {MAX_ANSWER} characters"])
        if self.row.status != "running":
            raise InvalidInput([f"mock interview {self.id} is finished"])
        text = text.strip()
        grade: Grade | None = None
        note: str | None = None
        answered_text = text
        main_before: AnswerRow | None = None
        if prompt.kind == "followup-point":
            main_before = next((a for a in reversed(self.answers())
                                if a.question_id == prompt.question_id and a.kind == "main"), None)
            answered_text = ((main_before.answer + "\n") if main_before else "") + text
        if not text:
            note = "no answer given"
        else:
            try:
                grade = self.grader.grade(prompt.question_id, answered_text)
            except InvalidInput as e:
                note = "not graded: " + "; ".join(e.problems)
        now = self.clock()
        rating: Rating | None = None
        if prompt.kind != "followup-point" and (grade is not None or note == "no answer given"):
            rating = propose(grade.score if grade is not None else None)
        with self.store.writing():
            review_id = None
            if rating is not None:
                reviews.record(self.store, prompt.question_id, rating, now, score=grade.score if grade else None,
                               answer=text or None, duration_ms=duration_ms)
                review_id = self.store.reviews.stamp(prompt.question_id)[1]
            position = self.store.mocks.add_answer(
                self.id, question_id=prompt.question_id, topic=prompt.topic, kind=prompt.kind, prompt=prompt.text,
                answer=text, score=grade.score if grade else None, grade=grade_json(grade) if grade else None, note=note,
                review_id=review_id, duration_ms=duration_ms, answered_at=now.isoformat(timespec="seconds"))
        self.pending = None
        followup = None
        if prompt.kind == "main":
            followup = self._followup(prompt, grade)
            self.pending = followup
        return Outcome(position, grade.score if grade else None, note, grade_json(grade) if grade else None,
                       rating.name if rating is not None else None, followup)

    def skip_followup(self) -> None:
        self.pending = None

    def _followup(self, prompt: Prompt, grade: Grade | None) -> Prompt | None:
        used = sum(1 for a in self.answers() if a.kind != "main") + (1 if self.pending else 0)
        if grade is None or used >= MAX_FOLLOWUPS:
            return None
        target = max(60, prompt.target_seconds // 2)
        missing = [p.text for p in grade.points if p.status is Status.missing]
        if grade.score < POINT_FOLLOWUP_BELOW and missing:
            point = max(missing, key=lambda t: (_lead(t) is not None, -missing.index(t)))  # a labelled point, else the first
            lead = _lead(point)
            terms = [t for t in terms_of(point) if len(t) <= 40][:2]
            about = lead or (", ".join(terms) if terms else _gist(point))
            return Prompt("followup-point", prompt.question_id, prompt.topic,
                          f"Could you say more — what about {about}?", prompt.number, prompt.total, target, point=point)
        if grade.score >= RELATED_FOLLOWUP_FROM and prompt.topic:
            related = self._related(prompt)
            if related is not None:
                return Prompt("followup-related", related, prompt.topic, self._text(related, related), prompt.number,
                              prompt.total, target)
        return None

    def _related(self, prompt: Prompt) -> str | None:
        """A question of the same job topic, with a reference answer, neither planned nor asked."""
        planned = {i["question_id"] for i in self.row.plan} | {a.question_id for a in self.answers()}
        for qid, _ in tagging.by_topic(self.store).get(prompt.topic or "", []):
            if qid in planned:
                continue
            try:
                q = self.store.question(qid)
            except CoachError:
                continue
            if any(it.answer for it in q.items):
                return qid
        return None

    # -- ending ----------------------------------------------------------------------------
    def finish(self) -> SessionRow:
        """Record the readiness after the session (same forecast day as before) and close it."""
        if self.row.status == "finished":
            return self.row
        job = self.store.profiles.get(self.row.job_id)
        before = readiness.from_json(self.row.before)
        after = readiness.after_reviews(before, self.store, job, self.clock())
        self.store.mocks.finish(self.id, after=after.as_json(recall=True), finished_at=self.clock().isoformat(timespec="seconds"))
        self.row = self.store.mocks.get(self.id)
        return self.row


_LEAD = re.compile(r"^\s*(?:[-*•]\s*)?\**([^:：。\n]{2,40}?)\**\s*[:：]")


def _lead(point: str) -> str | None:
    """The label a key point starts with ("分層管理（Hierarchical Management）：…" → its label)."""
    m = _LEAD.match(point)
    return m.group(1).strip() if m else None


def _gist(point: str, words: int = 6) -> str:
    text = " ".join(point.split())
    if any("\u4e00" <= c <= "\u9fff" for c in text):
        return "“" + text[:12] + "…”"
    parts = text.split()
    return "“" + " ".join(parts[:words]) + ("…" if len(parts) > words else "") + "”"


class Timer:
    """The per-question clock: informs (elapsed vs the plan's target), never cuts off."""

    def __init__(self, target_seconds: int) -> None:
        self.target = target_seconds
        self.started = time.monotonic()

    @property
    def elapsed(self) -> int:
        return int(time.monotonic() - self.started)

    def summary(self) -> str:
        e = self.elapsed
        over = e - self.target
        text = f"⏱ {e // 60}:{e % 60:02d} of {self.target // 60}:{self.target % 60:02d}"
        return text + (f" — {over // 60}:{over % 60:02d} over the plan (no one cut you off)" if over > 0 else "")


__all__ = ["MODES", "MockSession", "Outcome", "Prompt", "Timer", "grade_json", "show_feedback"]
