"""Every HTML page renders from the real bank, with the right content and status, fast."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from fastapi import FastAPI

from interview_coach.bank.store import Store
from tests.dbutil import sql

from .conftest import BASE, TestClient, csrf_of


def qid_of(db: str, like: str) -> str:
    with Store.open(db) as store:
        return str(sql(store, "SELECT question_id FROM items WHERE question LIKE :like", like=like)[0][0])


def server_ms(r) -> float:  # type: ignore[no-untyped-def]
    m = re.search(r"app;dur=([\d.]+)", r.headers["server-timing"])
    assert m
    return float(m.group(1))


def test_library_lists_questions_with_counts_and_facets(client: TestClient) -> None:
    r = client.get("/")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    html = r.text
    assert html.count('class="qrow') >= 30
    assert "evaluation_table_en.md" in html and "简体中文" in html and "繁體中文" in html
    assert "0 unanswered" in html
    assert client.get("/library").status_code == 200


def test_library_filters(client: TestClient) -> None:
    r = client.get("/", params={"lang": "zh-Hant"})
    assert r.status_code == 200
    n = r.text.count('class="qrow')
    assert 0 < n < 30 and "language: 繁體中文" in r.text
    section = client.get("/", params={"section": "VAEs and Diffusion Models"}).text
    assert 0 < section.count('class="qrow') <= 6
    none = client.get("/", params={"answered": "no"}).text
    assert none.count('class="qrow') == 0
    assert client.get("/", params={"lang": "xx"}).status_code == 422


def test_unanswered_questions_are_flagged(client: TestClient, tmp_path: Path) -> None:
    doc = tmp_path / "later.md"
    doc.write_text("# Later\n\n1. What is speculative decoding?\n2. What is a mixture of experts?\n", encoding="utf-8")
    job = client.post("/api/import/paths?wait=true", json={"paths": [str(doc)]},
                      headers={"X-Coach-Client": "t"}).json()
    assert job["state"] == "done", job
    html = client.get("/", params={"answered": "no"}).text
    assert html.count('class="qrow unanswered') == 2
    assert "2 unanswered" in client.get("/").text
    assert 'class="badge warn"' in html


def test_question_page_shows_script_translations_answers_lines_and_history(client: TestClient, bank_db: Path) -> None:
    qid = qid_of(bank_db, "What is mode collapse%")
    html = client.get(f"/questions/{qid}").text
    assert '<h1 id="question-text" lang="zh-Hans">GAN 中的模式崩溃是什么' in html
    assert "What is mode collapse in GANs, and how can it be mitigated?" in html  # the translation
    assert re.search(r'class="file"[^>]*>generative_models_bilingual\.md</span>\s*<span class="lines">lines \d+–\d+',
                     html)
    assert html.count('class="answer card') >= 2  # side by side: every source's answer
    assert "Not reviewed yet." in html and "Related questions" in html
    assert client.get("/questions/qnope").status_code == 404


def test_question_page_in_traditional_script(client: TestClient, bank_db: Path, csrf: str) -> None:
    qid = qid_of(bank_db, "What is mode collapse%")
    r = client.post("/settings/script", data={"script": "zh-Hant", "next": f"/questions/{qid}", "csrf_token": csrf},
                    follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/questions/{qid}"
    html = client.get(f"/questions/{qid}").text
    assert "GAN 中的模式崩潰" in html  # the zh-Hant item of the traditional file, not a conversion
    assert 'aria-pressed="true"' in html.split('id="script-zh-Hant"')[1][:200]


def test_search_page_highlights_the_matched_variant(client: TestClient) -> None:
    html = client.get("/search", params={"q": "gradient clipping"}).text
    assert '<ol class="hits"' in html
    assert "<mark>gradient</mark> <mark>clipping</mark>" in html
    assert client.get("/search").status_code == 200


def test_drill_pages_grade_and_rate(client: TestClient, bank_db: Path) -> None:
    page = client.get("/drill")
    assert page.status_code == 200 and 'id="drill-question"' in page.text and "in the queue" in page.text
    qid = qid_of(bank_db, "What is gradient clipping%")
    page = client.get("/drill", params={"question": qid})
    token = csrf_of(page.text)
    answer = "Clip the gradient norm to a threshold <script>alert(1)</script> to avoid exploding gradients."
    r = client.post("/drill/answer", data={"question_id": qid, "answer": answer, "csrf_token": token,
                                           "started": "0", "single": "true"})
    assert r.status_code == 200
    html = r.text
    assert 'id="score"' in html and 'class="point ' in html
    assert '<mark class="ev ' in html  # evidence in the user's own answer
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    score = re.search(r'name="score" value="([\d.]+)"', html).group(1)  # type: ignore[union-attr]
    r = client.post("/drill/rate", data={"question_id": qid, "rating": "Hard", "score": score, "answer": answer,
                                         "csrf_token": token, "single": "true"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith(f"/questions/{qid}")
    with Store.open(bank_db) as store:
        assert sql(store, "SELECT rating, answer FROM reviews WHERE question_id = :q", q=qid) == [(2, answer)]
    assert "Hard" in client.get(f"/questions/{qid}").text

    reveal = client.post("/drill/answer", data={"question_id": qid, "answer": "typed", "reveal": "true",
                                                "csrf_token": token})
    assert 'id="proposed">Again<' in reveal.text and 'id="score"' not in reveal.text
    r = client.post("/drill/rate", data={"question_id": qid, "rating": "1", "csrf_token": token},
                    follow_redirects=False)
    assert r.status_code == 303 and "saved=" in r.headers["location"]
    assert "Saved <strong>Again</strong>" in client.get(r.headers["location"]).text


def test_stats_page_draws_charts(client: TestClient) -> None:
    html = client.get("/stats").text
    assert html.count("<svg") == 5 and "true retention" in html and "Mastery by topic" in html


def test_import_and_settings_pages(client: TestClient) -> None:
    html = client.get("/import").text
    assert 'enctype="multipart/form-data"' in html and "evaluation_table_en.md" in html
    html = client.get("/settings").text
    assert 'name="retention"' in html and 'value="e5"' in html and 'value="use"' in html
    assert client.get("/import/jobs/j999").status_code == 404


def test_settings_form_saves_and_reports_every_problem(client: TestClient, csrf: str) -> None:
    r = client.post("/settings", data={"script": "en", "retention": "0.8", "embedding_model": "e5",
                                       "csrf_token": csrf}, follow_redirects=False)
    assert r.status_code == 303
    assert client.get("/api/settings").json()["settings"] == {"script": "en", "retention": "0.8",
                                                               "embedding_model": "e5"}
    r = client.post("/settings", data={"script": "xx", "retention": "5", "embedding_model": "e5", "csrf_token": csrf})
    assert r.status_code == 400 and r.text.count("<li>") >= 2


def test_errors_are_pages_or_json_never_tracebacks(app: FastAPI, monkeypatch: pytest.MonkeyPatch) -> None:
    from interview_coach.web.routes import stats

    def boom(st: object) -> None:
        raise RuntimeError("secret internals")

    monkeypatch.setattr(stats, "collect", boom)
    with TestClient(app, base_url=BASE, raise_server_exceptions=False) as c:
        page = c.get("/stats")
        assert page.status_code == 500 and "text/html" in page.headers["content-type"]
        assert "Traceback" not in page.text and "secret internals" not in page.text
        api = c.get("/api/stats")
        assert api.status_code == 500 and api.json()["status"] == 500 and "secret" not in api.text
        missing = c.get("/no/such/page")
        assert missing.status_code == 404 and "<h1>404" in missing.text
        assert c.get("/api/no/such").json()["status"] == 404
        assert c.put("/stats").status_code == 405


def test_pages_are_fast_once_warm(client: TestClient, bank_db: Path) -> None:
    qid = qid_of(bank_db, "What is mode collapse%")
    urls = ["/", f"/questions/{qid}", "/search?q=梯度裁剪", "/api/search?q=attention", "/drill", "/stats",
            "/import", "/settings"]
    st = client.app.state.coach  # type: ignore[attr-defined]
    deadline = time.monotonic() + 60
    while not st.grader.ready() and time.monotonic() < deadline:  # let the start-up work finish
        time.sleep(0.05)
    for u in urls:
        client.get(u)  # warm: templates compiled, caches filled
    slow = {}
    for u in urls:
        best = min(server_ms(client.get(u)) for _ in range(3))
        if best > 150:  # the target is 50 ms; this bound only catches per-request rebuilds
            slow[u] = best
    assert not slow, slow
    assert client.app.state.coach.engine.builds == 1  # type: ignore[attr-defined]
