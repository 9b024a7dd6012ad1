"""Jinja2 templates shipped in the package, with the filters the pages use."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from ..study import display
from . import render as render_mod
from .present import LANG_NAMES, SCRIPTS, source_name

HERE = Path(__file__).parent


@lru_cache(maxsize=8192)
def shown(text: str | None, script: str) -> str:
    """A short label (a section name) in the preferred script."""
    return display.answer_text(text, script).text if text else ""


templates = Jinja2Templates(directory=str(HERE / "templates"))
env = templates.env
env.filters["markdown"] = render_mod.markdown
env.filters["highlight"] = lambda text, query: render_mod.highlight(text or "", query=query or "")
env.filters["lang_name"] = lambda lang: LANG_NAMES.get(lang, lang)
env.filters["source_name"] = source_name
env.filters["shown"] = shown
env.filters["pct"] = lambda v: "—" if v is None else f"{v:.0%}"
env.filters["day"] = lambda iso: datetime.fromisoformat(iso).strftime("%Y-%m-%d %H:%M UTC") if iso else "—"
env.globals["SCRIPTS"] = SCRIPTS
env.globals["LANG_NAMES"] = LANG_NAMES
env.globals["media_urls"] = render_mod.item_images


def query_string(**params: Any) -> str:
    """`a=1&b=2` from the parameters that have a value."""
    return urlencode({k: v for k, v in params.items() if v is not None and v != ""})


env.globals["query_string"] = query_string
env.globals["lines"] = lambda a, b: f"line {a}" if a == b or b is None else f"lines {a}–{b}"

NAV = [("/", "Library"), ("/drill", "Drill"), ("/jobs", "Jobs"), ("/stats", "Stats"), ("/import", "Import"),
       ("/settings", "Settings")]
SCRIPT_LABELS = {"en": "EN", "zh-Hans": "简", "zh-Hant": "繁"}
env.globals["NAV"] = NAV
env.globals["SCRIPT_LABELS"] = SCRIPT_LABELS


def render(request: Request, name: str, context: dict[str, Any] | None = None, *, status_code: int = 200,
           headers: dict[str, str] | None = None) -> HTMLResponse:
    ctx = dict(context or {})
    ctx.setdefault("csrf_token", getattr(request.state, "csrf_token", ""))
    ctx.setdefault("user", getattr(request.state, "user", None))
    ctx.setdefault("team", request.app.state.coach.options.team)
    if "script" not in ctx:
        script_of = getattr(request.state, "script_of", None)
        try:
            ctx["script"] = script_of() if script_of else "en"
        except Exception:  # an error page must render even when the bank cannot be read
            ctx["script"] = "en"
    path = request.url.path
    ctx.setdefault("active", next((href for href, _ in reversed(NAV) if path == href or
                                   (href != "/" and path.startswith(href))), "/" if path in ("/", "/library") else ""))
    ctx.setdefault("here", path + (f"?{request.url.query}" if request.url.query else ""))
    return templates.TemplateResponse(request, name, ctx, status_code=status_code, headers=headers)
