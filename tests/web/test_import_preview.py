"""The web import previews before anything is written: per file, the groups read and
refused, questions per group and notices; layout hints given in the preview are applied
and stored with the source."""

from __future__ import annotations

import re
from pathlib import Path

from .conftest import TestClient, csrf_of
from .test_import import API, wait_job

DOC = ("# Practice\n\n| No. | Task | Level |\n|---|---|---|\n| 1 | Merge two sorted lists | easy |\n"
       "| 2 | Detect a cycle in a linked list | medium |\n\n## Concepts\n\n### What is a bloom filter?\n"
       "A compact set with false positives.\n\n### Explain consistent hashing.\nKeys and nodes share one ring.\n")


def _sources(client: TestClient) -> dict[str, int]:
    return {Path(s["path"]).name: s["items"] for s in client.get("/api/sources").json()}


def test_upload_preview_writes_nothing_then_imports_with_the_hints_given(client: TestClient) -> None:
    token = csrf_of(client.get("/import").text)
    before = _sources(client)
    r = client.post("/import/preview", data={"csrf_token": token},
                    files=[("files", ("practice.md", DOC.encode("utf-8"), "text/markdown"))])
    assert r.status_code == 200 and 'id="preview"' in r.text
    assert "Would read <strong>2</strong> questions" in r.text and "heading_per_question" in r.text
    assert "What is a bloom filter?" in r.text and "Nothing has been imported yet" in r.text
    assert _sources(client) == before  # nothing written to the bank's questions
    ref = re.search(r'name="refs" value="(upload:\d+)"', r.text).group(1)  # type: ignore[union-attr]
    form = {"csrf_token": csrf_of(r.text), "refs": ref, "hint-0-question_column": "Task"}
    again = client.post("/import/confirm", data={**form, "again": "1"})
    assert again.status_code == 200 and "Would read <strong>4</strong> questions" in again.text
    assert _sources(client) == before
    done = client.post("/import/confirm", data=form, follow_redirects=False)
    assert done.status_code == 303
    job = wait_job(client, done.headers["location"].rsplit("/", 1)[1])
    (f,) = job["files"]
    assert (f["status"], f["items"], f["hints"]) == ("new", 4, {"question_column": "Task"})
    # the same file uploaded again, without hints: the stored hints still apply
    r2 = client.post("/api/import?wait=true&on_conflict=replace", files={"files": ("practice.md", DOC.encode())},
                     headers=API).json()
    assert r2["files"][0]["status"] == "unchanged" and r2["files"][0]["notices"] == f["notices"]
    assert r2["files"][0]["hints"] == {"question_column": "Task"}


def test_confirm_refuses_what_the_server_may_not_import(client: TestClient, tmp_path: Path) -> None:
    token = csrf_of(client.get("/import").text)
    assert client.post("/import/confirm", data={"csrf_token": token, "refs": "path:relative/file.md"}).status_code == 404
    assert client.post("/import/confirm", data={"csrf_token": token, "refs": "upload:99999"}).status_code == 404
    doc = tmp_path / "x.md"
    doc.write_text(DOC, encoding="utf-8")
    r = client.post("/import/confirm", data={"csrf_token": token, "refs": f"path:{doc}", "hint-0-heading_level": "9"})
    assert r.status_code == 400


def test_api_preview(client: TestClient, tmp_path: Path) -> None:
    doc = tmp_path / "practice.md"
    doc.write_text(DOC, encoding="utf-8")
    out = client.post("/api/import/preview", json={"paths": [str(doc)], "hints": {str(doc): {"question_column": "Task"}}},
                      headers=API).json()
    (f,) = out["files"]
    assert f["status"] == "preview" and f["items"] == 4
    assert [g["kind"] for g in f["groups"] if not g["refused"]] == ["tables", "heading_per_question"]
