"""Search in any of the three languages; the search box on every page asks /api/search as you type."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from ...errors import StoreError
from ..present import hit_json
from ..state import UserState, app_state
from ..templating import render

pages = APIRouter()
api = APIRouter(tags=["search"])

WAIT_FOR_INDEX = 30.0  # seconds a first search waits for the index being built at start-up
Lang = Literal["en", "zh-Hans", "zh-Hant", "mixed"]


def run_search(st: UserState, q: str, k: int, lang: str | None, source: str | None) -> dict[str, Any]:
    q = q.strip()
    status = st.engine.status()
    if not q:
        return {"query": q, "hits": [], "index": status}
    engine = st.engine.get(timeout=WAIT_FOR_INDEX)
    if engine is None:
        status = st.engine.status()
        if status["state"] == "error":
            raise StoreError(f"the search index could not be built: {status['error']}")
        raise StoreError("the search index is still being built; try again in a moment")
    hits = st.engine.search(engine, q, k, lang or None, source or None)
    with st.bank() as store:
        script = store.setting("script")
        out = []
        for h in hits:
            try:
                title = st.title(store, h.question_id, script)
            except Exception:  # relinked since the engine was built
                title = h.text
            out.append(hit_json(h, title, q))
    return {"query": q, "hits": out, "index": st.engine.status()}


@pages.get("/search", response_class=HTMLResponse)
def search_page(
    request: Request,
    q: str = Query("", max_length=500),
    lang: Lang | Literal[""] | None = None,
    source: str | None = None,
    k: int = Query(20, ge=1, le=100),
    st: UserState = Depends(app_state),
) -> HTMLResponse:
    result = run_search(st, q, k, lang, source)
    return render(request, "search.html", {"q": q, "search_q": q, "result": result, "lang": lang or "", "source": source or ""})


@api.get("/search", summary="Find canonical questions by meaning and words, in any language")
def search_api(
    q: str = Query(..., max_length=500, description="words or a question in English, 简体 or 繁體"),
    k: int = Query(10, ge=1, le=100),
    lang: Lang | None = Query(None, description="only match variants in this language"),
    source: str | None = Query(None, description="only items from sources whose path contains this"),
    st: UserState = Depends(app_state),
) -> dict[str, Any]:
    return run_search(st, q, k, lang, source)


@api.get("/status", summary="Is the search index ready; what is being built")
def status(st: UserState = Depends(app_state)) -> dict[str, Any]:
    with st.bank() as store:
        counts = st.cached("counts", store.stats)
    return {"index": st.engine.status(), "grader_ready": st.grader.ready(), "bank": counts}
