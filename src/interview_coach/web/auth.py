"""Who is asking: sessions, the signed-in user, roles and CSRF, as FastAPI dependencies.

Local mode (`coach serve`): one user (the bank's local user) and no sign-in; each browser still
gets a server-side session, so its CSRF token is bound to something an attacker cannot plant.
Team mode (`coach serve --team`): every page but sign-in, set-up and invitations needs a session;
roles decide what a user may change (`require`).

CSRF, for every request that changes something:
- a browser's `Origin` (or, failing that, `Sec-Fetch-Site`) must name this server; a page on any
  other origin — another port of 127.0.0.1 included — is refused before anything else;
- with a session, the form field `csrf_token` or header `X-CSRF-Token` must equal the session's
  own secret (a cookie planted by another site matches no session, so it is worthless);
- programs calling `/api/` may send `X-Coach-Client` instead (a cross-site page cannot set a
  custom header without a CORS preflight, which this server never grants).
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from typing import Any

from fastapi import Depends, HTTPException, Request

from .. import accounts
from ..bank.users import User
from .security import cross_site

SESSION_COOKIE = "coach_session"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
CLIENT_HEADER = "x-coach-client"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}
RANK = {"learner": 0, "editor": 1, "admin": 2}
OPEN_PATHS = ("/login", "/setup", "/invite/", "/static/", "/favicon.ico", "/api/login", "/api/health")


@dataclass(frozen=True, slots=True)
class Visitor:
    """The request's user (None: not signed in, team mode) and its session's CSRF secret."""

    user: User | None
    csrf: str
    session_token: str | None


class NeedsSignIn(Exception):
    """Raised for a page that needs a signed-in user; answered by a redirect (or 401 for /api/)."""


def _cookie_flags(request: Request) -> str:
    secure = request.url.scheme == "https" or request.app.state.coach.options.secure_cookies
    return "Path=/; HttpOnly; SameSite=Strict" + ("; Secure" if secure else "")


def set_session_cookie(request: Request, token: str, max_age: int) -> None:
    request.state.set_cookies = [*getattr(request.state, "set_cookies", []),
                                 f"{SESSION_COOKIE}={token}; Max-Age={max_age}; {_cookie_flags(request)}"]


def clear_session_cookie(request: Request) -> None:
    request.state.set_cookies = [*getattr(request.state, "set_cookies", []),
                                 f"{SESSION_COOKIE}=; Max-Age=0; {_cookie_flags(request)}"]


def visitor(request: Request) -> Visitor:
    """The session of this request (made on the fly for the local user in local mode)."""
    cached = getattr(request.state, "visitor", None)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    st = request.app.state.coach
    token = request.cookies.get(SESSION_COOKIE)
    found = accounts.session_of(st.store, token)
    if found is not None and st.options.team != found[0].local:  # a local-mode session means nothing in team mode
        user, row = found
        v = Visitor(user, row.csrf, token)
    elif not st.options.team:
        session = accounts.start_session(st.store, st.store.users.get(st.store.user_id))
        set_session_cookie(request, session.token, accounts.SESSION_DAYS * 86400)
        v = Visitor(session.user, session.csrf, session.token)
    else:
        v = Visitor(None, "", None)
    request.state.visitor = v
    request.state.csrf_token = v.csrf
    return v


def _same_origin(request: Request) -> bool | None:
    """True/False when the browser said where the request comes from; None when it said nothing."""
    raw = {k.encode("latin-1"): v.encode("latin-1") for k, v in request.headers.items()}
    if b"origin" not in raw and b"sec-fetch-site" not in raw:
        return None
    return not cross_site(raw)


async def csrf_protect(request: Request) -> None:
    """Router dependency: refuse a state-changing request that another site could have forged."""
    if request.method in SAFE_METHODS:
        return
    same = _same_origin(request)
    if same is False:
        raise HTTPException(403, "this request came from another site and was refused (CSRF protection)")
    if request.url.path.startswith("/api/") and request.headers.get(CLIENT_HEADER):
        return
    from fastapi.concurrency import run_in_threadpool

    v: Visitor = await run_in_threadpool(visitor, request)
    given = request.headers.get(CSRF_HEADER)
    if given is None:
        ctype = request.headers.get("content-type", "")
        if ctype.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            form = await request.form()
            value = form.get(CSRF_FIELD)
            given = value if isinstance(value, str) else None
    if v.session_token is None:  # sign-in, set-up, invitation: no session yet, the origin must be known
        if same is True:
            return
        raise HTTPException(403, "this form must be sent by a browser from this server's own page")
    if not given or not hmac.compare_digest(v.csrf, given):
        raise HTTPException(403, "missing or wrong CSRF token: reload the page and try again "
                                 "(programs calling /api/ send the header X-Coach-Client)")


def current_user(request: Request, v: Visitor = Depends(visitor)) -> User:
    """The signed-in user; pages redirect to sign-in, the API answers 401."""
    if v.user is None:
        raise NeedsSignIn()
    request.state.user = v.user
    return v.user


def require(role: str) -> Any:
    """A dependency refusing users whose role ranks below `role` (admin > editor > learner)."""

    def check(user: User = Depends(current_user)) -> User:
        if RANK[user.role] < RANK[role]:
            raise HTTPException(403, f"this needs the {role} role; ask an admin")
        return user

    return check
