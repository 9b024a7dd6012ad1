"""Jobs and a mock interview as a person does them in headless Chromium: paste a job description,
read the readiness map, run a short mock interview with the timer running, read the report."""

from __future__ import annotations

from pathlib import Path

import pytest

from .test_browser import CHROMIUM, browser, page, shot  # noqa: F401  (fixtures)

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(),
                                reason="/usr/bin/chromium is missing: run `make system-deps` (Debian's chromium)")

if CHROMIUM.exists():
    from playwright.sync_api import Page, expect

JD = (Path(__file__).resolve().parents[1] / "data" / "jobs" / "multimodal_zh_hans.md").read_text(encoding="utf-8")


def test_paste_a_job_see_readiness_run_a_short_mock_and_read_the_report(page: Page, tmp_path: Path) -> None:  # noqa: F811
    page.set_default_timeout(180_000)  # the first job loads the embedding models and tags the bank
    page.goto("/jobs")
    page.fill("#description", JD)
    page.fill("#date", "2027-03-01")
    page.click("#add-job")
    expect(page.locator("#job-title")).to_have_text("多模态算法工程师")
    expect(page.locator("#readiness svg.chart")).to_be_visible()
    expect(page.locator("#readiness-table tbody tr").first).to_be_visible()
    expect(page.locator("#overall")).to_have_text("0%")
    expect(page.locator("#profile")).to_contain_text("Vision-language models")
    shot(page, tmp_path, "job-readiness")

    page.fill("#minutes", "8")
    page.click("#start-mock")
    expect(page.locator("#mock-question")).to_be_visible()
    expect(page.locator("#progress")).to_have_text("Question 1 of 2")
    page.wait_for_timeout(1100)
    expect(page.locator("#timer")).to_contain_text("of 4:00")  # ticking, informative only
    page.fill("#answer", "CLIP trains an image encoder and a text encoder with a contrastive loss on image-text pairs.")
    page.click("#submit-answer")
    expect(page.locator("#score")).to_contain_text("/100")
    shot(page, tmp_path, "mock-feedback")
    if page.locator("#skip-followup").count():
        page.click("#skip-followup")
    else:
        page.click("#next")
    expect(page.locator("#progress")).to_have_text("Question 2 of 2")
    page.fill("#answer", "I would check the literature.")
    page.keyboard.press("Control+Enter")
    expect(page.locator("#score")).to_be_visible()
    page.click("#skip-followup" if page.locator("#skip-followup").count() else "#next")  # nothing left: the report
    expect(page.locator("#report")).to_be_visible()
    expect(page.locator("#report-topics tbody tr").first).to_be_visible()
    expect(page.locator("#study-next li").first).to_be_visible()
    expect(page.locator("#trend tbody tr")).to_have_count(1)
    shot(page, tmp_path, "mock-report")
