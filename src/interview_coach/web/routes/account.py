"""Signing in and out, the first admin's set-up, invitations, and the admin's account list."""

from __future__ import annotations

import hmac
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, Field

from ... import accounts
from ...bank.users import ROLES, Role, User
from ...errors import InvalidInput
from ..auth import clear_session_cookie, current_user, require, set_session_cookie, visitor
from ..security import safe_next
from ..templating import render

pages = APIRouter()
api = APIRouter(tags=["account"])
admin = Depends(require("admin"))


def _address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _sign_in(request: Request, username: str, password: str) -> accounts.Session:
    st = request.app.state.coach
    user = accounts.sign_in(st.store, username, password, _address(request))
    old = request.cookies.get("coach_session")
    if old:  # a new session at every sign-in: a planted cookie never becomes a signed-in one
        accounts.end_session(st.store, old)
    session = accounts.start_session(st.store, user)
    set_session_cookie(request, session.token, accounts.SESSION_DAYS * 86400)
    return session


def _user_json(u: User) -> dict[str, Any]:
    return {"id": u.id, "username": u.username, "role": u.role, "disabled": u.disabled,
            "can_sign_in": u.has_password and not u.disabled}


# -- pages -----------------------------------------------------------------------------------------
@pages.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: str = "/") -> Response:
    st = request.app.state.coach
    if not st.options.team:
        return RedirectResponse("/", status_code=303)
    if accounts.needs_setup(st.store):
        return RedirectResponse("/setup", status_code=303)
    visitor(request)  # a session the browser already has: its form token goes into the page
    return render(request, "login.html", {"next": safe_next(next), "error": None})


@pages.post("/login", response_class=HTMLResponse)
def login_form(request: Request, username: Annotated[str, Form(max_length=64)],
               password: Annotated[str, Form(max_length=1024)], next: Annotated[str, Form()] = "/") -> Response:
    try:
        _sign_in(request, username, password)
    except accounts.Throttled as e:
        return render(request, "login.html", {"next": safe_next(next), "error": str(e)}, status_code=429,
                      headers={"Retry-After": str(e.retry_after)})
    except accounts.LoginRefused as e:
        return render(request, "login.html", {"next": safe_next(next), "error": str(e)}, status_code=401)
    return RedirectResponse(safe_next(next), status_code=303)


@pages.post("/logout")
def logout(request: Request) -> RedirectResponse:
    token = request.cookies.get("coach_session")
    if token:
        accounts.end_session(request.app.state.coach.store, token)
    clear_session_cookie(request)
    return RedirectResponse("/login" if request.app.state.coach.options.team else "/", status_code=303)


@pages.get("/setup", response_class=HTMLResponse)
def setup_page(request: Request) -> Response:
    st = request.app.state.coach
    if not st.options.team or not accounts.needs_setup(st.store):
        return RedirectResponse("/login" if st.options.team else "/", status_code=303)
    return render(request, "setup.html", {"error": None})


@pages.post("/setup", response_class=HTMLResponse)
def setup_form(request: Request, token: Annotated[str, Form(max_length=200)],
               username: Annotated[str, Form(max_length=64)], password: Annotated[str, Form(max_length=1024)]) -> Response:
    """The first account, made by whoever holds the set-up code the server printed at start."""
    st = request.app.state.coach
    if not st.options.team or not accounts.needs_setup(st.store):
        raise HTTPException(404, "this bank already has an admin")
    if not st.setup_code or not hmac.compare_digest(token.strip(), st.setup_code):
        return render(request, "setup.html", {"error": "wrong set-up code (the server printed it when it started)"},
                      status_code=403)
    try:
        accounts.add_user(st.store, username, "admin", password)
    except InvalidInput as e:
        return render(request, "setup.html", {"error": str(e)}, status_code=400)
    _sign_in(request, username, password)
    st.setup_code = None
    return RedirectResponse("/", status_code=303)


@pages.get("/invite/{token}", response_class=HTMLResponse)
def invite_page(request: Request, token: str) -> Response:
    found = accounts.invitation(request.app.state.coach.store, token)
    if found is None:
        raise HTTPException(404, "this invitation link is not valid any more (used or expired); ask for a new one")
    return render(request, "invite.html", {"username": found[0], "role": found[1], "token": token, "error": None})


@pages.post("/invite/{token}", response_class=HTMLResponse)
def invite_form(request: Request, token: str, password: Annotated[str, Form(max_length=1024)]) -> Response:
    st = request.app.state.coach
    found = accounts.invitation(st.store, token)
    try:
        user = accounts.accept_invite(st.store, token, password)
    except InvalidInput as e:
        if found is None:
            raise HTTPException(404, str(e)) from None
        return render(request, "invite.html", {"username": found[0], "role": found[1], "token": token,
                                               "error": str(e)}, status_code=400)
    _sign_in(request, user.username, password)
    return RedirectResponse("/", status_code=303)


@pages.get("/admin/users", response_class=HTMLResponse, dependencies=[admin])
def users_page(request: Request, link: str | None = None) -> HTMLResponse:
    st = request.app.state.coach
    return render(request, "users.html", {"users": [_user_json(u) for u in st.store.users.all()], "roles": ROLES,
                                          "link": link, "team": st.options.team})


@pages.post("/admin/users", dependencies=[admin])
def users_invite(request: Request, username: Annotated[str, Form(max_length=64)],
                 role: Annotated[str, Form()], me: User = Depends(current_user)) -> Response:
    link = invite_link(request, username, _role(role), me)
    return users_page(request, link)


@pages.post("/admin/users/{username}", dependencies=[admin])
def users_change(request: Request, username: str, action: Annotated[str, Form()],
                 role: Annotated[str | None, Form()] = None) -> RedirectResponse:
    change(request, username, action, role)
    return RedirectResponse("/admin/users", status_code=303)


def _role(value: str) -> Role:
    if value not in ROLES:
        raise InvalidInput([f"role {value!r}: expected one of {', '.join(ROLES)}"])
    return value  # type: ignore[return-value]


def invite_link(request: Request, username: str, role: Role, me: User) -> str:
    token = accounts.invite(request.app.state.coach.store, username, role, me.id)
    return f"{str(request.base_url).rstrip('/')}/invite/{token}"


def change(request: Request, username: str, action: str, role: str | None) -> User:
    store = request.app.state.coach.store
    if action == "role" and role is not None:
        return accounts.set_role(store, username, _role(role))
    if action in ("disable", "enable"):
        return accounts.set_disabled(store, username, action == "disable")
    raise InvalidInput([f"unknown action {action!r}: role, disable or enable"])


# -- API ---------------------------------------------------------------------------------------------
class LoginIn(BaseModel):
    username: str = Field(max_length=64)
    password: str = Field(max_length=1024)


@api.post("/login", summary="Sign in (team servers): sets the session cookie")
async def login_api(request: Request, body: LoginIn) -> dict[str, Any]:
    if not request.app.state.coach.options.team:
        raise HTTPException(404, "this server has no accounts (local mode)")
    session = await run_in_threadpool(_sign_in, request, body.username, body.password)
    return {"user": _user_json(session.user), "csrf_token": session.csrf}


@api.get("/me", summary="Who is signed in, and the CSRF token for this session")
def me_api(request: Request, user: User = Depends(current_user)) -> dict[str, Any]:
    return {"user": _user_json(user), "team": request.app.state.coach.options.team,
            "csrf_token": visitor(request).csrf}


class InviteIn(BaseModel):
    username: str = Field(max_length=64)
    role: str = "learner"


@api.get("/users", dependencies=[admin], summary="Every account (admins only)")
def users_api(request: Request) -> list[dict[str, Any]]:
    return [_user_json(u) for u in request.app.state.coach.store.users.all()]


@api.post("/users", dependencies=[admin], summary="Invite a new member: a one-time link (admins only)")
def invite_api(request: Request, body: InviteIn, me: User = Depends(current_user)) -> dict[str, Any]:
    return {"username": body.username, "role": body.role, "link": invite_link(request, body.username,
                                                                                _role(body.role), me)}


class ChangeIn(BaseModel):
    action: str = Field(description="role, disable or enable")
    role: str | None = None


@api.post("/users/{username}", dependencies=[admin], summary="Change a role, disable or enable (admins only)")
def change_api(request: Request, username: str, body: ChangeIn) -> dict[str, Any]:
    return _user_json(change(request, username, body.action, body.role))
