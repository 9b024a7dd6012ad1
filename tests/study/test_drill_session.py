"""The drill session (library): the queue, grading, the proposed rating and the reviews it
records, with a fixed clock on a real SQLite bank holding a small hand-written bank."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from tests.dbutil import sql

from interview_coach.bank.store import Store
from interview_coach.ingest.pipeline import ingest_paths
from interview_coach.study import reviews
from interview_coach.study.drill import DrillOptions, Session, propose
from interview_coach.study.grading import Grade
from interview_coach.study.scheduler import Rating, State

DATA = Path(__file__).resolve().parents[1] / "data" / "grading_cases.json"
OWN_BANK: dict[str, list[str]] = json.loads(DATA.read_text(encoding="utf-8"))["own_bank"]
T0 = datetime(2025, 3, 3, 8, 30, tzinfo=UTC)

UNANSWERED = "# Later\n\n1. What is speculative decoding?\n2. What is a mixture of experts?\n"


@pytest.fixture
def store(tmp_path: Path, db_path: str) -> Iterator[Store]:
    docs = tmp_path / "docs"
    docs.mkdir()
    for name, lines in OWN_BANK.items():
        (docs / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    (docs / "zz_open_questions.md").write_text(UNANSWERED, encoding="utf-8")
    s = Store.open(db_path)
    assert ingest_paths(s, [docs]).ok
    yield s
    s.close()


class Clock:
    """A clock the test moves by hand (UTC)."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def _answered_in_bank_order(store: Store) -> list[str]:
    return [q.question_id for q in store.questions() if any(it.answer for it in q.items)]


def _rows(store: Store) -> list[tuple[object, ...]]:
    return sql(store, "SELECT question_id, rating, reviewed_at, score, answer, duration_ms FROM reviews ORDER BY id")


@pytest.mark.parametrize(("score", "rating"), [
    (None, Rating.Again), (0, Rating.Again), (34, Rating.Again), (34.9, Rating.Again),
    (35, Rating.Hard), (59.9, Rating.Hard), (60, Rating.Good), (84.9, Rating.Good),
    (85, Rating.Easy), (100, Rating.Easy),
])
def test_propose_maps_a_score_to_a_rating(score: float | None, rating: Rating) -> None:
    assert propose(score) is rating  # type: ignore[arg-type]


def test_propose_is_monotonic() -> None:
    ratings = [propose(s) for s in range(0, 101)]
    assert ratings == sorted(ratings)
    assert ratings[0] is Rating.Again and ratings[-1] is Rating.Easy


def test_start_queues_new_answered_questions_in_bank_order(store: Store) -> None:
    session = Session(store, DrillOptions(new=2), clock=Clock(T0))
    queue = session.start()
    assert queue == _answered_in_bank_order(store)[:2]
    assert session.queue == queue
    everything = Session(store, DrillOptions(new=50), clock=Clock(T0)).start()
    assert everything == _answered_in_bank_order(store)
    unanswered = {q.question_id for q in store.questions() if not any(it.answer for it in q.items)}
    assert len(unanswered) == 2 and not unanswered & set(everything)


def test_filters_and_limit(store: Store) -> None:
    def start(**kw: object) -> list[str]:
        return Session(store, DrillOptions(**kw), clock=Clock(T0)).start()  # type: ignore[arg-type]

    inference = start(topic="Inference", new=10)
    assert [store.question(q).primary.question.split()[0] for q in inference] == ["What", "How"]
    assert all(store.question(q).primary.section == "Inference" for q in inference)
    zh = start(lang="zh-Hans", new=10)
    assert len(zh) == 4 and all(store.question(q).primary.lang == "zh-Hans" for q in zh)
    assert len(start(source="ml_notes_en", new=10)) == 4
    assert start(new=10, limit=3) == _answered_in_bank_order(store)[:3]
    assert start(new=0) == []


def test_grade_rate_records_reviews_with_the_clock(store: Store) -> None:
    clock = Clock(T0)
    session = Session(store, DrillOptions(new=2), clock=clock)
    first, second = session.start()

    answer = "自注意力不区分顺序，所以要把位置信息加到词向量上，例如正弦位置编码或 RoPE。"
    g = session.grade(first, answer)
    assert isinstance(g, Grade) and 0 <= g.score <= 100
    grader = session.grader
    card = session.rate(first, propose(g.score), score=g.score, answer=answer, duration_ms=42_000)
    assert card.question_id == first and card.last_review == T0 and card.state is not State.New

    clock.now = T0 + timedelta(minutes=3)
    g2 = session.grade(second, "No idea.")
    assert session.grader is grader, "the grader (and its comparison set) is built once per session"
    session.rate(second, Rating.Again, score=g2.score, answer="No idea.", duration_ms=5_000)

    rows = _rows(store)
    assert rows == [
        (first, int(propose(g.score)), "2025-03-03T08:30:00.000000+00:00", g.score, answer, 42_000),
        (second, int(Rating.Again), "2025-03-03T08:33:00.000000+00:00", g2.score, "No idea.", 5_000),
    ]
    assert [e.rating for e in reviews.history(store, second)] == [Rating.Again]


def test_a_revealed_answer_is_recorded_without_score_or_text(store: Store) -> None:
    session = Session(store, DrillOptions(new=1), clock=Clock(T0))
    (qid,) = session.start()
    session.rate(qid, propose(None), score=None, answer=None, duration_ms=None)
    assert _rows(store) == [(qid, int(Rating.Again), "2025-03-03T08:30:00.000000+00:00", None, None, None)]


def test_rated_questions_come_back_when_due_and_new_ones_follow(store: Store) -> None:
    clock = Clock(T0)
    session = Session(store, DrillOptions(new=2), clock=clock)
    first, second = session.start()
    session.rate(first, Rating.Good, score=70, answer="…", duration_ms=1000)
    session.rate(second, Rating.Again, score=10, answer="…", duration_ms=1000)
    order = _answered_in_bank_order(store)

    # half a minute later nothing rated is due yet (Again: 1 min, Good: 10 min): new questions come
    clock.now = T0 + timedelta(seconds=30)
    assert session.start() == order[2:4]
    # the next day both are due, most overdue first, before any new question
    clock.now = T0 + timedelta(days=1)
    queue = session.start()
    assert set(queue[:2]) == {first, second}
    assert queue[2:] == order[2:4]
    due = {q: reviews.card(store, q, clock.now).due for q in (first, second)}
    assert queue[:2] == sorted(due, key=lambda q: (due[q], q))


def test_rate_rejects_a_clock_that_is_not_utc_and_writes_nothing(store: Store) -> None:
    local = datetime(2025, 3, 3, 9, 30, tzinfo=timezone(timedelta(hours=1)))
    session = Session(store, DrillOptions(new=1), clock=Clock(T0))
    (qid,) = session.start()
    session.clock = Clock(local)
    with pytest.raises(ValueError, match="UTC"):
        session.rate(qid, Rating.Good, score=None, answer=None, duration_ms=None)
    assert _rows(store) == []


def test_rating_an_earlier_time_than_the_last_review_is_refused(store: Store) -> None:
    clock = Clock(T0)
    session = Session(store, DrillOptions(new=1), clock=clock)
    (qid,) = session.start()
    session.rate(qid, Rating.Good, score=None, answer=None, duration_ms=None)
    clock.now = T0 - timedelta(seconds=1)
    with pytest.raises(ValueError, match="precedes"):
        session.rate(qid, Rating.Good, score=None, answer=None, duration_ms=None)
    assert len(_rows(store)) == 1
