"""Jobs and mock interviews over HTTP: the JSON API and the pages, interview mode keeping its
feedback for the report, and each user seeing only their own jobs and sessions (404)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from interview_coach import accounts
from interview_coach.bank.store import Store
from interview_coach.web.app import create_app

from .conftest import BASE, csrf_of

H = {"X-Coach-Client": "tests"}
JD = (Path(__file__).resolve().parents[1] / "data" / "jobs" / "llm_engineer_en.md").read_text(encoding="utf-8")


def _add(client: TestClient, **extra: Any) -> dict[str, Any]:
    r = client.post("/api/jobs", json={"description": JD, **extra}, headers=H)
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]


def test_job_api_profile_readiness_plan(client: TestClient) -> None:
    job = _add(client, date="2027-01-15", url="https://example.com/job")
    assert {"rlhf", "rag"} <= {t["topic"] for t in job["topics"]} and job["unmatched"]
    assert client.get("/api/jobs", headers=H).json()[0]["id"] == job["id"]
    rm = client.get(f"/api/jobs/{job['id']}/readiness").json()
    assert rm["interview_date"] == "2027-01-15" and "containers-kubernetes" in rm["gaps"]
    plan = client.get(f"/api/jobs/{job['id']}/plan?minutes=8").json()
    assert len(plan["questions"]) == 2
    edited = client.post(f"/api/jobs/{job['id']}/topics", json={"remove": ["rag"], "add": ["vae"]}, headers=H).json()
    assert "rag" not in {t["topic"] for t in edited["topics"]} and "vae" in {t["topic"] for t in edited["topics"]}
    bad = client.post("/api/jobs", json={"description": "   "}, headers=H)
    assert bad.status_code == 400 and "empty" in bad.json()["detail"]
    assert client.get("/api/jobs/999").status_code == 404


def test_interview_mode_keeps_feedback_for_the_report(client: TestClient) -> None:
    job = _add(client)
    started = client.post("/api/mock", json={"job_id": job["id"], "minutes": 8, "mode": "interview"}, headers=H).json()
    first = started["next"]
    r = client.post(f"/api/mock/{started['session_id']}/answer", headers=H,
                    json={"question_id": first["question_id"], "answer": "RLHF trains a reward model on preferences."})
    out = r.json()
    assert r.status_code == 200 and out["saved"] and "score" not in out and "grade" not in out
    report = client.post(f"/api/mock/{started['session_id']}/finish", headers=H).json()
    assert report["answers"][0]["graded"] and report["answers"][0]["score"] is not None
    assert report["answered"] == 1 and report["stopped_early"]
    md = client.get(f"/mock/{started['session_id']}/report.md")
    assert md.status_code == 200 and md.headers["content-type"].startswith("text/markdown")
    assert "# Mock interview" in md.text


def test_pages_paste_readiness_mock_report(client: TestClient) -> None:
    page = client.get("/jobs")
    assert page.status_code == 200 and 'id="job-form"' in page.text
    token = csrf_of(page.text)
    r = client.post("/jobs", data={"description": JD, "title": "LLM role", "date": "2027-01-15",
                                   "csrf_token": token})
    assert r.status_code == 200 and 'id="readiness"' in r.text and "svg" in r.text and 'id="gaps"' in r.text
    job_id = int(str(r.url).rstrip("/").rsplit("/", 1)[1])
    r = client.post("/mock", data={"job_id": job_id, "minutes": 4, "mode": "practice", "csrf_token": token})
    assert r.status_code == 200 and 'id="timer"' in r.text and 'id="mock-question"' in r.text
    form = dict(__import__("re").findall(r'<input type="hidden" name="([a-z_]+)" value="([^"]*)"', r.text))
    form["answer"] = "I do not remember."
    r = client.post(str(r.url) + "/answer", data=form)
    assert r.status_code == 200 and 'id="score"' in r.text
    r = client.post(str(r.url).rsplit("/", 1)[0] + "/finish", data={"csrf_token": token})
    assert r.status_code == 200 and 'id="report"' in r.text and 'id="study-next"' in r.text


def test_question_topics_on_the_page_and_the_library_filter(client: TestClient) -> None:
    lib = client.get("/?topic=rlhf")
    assert lib.status_code == 200 and 'id="topic-chip"' in lib.text
    qid = __import__("re").search(r'href="/questions/(q[0-9a-f]+)"', lib.text).group(1)
    assert 'id="topics-h"' in client.get(f"/questions/{qid}").text
    r = client.post(f"/api/questions/{qid}/topics", json={"add": ["alignment"]}, headers=H)
    assert r.status_code == 200 and {"topic": "alignment", "name": "LLM alignment", "origin": "manual"} in r.json()["topics"]


def test_users_see_only_their_own_jobs_and_sessions(bank_db: str) -> None:
    with Store.open(bank_db) as store:
        accounts.add_user(store, "ann", "learner", "correct horse battery staple 1")
        accounts.add_user(store, "bob", "learner", "correct horse battery staple 2")
    app = create_app(bank_db, team=True, warm=False, run_jobs=False)

    def sign_in(c: TestClient, name: str, password: str) -> dict[str, str]:
        r = c.post("/api/login", json={"username": name, "password": password}, headers=H)
        assert r.status_code == 200, r.text
        return {**H, "X-CSRF-Token": r.json()["csrf_token"]}

    with TestClient(app, base_url=BASE) as c:
        ha = sign_in(c, "ann", "correct horse battery staple 1")
        job = c.post("/api/jobs", json={"description": JD}, headers=ha).json()
        sid = c.post("/api/mock", json={"job_id": job["id"], "minutes": 4}, headers=ha).json()["session_id"]
        c.cookies.clear()
        hb = sign_in(c, "bob", "correct horse battery staple 2")
        assert c.get("/api/jobs", headers=hb).json() == []
        for path in (f"/api/jobs/{job['id']}", f"/api/jobs/{job['id']}/readiness", f"/api/mock/{sid}",
                     f"/api/mock/{sid}/report", f"/jobs/{job['id']}", f"/mock/{sid}/report"):
            assert c.get(path, headers=hb).status_code == 404, path
        assert c.post("/api/mock", json={"job_id": job["id"]}, headers=hb).status_code == 404
        assert c.delete(f"/api/jobs/{job['id']}", headers=hb).status_code == 404
        c.cookies.clear()
        ha = sign_in(c, "ann", "correct horse battery staple 1")
        assert c.get(f"/api/jobs/{job['id']}", headers=ha).status_code == 200
