"""Mock interviews in the browser: one question at a time with a visible timer (it informs, it never
cuts off), feedback at once (practice) or only in the report (interview), follow-ups, and a
printable report with a Markdown download. Every answer is stored when it is posted."""

from __future__ import annotations

import time
from dataclasses import asdict
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from pydantic import BaseModel, Field

from ...errors import InvalidInput
from ...study import mockreport
from ...study.grading import Grade
from ...study.mock import MAX_ANSWER, MockSession, Outcome, Prompt, show_feedback
from ..state import UserState, app_state
from ..templating import render

pages = APIRouter()
api = APIRouter(tags=["mock interviews"])

KINDS = ("main", "followup-point", "followup-related")
DAY_MS = 86_400_000


def _now() -> datetime:
    return datetime.now(UTC)


class _Grader:
    """The app's shared grader, for the session's store."""

    def __init__(self, st: UserState) -> None:
        self.st = st

    def grade(self, question_id: str, answer: str) -> Grade:
        return self.st.grader.grade(question_id, answer, self.st.stamp)


def _session(st: UserState, store: Any, session_id: int) -> MockSession:
    return MockSession(store, session_id, _now, _Grader(st))


def start(st: UserState, job_id: int, minutes: int, mode: str) -> MockSession:
    with st.bank() as store:
        return MockSession.start(store, job_id, minutes=minutes, mode=mode, clock=_now, grader=_Grader(st))


def _prompt(kind: str, question_id: str, topic: str, text: str, point: str, number: int, total: int,
            target: int) -> Prompt:
    if kind not in KINDS:
        raise InvalidInput([f"kind {kind!r}: expected one of {', '.join(KINDS)}"])
    return Prompt(kind, question_id, topic or None, text, number, total, target, point or None)


def answer(st: UserState, session_id: int, prompt: Prompt, text: str, duration_ms: int | None) -> tuple[MockSession, Outcome]:
    with st.bank() as store:
        session = _session(st, store, session_id)
        store.question(prompt.question_id)  # an unknown question is a 404, before anything is stored
        if prompt.kind == "main" and prompt.question_id not in {i["question_id"] for i in session.row.plan}:
            raise InvalidInput([f"question {prompt.question_id} is not in the plan of mock interview {session_id}"])
        outcome = session.answer(prompt, text, duration_ms)
    return session, outcome


def outcome_json(outcome: Outcome, mode: str) -> dict[str, Any]:
    data: dict[str, Any] = {"position": outcome.position, "saved": True,
                            "followup": asdict(outcome.followup) if outcome.followup else None}
    if show_feedback(mode):
        data.update(score=outcome.score, graded=outcome.score is not None, note=outcome.note, grade=outcome.grade,
                    review=outcome.rating)
    return data


# -- pages -------------------------------------------------------------------------------------
@pages.post("/mock")
def mock_start(
    job_id: Annotated[int, Form()],
    minutes: Annotated[int, Form(ge=1, le=240)] = 30,
    mode: Annotated[Literal["practice", "interview"], Form()] = "practice",
    st: UserState = Depends(app_state),
) -> RedirectResponse:
    session = start(st, job_id, minutes, mode)
    return RedirectResponse(f"/mock/{session.id}", status_code=303)


def _question_page(request: Request, session: MockSession, prompt: Prompt) -> HTMLResponse:
    return render(request, "mock.html", {"s": session.row, "p": prompt, "started": int(time.time() * 1000),
                                         "answered": len(session.answers())})


@pages.get("/mock/{session_id}", response_class=HTMLResponse, response_model=None)
def mock_page(request: Request, session_id: int, st: UserState = Depends(app_state)) -> Response:
    with st.bank() as store:
        session = _session(st, store, session_id)
        if session.row.status == "finished":
            return RedirectResponse(f"/mock/{session_id}/report", status_code=303)
        prompt = session.next_prompt()
        if prompt is None:
            session.finish()
            return RedirectResponse(f"/mock/{session_id}/report", status_code=303)
        return _question_page(request, session, prompt)


@pages.post("/mock/{session_id}/answer", response_class=HTMLResponse, response_model=None)
def mock_answer(
    request: Request,
    session_id: int,
    question_id: Annotated[str, Form()],
    kind: Annotated[str, Form()] = "main",
    topic: Annotated[str, Form()] = "",
    text: Annotated[str, Form(max_length=2000)] = "",
    point: Annotated[str, Form(max_length=5000)] = "",
    number: Annotated[int, Form()] = 1,
    total: Annotated[int, Form()] = 1,
    target: Annotated[int, Form()] = 180,
    answer_text: Annotated[str, Form(alias="answer", max_length=MAX_ANSWER)] = "",
    started: Annotated[int | None, Form()] = None,
    st: UserState = Depends(app_state),
) -> Response:
    duration = None if started is None else min(max(int(time.time() * 1000) - started, 0), DAY_MS)
    prompt = _prompt(kind, question_id, topic, text, point, number, total, target)
    session, outcome = answer(st, session_id, prompt, answer_text.replace("\r\n", "\n"), duration)
    feedback = show_feedback(session.row.mode)
    if feedback:
        return render(request, "mock_feedback.html", {"s": session.row, "p": prompt, "o": outcome,
                                                      "answer": answer_text, "started": int(time.time() * 1000)})
    if outcome.followup is not None:
        return _question_page(request, session, outcome.followup)
    return RedirectResponse(f"/mock/{session_id}", status_code=303)


@pages.post("/mock/{session_id}/finish")
def mock_finish(session_id: int, st: UserState = Depends(app_state)) -> RedirectResponse:
    with st.bank() as store:
        _session(st, store, session_id).finish()
    return RedirectResponse(f"/mock/{session_id}/report", status_code=303)


@pages.get("/mock/{session_id}/report", response_class=HTMLResponse)
def mock_report_page(request: Request, session_id: int, st: UserState = Depends(app_state)) -> HTMLResponse:
    with st.bank() as store:
        report = mockreport.build(store, session_id, now=_now())
    return render(request, "mock_report.html", {"r": report})


@pages.get("/mock/{session_id}/report.md")
def mock_report_markdown(session_id: int, st: UserState = Depends(app_state)) -> PlainTextResponse:
    with st.bank() as store:
        text = mockreport.markdown(mockreport.build(store, session_id, now=_now()))
    return PlainTextResponse(text, media_type="text/markdown; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="mock-{session_id}.md"'})


# -- API ---------------------------------------------------------------------------------------
class StartIn(BaseModel):
    job_id: int
    minutes: int = Field(30, ge=1, le=240)
    mode: Literal["practice", "interview"] = "practice"


class AnswerIn(BaseModel):
    question_id: str
    answer: str = Field(max_length=MAX_ANSWER, description="empty: passed (logged as Again for a main question)")
    kind: Literal["main", "followup-point", "followup-related"] = "main"
    text: str = Field("", max_length=2000, description="the prompt as shown (follow-ups)")
    point: str | None = Field(None, max_length=5000, description="the missed key point a follow-up is about")
    topic: str | None = None
    duration_ms: int | None = Field(None, ge=0)


def _state(session: MockSession) -> dict[str, Any]:
    p = session.next_prompt()
    return {"session_id": session.id, "job_id": session.row.job_id, "mode": session.row.mode,
            "minutes": session.row.minutes, "status": session.row.status, "planned": len(session.row.plan),
            "answered": len(session.answers()), "next": asdict(p) if p else None}


@api.post("/mock", summary="Start a mock interview for a job: the plan is made and stored")
def mock_start_api(body: StartIn, st: UserState = Depends(app_state)) -> dict[str, Any]:
    session = start(st, body.job_id, body.minutes, body.mode)
    with st.bank() as store:
        return {**_state(_session(st, store, session.id)), "plan": session.row.plan}


@api.get("/mock", summary="Your mock interviews")
def mock_list_api(job_id: int | None = None, st: UserState = Depends(app_state)) -> list[dict[str, Any]]:
    with st.bank() as store:
        if job_id is not None:
            store.profiles.get(job_id)
        return mockreport.trend(store, job_id) if job_id is not None else [
            {"session_id": s.id, "job_id": s.job_id, "mode": s.mode, "status": s.status, "started_at": s.started_at}
            for s in store.mocks.sessions()]


@api.get("/mock/{session_id}", summary="A mock interview: status and the next question")
def mock_state_api(session_id: int, st: UserState = Depends(app_state)) -> dict[str, Any]:
    with st.bank() as store:
        return _state(_session(st, store, session_id))


@api.post("/mock/{session_id}/answer", summary="Answer the next question or a follow-up (stored at once)")
def mock_answer_api(session_id: int, body: AnswerIn, st: UserState = Depends(app_state)) -> dict[str, Any]:
    with st.bank() as store:
        row = store.mocks.get(session_id)
        number = next((n for n, i in enumerate(row.plan, start=1) if i["question_id"] == body.question_id), 0)
        item = row.plan[number - 1] if number else {}
    text = body.text or item.get("text") or body.question_id
    prompt = Prompt(body.kind, body.question_id, body.topic or item.get("topic"), text, number, len(row.plan),
                    int(item.get("minutes", 3) * 60), body.point)
    session, outcome = answer(st, session_id, prompt, body.answer, body.duration_ms)
    return outcome_json(outcome, session.row.mode)


@api.post("/mock/{session_id}/finish", summary="Close the session and return its report")
def mock_finish_api(session_id: int, st: UserState = Depends(app_state)) -> dict[str, Any]:
    with st.bank() as store:
        _session(st, store, session_id).finish()
        return mockreport.build(store, session_id)


@api.get("/mock/{session_id}/report", summary="The report: per topic, answers, what to study next, trend")
def mock_report_api(session_id: int, st: UserState = Depends(app_state)) -> dict[str, Any]:
    with st.bank() as store:
        return mockreport.build(store, session_id, now=_now())
