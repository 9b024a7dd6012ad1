"""Import through the web: uploads and folders, the per-file report, progress, and the bank and
search index that follow."""

from __future__ import annotations

import re
import time
from pathlib import Path

from interview_coach.bank.store import Store
from interview_coach.bank.types import Filters

from .conftest import TestClient, csrf_of

API = {"X-Coach-Client": "tests"}

NOTES = ("# Retrieval notes\n\n## RAG\n\n"
         "Q: What is reciprocal rank fusion?\n"
         "A: It merges ranked lists by summing 1 / (k + rank) for each document, with k around 60.\n\n"
         "Q: Why rerank retrieved passages with a cross-encoder?\n"
         "A: A cross-encoder reads query and passage together, so it ranks more precisely than a bi-encoder.\n\n"
         "Q: What is HyDE?\n")


def wait_job(client: TestClient, job_id: str, timeout: float = 120) -> dict:  # type: ignore[type-arg]
    deadline = time.monotonic() + timeout
    seen = set()
    while True:
        job = client.get(f"/api/import/jobs/{job_id}").json()
        seen.add(job["state"])
        if not job["running"]:
            job["seen"] = seen
            return job  # type: ignore[no-any-return]
        assert time.monotonic() < deadline, job
        time.sleep(0.05)


def test_upload_form_runs_a_job_and_reports_each_file(client: TestClient, bank_db: str) -> None:
    token = csrf_of(client.get("/import").text)
    gb = "# 面试题\n\n问：什么是提示注入？\n答：攻击者在输入里夹带指令，让模型偏离原本的系统提示。\n".encode("gb18030")
    files = [("files", ("rag notes.md", NOTES.encode("utf-8"), "text/markdown")),
             ("files", ("提示注入.txt", gb, "text/plain"))]
    r = client.post("/import/upload", data={"csrf_token": token}, files=files, follow_redirects=False)
    assert r.status_code == 303
    job_url = r.headers["location"]
    job_id = job_url.rsplit("/", 1)[1]
    job = wait_job(client, job_id)
    assert job["state"] == "done" and job["ok"], job
    by_name = {f["name"]: f for f in job["files"]}
    rag = by_name["rag notes.md"]
    assert (rag["status"], rag["items"], rag["answered"], rag["unanswered"]) == ("new", 3, 2, 1)
    assert rag["shapes"] and rag["encoding"].lower().replace("-", "") == "utf8"
    assert any("HyDE" in n["message"] for n in rag["notices"])
    zh = by_name["提示注入.txt"]
    assert zh["status"] == "new" and zh["items"] == 1 and zh["encoding"].lower() in ("gb18030", "gbk", "gb2312")
    assert job["questions"] >= 36 and job["links"]["items"] >= 41

    html = client.get(job_url).text
    assert 'id="report"' in html and "rag notes.md" in html and "1 unanswered" in html and "HyDE" in html
    with Store.open(bank_db) as store:  # kept in the bank (any worker can read them), under their upload names
        assert {"upload:rag notes.md", "upload:提示注入.txt"} <= {s.path for s in store.sources()}

    # the new questions are in the library and the search index (rebuilt after the import)
    hits = client.get("/api/search", params={"q": "倒数排名融合"}).json()["hits"]
    assert any("reciprocal rank fusion" in h["text"] for h in hits[:3]), hits[:3]
    assert "What is HyDE?" in client.get("/", params={"answered": "no"}).text


def test_reimporting_an_unchanged_file_changes_nothing_and_an_edit_keeps_history(
        client: TestClient, tmp_path: Path) -> None:
    doc = tmp_path / "notes.md"
    doc.write_text(NOTES, encoding="utf-8")
    first = client.post("/api/import/paths?wait=true", json={"paths": [str(tmp_path)]}, headers=API).json()
    assert first["files"][0]["status"] == "new"
    qid = next(h["question_id"] for h in client.get("/api/search", params={"q": "reciprocal rank fusion"}).json()["hits"])
    client.post("/api/drill/rate", json={"question_id": qid, "rating": "Good"}, headers=API)

    again = client.post("/api/import/paths?wait=true", json={"paths": [str(doc)]}, headers=API).json()
    assert again["files"][0]["status"] == "unchanged" and again["links"] is None

    doc.write_text(NOTES.replace("What is HyDE?", "What is HyDE?\nA: Embed a hypothetical answer and search with it."),
                   encoding="utf-8")
    edited = client.post("/api/import/paths?wait=true", json={"paths": [str(doc)]}, headers=API).json()
    f = edited["files"][0]
    assert f["status"] == "updated" and f["answered"] == 3 and f["unanswered"] == 0
    hist = client.get(f"/api/questions/{qid}").json()["history"]
    assert [h["rating"] for h in hist] == ["Good"]  # the review survived the re-import


def test_progress_is_reported_while_a_job_runs(client: TestClient, tmp_path: Path) -> None:
    for n in range(3):
        (tmp_path / f"f{n}.md").write_text(
            f"# F{n}\n\nQ: What is question {n} about tokenizer merges number {n}?\nA: Answer {n} about merges.\n",
            encoding="utf-8")
    r = client.post("/api/import/paths", json={"paths": [str(tmp_path)]}, headers=API)
    assert r.status_code == 202
    job = r.json()
    assert job["running"] or job["state"] == "done"
    done = wait_job(client, job["id"])
    assert done["state"] == "done" and done["files_done"] == done["files_total"] == 3
    assert [f["status"] for f in done["files"]] == ["new", "new", "new"]
    page = client.get(f"/import/jobs/{job['id']}").text
    assert 'data-running="false"' in page


def test_folder_form_and_bad_paths(client: TestClient, tmp_path: Path) -> None:
    token = csrf_of(client.get("/import").text)
    (tmp_path / "a.md").write_text(NOTES, encoding="utf-8")
    r = client.post("/import/path", data={"path": str(tmp_path), "csrf_token": token}, follow_redirects=False)
    assert r.status_code == 303 and re.match(r"/import/jobs/\d+$", r.headers["location"])
    r = client.post("/import/path", data={"path": "relative/path", "csrf_token": token})
    assert r.status_code == 400 and "absolute" in r.text
    r = client.post("/api/import/paths", json={"paths": [str(tmp_path / "missing")]}, headers=API)
    assert r.status_code == 400 and "no such file" in r.json()["problems"][0]
    assert client.get("/api/import/jobs/jnope").status_code == 404


def test_a_file_without_questions_is_reported_not_fatal(client: TestClient, tmp_path: Path) -> None:
    (tmp_path / "prose.md").write_text("# Diary\n\nToday I studied.\n", encoding="utf-8")
    (tmp_path / "empty.md").write_text("", encoding="utf-8")
    job = client.post("/api/import/paths?wait=true", json={"paths": [str(tmp_path)]}, headers=API).json()
    assert job["state"] == "done" and not job["ok"]
    errors = {Path(f["path"]).name: f["error"] for f in job["files"]}
    assert "no questions" in errors["prose.md"] and errors["empty.md"]


def test_a_second_upload_of_the_same_name_never_replaces_the_first_silently(client: TestClient, bank_db: str) -> None:
    first = "Q: What is a residual connection?\nA: A skip path added to a block's output.\n" * 1
    other = "Q: What is weight decay?\nA: An L2 penalty on the weights.\n"
    job = client.post("/api/import?wait=true", files={"files": ("same.md", first.encode())}, headers=API).json()
    assert job["state"] == "done"
    with Store.open(bank_db) as store:
        before = [(it.item_id, it.question) for it in store.items(Filters(source="upload:same.md"))]
    r = client.post("/api/import?wait=true", files={"files": ("same.md", other.encode())}, headers=API)
    assert r.status_code == 409 and "same.md" in r.json()["detail"]  # asked, nothing stored
    kept = client.post("/api/import?wait=true&on_conflict=keep", files={"files": ("same.md", other.encode())},
                       headers=API).json()
    assert [f["name"] for f in kept["files"]] == ["same (2).md"]
    with Store.open(bank_db) as store:
        assert [(it.item_id, it.question) for it in store.items(Filters(source="upload:same.md"))] == before
        assert [it.question for it in store.items(Filters(source="upload:same (2).md"))] == ["What is weight decay?"]
    edited = first + "Q: What is layer norm?\nA: Normalising over the features of one example.\n"
    replaced = client.post("/api/import?wait=true&on_conflict=replace", files={"files": ("same.md", edited.encode())},
                           headers=API).json()
    assert replaced["files"][0]["status"] == "updated"
    with Store.open(bank_db) as store:
        now = [(it.item_id, it.question) for it in store.items(Filters(source="upload:same.md"))]
    assert now[0] == before[0] and len(now) == 2  # the kept question keeps its id
