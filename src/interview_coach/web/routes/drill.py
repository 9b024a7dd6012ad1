"""Drill: the due queue, an answer typed and graded key point by key point (evidence marked in
the user's own words), a proposed rating, Again/Hard/Good/Easy; every review is stored at once."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import BaseModel, Field

from ...errors import InvalidInput
from ...study import display, reviews
from ...study.drill import DrillOptions, Session, propose
from ...study.scheduler import Rating
from ..present import card_json, grade_json, question_detail
from ..render import marked
from ..state import UserState, app_state
from ..templating import query_string, render

pages = APIRouter()
api = APIRouter(tags=["drill"])

RATING_NAMES = [r.name for r in Rating]
MAX_ANSWER = 20000
DAY_MS = 86_400_000


def _now() -> datetime:
    return datetime.now(UTC)


def _rating(value: str | int) -> Rating:
    text = str(value).strip()
    for r in Rating:
        if text.lower() in (r.name.lower(), str(int(r))):
            return r
    raise InvalidInput([f"rating {value!r}: expected Again, Hard, Good, Easy (or 1–4)"])


def queue(st: UserState, options: DrillOptions) -> list[str]:
    with st.bank() as store:
        return Session(store, options, clock=_now).start()


def grade_answer(st: UserState, question_id: str, answer: str) -> dict[str, Any]:
    """Grade (an empty answer is a reveal: no grade, proposed Again) and the proposed rating."""
    with st.bank() as store:
        qid = store.question(question_id).question_id
        stamp = st.stamp
    if len(answer) > MAX_ANSWER:
        raise InvalidInput([f"the answer is longer than {MAX_ANSWER} characters"])
    if not answer.strip():
        return {"question_id": qid, "grade": None, "proposed": propose(None).name}
    g = st.grader.grade(qid, answer, stamp)
    proposed = propose(g.score)  # type: ignore[arg-type]  # Grade.score is a float (one decimal)
    return {"question_id": qid, "grade": grade_json(qid, g), "proposed": proposed.name}


def rate(st: UserState, question_id: str, rating: Rating, score: float | None, answer: str | None,
         duration_ms: int | None, client_key: str | None = None) -> dict[str, Any]:
    with st.bank() as store:
        session = Session(store, DrillOptions(), clock=_now)
        qid = store.question(question_id).question_id
        card = session.rate(qid, rating, score=score, answer=answer or None,  # type: ignore[arg-type]
                            duration_ms=duration_ms, client_key=client_key)
    return {"question_id": qid, "rating": rating.name, "card": card_json(card)}


def evidence_marks(answer: str, grade: dict[str, Any]) -> list[tuple[int, int, str]]:
    marks = []
    for n, p in enumerate(grade["key_points"]):
        s, e = p.get("evidence_start"), p.get("evidence_end")
        if s is not None and e is not None and 0 <= s < e <= len(answer):
            marks.append((s, e, f"ev {p['status']} p{n}"))
    return marks


# -- pages -------------------------------------------------------------------------------------
def _filters(topic: str | None, source: str | None, lang: str | None, new: int) -> dict[str, Any]:
    return {"topic": topic or "", "source": source or "", "lang": lang or "", "new": new}


@pages.get("/drill", response_class=HTMLResponse)
def drill_page(
    request: Request,
    topic: str | None = None,
    source: str | None = None,
    lang: Literal["en", "zh-Hans", "zh-Hant", "mixed", ""] | None = None,
    new: int = Query(10, ge=0, le=500),
    question: str | None = None,
    saved: str | None = None,
    st: UserState = Depends(app_state),
) -> HTMLResponse:
    filters = _filters(topic, source, lang, new)
    ids = [question] if question else queue(st, DrillOptions(topic or None, source or None, lang or None, new))
    with st.bank() as store:
        script = store.setting("script")
        last = None
        if saved:
            try:
                qid = store.question(saved).question_id
                last = {"question_id": qid, "rating": reviews.history(store, qid)[-1].rating.name,
                        "card": card_json(reviews.card(store, qid, _now()))}
            except Exception:  # a stale link: nothing to confirm
                last = None
        current = None
        if ids:
            q = store.question(ids[0])
            current = {"question_id": q.question_id, "text": display.question_text(q, script).text,
                       "section": q.primary.section, "answered": any(it.answer for it in q.items),
                       "reviews": len(reviews.history(store, q.question_id))}
        sections = st.cached("sections", lambda: sorted({it.section for it in store.items() if it.section}))
    return render(request, "drill.html", {
        "current": current, "remaining": len(ids), "filters": filters, "last": last, "script": script,
        "started": int(time.time() * 1000), "sections": sections, "single": bool(question),
    })


@pages.post("/drill/answer", response_class=HTMLResponse)
def drill_answer(
    request: Request,
    question_id: Annotated[str, Form()],
    answer: Annotated[str, Form(max_length=MAX_ANSWER)] = "",
    started: Annotated[int | None, Form()] = None,
    topic: Annotated[str, Form()] = "",
    source: Annotated[str, Form()] = "",
    lang: Annotated[str, Form()] = "",
    new: Annotated[int, Form()] = 10,
    single: Annotated[bool, Form()] = False,
    reveal: Annotated[bool, Form()] = False,
    st: UserState = Depends(app_state),
) -> HTMLResponse:
    answer = "" if reveal else answer.replace("\r\n", "\n")
    duration = None if started is None else min(max(int(time.time() * 1000) - started, 0), DAY_MS)
    with st.bank() as store:
        script = store.setting("script")
        q = store.question(question_id)
        data = question_detail(q, script)
    problem = None
    try:
        result = grade_answer(st, q.question_id, answer)
    except InvalidInput as e:  # no reference answer: the user rates themself
        result = {"question_id": q.question_id, "grade": None, "proposed": propose(None).name}
        problem = str(e)
    grade = result["grade"]
    shown_answer = marked(answer, evidence_marks(answer, grade)) if grade else None
    return render(request, "drill_result.html", {
        "q": data, "answer": answer, "shown_answer": shown_answer, "grade": grade, "problem": problem,
        "proposed": result["proposed"], "ratings": RATING_NAMES, "duration_ms": duration, "script": script,
        "filters": _filters(topic, source, lang, new), "single": single,
    })


@pages.post("/drill/rate")
def drill_rate(
    question_id: Annotated[str, Form()],
    rating: Annotated[str, Form()],
    score: Annotated[float | None, Form(ge=0, le=100)] = None,
    answer: Annotated[str, Form(max_length=MAX_ANSWER)] = "",
    duration_ms: Annotated[int | None, Form(ge=0)] = None,
    topic: Annotated[str, Form()] = "",
    source: Annotated[str, Form()] = "",
    lang: Annotated[str, Form()] = "",
    new: Annotated[int, Form()] = 10,
    single: Annotated[bool, Form()] = False,
    st: UserState = Depends(app_state),
) -> RedirectResponse:
    done = rate(st, question_id, _rating(rating), score, answer, duration_ms)
    if single:
        return RedirectResponse(f"/questions/{done['question_id']}#history", status_code=303)
    qs = query_string(topic=topic, source=source, lang=lang, new=new, saved=done["question_id"])
    return RedirectResponse(f"/drill?{qs}", status_code=303)


# -- API ---------------------------------------------------------------------------------------
class GradeIn(BaseModel):
    question_id: str = Field(description="question id (q…) or item id (i…)")
    answer: str = Field(max_length=MAX_ANSWER, description="the answer in the user's own words; empty reveals")


class RateIn(BaseModel):
    question_id: str
    rating: Literal["Again", "Hard", "Good", "Easy", "1", "2", "3", "4"] | int = Field(
        description="Again, Hard, Good, Easy or 1–4")
    score: float | None = Field(None, ge=0, le=100, description="the grade the answer got, if any")
    answer: str | None = Field(None, max_length=MAX_ANSWER)
    duration_ms: int | None = Field(None, ge=0)
    client_key: str | None = Field(None, max_length=64, description="your id for this review: a retried request "
                                                                      "with the same key is stored once")


@api.get("/drill/queue", summary="Questions to drill now: due ones first, then new ones")
def drill_queue(
    topic: str | None = None, source: str | None = None,
    lang: Literal["en", "zh-Hans", "zh-Hant", "mixed"] | None = None,
    new: int = Query(10, ge=0, le=500), st: UserState = Depends(app_state),
) -> dict[str, Any]:
    ids = queue(st, DrillOptions(topic, source, lang, new))
    with st.bank() as store:
        script = store.setting("script")
        rows = [{"question_id": qid, "text": display.question_text(store.question(qid), script).text} for qid in ids]
    return {"queue": rows, "count": len(rows)}


@api.post("/drill/grade", summary="Grade an answer: score, key points covered/partial/missing with evidence")
def drill_grade_api(body: GradeIn, st: UserState = Depends(app_state)) -> dict[str, Any]:
    return grade_answer(st, body.question_id, body.answer)


@api.post("/drill/rate", summary="Record a review (stored at once) and return the card's next due date")
def drill_rate_api(body: RateIn, st: UserState = Depends(app_state)) -> dict[str, Any]:
    return rate(st, body.question_id, _rating(body.rating), body.score, body.answer, body.duration_ms,
                body.client_key)
