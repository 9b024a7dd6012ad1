"""Stats: due forecast, reviews per day, retention and per-topic mastery, charted on the server."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from ...study import mastery, reviews
from .. import charts
from ..state import UserState, app_state
from ..templating import render, shown

pages = APIRouter()
api = APIRouter(tags=["stats"])


def collect(st: UserState) -> dict[str, Any]:
    with st.bank() as store:
        bank = st.cached("counts", store.stats)
        study = reviews.stats(store, datetime.now(UTC))
        topics = [{"topic": t.topic, "questions": t.questions, "reviewed": t.reviewed, "mastered": t.mastered,
                   "share": round(t.share, 4), "mean_score": t.mean_score} for t in mastery.by_topic(store)]
    return {"bank": bank, "study": study, "topics": topics}


@pages.get("/stats", response_class=HTMLResponse)
def stats_page(request: Request, st: UserState = Depends(app_state)) -> HTMLResponse:
    data = collect(st)
    study = data["study"]
    forecast = [("now", study["due_now"])] + [(d["date"][5:], d["due"]) for d in study["forecast"]]
    per_day = [(d["date"][5:], d["reviews"]) for d in study["reviews_per_day"]]
    script = st.script()
    topic_rows = [(shown(t["topic"], script), t["share"], f"{t['mastered']}/{t['questions']}"
                   + ("" if t["mean_score"] is None else f" · {t['mean_score']:.0f}")) for t in data["topics"]]
    states = [(k, v) for k, v in study["by_state"].items()]
    return render(request, "stats.html", {
        **data, "script": script,
        "forecast_chart": charts.bars(forecast, title="Cards due: now and on each of the next 7 days"),
        "per_day_chart": charts.bars(per_day, title="Reviews per day, last 30 days", label_every=5, css="bar alt"),
        "retention_chart": charts.retention(study["true_retention"], study["desired_retention"]),
        "topics_chart": charts.meters(topic_rows, title="Mastery by topic (share of questions last rated Good "
                                                        "or Easy)"),
        "states_chart": charts.bars(states, title="Cards by state", width=360, css="bar state"),
    })


@api.get("/stats", summary="Bank counts, study statistics and per-topic mastery")
def stats_api(st: UserState = Depends(app_state)) -> dict[str, Any]:
    return collect(st)
