"""The JSON API, route by route, on a real SQLite bank holding the sample bank."""

from __future__ import annotations

from pathlib import Path

from interview_coach.bank.store import Store
from tests.dbutil import sql

from .conftest import TestClient

API = {"X-Coach-Client": "tests"}


def qid_of(db: str, like: str) -> str:
    with Store.open(db) as store:
        return str(sql(store, "SELECT question_id FROM items WHERE question LIKE :like", like=like)[0][0])


def test_questions_lists_every_canonical_question_with_facets(client: TestClient) -> None:
    r = client.get("/api/questions", params={"limit": 1000})
    assert r.status_code == 200
    data = r.json()
    assert data["total"] == len(data["questions"]) >= 30
    facets = data["facets"]
    assert {f["lang"] for f in facets["langs"]} >= {"en", "zh-Hans", "zh-Hant"}
    assert len(facets["sources"]) == 4
    assert sum(f["questions"] for f in facets["sources"]) >= data["total"]
    row = data["questions"][0]
    assert {"question_id", "text", "section", "langs", "variants", "answers", "answered", "sources"} <= set(row)


def test_questions_filters_by_section_source_language_and_answered(client: TestClient) -> None:
    all_ = client.get("/api/questions", params={"limit": 1000}).json()
    source = next(f["source"] for f in all_["facets"]["sources"] if f["source"].endswith("evaluation_table_en.md"))
    by_source = client.get("/api/questions", params={"source": source}).json()
    assert by_source["total"] == 9
    assert all(source in q["sources"] for q in by_source["questions"])

    section = next(f for f in all_["facets"]["sections"] if f["section"] == "VAEs and Diffusion Models")
    by_section = client.get("/api/questions", params={"section": section["section"]}).json()
    assert by_section["total"] == section["questions"] > 0

    hant = client.get("/api/questions", params={"lang": "zh-Hant", "limit": 1000}).json()
    assert hant["total"] > 0 and all("zh-Hant" in q["langs"] for q in hant["questions"])

    unanswered = client.get("/api/questions", params={"answered": "false"}).json()
    assert unanswered["total"] == all_["facets"]["unanswered"] == 0  # the sample bank answers everything

    page = client.get("/api/questions", params={"limit": 5, "offset": 5}).json()
    assert [q["question_id"] for q in page["questions"]] == [q["question_id"] for q in all_["questions"][5:10]]

    assert client.get("/api/questions", params={"lang": "fr"}).status_code == 422


def test_question_detail_has_answers_with_lines_translations_related_and_history(client: TestClient,
                                                                                  bank_db: Path) -> None:
    qid = qid_of(bank_db, "What is mode collapse%")
    r = client.get(f"/api/questions/{qid}")
    assert r.status_code == 200
    q = r.json()
    assert q["question_id"] == qid and q["script"] == "zh-Hans"
    assert q["text"].startswith("GAN 中的模式崩溃")  # the preferred script, from the bilingual line
    langs = {v["lang"] for v in q["variants"]}
    assert {"en", "zh-Hans"} <= langs
    answered = [it for it in q["items"] if it["answer"]]
    assert answered
    for it in answered:
        assert it["answer_line_start"] <= it["answer_line_end"]
        assert Path(it["source"]).is_absolute()
    assert isinstance(q["related"], list)
    assert q["history"] == [] and q["card"] is None

    # an item id leads to its canonical question too
    item = q["items"][0]["item_id"]
    assert client.get(f"/api/questions/{item}").json()["question_id"] == qid


def test_unknown_question_is_a_json_404(client: TestClient) -> None:
    r = client.get("/api/questions/qnope")
    assert r.status_code == 404
    body = r.json()
    assert body["status"] == 404 and "qnope" in body["detail"]


def test_search_any_language(client: TestClient) -> None:
    r = client.get("/api/search", params={"q": "梯度裁剪", "k": 5})
    assert r.status_code == 200
    hits = r.json()["hits"]
    top = hits[0]
    assert "gradient clipping" in top["text"] and top["lang"] == "en"
    assert top["source_name"] == "evaluation_table_en.md"
    assert {"question_id", "item_id", "score", "similarity", "title", "marks"} <= set(top)

    en = client.get("/api/search", params={"q": "gradient clipping"}).json()["hits"][0]
    assert en["question_id"] == top["question_id"]
    assert en["marks"] and en["text"][en["marks"][0][0]:en["marks"][0][1]].lower() in ("gradient", "clipping")

    hant = client.get("/api/search", params={"q": "注意力", "lang": "zh-Hant"}).json()["hits"]
    assert hant and all(h["lang"] == "zh-Hant" for h in hant)

    assert client.get("/api/search", params={"q": "   "}).json()["hits"] == []
    assert client.get("/api/search").status_code == 422


def test_status_reports_the_index(client: TestClient) -> None:
    data = client.get("/api/status").json()
    assert data["index"]["ready"] is True
    assert data["bank"]["questions"] >= 30


def test_drill_queue_grade_and_rate(client: TestClient, bank_db: Path) -> None:
    queue = client.get("/api/drill/queue", params={"new": 3}).json()
    assert queue["count"] == 3 and all(q["text"] for q in queue["queue"])

    qid = qid_of(bank_db, "What is gradient clipping%")
    answer = "If the global norm of the gradients exceeds a threshold, scale them down; it prevents exploding gradients."
    g = client.post("/api/drill/grade", json={"question_id": qid, "answer": answer}, headers=API).json()
    grade = g["grade"]
    assert 0 <= grade["score"] <= 100 and g["proposed"] in ("Again", "Hard", "Good", "Easy")
    statuses = {p["status"] for p in grade["key_points"]}
    assert statuses <= {"covered", "partial", "missing"} and "covered" in statuses
    for p in grade["key_points"]:
        if p["evidence"] is not None:
            assert answer[p["evidence_start"]:p["evidence_end"]].strip()

    reveal = client.post("/api/drill/grade", json={"question_id": qid, "answer": ""}, headers=API).json()
    assert reveal["grade"] is None and reveal["proposed"] == "Again"

    r = client.post("/api/drill/rate", json={"question_id": qid, "rating": "Good", "score": grade["score"],
                                             "answer": answer, "duration_ms": 1234}, headers=API)
    assert r.status_code == 200
    card = r.json()["card"]
    assert card["state"] in ("learning", "review")
    with Store.open(bank_db) as store:
        row = sql(store, "SELECT rating, score, answer, duration_ms FROM reviews WHERE question_id = :q", q=qid)[0]
    assert row == (3, grade["score"], answer, 1234)
    hist = client.get(f"/api/questions/{qid}").json()
    assert [h["rating"] for h in hist["history"]] == ["Good"] and hist["card"]["state"] == card["state"]

    assert client.post("/api/drill/rate", json={"question_id": qid, "rating": "Great"}, headers=API).status_code == 422
    bad = client.post("/api/drill/rate", json={"question_id": "qnope", "rating": 1}, headers=API)
    assert bad.status_code == 404


def test_stats(client: TestClient, bank_db: Path) -> None:
    qid = qid_of(bank_db, "What is gradient clipping%")
    client.post("/api/drill/rate", json={"question_id": qid, "rating": 4}, headers=API)
    data = client.get("/api/stats").json()
    assert data["bank"]["questions"] >= 30
    study = data["study"]
    assert len(study["forecast"]) == 7 and len(study["reviews_per_day"]) == 30
    assert study["reviews"] == 1 and study["reviews_per_day"][-1]["reviews"] == 1
    assert sum(t["questions"] for t in data["topics"]) >= data["bank"]["questions"]
    assert sum(t["reviewed"] for t in data["topics"]) == 1


def test_settings_read_update_and_validate(client: TestClient) -> None:
    data = client.get("/api/settings").json()
    assert data["settings"]["script"] == "zh-Hans"
    assert data["choices"]["script"] == ["en", "zh-Hans", "zh-Hant"]
    assert {"e5", "use"} <= set(data["choices"]["embedding_model"])
    assert set(client.get("/api/models").json()) >= {"e5", "use"}

    r = client.put("/api/settings", json={"script": "zh-Hant", "retention": "0.85"}, headers=API)
    assert r.status_code == 200 and r.json()["settings"]["retention"] == "0.85"
    assert client.get("/api/settings").json()["settings"]["script"] == "zh-Hant"

    bad = client.put("/api/settings", json={"script": "fr", "retention": "2", "colour": "red"}, headers=API)
    assert bad.status_code == 400
    assert len(bad.json()["problems"]) == 3  # every problem at once, nothing saved
    assert client.get("/api/settings").json()["settings"]["script"] == "zh-Hant"
    nomodel = client.put("/api/settings", json={"embedding_model": "nope"}, headers=API)
    assert nomodel.status_code == 400


def test_sources_and_removal(client: TestClient) -> None:
    sources = client.get("/api/sources").json()
    assert len(sources) == 4 and all(s["items"] > 0 and s["shapes"] for s in sources)
    path = next(s["path"] for s in sources if s["name"] == "evaluation_table_en.md")
    r = client.delete("/api/sources", params={"path": path}, headers=API)
    assert r.status_code == 200 and r.json()["items"] == 9
    assert len(client.get("/api/sources").json()) == 3
    assert client.delete("/api/sources", params={"path": path}, headers=API).status_code == 404
    # the search index follows (rebuilt in the background)
    client.app.state.coach.engine.get(timeout=30)  # type: ignore[attr-defined]


def test_openapi_schema_lists_the_api(client: TestClient) -> None:
    schema = client.get("/api/openapi.json").json()
    paths = set(schema["paths"])
    assert {"/api/questions", "/api/questions/{ident}", "/api/search", "/api/drill/queue", "/api/drill/grade",
            "/api/drill/rate", "/api/stats", "/api/import", "/api/import/paths", "/api/import/jobs/{job_id}",
            "/api/sources", "/api/settings", "/api/models", "/api/status"} <= paths
    assert not any(p.startswith("/drill") or p == "/" for p in paths)  # pages are not part of the API
    assert client.get("/docs").status_code == 404  # the interactive docs would need a CDN
