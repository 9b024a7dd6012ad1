"""Hostile input and hostile pages: raw HTML in answers, CSRF, upload names and sizes,
images outside a source's folder, foreign Host headers, open redirects."""

from __future__ import annotations

import re
import struct
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI

from interview_coach.bank.store import Store
from interview_coach.errors import ConfigError
from interview_coach.web.app import create_app
from interview_coach.web.security import safe_next, safe_upload_name

from .conftest import BASE, TestClient, csrf_of

API = {"X-Coach-Client": "tests"}

HOSTILE = """# Hostile notes

## Security

Q: What does <script>alert('q')</script> do in a question?
A: Nothing here. <script>alert('answer')</script> <img src=x onerror="alert('img')">
<a href="javascript:alert('link')">a link</a> and [md link](javascript:alert('md')) and <div onclick="alert(1)">div</div>
<iframe src="https://example.com/"></iframe><style>body{display:none}</style>
<mark style="background: #FFE08A80;">highlighted</mark> <mark style="background: url(https://evil.example/x.png)">bg</mark>

**bold** and `code` stay; <a href="https://example.com/docs">docs</a> stays.
"""


def png() -> bytes:
    raw = b"\x00\xff\x00\x00"
    chunk = lambda t, d: struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d))  # noqa: E731
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def import_paths(client: TestClient, *paths: Path) -> dict:  # type: ignore[type-arg]
    r = client.post("/api/import/paths?wait=true", json={"paths": [str(p) for p in paths]}, headers=API)
    assert r.status_code == 202, r.text
    job = r.json()
    assert job["state"] == "done", job
    return job  # type: ignore[no-any-return]


def question_of(client: TestClient, text: str) -> str:
    rows = client.get("/api/questions", params={"limit": 1000}).json()["questions"]
    return next(r["question_id"] for r in rows if text in r["question"])


def test_raw_html_in_answers_is_sanitised(client: TestClient, tmp_path: Path) -> None:
    doc = tmp_path / "hostile.md"
    doc.write_text(HOSTILE, encoding="utf-8")
    import_paths(client, doc)
    qid = question_of(client, "alert('q')")
    html = client.get(f"/questions/{qid}").text
    body = html.split('<main id="main">')[1]
    assert "<script" not in body  # neither the answer's nor the question's
    assert "&lt;script&gt;" in body  # the question text is shown, escaped
    assert not re.search(r"<[^>]+\son\w+\s*=", body), "an event handler survived"
    assert not re.search(r"""(href|src)\s*=\s*["']?\s*javascript:""", body, re.I)
    assert "<iframe" not in body and "<style" not in body and "onerror" not in body
    assert '<mark style="background:#FFE08A80">highlighted</mark>' in body
    assert not re.search(r"style=\"[^\"]*url", body)  # no url() in styles
    assert "<mark>bg</mark>" in body
    assert "<strong>bold</strong>" in body and "<code>code</code>" in body
    assert '<a href="https://example.com/docs" rel="noopener noreferrer nofollow">docs</a>' in body
    api = client.get(f"/api/questions/{qid}").json()
    assert "<script>" in api["items"][0]["answer"]  # the API returns the source text as it is (JSON, not HTML)


def test_images_are_served_from_the_source_folder_only(client: TestClient, tmp_path: Path) -> None:
    folder = tmp_path / "bank"
    (folder / "img").mkdir(parents=True)
    (folder / "img" / "fig.png").write_bytes(png())
    (tmp_path / "secret.png").write_bytes(png())
    (folder / "img" / "notes.txt.png").write_text("not really", encoding="utf-8")
    (folder / "notes.md").write_text(
        "# Figures\n\nQ: What does the figure show?\nA: The architecture.\n\n![arch](img/fig.png)\n\n"
        "![secret](../secret.png)\n\n![abs](/etc/hosts.png)\n\n![web](https://example.com/x.png)\n\n"
        "![missing](img/none.png)\n", encoding="utf-8")
    import_paths(client, folder)
    qid = question_of(client, "What does the figure show")
    item = client.get(f"/api/questions/{qid}").json()["items"][0]
    refs = item["images"]
    assert refs[:2] == ["img/fig.png", "../secret.png"]
    ok = client.get(f"/media/{item['item_id']}/0")
    assert ok.status_code == 200 and ok.headers["content-type"] == "image/png" and ok.content == png()
    assert "sandbox" in ok.headers["content-security-policy"]
    for n, ref in enumerate(refs):
        if ref != "img/fig.png":
            assert client.get(f"/media/{item['item_id']}/{n}").status_code == 404, ref
    assert client.get(f"/media/{item['item_id']}/99").status_code == 404
    assert client.get("/media/inope/0").status_code == 404
    assert client.get(f"/media/{item['item_id']}/..%2F..%2Fsecret.png").status_code in (404, 422)
    html = client.get(f"/questions/{qid}").text
    assert f'src="/media/{item["item_id"]}/0"' in html
    assert 'src="../secret.png"' not in html and 'src="https://example.com/x.png"' not in html
    assert '<a href="https://example.com/x.png"' in html  # a web image becomes a link, never a load


def test_csrf_is_required_for_every_change(client: TestClient) -> None:
    r = client.post("/settings/script", data={"script": "en"})
    assert r.status_code == 403 and "CSRF" in r.text and "text/html" in r.headers["content-type"]
    token = csrf_of(client.get("/settings").text)
    assert client.post("/settings/script", data={"script": "en", "csrf_token": "x" * 43}).status_code == 403
    ok = client.post("/settings/script", data={"script": "en", "csrf_token": token}, follow_redirects=False)
    assert ok.status_code == 303

    # another browser (no cookie) cannot reuse the token
    stranger = TestClient(client.app, base_url=BASE)
    assert stranger.post("/settings/script", data={"script": "en", "csrf_token": token}).status_code == 403

    # the JSON API: the custom header, or the page's token in a header
    body = {"script": "zh-Hans"}
    denied = client.put("/api/settings", json=body)
    assert denied.status_code == 403 and denied.json()["status"] == 403
    assert client.put("/api/settings", json=body, headers={"X-CSRF-Token": token}).status_code == 200
    assert client.put("/api/settings", json=body, headers=API).status_code == 200
    # a cross-site form can post multipart to the API, but cannot add the header
    assert client.post("/api/import", files={"files": ("a.md", b"Q: x?\nA: y\n")}).status_code == 403


def test_cookie_and_security_headers(client: TestClient) -> None:
    r = TestClient(client.app, base_url=BASE).get("/")
    cookie = r.headers["set-cookie"]
    assert cookie.startswith("coach_session=") and "HttpOnly" in cookie and "SameSite=Strict" in cookie
    csp = r.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp and "unsafe-eval" not in csp
    assert r.headers["x-content-type-options"] == "nosniff" and r.headers["x-frame-options"] == "DENY"
    html = r.text
    assert "<script>" not in html and 'src="/static/app.js"' in html  # no inline script
    assert not re.search(r"<(script|link|img)[^>]+(src|href)=\"(https?:)?//", html)  # nothing from elsewhere


def test_foreign_host_headers_are_refused(client: TestClient) -> None:
    assert client.get("/", headers={"host": "evil.example"}).status_code == 400
    assert client.get("/", headers={"host": "localhost:8000"}).status_code == 200


def test_redirects_stay_on_this_site(client: TestClient) -> None:
    token = csrf_of(client.get("/").text)
    for target in ("https://evil.example/", "//evil.example/", "/\\evil", "javascript:alert(1)"):
        r = client.post("/settings/script", data={"script": "en", "next": target, "csrf_token": token},
                        follow_redirects=False)
        assert r.headers["location"] == "/", target
    assert safe_next("/questions/q1?x=1") == "/questions/q1?x=1"


def test_upload_names_are_sanitised() -> None:
    assert safe_upload_name("../../etc/evil.md") == "evil.md"
    assert safe_upload_name("..\\..\\windows\\evil.txt") == "evil.txt"
    assert safe_upload_name("/abs/path/面试题.markdown") == "面试题.markdown"
    assert safe_upload_name("a<b>|c.md") == "a_b_c.md"
    assert safe_upload_name(".hidden.md") == "hidden.md"
    for bad in ("../../etc/passwd", "..", "notes.exe", ".md", "....md", "", None, "x.md/"):
        try:
            safe_upload_name(bad)
        except Exception as e:  # InvalidInput
            assert "only .md" in str(e)
        else:
            raise AssertionError(f"{bad!r} accepted")


def test_uploads_with_traversal_names_are_stored_under_plain_names(client: TestClient, bank_db: str,
                                                                   coach_home: Path) -> None:
    files = [("files", ("../../escape.md", b"Q: What is escaping?\nA: Leaving a folder.\n", "text/markdown")),
             ("files", ("..\\evil.md", b"Q: What is evil?\nA: Nothing.\n", "text/markdown")),
             ("files", ("../../etc/passwd", b"root:x:0:0\n", "text/plain")),
             ("files", ("image.png", png(), "image/png")),
             ("files", ("binary.md", b"\x00\x01\x02binary", "text/markdown"))]
    r = client.post("/api/import?wait=true", files=files, headers=API)
    assert r.status_code == 202
    job = r.json()
    by_name = {f["name"]: f for f in job["files"]}
    assert by_name["escape.md"]["status"] == "new" and by_name["evil.md"]["status"] == "new"
    assert by_name["../../etc/passwd"]["status"] == "rejected"
    assert by_name["image.png"]["status"] == "rejected"
    assert "binary" in by_name["binary.md"]["error"]
    with Store.open(bank_db) as store:
        names = sorted(s.path for s in store.sources() if s.path.startswith("upload:"))
    assert names == ["upload:escape.md", "upload:evil.md"]
    assert not (coach_home.parent / "escape.md").exists() and not (coach_home / "escape.md").exists()
    assert job["ok"] is False  # some files were refused


def test_upload_size_limit(bank_db: Path, coach_home: Path) -> None:
    app: FastAPI = create_app(bank_db, max_upload_bytes=1000, warm=False)
    with TestClient(app, base_url=BASE) as c:
        big = b"Q: What is big?\nA: " + b"x" * 2000 + b"\n"
        r = c.post("/api/import?wait=true", files={"files": ("big.md", big)}, headers=API)
        f = r.json()["files"][0]
        assert f["status"] == "rejected" and "limit" in f["error"]
        assert not (coach_home / "uploads" / "big.md").exists()
        assert c.post("/api/import", files={"files": ("", b"")}, headers=API).status_code in (400, 422)


def test_a_local_server_refuses_to_listen_beyond_loopback(bank_db: str) -> None:
    with pytest.raises(ConfigError, match="--team"):
        create_app(bank_db, host="0.0.0.0", warm=False)
    team = create_app(bank_db, host="0.0.0.0", team=True, warm=False, run_jobs=False)
    assert team.state.coach.options.allow_paths is False  # no server folders over the network


def test_a_tossed_cookie_and_a_foreign_page_cannot_forge_a_review(client: TestClient, bank_db: str) -> None:
    """A page on another port of 127.0.0.1 can plant cookies; it still cannot post a review."""
    qid = question_of(client, "gradient clipping")
    token = "A" * 43
    form = {"question_id": qid, "rating": "3", "csrf_token": token}
    attacker = TestClient(client.app, base_url=BASE, cookies={"coach_session": token, "coach_csrf": token})
    r = attacker.post("/drill/rate", data=form, headers={"origin": "http://127.0.0.1:9999"}, follow_redirects=False)
    assert r.status_code == 403
    r = attacker.post("/drill/rate", data=form, follow_redirects=False)  # no Origin at all: the token is no session's
    assert r.status_code == 403
    with Store.open(bank_db) as store:
        assert store.reviews.entries(qid) == []


def test_bodies_are_refused_before_they_are_read(client: TestClient) -> None:
    huge = {"content-length": str(1024 ** 3), "content-type": "multipart/form-data; boundary=x"}
    assert client.post("/api/import", content=b"", headers={**huge, "x-coach-client": "t"}).status_code == 413

    def endless() -> Iterator[bytes]:
        for _ in range(200):
            yield b"x" * 65536

    r = client.post("/import/upload", content=endless(), headers={"content-type": "multipart/form-data; boundary=x",
                                                                  "origin": "http://evil.example"})
    assert r.status_code == 403  # refused from its headers, before the 12 MB body was read
    r = client.post("/settings/script", content=endless(), headers={"content-type": "application/x-www-form-urlencoded"})
    assert r.status_code == 413  # a small form route caps its body at 1 MB
