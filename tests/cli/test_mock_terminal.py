"""`coach mock` driven in a pseudo-terminal as a person would: read each question, type an answer,
end it with an empty line, answer a follow-up, read the report. Then the bank is checked: one
review per main question, every answer stored. And a session killed midway keeps what was said.

The real `coach` executable runs against INTERVIEW_COACH_HOME in tmp, on the bundled sample bank
(ingested with --no-link) and a job description written for the tests."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pexpect
import pytest

from interview_coach.config import sample_bank_dir

COACH = Path(sys.executable).with_name("coach")
JOB = Path(__file__).resolve().parents[1] / "data" / "jobs" / "llm_engineer_en.md"
TIMEOUT = 240  # loads embedding models and builds the grader; the machine may be busy
HEADER = r"\[(\d)/(\d)\][^\r\n]*\r\n"


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    e = {k: v for k, v in os.environ.items() if k not in ("INTERVIEW_COACH_DB", "XDG_DATA_HOME")}
    e.update(INTERVIEW_COACH_HOME=str(tmp_path / "home"), TERM="dumb", NO_COLOR="1", COLUMNS="200", LINES="50",
             PYTHONUNBUFFERED="1")
    return e


@pytest.fixture
def bank(env: dict[str, str], tmp_path: Path) -> Path:
    for args in (["ingest", "--no-link", str(sample_bank_dir())], ["job", "add", str(JOB), "--date", "2027-01-15"]):
        done = subprocess.run([str(COACH), *args], env=env, capture_output=True, text=True, timeout=TIMEOUT)
        assert done.returncode == 0, done.stdout + done.stderr
    return tmp_path / "home" / "bank.sqlite3"


@pytest.fixture
def spawn(env: dict[str, str], tmp_path: Path) -> Iterator[Any]:
    children: list[Any] = []

    def start(*args: str) -> Any:
        child = pexpect.spawn(str(COACH), list(args), env=env, cwd=str(tmp_path), encoding="utf-8", timeout=TIMEOUT,
                              dimensions=(50, 200))
        child.logfile_read = open(tmp_path / f"mock-{len(children)}.log", "w", encoding="utf-8")  # noqa: SIM115
        children.append(child)
        return child

    yield start
    for child in children:
        if child.isalive():
            child.kill(signal.SIGKILL)
        child.close(force=True)
        child.logfile_read.close()


def _say(child: Any, *lines: str) -> None:
    child.expect_exact("> ")
    for line in lines:
        child.sendline(line)
    child.sendline("")  # the empty line ends the answer


def _rows(db: Path, sql: str) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(str(db))
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def test_a_three_question_mock_with_a_follow_up(bank: Path, spawn: Any) -> None:
    child = spawn("mock", "--job", "1", "--minutes", "12", "--mode", "practice")
    child.expect(r"Mock interview 1.* 3 question\(s\)")
    child.expect(HEADER)
    assert child.match.group(1, 2) == ("1", "3")
    _say(child, "I am not sure, I only know the name.")
    child.expect(r"Score (\d+)/100")
    child.expect(r"Follow-up:[^\r\n]*what about")  # from a key point the answer missed
    _say(child, "It is about efficiency: fewer parameters are trained, so it costs less memory.")
    child.expect(r"⏱ \d+:\d\d of 2:00")  # the timer informs (half the time for a follow-up); nothing is cut off
    child.expect(r"Score \d+/100")
    shown = ["1"]
    while True:  # the two other questions; a second follow-up, if one comes, is skipped with Enter
        event = child.expect([HEADER, r"Follow-up[^\r\n]*\r\n", r"# Mock interview 1"])
        if event == 0:
            shown.append(child.match.group(1))
            _say(child, "A thorough answer would mention the main idea, how it is trained, and its trade-offs.")
            child.expect(r"Score \d+/100")
        elif event == 1:
            _say(child)
        else:
            break
    assert shown == ["1", "2", "3"]
    child.expect(r"## By topic")
    child.expect(r"## What to study next")
    child.expect(r"## Trend for this job")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    reviews = _rows(bank, "SELECT question_id FROM reviews ORDER BY id")
    answers = _rows(bank, "SELECT kind, question_id FROM mock_answers ORDER BY position")
    main = [q for k, q in answers if k == "main"]
    assert len(reviews) == 3 and [q for (q,) in reviews] == main
    assert [k for k, _ in answers].count("followup-point") == 1  # the skipped one is not stored
    assert _rows(bank, "SELECT status FROM mock_sessions") == [("finished",)]


def test_a_session_killed_midway_keeps_every_answer_given(bank: Path, spawn: Any) -> None:
    child = spawn("mock", "--job", "1", "--minutes", "12", "--mode", "interview")
    child.expect(r"no feedback until the end")
    child.expect(HEADER)
    _say(child, "LoRA trains a low-rank update of frozen weights, so few parameters change.")
    child.expect_exact("answer saved")  # interview mode: no score shown
    if child.expect([HEADER, r"Follow-up"]) == 1:
        _say(child, "The update can be merged into the weights after training.")
        child.expect_exact("answer saved")
        child.expect(HEADER)
    assert child.match.group(1) == "2"
    child.expect_exact("> ")
    child.sendline("half an answer, still typing")
    child.expect_exact("  ")
    child.kill(signal.SIGKILL)
    child.close(force=True)

    answers = _rows(bank, "SELECT kind, answer FROM mock_answers ORDER BY position")
    assert answers[0] == ("main", "LoRA trains a low-rank update of frozen weights, so few parameters change.")
    assert len(_rows(bank, "SELECT id FROM reviews")) == 1
    assert _rows(bank, "SELECT status FROM mock_sessions") == [("running",)]
    assert _rows(bank, "PRAGMA integrity_check") == [("ok",)]

    report = spawn("mock", "report", "1")
    report.expect(r"Answered 1 of 3 planned questions — stopped early")
    report.expect(pexpect.EOF)

    again = spawn("mock", "--resume", "1")
    again.expect(HEADER)
    assert again.match.group(1) == "2"
    again.expect_exact("> ")
    again.sendline(":q")
    again.expect(r"stopped — every answer given so far is kept")
    again.expect(pexpect.EOF)
    assert _rows(bank, "SELECT status FROM mock_sessions") == [("finished",)]
