"""A team server (`coach serve --team`) as its members and an attacker meet it: set-up of the
first admin, sign-in and its throttling, session fixation, roles, CSRF on every route that
changes something, and one member's study data walled off from another on every route."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI

from interview_coach import accounts
from interview_coach.bank.store import Store
from interview_coach.web.app import create_app

from .conftest import BASE, TestClient, all_routes, csrf_of

PASSWORD = "correct horse battery"
MEMBERS = {"alice": "admin", "eddie": "editor", "lena": "learner", "leo": "learner"}
MARK = "PRIVATE-ANSWER-OF-LENA-7f3a"


@pytest.fixture
def team_app(bank_db: str) -> FastAPI:
    with Store.open(bank_db) as store:
        for name, role in MEMBERS.items():
            accounts.add_user(store, name, role, PASSWORD)  # type: ignore[arg-type]
    return create_app(bank_db, team=True, warm=False)


def signed_in(app: FastAPI, name: str) -> TestClient:
    c = TestClient(app, base_url=BASE)
    r = c.post("/login", data={"username": name, "password": PASSWORD}, headers={"origin": BASE}, follow_redirects=False)
    assert r.status_code == 303, r.text
    return c


def token(c: TestClient) -> str:
    return str(c.get("/api/me").json()["csrf_token"])


@pytest.fixture
def members(team_app: FastAPI) -> Iterator[dict[str, TestClient]]:
    with TestClient(team_app, base_url=BASE):  # runs the app's start-up once
        yield {name: signed_in(team_app, name) for name in MEMBERS}


def a_question(c: TestClient) -> str:
    return str(c.get("/api/questions", params={"limit": 5}).json()["questions"][0]["question_id"])


def test_pages_and_api_need_a_sign_in(team_app: FastAPI) -> None:
    with TestClient(team_app, base_url=BASE) as c:
        r = c.get("/drill?new=3", follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == "/login?next=/drill%3Fnew%3D3"
        assert c.get("/api/questions").status_code == 401
        assert c.get("/login").status_code == 200
        assert c.get("/api/health").json()["team"] is True


def test_the_first_admin_is_made_with_the_set_up_code(new_bank: Any) -> None:
    db = new_bank()
    app = create_app(db, team=True, warm=False, setup_code="open-sesame-42")
    with TestClient(app, base_url=BASE) as c:
        assert c.get("/login", follow_redirects=False).headers["location"] == "/setup"
        form = {"username": "root", "password": PASSWORD}
        r = c.post("/setup", data={**form, "token": "guess"}, headers={"origin": BASE})
        assert r.status_code == 403
        r = c.post("/setup", data={**form, "token": "open-sesame-42"}, headers={"origin": BASE}, follow_redirects=False)
        assert r.status_code == 303
        assert c.get("/api/me").json()["user"]["role"] == "admin"
        again = c.post("/setup", data={**form, "token": "open-sesame-42", "username": "second"},
                       headers={"origin": BASE, "x-csrf-token": token(c)})
        assert again.status_code == 404  # there is an admin now: set-up is closed
    with Store.open(db) as store:
        assert [u.username for u in store.users.all()] == ["root"]


def test_registration_is_closed_and_invitations_are_one_time(members: dict[str, TestClient]) -> None:
    alice, lena = members["alice"], members["lena"]
    r = alice.post("/api/users", json={"username": "newbie", "role": "learner"}, headers={"x-coach-client": "t"})
    link = r.json()["link"]
    path = "/" + link.split("/", 3)[3]
    guest = TestClient(alice.app, base_url=BASE)
    assert guest.get(path).status_code == 200
    assert guest.post(path, data={"password": "short"}, headers={"origin": BASE}).status_code == 400
    assert guest.post(path, data={"password": PASSWORD}, headers={"origin": BASE}, follow_redirects=False).status_code == 303
    assert guest.get("/api/me").json()["user"]["username"] == "newbie"
    other = TestClient(alice.app, base_url=BASE)
    assert other.get(path).status_code == 404  # used
    assert lena.post("/api/users", json={"username": "sneaky"}, headers={"x-coach-client": "t"}).status_code == 403


def test_wrong_passwords_are_throttled(team_app: FastAPI) -> None:
    with TestClient(team_app, base_url=BASE) as c:
        for _ in range(accounts.MAX_FAILURES):
            r = c.post("/api/login", json={"username": "lena", "password": "wrong wrong wrong"},
                       headers={"x-coach-client": "t"})
            assert r.status_code == 401
        r = c.post("/api/login", json={"username": "lena", "password": PASSWORD}, headers={"x-coach-client": "t"})
        assert r.status_code == 429 and int(r.headers["retry-after"]) > 60  # even the right password, for a while
        # another member is not locked out by lena's attacker
        assert c.post("/api/login", json={"username": "leo", "password": PASSWORD},
                      headers={"x-coach-client": "t"}).status_code == 200


def test_signing_in_never_keeps_a_planted_session(team_app: FastAPI) -> None:
    with TestClient(team_app, base_url=BASE) as attacker:
        attacker.post("/login", data={"username": "leo", "password": PASSWORD}, headers={"origin": BASE})
        planted = attacker.cookies["coach_session"]
    victim = TestClient(team_app, base_url=BASE, cookies={"coach_session": planted})
    form = csrf_of(victim.get("/login").text)
    r = victim.post("/login", data={"username": "lena", "password": PASSWORD, "csrf_token": form},
                    headers={"origin": BASE}, follow_redirects=False)
    given = re.search(r"coach_session=([^;]+)", r.headers["set-cookie"])
    assert given and given.group(1) != planted  # a new session, never the one the browser came with
    me = TestClient(team_app, base_url=BASE, cookies={"coach_session": given.group(1)})
    assert me.get("/api/me").json()["user"]["username"] == "lena"
    replay = TestClient(team_app, base_url=BASE, cookies={"coach_session": planted})
    assert replay.get("/api/me").status_code == 401  # the planted session ended at the sign-in


def test_a_disabled_member_is_signed_out_everywhere(members: dict[str, TestClient]) -> None:
    alice, leo = members["alice"], members["leo"]
    assert leo.get("/api/me").status_code == 200
    r = alice.post("/api/users/leo", json={"action": "disable"}, headers={"x-coach-client": "t"})
    assert r.status_code == 200 and r.json()["disabled"] is True
    assert leo.get("/api/me").status_code == 401
    assert leo.post("/api/login", json={"username": "leo", "password": PASSWORD},
                    headers={"x-coach-client": "t"}).status_code == 401
    r = alice.post("/api/users/alice", json={"action": "role", "role": "learner"}, headers={"x-coach-client": "t"})
    assert r.status_code == 400 and "last admin" in r.text


def _unsafe_routes(app: FastAPI) -> list[tuple[str, str]]:
    return sorted((m, re.sub(r"\{[^}]+\}", "x", path)) for path, methods in all_routes(app)
                  for m in methods - {"GET", "HEAD"})


def test_every_route_that_changes_something_refuses_forged_requests(members: dict[str, TestClient]) -> None:
    alice = members["alice"]
    routes = _unsafe_routes(alice.app)  # type: ignore[arg-type]
    assert len(routes) >= 15
    good = token(alice)
    for method, path in routes:
        foreign = alice.request(method, path, headers={"origin": "http://127.0.0.1:9999", "x-csrf-token": good},
                                data={"csrf_token": good})
        assert foreign.status_code == 403, (method, path, "a page on another origin")
        cross = alice.request(method, path, headers={"sec-fetch-site": "cross-site", "x-coach-client": "t"})
        assert cross.status_code == 403, (method, path, "a cross-site fetch")
        if path not in ("/login", "/setup", "/invite/x", "/api/login"):
            bare = alice.request(method, path, data={"csrf_token": "x" * 43})
            assert bare.status_code == 403, (method, path, "a token that is not the session's")
    # the right token passes the guard (and then the route answers for itself)
    r = alice.post("/settings/script", data={"script": "en", "csrf_token": good}, follow_redirects=False)
    assert r.status_code == 303


def test_roles_decide_who_may_change_the_shared_bank(members: dict[str, TestClient]) -> None:
    api = {"x-coach-client": "t"}
    for name, may_edit, may_admin in (("lena", False, False), ("eddie", True, False), ("alice", True, True)):
        c = members[name]
        assert (c.get("/import").status_code == 200) is may_edit, name
        r = c.post("/api/import", files={"files": (f"{name}.md", b"Q: What is a test?\nA: A check.\n")}, headers=api)
        assert (r.status_code == 202) is may_edit, (name, r.status_code)
        assert (c.get("/api/users").status_code == 200) is may_admin, name
        assert (c.get("/admin/users").status_code == 200) is may_admin, name
        bad = c.put("/api/settings", json={"embedding_model": "use"}, headers=api)
        assert (bad.status_code != 403) is may_edit, (name, "team settings")
        assert c.put("/api/settings", json={"script": "zh-Hant"}, headers=api).status_code == 200  # own settings


def _get_routes(app: FastAPI) -> list[str]:
    return sorted({path for path, methods in all_routes(app) if "GET" in methods})


def test_no_route_shows_one_members_study_data_to_another(members: dict[str, TestClient]) -> None:
    api = {"x-coach-client": "t"}
    lena, leo, eddie = members["lena"], members["leo"], members["eddie"]
    qid = a_question(lena)
    r = lena.post("/api/drill/rate", json={"question_id": qid, "rating": "Good", "score": 77.0, "answer": MARK},
                  headers=api)
    assert r.status_code == 200
    assert lena.put("/api/settings", json={"script": "zh-Hant", "retention": "0.85"}, headers=api).status_code == 200
    job = eddie.post("/api/import?wait=true", files={"files": ("e.md", b"Q: What is eddie's?\nA: His.\n")},
                     headers=api).json()
    values = {"ident": qid, "question_id": qid, "item_id": "i0", "job_id": job["id"], "n": "0", "token": "t"}
    seen_by_lena = ""
    for path in _get_routes(lena.app):  # type: ignore[arg-type]
        url = re.sub(r"\{(\w+)\}", lambda m: values.get(m.group(1), "x"), path)
        a, b = lena.get(url), leo.get(url)
        seen_by_lena += a.text
        assert MARK not in b.text, f"{url} shows lena's answer to leo"
        assert b.status_code != 500, url
    assert MARK in seen_by_lena  # lena herself does see it (the test can fail)
    assert leo.get(f"/api/questions/{qid}").json()["history"] == []
    assert leo.get("/api/stats").json()["study"]["reviews"] == 0
    assert lena.get("/api/stats").json()["study"]["reviews"] == 1
    assert leo.get("/api/settings").json()["settings"]["script"] != "zh-Hant"
    # another member's job: "no such job", not "forbidden"
    assert members["alice"].get(f"/api/import/jobs/{job['id']}").status_code == 200  # admins see every job
    other_editor = members["alice"]
    assert other_editor.get(f"/api/import/jobs/{job['id']}").status_code == 200
    with Store.open(lena.app.state.coach.db_path) as store:  # type: ignore[attr-defined]
        new = accounts.add_user(store, "edna", "editor", PASSWORD)
    edna = signed_in(lena.app, new.username)  # type: ignore[arg-type]
    assert edna.get(f"/api/import/jobs/{job['id']}").status_code == 404
    assert edna.get(f"/import/jobs/{job['id']}").status_code == 404
