"""The library: canonical questions browsed by section (topic), source and language."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from ...study import tagging
from ...study.taxonomy import load
from ...text.lang import LANGS
from ..present import LibraryIndex, filter_rows, library_index
from ..state import UserState, app_state
from ..templating import render

pages = APIRouter()
api = APIRouter(tags=["library"])

PAGE_SIZE = 100
Answered = Literal["yes", "no", ""]


def _index(st: UserState) -> tuple[LibraryIndex, str]:
    with st.bank() as store:
        script = store.setting("script")
        return st.cached(("library", script), lambda: library_index(store, script)), script


def with_topic(st: UserState, topic: str) -> tuple[set[str], str]:
    """Ids of the questions tagged with a topic (id, name or alias), and the topic's name."""
    tid = load().resolve(topic)
    with st.bank() as store:
        tagging.ensure(store)
        return {q for q, _ in tagging.by_topic(store).get(tid, [])}, load().get(tid).name


def _answered(value: str | None) -> bool | None:
    return {"yes": True, "no": False}.get(value or "")


def _facets(index: LibraryIndex) -> dict[str, Any]:
    return {"sections": [{"section": s, "questions": n} for s, n in index.sections],
            "sources": [{"source": s, "questions": n} for s, n in index.sources],
            "langs": [{"lang": s, "questions": n} for s, n in index.langs],
            "questions": len(index.rows), "unanswered": index.unanswered}


@pages.get("/", response_class=HTMLResponse)
@pages.get("/library", response_class=HTMLResponse)
def library_page(
    request: Request,
    section: str | None = None,
    source: str | None = None,
    lang: Literal["en", "zh-Hans", "zh-Hant", "mixed", ""] | None = None,
    answered: Answered | None = None,
    topic: str | None = None,
    page: int = Query(1, ge=1),
    st: UserState = Depends(app_state),
) -> HTMLResponse:
    index, script = _index(st)
    rows = filter_rows(index, section=section, source=source, lang=lang or None, answered=_answered(answered))
    topic_name = None
    if topic:
        wanted, topic_name = with_topic(st, topic)
        rows = [r for r in rows if r["question_id"] in wanted]
    start = (page - 1) * PAGE_SIZE
    return render(request, "library.html", {
        "index": index, "rows": rows[start:start + PAGE_SIZE], "total": len(rows), "page": page,
        "pages": max((len(rows) + PAGE_SIZE - 1) // PAGE_SIZE, 1), "script": script,
        "filters": {"section": section or "", "source": source or "", "lang": lang or "",
                    "answered": answered or "", "topic": topic or ""},
        "topic_name": topic_name,
        "langs": LANGS,
    })


@api.get("/questions", summary="List canonical questions, with facets and counts")
def list_questions(
    section: str | None = Query(None, description="exact section (topic), as listed in facets"),
    source: str | None = Query(None, description="exact source path, as listed in facets"),
    lang: Literal["en", "zh-Hans", "zh-Hant", "mixed"] | None = Query(
        None, description="questions with a variant or translation in this language"),
    answered: bool | None = Query(None, description="only answered (true) or unanswered (false) questions"),
    topic: str | None = Query(None, description="only questions tagged with this taxonomy topic (id, name or alias)"),
    limit: int = Query(PAGE_SIZE, ge=1, le=10000),
    offset: int = Query(0, ge=0),
    st: UserState = Depends(app_state),
) -> dict[str, Any]:
    index, script = _index(st)
    rows = filter_rows(index, section=section, source=source, lang=lang, answered=answered)
    if topic:
        wanted, _ = with_topic(st, topic)
        rows = [r for r in rows if r["question_id"] in wanted]
    return {"script": script, "total": len(rows), "offset": offset, "limit": limit,
            "questions": rows[offset:offset + limit], "facets": _facets(index)}
