"""Settings: preferred script, desired retention, embedding model (and the header's script toggle)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from ...bank import settings
from ...errors import InvalidInput
from ...providers import registry
from ..auth import RANK
from ..present import SCRIPTS
from ..security import safe_next
from ..state import UserState, app_state
from ..templating import render

pages = APIRouter()
api = APIRouter(tags=["settings"])


def models() -> dict[str, str]:
    try:
        return registry.available()
    except Exception as e:  # a broken providers.toml: show it, keep the page usable
        return {"(error)": str(e)}


def current(st: UserState) -> dict[str, Any]:
    with st.bank() as store:
        values = store.settings()
    return {"settings": values,
            "help": {k: {"help": s.help, "expected": s.expected, "default": s.default}
                     for k, s in settings.SETTINGS.items()},
            "choices": {"script": list(SCRIPTS), "embedding_model": models()}}


def update(st: UserState, values: dict[str, str]) -> dict[str, str]:
    """Check every value first (all problems at once), then save them in one transaction."""
    problems = []
    for key, value in values.items():
        spec = settings.SETTINGS.get(key)
        if spec is None:
            problems.append(f"unknown setting {key!r}; known: {', '.join(settings.SETTINGS)}")
        elif not spec.check(value):
            problems.append(f"setting {key}: {value!r} is not {spec.expected}")
    if "embedding_model" in values and values["embedding_model"] not in models():
        problems.append(f"embedding model {values['embedding_model']!r} is not installed or configured")
    if problems:
        raise InvalidInput(problems)
    with st.bank() as store:
        before = store.settings()
        team = [k for k, v in values.items() if settings.SETTINGS[k].scope == "team" and before[k] != v]
        if team and RANK[st.user.role] < RANK["editor"]:
            raise HTTPException(403, f"{', '.join(team)} is the team's setting; only editors and admins change it")
        with store.writing():
            for key, value in values.items():
                store.set_setting(key, value)
        after = store.settings()
    if before != after:
        st.changed()
    return after


@pages.get("/settings", response_class=HTMLResponse)
def settings_page(request: Request, saved: bool = False, st: UserState = Depends(app_state)) -> HTMLResponse:
    data = current(st)
    return render(request, "settings.html", {**data, "saved": saved, "index": st.engine.status()})


@pages.post("/settings")
def settings_save(
    script: Annotated[str, Form()],
    retention: Annotated[str, Form()],
    embedding_model: Annotated[str, Form()],
    st: UserState = Depends(app_state),
) -> RedirectResponse:
    update(st, {"script": script, "retention": retention.strip(), "embedding_model": embedding_model})
    return RedirectResponse("/settings?saved=true", status_code=303)


@pages.post("/settings/script")
def script_toggle(script: Annotated[str, Form()], next: Annotated[str, Form()] = "/",
                  st: UserState = Depends(app_state)) -> RedirectResponse:
    update(st, {"script": script})
    return RedirectResponse(safe_next(next), status_code=303)


@api.get("/settings", summary="Current settings, what each means, and the choices")
def settings_api(st: UserState = Depends(app_state)) -> dict[str, Any]:
    return current(st)


@api.put("/settings", summary="Change settings: {key: value}; every value is checked before any is saved")
def settings_put(values: dict[str, str], st: UserState = Depends(app_state)) -> dict[str, Any]:
    return {"settings": update(st, values)}


@api.get("/models", summary="Embedding models: built-ins, plugins, endpoints from providers.toml")
def models_api() -> dict[str, str]:
    return models()
