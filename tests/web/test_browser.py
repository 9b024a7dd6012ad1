"""The UI as a person uses it: headless Chromium (the system's /usr/bin/chromium, driven by
Playwright) against a real uvicorn server on a loopback port. Screenshots of each main page go
to the test's tmp dir and to /tmp/coach-screens/."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from interview_coach.bank.store import Store

from .conftest import SCREENS, LiveServer

CHROMIUM = Path("/usr/bin/chromium")

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(),
                                reason="/usr/bin/chromium is missing: run `make system-deps` (Debian's chromium)")

if CHROMIUM.exists():
    from playwright.sync_api import Browser, Page, expect, sync_playwright


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                              args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        yield b
        b.close()


@pytest.fixture
def page(browser: Browser, live_server: LiveServer) -> Iterator[Page]:
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900},
                                  locale="en-US")
    pg = context.new_page()
    pg.set_default_timeout(20_000)
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    pg.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    yield pg
    context.close()
    assert not errors, f"errors in the page: {errors}"


def shot(page: Page, tmp_path: Path, name: str) -> Path:
    path = tmp_path / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    SCREENS.mkdir(parents=True, exist_ok=True)
    shutil.copy(path, SCREENS / path.name)
    return path


def set_script(live_server: LiveServer, script: str) -> None:
    with Store.open(live_server.db) as store:
        store.set_setting("script", script)


def test_library_question_stats_and_settings_pages(page: Page, tmp_path: Path) -> None:
    page.goto("/")
    expect(page.locator("h1")).to_contain_text("Questions")
    expect(page.locator(".qrow")).to_have_count(page.locator(".qrow").count())
    assert page.locator(".qrow").count() >= 30
    shot(page, tmp_path, "library")

    page.get_by_role("link", name="What is gradient clipping and when is it used?").click()
    expect(page.locator("#question-text")).to_contain_text("gradient clipping")
    expect(page.locator(".answer .file").first).to_have_text("evaluation_table_en.md")
    expect(page.locator(".answer .lines").first).to_have_text("line 11")
    shot(page, tmp_path, "question")

    page.goto("/stats")
    expect(page.locator("svg.chart")).to_have_count(5)
    shot(page, tmp_path, "stats")

    page.goto("/settings")
    expect(page.locator("#s-model option")).not_to_have_count(0)
    shot(page, tmp_path, "settings")


def test_search_in_chinese_finds_an_english_sourced_question(page: Page, tmp_path: Path) -> None:
    page.goto("/")
    page.locator("#q").press_sequentially("梯度裁剪", delay=30)
    hit = page.locator("#suggest a", has_text="gradient clipping").first
    expect(hit).to_be_visible()
    shot(page, tmp_path, "search-as-you-type")
    hit.click()
    expect(page.locator("#question-text")).to_contain_text("gradient clipping")
    expect(page.locator(".answer .file").first).to_have_text("evaluation_table_en.md")

    # the same question asked in English and in traditional Chinese is one canonical question
    page.goto("/search?q=" + "什么是混合精度训练")
    first = page.locator("#hits li").first
    expect(first.locator("mark").first).to_be_visible()  # the query's words in the matched variant
    shot(page, tmp_path, "search")
    first.locator("a.qtext").click()
    expect(page.locator(".variants")).to_contain_text("What is mixed-precision training?")
    expect(page.locator(".answer .file", has_text="evaluation_table_en.md")).to_be_visible()


def test_drill_grades_rates_and_stores_the_review(page: Page, live_server: LiveServer, tmp_path: Path) -> None:
    with Store.open(live_server.db) as store:
        qid = next(it.question_id for it in store.items() if it.question.startswith("What is gradient clipping"))
        before = len(store.reviews.entries(qid))
    page.goto(f"/drill?question={qid}")
    expect(page.locator("#drill-question")).to_contain_text("gradient clipping")
    answer = ("When the global L2 norm of the gradients is above a threshold c, every gradient is scaled "
              "by c / norm. This prevents exploding gradients in RNNs.")
    page.locator("#answer").fill(answer)
    page.locator("#answer").press("Control+Enter")
    expect(page.locator("#score")).to_be_visible()
    expect(page.locator("#points .point")).not_to_have_count(0)
    expect(page.locator("#your-answer mark.ev").first).to_be_visible()
    assert page.locator("#points .point.covered").count() >= 1
    proposed = page.locator("#proposed").inner_text()
    shot(page, tmp_path, "drill")

    page.keyboard.press("3")  # Good
    page.wait_for_url("**/questions/**")
    expect(page.locator("#history tbody tr")).to_have_count(before + 1)
    with Store.open(live_server.db) as store:
        rows = [(r.rating, r.score, r.answer) for r in store.reviews.entries(qid)]
    assert len(rows) == before + 1
    rating, score, stored = rows[-1]
    assert rating == 3 and score is not None and score > 0 and stored == answer
    assert proposed in ("Again", "Hard", "Good", "Easy")


def test_drill_queue_page(page: Page, tmp_path: Path) -> None:
    page.goto("/drill")
    expect(page.locator("#drill-question")).to_be_visible()
    page.locator("#reveal").click()
    expect(page.locator("#rate-form")).to_be_visible()
    expect(page.locator("#proposed")).to_have_text("Again")
    page.keyboard.press("4")  # Easy
    expect(page.locator("#saved")).to_contain_text("Easy")
    shot(page, tmp_path, "drill-queue")


def test_upload_of_a_new_file_shows_its_report(page: Page, live_server: LiveServer, tmp_path: Path) -> None:
    doc = tmp_path / "my notes.md"
    doc.write_text("# My notes\n\n## Tokenization\n\n"
                   "Q: What is byte-pair encoding in tokenization?\n"
                   "A: BPE starts from characters and repeatedly merges the most frequent adjacent pair.\n\n"
                   "Q: Why do LLM tokenizers use byte-level fallback?\n"
                   "A: So that any input string can be encoded without unknown tokens.\n\n"
                   "Q: What is a SentencePiece unigram model?\n", encoding="utf-8")
    page.goto("/import")
    page.locator("#files").set_input_files(str(doc))
    page.locator("#upload").click()
    page.wait_for_url("**/import/preview")  # what would be read, before anything is written
    expect(page.locator("#preview")).to_contain_text("Would read 3 questions")
    shot(page, tmp_path, "import-preview")
    page.locator("#confirm").click()
    page.wait_for_url("**/import/jobs/**")
    row = page.locator("#report tbody tr", has_text="my notes.md")
    expect(row).to_contain_text("new", timeout=60_000)
    expect(page.locator("#summary")).to_be_visible()
    cells = row.locator("td")
    expect(cells.nth(4)).to_have_text("3")  # questions
    expect(cells.nth(5)).to_contain_text("2")  # answered
    expect(cells.nth(5)).to_contain_text("1 unanswered")
    shot(page, tmp_path, "import")
    with Store.open(live_server.db) as store:
        assert store.source("upload:my notes.md") is not None  # kept in the bank, under its upload name

    page.goto("/import")
    expect(page.locator("table.sources")).to_contain_text("my notes.md")


def test_script_toggle_switches_simplified_and_traditional(page: Page, live_server: LiveServer,
                                                          tmp_path: Path) -> None:
    with Store.open(live_server.db) as store:
        qid = next(it.question_id for it in store.items() if "縮放點積注意力" in it.question)
    set_script(live_server, "zh-Hant")
    page.goto(f"/questions/{qid}")
    title = page.locator("#question-text")
    expect(title).to_contain_text("縮放點積注意力")
    page.locator("#script-zh-Hans").click()
    expect(title).to_contain_text("缩放点积注意力")
    expect(page.locator("#script-zh-Hans")).to_have_attribute("aria-pressed", "true")
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    shot(page, tmp_path, "question-zh-Hans")
    page.locator("#script-zh-Hant").click()
    expect(title).to_contain_text("縮放點積注意力")
    expect(page.locator("#script-zh-Hant")).to_have_attribute("aria-pressed", "true")
    shot(page, tmp_path, "question-zh-Hant")
