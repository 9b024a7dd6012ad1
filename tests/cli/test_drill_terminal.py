"""`coach drill` driven in a pseudo-terminal the way a person uses it: read the question, type
an answer, end it with an empty line, read the grade, accept or override the proposed rating.
Then the bank is checked: one review per rated question, with the rating chosen. And a
session killed (SIGKILL) in the middle of typing loses only the answer being typed.

The real `coach` executable of the venv runs against INTERVIEW_COACH_HOME in tmp; the bank is
the small hand-written one of tests/data/grading_cases.json (own_bank), ingested with
`coach ingest --no-link`."""

from __future__ import annotations

import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pexpect
import pytest

from interview_coach.bank.store import Store
from interview_coach.study import reviews

DATA = Path(__file__).resolve().parents[1] / "data" / "grading_cases.json"
OWN_BANK: dict[str, list[str]] = json.loads(DATA.read_text(encoding="utf-8"))["own_bank"]
COACH = Path(sys.executable).with_name("coach")
TIMEOUT = 240  # a drill process loads two embedding models and builds the grader; the machine may be busy
RATINGS = {"Again": 1, "Hard": 2, "Good": 3, "Easy": 4}

# What a person would type, by a word of the question shown (in the bank's order the first two
# new questions are the traditional-Chinese positional-encoding one and the dropout one).
ANSWERS = {
    "位置编码": ["自注意力本身不区分输入的顺序，打乱词序结果只是跟着重排。",
                 "所以要把位置信息加到词向量上，比如正弦位置编码、可学习的位置向量或 RoPE。"],
    "dropout": ["During training dropout zeroes a random part of the activations, so units cannot co-adapt.",
                "It works like an ensemble of thinned networks; at inference it is switched off."],
}


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "coach-home"


@pytest.fixture
def env(home: Path) -> dict[str, str]:
    e = {k: v for k, v in os.environ.items() if k not in ("INTERVIEW_COACH_DB", "XDG_DATA_HOME")}
    e.update(INTERVIEW_COACH_HOME=str(home), TERM="dumb", NO_COLOR="1", COLUMNS="200", LINES="50",
             PYTHONUNBUFFERED="1")
    return e


@pytest.fixture
def bank(tmp_path: Path, env: dict[str, str], home: Path) -> Path:
    """The small bank ingested with the real executable; returns the bank file."""
    assert COACH.is_file(), f"the coach executable is missing: {COACH}"
    docs = tmp_path / "docs"
    docs.mkdir()
    for name, lines in OWN_BANK.items():
        (docs / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    done = subprocess.run([str(COACH), "ingest", "--no-link", str(docs)], env=env, capture_output=True,
                          text=True, timeout=TIMEOUT)
    assert done.returncode == 0, done.stdout + done.stderr
    db = home / "bank.sqlite3"
    assert db.is_file()
    return db


@pytest.fixture
def spawn(env: dict[str, str], tmp_path: Path) -> Iterator[object]:
    children: list[Any] = []

    def start(*args: str) -> object:
        child = pexpect.spawn(str(COACH), list(args), env=env, cwd=str(tmp_path), encoding="utf-8",
                              timeout=TIMEOUT, dimensions=(50, 200))
        child.logfile_read = open(tmp_path / f"drill-{len(children)}.log", "w", encoding="utf-8")  # noqa: SIM115
        children.append(child)
        return child

    yield start
    for child in children:
        if child.isalive():
            child.kill(signal.SIGKILL)
        child.close(force=True)
        child.logfile_read.close()


def _question(child: object) -> str:
    """Wait for the next question; return its text (the line after the `[n/N]` header)."""
    child.expect(r"\[(\d+)/(\d+)\][^\r\n]*\r\n([^\r\n]+)\r\n")  # type: ignore[attr-defined]
    return child.match.group(3)  # type: ignore[attr-defined]


def _answer_for(question: str) -> list[str]:
    for word, lines in ANSWERS.items():
        if word in question.lower():
            return lines
    raise AssertionError(f"unexpected question shown: {question!r}")


def _type_answer(child: object, lines: list[str]) -> None:
    child.expect_exact("Your answer")  # type: ignore[attr-defined]
    child.expect_exact("> ")  # type: ignore[attr-defined]
    for line in lines:
        child.sendline(line)  # type: ignore[attr-defined]
    child.sendline("")  # type: ignore[attr-defined]  # the empty line ends the answer


def _proposed(child: object) -> tuple[str, str]:
    """Wait for the grade and the rating prompt: (score text, proposed rating)."""
    child.expect(r"Score ([\d.]+)/100")  # type: ignore[attr-defined]
    score = child.match.group(1)  # type: ignore[attr-defined]
    child.expect(r"Rating \[(Again|Hard|Good|Easy)\]")  # type: ignore[attr-defined]
    return score, child.match.group(1)  # type: ignore[attr-defined]


def _reviews(db: Path) -> list[tuple[str, int, float | None, str | None]]:
    conn = sqlite3.connect(str(db))
    try:
        return [tuple(r) for r in conn.execute(  # type: ignore[misc]
            "SELECT question_id, rating, score, answer FROM reviews ORDER BY id")]
    finally:
        conn.close()


def _question_id_of(db: Path, shown: str) -> str:
    with Store.open(db) as store:
        for q in store.questions():
            texts = [t for it in q.items for t in [it.question, *it.translations.values()]]
            if any(_same(shown, t) for t in texts):
                return q.question_id
    raise AssertionError(f"no question in the bank reads {shown!r}")


def _same(shown: str, text: str) -> bool:
    from interview_coach.text.normalize import key

    return key(shown) == key(text)


def test_drill_two_questions_accepting_then_overriding_the_rating(bank: Path, spawn: object) -> None:
    child = spawn("drill", "--new", "2")  # type: ignore[operator]

    # 1: the question is shown in the preferred script (simplified; converted from traditional)
    first = _question(child)
    assert "位置编码" in first and "(converted by OpenCC)" in first, first
    _type_answer(child, _answer_for(first))
    score1, proposed1 = _proposed(child)
    child.sendline("")  # Enter accepts the proposed rating
    child.expect_exact(f"saved: {proposed1}")

    # 2: override the proposal with "1" (Again)
    second = _question(child)
    _type_answer(child, _answer_for(second))
    score2, _ = _proposed(child)
    child.sendline("1")
    child.expect_exact("saved: Again")
    child.expect_exact("2 review(s) saved.")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0

    rows = _reviews(bank)
    assert len(rows) == 2, rows
    q1, q2 = _question_id_of(bank, first.replace("(converted by OpenCC)", "").strip()), _question_id_of(bank, second)
    assert [(r[0], r[1]) for r in rows] == [(q1, RATINGS[proposed1]), (q2, RATINGS["Again"])]
    assert [r[2] for r in rows] == [pytest.approx(float(score1), abs=0.51), pytest.approx(float(score2), abs=0.51)]
    assert rows[0][3] == "\n".join(_answer_for(first))
    assert rows[1][3] == "\n".join(_answer_for(second))
    assert float(score1) >= 35, "a correct answer should not be proposed Again"


def test_killing_the_drill_mid_answer_loses_only_that_answer(bank: Path, spawn: object) -> None:
    child = spawn("drill", "--new", "2")  # type: ignore[operator]
    first = _question(child)
    _type_answer(child, _answer_for(first))
    _, proposed = _proposed(child)
    child.sendline("3")  # Good
    child.expect_exact("saved: Good")

    second = _question(child)
    child.expect_exact("> ")
    child.sendline(_answer_for(second)[0])  # half an answer: no empty line yet
    child.expect_exact("  ")  # the continuation prompt: the process is waiting for more
    child.kill(signal.SIGKILL)
    child.close(force=True)
    assert child.signalstatus == signal.SIGKILL

    rows = _reviews(bank)
    q1 = _question_id_of(bank, first.replace("(converted by OpenCC)", "").strip())
    assert [(r[0], r[1]) for r in rows] == [(q1, 3)], rows

    conn = sqlite3.connect(str(bank))
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        n, last = conn.execute("SELECT reviews, last_review_id FROM cards WHERE question_id = ?", (q1,)).fetchone()
        assert (n, last) == (1, conn.execute("SELECT MAX(id) FROM reviews").fetchone()[0])
    finally:
        conn.close()
    with Store.open(bank) as store:  # the library reads the bank as usual afterwards
        now = datetime.now(UTC)
        card = reviews.card(store, q1, now)
        assert card.last_review is not None
        q2 = _question_id_of(bank, second)
        assert reviews.history(store, q2) == []
        assert q2 in reviews.due(store, now, new=10)

    # and the next session starts normally, with the unfinished question still new
    again = spawn("drill", "--new", "1")  # type: ignore[operator]
    shown = _question(again)
    assert _question_id_of(bank, shown) == q2
    again.expect_exact("> ")
    again.sendline(":q")
    again.expect_exact("0 review(s) saved.")
    again.expect(pexpect.EOF)


def test_ctrl_d_at_the_answer_prompt_ends_the_session_cleanly(bank: Path, spawn: object) -> None:
    child = spawn("drill", "--new", "1")  # type: ignore[operator]
    _question(child)
    child.expect_exact("> ")
    child.sendeof()
    child.expect(re.escape("0 review(s) saved."))
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert _reviews(bank) == []
