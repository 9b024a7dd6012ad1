"""`coach user …`: accounts of a team server (`coach serve --team`).

Whoever can open the bank (the database URL and its password) administers it: these commands
need no sign-in. Passwords are asked for on the terminal, or read from standard input with
`--password-stdin` for scripts; they never appear as arguments.
"""

from __future__ import annotations

import sys
from typing import cast

import typer

from .. import accounts
from ..bank.users import ROLES, Role, User
from .common import JsonOpt, emit_json, err, handle_errors, open_store, out

app = typer.Typer(help="Team accounts: add, invite, list, set a role, disable, enable, reset a password.",
                  no_args_is_help=True)

RoleOpt = typer.Option("learner", "--role", help=f"One of: {', '.join(ROLES)}.")


def _role(value: str) -> Role:
    if value not in ROLES:
        raise typer.BadParameter(f"must be one of {', '.join(ROLES)}", param_hint="--role")
    return cast(Role, value)


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = typer.prompt("Password", hide_input=True)
    if typer.prompt("Again", hide_input=True) != first:
        raise typer.BadParameter("the two passwords differ")
    return str(first)


def _json(u: User) -> dict[str, object]:
    return {"id": u.id, "username": u.username, "role": u.role, "disabled": u.disabled,
            "can_sign_in": u.has_password and not u.disabled, "created_at": u.created_at}


@app.command("add")
@handle_errors
def add(
    ctx: typer.Context,
    username: str = typer.Argument(..., help="2–64 letters, digits, '.', '_', '-' or '@'."),
    role: str = RoleOpt,
    password_stdin: bool = typer.Option(False, "--password-stdin", help="Read the password from standard input."),
    as_json: bool = JsonOpt,
) -> None:
    """Make an account with a password (the first account of a bank should be an admin)."""
    with open_store(ctx) as store:
        user = accounts.add_user(store, username, _role(role), _password(password_stdin))
    emit_json(_json(user)) if as_json else out.print(f"added {user.username} ({user.role})")


@app.command("invite")
@handle_errors
def invite(
    ctx: typer.Context,
    username: str = typer.Argument(...),
    role: str = RoleOpt,
    base_url: str = typer.Option("http://127.0.0.1:8000", "--url", help="The server's address, for the link."),
    as_json: bool = JsonOpt,
) -> None:
    """Print a one-time link with which a new member sets their own password."""
    with open_store(ctx) as store:
        token = accounts.invite(store, username, _role(role), None)
    link = f"{base_url.rstrip('/')}/invite/{token}"
    if as_json:
        emit_json({"username": username, "role": role, "link": link, "valid_days": accounts.INVITE_DAYS})
    else:
        out.print(f"invitation for {username} ({role}), valid {accounts.INVITE_DAYS} days:\n{link}")


@app.command("list")
@handle_errors
def list_(ctx: typer.Context, as_json: bool = JsonOpt) -> None:
    """Every account with its role and whether it can sign in."""
    with open_store(ctx) as store:
        users = store.users.all()
    if as_json:
        emit_json([_json(u) for u in users])
        return
    if not users:
        out.print("no accounts yet — `coach user add NAME --role admin`, or open the server's /setup page")
    for u in users:
        state = "disabled" if u.disabled else ("active" if u.has_password else "invited")
        out.print(f"{u.username:24} {u.role:8} {state}")


@app.command("set-role")
@handle_errors
def set_role(ctx: typer.Context, username: str = typer.Argument(...),
             role: str = typer.Argument(..., help=f"One of: {', '.join(ROLES)}."), as_json: bool = JsonOpt) -> None:
    """Change what an account may do: admin (accounts), editor (the shared bank), learner (study)."""
    with open_store(ctx) as store:
        user = accounts.set_role(store, username, _role(role))
    emit_json(_json(user)) if as_json else out.print(f"{user.username} is now {user.role}")


def _switch(ctx: typer.Context, username: str, disabled: bool, as_json: bool) -> None:
    with open_store(ctx) as store:
        user = accounts.set_disabled(store, username, disabled)
    emit_json(_json(user)) if as_json else out.print(f"{user.username} {'disabled' if disabled else 'enabled'}")


@app.command("disable")
@handle_errors
def disable(ctx: typer.Context, username: str = typer.Argument(...), as_json: bool = JsonOpt) -> None:
    """Stop an account from signing in (its sessions end now; its study data is kept)."""
    _switch(ctx, username, True, as_json)


@app.command("enable")
@handle_errors
def enable(ctx: typer.Context, username: str = typer.Argument(...), as_json: bool = JsonOpt) -> None:
    """Let a disabled account sign in again."""
    _switch(ctx, username, False, as_json)


@app.command("passwd")
@handle_errors
def passwd(ctx: typer.Context, username: str = typer.Argument(...),
           password_stdin: bool = typer.Option(False, "--password-stdin", help="Read the password from standard input."),
           ) -> None:
    """Set a new password for an account (its sessions end)."""
    with open_store(ctx) as store:
        accounts.set_password(store, username, _password(password_stdin))
    err.print(f"password of {username} changed")


__all__ = ["app"]
