"""Accounts, server-side sessions, invitations and login attempts, as rows.

Secrets never reach the database: passwords arrive hashed (Argon2, by `accounts`), session and
invitation tokens are stored as their SHA-256.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import delete, func, insert, select, update

from ..errors import InvalidInput, NotFound
from .database import Transactions
from .schema import LOCAL_USER, invites, login_attempts, sessions, users

Role = Literal["admin", "editor", "learner"]
ROLES: tuple[Role, ...] = ("admin", "editor", "learner")


@dataclass(frozen=True, slots=True)
class User:
    id: int
    username: str
    role: Role
    disabled: bool
    created_at: str
    has_password: bool

    @property
    def local(self) -> bool:
        return self.id == LOCAL_USER


@dataclass(frozen=True, slots=True)
class SessionRow:
    id: str
    user_id: int
    csrf: str
    created_at: str
    expires_at: str


def _user(r: Any) -> User:
    return User(r["id"], r["username"], r["role"], bool(r["disabled"]), r["created_at"], r["password_hash"] is not None)


class Users:
    def __init__(self, tx: Transactions) -> None:
        self.tx = tx

    # -- accounts ------------------------------------------------------------------------------
    def add(self, username: str, role: Role, password_hash: str | None, now: str) -> User:
        if role not in ROLES:
            raise InvalidInput([f"role {role!r}: expected one of {', '.join(ROLES)}"])
        with self.tx.write() as c:
            if c.execute(select(users.c.id).where(func.lower(users.c.username) == username.lower())).first():
                raise InvalidInput([f"user {username!r} already exists"])
            uid = c.execute(insert(users).values(username=username, role=role, password_hash=password_hash,
                                                 disabled=False, created_at=now).returning(users.c.id)).scalar_one()
        return self.get(int(uid))

    def get(self, user_id: int) -> User:
        with self.tx.read() as c:
            r = c.execute(select(users).where(users.c.id == user_id)).mappings().first()
        if r is None:
            raise NotFound(f"no user {user_id}")
        return _user(r)

    def by_name(self, username: str) -> User | None:
        with self.tx.read() as c:
            r = c.execute(select(users).where(func.lower(users.c.username) == username.lower())).mappings().first()
        return None if r is None else _user(r)

    def password_hash(self, user_id: int) -> str | None:
        with self.tx.read() as c:
            return c.execute(select(users.c.password_hash).where(users.c.id == user_id)).scalar()

    def all(self, *, include_local: bool = False) -> list[User]:
        stmt = select(users).order_by(users.c.id)
        if not include_local:
            stmt = stmt.where(users.c.id != LOCAL_USER)
        with self.tx.read() as c:
            return [_user(r) for r in c.execute(stmt).mappings()]

    def count_with_password(self) -> int:
        with self.tx.read() as c:
            return int(c.execute(select(func.count()).where(users.c.password_hash.is_not(None))).scalar_one())

    def update(self, username: str, **values: Any) -> User:
        if "role" in values and values["role"] not in ROLES:
            raise InvalidInput([f"role {values['role']!r}: expected one of {', '.join(ROLES)}"])
        with self.tx.write() as c:
            uid = c.execute(select(users.c.id).where(func.lower(users.c.username) == username.lower())).scalar()
            if uid is None or uid == LOCAL_USER:
                raise NotFound(f"no user {username!r} (see `coach user list`)")
            c.execute(update(users).where(users.c.id == uid).values(**values))
            if values.get("disabled") or "password_hash" in values:
                c.execute(delete(sessions).where(sessions.c.user_id == uid))  # signed out everywhere
        return self.get(int(uid))

    def active_admins(self) -> int:
        with self.tx.read() as c:
            return int(c.execute(select(func.count()).where(
                users.c.role == "admin", users.c.disabled.is_(False), users.c.password_hash.is_not(None))).scalar_one())

    # -- sessions --------------------------------------------------------------------------------
    def new_session(self, sid: str, user_id: int, csrf: str, now: str, expires: str) -> None:
        with self.tx.write() as c:
            c.execute(insert(sessions).values(id=sid, user_id=user_id, csrf=csrf, created_at=now, expires_at=expires))

    def session(self, sid: str, now: str) -> SessionRow | None:
        with self.tx.read() as c:
            r = c.execute(select(sessions).where(sessions.c.id == sid, sessions.c.expires_at > now)).mappings().first()
        return None if r is None else SessionRow(r["id"], r["user_id"], r["csrf"], r["created_at"], r["expires_at"])

    def end_session(self, sid: str) -> None:
        with self.tx.write() as c:
            c.execute(delete(sessions).where(sessions.c.id == sid))

    def purge_sessions(self, now: str) -> None:
        with self.tx.write() as c:
            c.execute(delete(sessions).where(sessions.c.expires_at <= now))

    # -- invitations -----------------------------------------------------------------------------
    def invite(self, token_hash: str, username: str, role: Role, created_by: int | None, now: str,
               expires: str) -> None:
        if role not in ROLES:
            raise InvalidInput([f"role {role!r}: expected one of {', '.join(ROLES)}"])
        with self.tx.write() as c:
            c.execute(insert(invites).values(id=token_hash, username=username, role=role, created_by=created_by,
                                             created_at=now, expires_at=expires))

    def open_invite(self, token_hash: str, now: str) -> tuple[str, Role] | None:
        with self.tx.read() as c:
            r = c.execute(select(invites.c.username, invites.c.role).where(
                invites.c.id == token_hash, invites.c.used_at.is_(None), invites.c.expires_at > now)).first()
        return None if r is None else (str(r[0]), r[1])

    def use_invite(self, token_hash: str, now: str) -> bool:
        """Mark an invitation used; False if it was not open (used, expired, unknown)."""
        with self.tx.write() as c:
            n = c.execute(update(invites).where(invites.c.id == token_hash, invites.c.used_at.is_(None),
                                                invites.c.expires_at > now).values(used_at=now)).rowcount
        return bool(n)

    # -- login attempts --------------------------------------------------------------------------
    def failed_login(self, keys: list[str], now: str) -> None:
        with self.tx.write() as c:
            c.execute(insert(login_attempts), [{"key": k, "at": now} for k in keys])

    def failures_since(self, key: str, since: str) -> tuple[int, str | None]:
        """Failed attempts under `key` since `since`, and the time of the latest."""
        with self.tx.read() as c:
            n, last = c.execute(select(func.count(), func.max(login_attempts.c.at)).where(
                login_attempts.c.key == key, login_attempts.c.at >= since)).one()
        return int(n), last

    def clear_failures(self, key: str) -> None:
        with self.tx.write() as c:
            c.execute(delete(login_attempts).where(login_attempts.c.key == key))

    def purge_attempts(self, before: str) -> None:
        with self.tx.write() as c:
            c.execute(delete(login_attempts).where(login_attempts.c.at < before))
