"""Jobs: paste a description, see the profile (topics, evidence, what matched nothing), edit its
topics, see the readiness map charted, and start a mock interview. Each user sees only their own."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import BaseModel, Field

from ...study import jobs, mockplan, readiness
from ...study.taxonomy import load
from .. import charts
from ..state import UserState, app_state
from ..templating import render

pages = APIRouter()
api = APIRouter(tags=["jobs"])

MAX_DESCRIPTION = 200_000


def _now() -> datetime:
    return datetime.now(UTC)


def add_job(st: UserState, text: str, title: str | None, date: str | None, url: str | None) -> dict[str, Any]:
    with st.bank() as store:
        job, _ = jobs.add(store, text, title=title, interview_date=date, url=url)
    return jobs.as_json(job)


def readiness_of(st: UserState, job_id: int) -> dict[str, Any]:
    with st.bank() as store:
        job = store.profiles.get(job_id)
        return readiness.compute(store, job, _now()).as_json()


def readiness_chart(rm: dict[str, Any]) -> Any:
    rows = [(t["name"] + (" ★" if t["must_have"] else ""), t["readiness"],
             f"{t['readiness']:.0%} · {t['reviewed']}/{t['questions']}")
            for t in rm["topics"] if t["status"] != "gap"]
    return charts.meters(rows, title="Forecast recall on the interview date, per topic (★ must-have) · reviewed/questions")


# -- pages -------------------------------------------------------------------------------------
@pages.get("/jobs", response_class=HTMLResponse)
def jobs_page(request: Request, st: UserState = Depends(app_state)) -> HTMLResponse:
    with st.bank() as store:
        rows = [jobs.as_json(j) for j in store.profiles.all()]
    return render(request, "jobs.html", {"jobs": rows})


@pages.post("/jobs")
def jobs_add(
    description: Annotated[str, Form(max_length=MAX_DESCRIPTION)] = "",
    title: Annotated[str, Form(max_length=300)] = "",
    date: Annotated[str, Form(max_length=20)] = "",
    url: Annotated[str, Form(max_length=2000)] = "",
    st: UserState = Depends(app_state),
) -> RedirectResponse:
    job = add_job(st, description, title or None, date or None, url or None)
    return RedirectResponse(f"/jobs/{job['id']}", status_code=303)


@pages.get("/jobs/{job_id}", response_class=HTMLResponse)
def job_page(request: Request, job_id: int, st: UserState = Depends(app_state)) -> HTMLResponse:
    with st.bank() as store:
        job = store.profiles.get(job_id)
        rm = readiness.compute(store, job, _now()).as_json()
        sessions = store.mocks.sessions(job_id)
    tax = load()
    present = {t.topic for t in job.topics}
    return render(request, "job.html", {
        "job": jobs.as_json(job), "rm": rm, "chart": readiness_chart(rm), "sessions": sessions,
        "choices": [(t.id, t.name) for t in tax if t.id not in present],
    })


@pages.post("/jobs/{job_id}/topics")
def job_topics(
    job_id: int,
    add: Annotated[str, Form()] = "",
    remove: Annotated[str, Form()] = "",
    must: Annotated[str, Form()] = "",
    nice: Annotated[str, Form()] = "",
    date: Annotated[str, Form(max_length=20)] = "",
    st: UserState = Depends(app_state),
) -> RedirectResponse:
    with st.bank() as store:
        jobs.edit(store, job_id, add=[add] if add else [], remove=[remove] if remove else [],
                  must=[must] if must else [], nice=[nice] if nice else [], interview_date=date or None)
    return RedirectResponse(f"/jobs/{job_id}", status_code=303)


@pages.post("/jobs/{job_id}/delete")
def job_delete(job_id: int, st: UserState = Depends(app_state)) -> RedirectResponse:
    with st.bank() as store:
        store.profiles.remove(job_id)
    return RedirectResponse("/jobs", status_code=303)


# -- API ---------------------------------------------------------------------------------------
class JobIn(BaseModel):
    description: str = Field(max_length=MAX_DESCRIPTION, description="the job description (English, 简体 or 繁體)")
    title: str | None = Field(None, max_length=300)
    date: str | None = Field(None, description="interview date, YYYY-MM-DD")
    url: str | None = Field(None, max_length=2000, description="provenance only; never fetched")


class TopicsIn(BaseModel):
    add: list[str] = Field(default_factory=list)
    remove: list[str] = Field(default_factory=list)
    must: list[str] = Field(default_factory=list)
    nice: list[str] = Field(default_factory=list)
    title: str | None = None
    date: str | None = None


@api.get("/jobs", summary="Your job profiles")
def jobs_list_api(st: UserState = Depends(app_state)) -> list[dict[str, Any]]:
    with st.bank() as store:
        return [jobs.as_json(j) for j in store.profiles.all()]


@api.post("/jobs", summary="Add a job from its description: topics (must-have or not) with evidence, and unmatched lines")
def jobs_add_api(body: JobIn, st: UserState = Depends(app_state)) -> dict[str, Any]:
    return add_job(st, body.description, body.title, body.date, body.url)


@api.get("/jobs/{job_id}", summary="A job profile")
def job_api(job_id: int, st: UserState = Depends(app_state)) -> dict[str, Any]:
    with st.bank() as store:
        return jobs.as_json(store.profiles.get(job_id))


@api.post("/jobs/{job_id}/topics", summary="Add or remove topics, mark them must-have or nice-to-have")
def job_topics_api(job_id: int, body: TopicsIn, st: UserState = Depends(app_state)) -> dict[str, Any]:
    with st.bank() as store:
        return jobs.as_json(jobs.edit(store, job_id, add=body.add, remove=body.remove, must=body.must, nice=body.nice,
                                      title=body.title, interview_date=body.date))


@api.delete("/jobs/{job_id}", summary="Remove a job and its mock interviews")
def job_delete_api(job_id: int, st: UserState = Depends(app_state)) -> dict[str, Any]:
    with st.bank() as store:
        store.profiles.remove(job_id)
    return {"removed": job_id}


@api.get("/jobs/{job_id}/readiness", summary="Readiness on the interview date per topic, gaps, overall figure")
def job_readiness_api(job_id: int, st: UserState = Depends(app_state)) -> dict[str, Any]:
    return readiness_of(st, job_id)


@api.get("/jobs/{job_id}/plan", summary="The questions a mock interview would ask, without starting it")
def job_plan_api(job_id: int, minutes: int = Query(30, ge=1, le=240),
                 st: UserState = Depends(app_state)) -> dict[str, Any]:
    with st.bank() as store:
        job = store.profiles.get(job_id)
        return mockplan.make(store, job, minutes, _now()).as_json()


Mode = Literal["practice", "interview"]
