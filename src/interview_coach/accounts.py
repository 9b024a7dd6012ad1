"""Team accounts: passwords (Argon2id), invitations, sign-in with throttling, server-side sessions.

Policy, in one place:
- registration is closed: the first account (made at set-up) is the admin; later accounts are made
  by an admin, directly or by a one-time invitation link (valid `INVITE_DAYS`);
- a sign-in is refused for `LOCKOUT` after `MAX_FAILURES` failed attempts for one user name, or
  `MAX_FAILURES_PER_ADDRESS` from one address, within `WINDOW` (the reply says how long to wait);
- a session is a random token in a cookie; the bank keeps only its SHA-256, the user and a CSRF
  secret bound to it; signing in always makes a new session (no fixation); it lasts `SESSION_DAYS`.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from .bank.store import Store
from .bank.users import ROLES, Role, SessionRow, User
from .errors import CoachError, InvalidInput

MIN_PASSWORD = 10
MAX_FAILURES, MAX_FAILURES_PER_ADDRESS = 5, 30
WINDOW = timedelta(minutes=15)
LOCKOUT = timedelta(minutes=15)
SESSION_DAYS = 14
INVITE_DAYS = 7
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.@-]{1,63}")
_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters


class LoginRefused(CoachError):
    """Wrong user name or password (deliberately not saying which)."""

    exit_code = 5


class Throttled(CoachError):
    exit_code = 5

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"too many failed sign-ins; try again in {max(1, retry_after // 60)} minute(s)")
        self.retry_after = retry_after


def _now() -> datetime:
    return datetime.now(UTC)


def _iso(t: datetime) -> str:
    return t.isoformat(timespec="seconds")


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def check_username(name: str) -> str:
    if not _NAME.fullmatch(name):
        raise InvalidInput([f"user name {name!r}: 2–64 letters, digits, '.', '_', '-' or '@', starting with a "
                            "letter or digit"])
    return name


def check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise InvalidInput([f"the password needs at least {MIN_PASSWORD} characters"])
    if len(password) > 1024:
        raise InvalidInput(["the password is longer than 1024 characters"])
    return password


def hash_password(password: str) -> str:
    return _hasher.hash(check_password(password))


def add_user(store: Store, username: str, role: Role, password: str | None = None) -> User:
    """A new account; without a password it cannot sign in until invited (see `invite`)."""
    if role not in ROLES:
        raise InvalidInput([f"role {role!r}: expected one of {', '.join(ROLES)}"])
    return store.users.add(check_username(username), role, hash_password(password) if password else None,
                           _iso(_now()))


def needs_setup(store: Store) -> bool:
    """No account can sign in yet: the first one to be made is the admin."""
    return store.users.count_with_password() == 0


def set_password(store: Store, username: str, password: str) -> User:
    return store.users.update(username, password_hash=hash_password(password))


def set_role(store: Store, username: str, role: Role) -> User:
    user = store.users.by_name(username)
    if user is not None and user.role == "admin" and role != "admin" and store.users.active_admins() <= 1:
        raise InvalidInput([f"{username} is the last admin; make another admin first"])
    return store.users.update(username, role=role)


def set_disabled(store: Store, username: str, disabled: bool) -> User:
    user = store.users.by_name(username)
    if disabled and user is not None and user.role == "admin" and store.users.active_admins() <= 1:
        raise InvalidInput([f"{username} is the last admin; make another admin first"])
    return store.users.update(username, disabled=disabled)


# -- invitations -----------------------------------------------------------------------------------
def invite(store: Store, username: str, role: Role, by: int | None) -> str:
    """A one-time token with which `username` sets their password (the account is made then)."""
    check_username(username)
    if store.users.by_name(username) is not None and store.users.by_name(username).has_password:  # type: ignore[union-attr]
        raise InvalidInput([f"user {username!r} already exists"])
    token = secrets.token_urlsafe(24)
    now = _now()
    store.users.invite(_digest(token), username, role, by, _iso(now), _iso(now + timedelta(days=INVITE_DAYS)))
    return token


def invitation(store: Store, token: str) -> tuple[str, Role] | None:
    return store.users.open_invite(_digest(token), _iso(_now()))


def accept_invite(store: Store, token: str, password: str) -> User:
    check_password(password)
    now = _iso(_now())
    with store.writing():
        found = store.users.open_invite(_digest(token), now)
        if found is None or not store.users.use_invite(_digest(token), now):
            raise InvalidInput(["this invitation link is not valid any more (used or expired); ask for a new one"])
        username, role = found
        existing = store.users.by_name(username)
        if existing is not None:
            return store.users.update(username, password_hash=hash_password(password), disabled=False)
        return store.users.add(username, role, hash_password(password), now)


# -- signing in ---------------------------------------------------------------------------------------
def sign_in(store: Store, username: str, password: str, address: str) -> User:
    """The user, if the password is right and neither the name nor the address is locked out."""
    now = _now()
    since = _iso(now - WINDOW)
    keys = [f"user:{username.lower()}", f"addr:{address}"]
    for k, limit in zip(keys, (MAX_FAILURES, MAX_FAILURES_PER_ADDRESS), strict=True):
        n, last = store.users.failures_since(k, since)
        if n >= limit and last is not None:
            wait = int((datetime.fromisoformat(last) + LOCKOUT - now).total_seconds())
            if wait > 0:
                raise Throttled(wait)
    user = store.users.by_name(username)
    stored = store.users.password_hash(user.id) if user is not None else None
    ok = False
    try:
        ok = stored is not None and _hasher.verify(stored, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        ok = False
    if stored is None:  # spend the same time as a real check, so timing does not reveal names
        _hasher.hash("not a real password")
    if not ok or user is None or user.disabled:
        store.users.failed_login(keys, _iso(now))
        raise LoginRefused("wrong user name or password")
    store.users.clear_failures(keys[0])
    return user


@dataclass(frozen=True, slots=True)
class Session:
    token: str  # goes into the cookie; never stored
    user: User
    csrf: str


def start_session(store: Store, user: User) -> Session:
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    now = _now()
    store.users.new_session(_digest(token), user.id, csrf, _iso(now), _iso(now + timedelta(days=SESSION_DAYS)))
    return Session(token, user, csrf)


def session_of(store: Store, token: str | None) -> tuple[User, SessionRow] | None:
    """The signed-in user and session for a cookie token; None if unknown, expired or disabled."""
    if not token or len(token) > 128:
        return None
    row = store.users.session(_digest(token), _iso(_now()))
    if row is None:
        return None
    user = store.users.get(row.user_id)
    return None if user.disabled else (user, row)


def end_session(store: Store, token: str) -> None:
    store.users.end_session(_digest(token))
