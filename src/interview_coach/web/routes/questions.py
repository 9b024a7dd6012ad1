"""A question: the text in the preferred script, its translations, every answer with its file and
lines, explanations, images from the source's folder, related questions and review history."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse
from pydantic import BaseModel, Field

from ...errors import NotFound
from ...search import linking
from ...study import reviews, tagging
from ...study.taxonomy import load
from ..auth import require
from ..present import card_json, history_json, question_detail
from ..security import MEDIA_CSP, source_image
from ..state import UserState, app_state
from ..templating import render

pages = APIRouter()
api = APIRouter(tags=["questions"])

RELATED = 8


def detail(st: UserState, ident: str) -> dict[str, Any]:
    """Everything the question page shows, as data."""
    now = datetime.now(UTC)
    with st.bank() as store:
        script = store.setting("script")
        q = store.question(ident)
        data = st.cached(("question", q.question_id, script), lambda: question_detail(q, script))
        history = history_json(reviews.history(store, q.question_id))
        topics = topics_json(store, q.question_id)
        card = card_json(reviews.card(store, q.question_id, now)) if history else None
    engine = st.engine.get(timeout=0)
    related: list[dict[str, Any]] | None = None
    if engine is not None:
        related = []
        for qid, sim, text in linking.related(engine, q.question_id, RELATED):
            related.append({"question_id": qid, "similarity": round(sim, 4), "text": text})
        if related:
            with st.bank() as store:
                for r in related:
                    try:
                        r["text"] = st.title(store, r["question_id"], script)
                    except Exception:  # relinked meanwhile: keep the matched text
                        pass
    return {**data, "related": related, "history": history, "card": card, "topics": topics}


def topics_json(store: Any, question_id: str) -> list[dict[str, Any]]:
    tagging.ensure(store, only=[question_id])
    tax = load()
    return [{"topic": t.topic, "name": tax.get(t.topic).name, "origin": t.origin}
            for t in tagging.topics_of(store, question_id)]


editor = Depends(require("editor"))


@pages.post("/questions/{ident}/topics", dependencies=[editor])
def question_topics(ident: str, add: Annotated[str, Form()] = "", remove: Annotated[str, Form()] = "",
                    st: UserState = Depends(app_state)) -> RedirectResponse:
    with st.bank() as store:
        qid = store.question(ident).question_id
        tagging.edit(store, qid, add=[add] if add else [], remove=[remove] if remove else [])
    st.changed()
    return RedirectResponse(f"/questions/{qid}#topics", status_code=303)


class TopicEdit(BaseModel):
    add: list[str] = Field(default_factory=list, description="topics to add (ids, names or aliases)")
    remove: list[str] = Field(default_factory=list)


@api.post("/questions/{ident}/topics", dependencies=[editor],
          summary="Add or remove taxonomy topics of a question (edits persist across re-ingest and relinking)")
def question_topics_api(ident: str, body: TopicEdit, st: UserState = Depends(app_state)) -> dict[str, Any]:
    with st.bank() as store:
        qid = store.question(ident).question_id
        tagging.edit(store, qid, add=body.add, remove=body.remove)
        topics = topics_json(store, qid)
    st.changed()
    return {"question_id": qid, "topics": topics}


@pages.get("/questions/{ident}", response_class=HTMLResponse)
def question_page(ident: str, request: Request, st: UserState = Depends(app_state)) -> HTMLResponse:
    data = detail(st, ident)
    return render(request, "question.html", {"q": data, "script": data["script"]})


@api.get("/questions/{ident}", summary="One canonical question with every variant, answer, related question "
                                         "and the review history")
def question_api(ident: str, st: UserState = Depends(app_state)) -> dict[str, Any]:
    return detail(st, ident)


@pages.get("/media/{item_id}/{n}")
def media(item_id: str, n: int, st: UserState = Depends(app_state)) -> FileResponse:
    """An image an item references, served only from inside its source file's folder."""
    with st.bank() as store:
        it = store.item(item_id)
    if not 0 <= n < len(it.images):
        raise NotFound(f"item {item_id} has no image {n}")
    path, kind = source_image(it.source, it.images[n])
    return FileResponse(path, media_type=kind, headers={"Content-Security-Policy": MEDIA_CSP,
                                                        "Cache-Control": "private, max-age=300"})
