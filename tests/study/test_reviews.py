"""The review log on a real bank (SQLite, or PostgreSQL under COACH_TEST_DB): record, card, due, history, stats, and
history that survives a question leaving the bank and coming back."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import event
from sqlalchemy.exc import IntegrityError
from tests.dbutil import sql

from interview_coach.bank.schema import ATTACHMENTS
from interview_coach.bank.schema import reviews as reviews_table
from interview_coach.bank.store import Store
from interview_coach.errors import NotFound
from interview_coach.ingest.pipeline import ingest_paths
from interview_coach.study import reviews
from interview_coach.study.scheduler import CardState, Rating, ReviewEntry, State, rebuild, review

T0 = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)
MIN = timedelta(minutes=1)
DAY = timedelta(days=1)

QA = {
    "perplexity": "Q: What does perplexity measure?\nA: How surprised the model is by held-out text.\n",
    "imbalance": "Q: Why is accuracy misleading on imbalanced data?\nA: A majority-class model scores high.\n",
    "dropout": "Q: What is dropout?\nA: Randomly zeroing activations during training.\n",
    "kv": "Q: What does the KV cache store?\nA: Keys and values of past tokens, so decoding reuses them.\n",
}


def write_bank(path: Path, names: list[str]) -> None:
    path.write_text("# Notes\n\n" + "\n".join(QA[n] for n in names), encoding="utf-8")


@pytest.fixture
def store(db_path: str) -> Iterator[Store]:
    s = Store.open(db_path)
    yield s
    s.close()


@pytest.fixture
def qids(store: Store, tmp_path: Path) -> dict[str, str]:
    """Ingest the small bank; name -> canonical question id."""
    doc = tmp_path / "notes.md"
    write_bank(doc, list(QA))
    assert ingest_paths(store, [doc]).ok
    by_text = {it.question: it.question_id for it in store.items()}
    ids = {name: by_text[text.splitlines()[0].removeprefix("Q: ")] for name, text in QA.items()}
    assert len(set(ids.values())) == len(QA)
    return ids


def log_rows(store: Store) -> list[tuple[object, ...]]:
    return sql(store, "SELECT * FROM reviews ORDER BY id")


# -- schema -----------------------------------------------------------------------------------
def test_reviews_are_attachments(store: Store) -> None:
    assert reviews_table in ATTACHMENTS  # they keep a question alive and follow it when linking merges


def test_rating_check_constraint(store: Store, qids: dict[str, str]) -> None:
    with pytest.raises(IntegrityError):
        sql(store, "INSERT INTO reviews (user_id, question_id, rating, reviewed_at) VALUES (1, :q, 5, :t)",
            q=qids["dropout"], t=T0.isoformat())


# -- record / card / history ------------------------------------------------------------------
def test_record_matches_the_pure_scheduler(store: Store, qids: dict[str, str]) -> None:
    q = qids["perplexity"]
    expected, entries = CardState.new(q, T0), []
    for k, (rating, at) in enumerate([(Rating.Good, T0), (Rating.Good, T0 + 10 * MIN), (Rating.Hard, T0 + 3 * DAY)]):
        expected, entry = review(expected, rating, at, score=10.0 * k, answer=f"answer {k}", duration_ms=1000 * k)
        entries.append(entry)
        got = reviews.record(store, q, rating, at, score=10.0 * k, answer=f"answer {k}", duration_ms=1000 * k)
        assert got == expected
        assert reviews.card(store, q, at) == expected
    assert reviews.history(store, q) == entries
    assert rebuild(q, entries) == expected
    row = sql(store, "SELECT reviewed_at, score, answer, duration_ms FROM reviews ORDER BY id DESC")[0]
    assert row == ("2025-01-09T09:00:00.000000+00:00", 20.0, "answer 2", 2000)


def test_card_of_a_question_never_reviewed(store: Store, qids: dict[str, str]) -> None:
    assert reviews.card(store, qids["kv"], T0) == CardState.new(qids["kv"], T0)
    assert reviews.history(store, qids["kv"]) == []
    assert sql(store, "SELECT COUNT(*) FROM cards") == [(0,)]


def test_unknown_question(store: Store, qids: dict[str, str]) -> None:
    for call in (lambda: reviews.record(store, "qnope", Rating.Good, T0),
                 lambda: reviews.card(store, "qnope", T0),
                 lambda: reviews.history(store, "qnope")):
        with pytest.raises(NotFound):
            call()
    assert log_rows(store) == []


def test_bad_times_write_nothing(store: Store, qids: dict[str, str]) -> None:
    q = qids["dropout"]
    reviews.record(store, q, Rating.Good, T0)
    before = log_rows(store)
    with pytest.raises(ValueError, match="UTC"):
        reviews.record(store, q, Rating.Good, datetime(2025, 1, 7, 9, 0))
    with pytest.raises(ValueError, match="precedes"):
        reviews.record(store, q, Rating.Good, T0 - DAY)
    with pytest.raises(ValueError, match="UTC"):
        reviews.due(store, datetime(2025, 1, 7))
    assert log_rows(store) == before
    assert store.tx.current is None


def test_cache_is_rebuilt_when_missing_or_inconsistent(store: Store, qids: dict[str, str]) -> None:
    q = qids["imbalance"]
    for rating, at in [(Rating.Good, T0), (Rating.Good, T0 + 10 * MIN), (Rating.Good, T0 + 2 * DAY)]:
        final = reviews.record(store, q, rating, at)
    now = T0 + 3 * DAY
    sql(store, "DELETE FROM cards")
    assert reviews.card(store, q, now) == final
    sql(store, "UPDATE cards SET reviews = 99, due = '2099-01-01T00:00:00.000000+00:00'")
    assert reviews.card(store, q, now) == final
    # a review written by someone else (another process, an older version) is picked up
    sql(store, "INSERT INTO reviews (user_id, question_id, rating, reviewed_at) VALUES (1, :q, 1, :t)",
        q=q, t=(T0 + 5 * DAY).isoformat(timespec="microseconds"))
    assert reviews.card(store, q, now).state is State.Relearning
    assert reviews.card(store, q, now) == rebuild(q, reviews.history(store, q))
    # a card whose reviews were all moved away is dropped from the cache
    sql(store, "INSERT INTO cards SELECT user_id, :k, state, step, stability, difficulty, due, last_review, reviews, "
        "last_review_id, retention FROM cards WHERE question_id = :q", k=qids["kv"], q=q)
    assert reviews.due(store, now + 365 * DAY) == [q]
    assert sql(store, "SELECT question_id FROM cards") == [(q,)]


def test_merged_questions_share_one_history(store: Store, qids: dict[str, str]) -> None:
    """Linking moves the log rows of a merged question (schema.ATTACHMENTS); the cards follow."""
    a, b = qids["perplexity"], qids["dropout"]
    reviews.record(store, a, Rating.Good, T0)
    reviews.record(store, b, Rating.Again, T0 + 5 * MIN)
    reviews.record(store, a, Rating.Good, T0 + 10 * MIN)
    sql(store, "UPDATE reviews SET question_id = :a WHERE question_id = :b", a=a, b=b)  # what linking does
    merged = reviews.card(store, a, T0 + DAY)
    assert [e.rating for e in reviews.history(store, a)] == [Rating.Good, Rating.Again, Rating.Good]
    assert merged == rebuild(a, reviews.history(store, a))
    assert merged.state is State.Learning  # the Again reset the learning steps
    assert reviews.card(store, b, T0 + DAY) == CardState.new(b, T0 + DAY)


def test_retention_setting(store: Store, qids: dict[str, str]) -> None:
    q = qids["kv"]
    reviews.record(store, q, Rating.Good, T0)
    at90 = reviews.record(store, q, Rating.Good, T0 + 10 * MIN)
    assert at90.due == T0 + 10 * MIN + 2 * DAY
    store.set_setting("retention", "0.8")
    at80 = reviews.card(store, q, T0 + DAY)
    assert at80.due == T0 + 10 * MIN + 8 * DAY
    assert (at80.stability, at80.difficulty) == (at90.stability, at90.difficulty)
    assert reviews.card(store, q, T0 + DAY, retention=0.9) == at90
    assert reviews.rebuild_all(store) == 1
    assert reviews.card(store, q, T0 + DAY) == at80
    assert reviews.due(store, T0 + 3 * DAY) == []
    assert reviews.due(store, T0 + 3 * DAY, retention=0.9) == [q]


# -- due ----------------------------------------------------------------------------------------
def test_due_orders_due_cards_then_new(store: Store, qids: dict[str, str]) -> None:
    p, i, d, k = qids["perplexity"], qids["imbalance"], qids["dropout"], qids["kv"]
    reviews.record(store, i, Rating.Again, T0)  # due T0 + 1 min
    reviews.record(store, p, Rating.Hard, T0)  # due T0 + 5.5 min
    reviews.record(store, d, Rating.Easy, T0)  # due T0 + 8 days
    assert reviews.due(store, T0) == []
    now = T0 + 10 * MIN
    assert reviews.due(store, now) == [i, p]
    assert reviews.due(store, now, 1) == [i]
    assert reviews.due(store, now, 0, new=5) == []
    assert reviews.due(store, now, new=5) == [i, p, k]  # new ones in bank order
    assert reviews.due(store, now, 3, new=5) == [i, p, k]
    assert reviews.due(store, T0 + 9 * DAY, new=1) == [i, p, d, k]
    # a chosen set: restricts due cards, orders new questions
    assert reviews.due(store, now, question_ids=[k, p], new=5) == [p, k]
    assert reviews.due(store, now, question_ids=[k, d, k], new=5) == [k]
    assert reviews.due(store, now, question_ids=[], new=5) == []
    with pytest.raises(ValueError):
        reviews.due(store, now, -1)
    with pytest.raises(ValueError):
        reviews.due(store, now, new=-1)


# -- stats --------------------------------------------------------------------------------------
def test_stats(store: Store, qids: dict[str, str]) -> None:
    p, i, d, k = qids["perplexity"], qids["imbalance"], qids["dropout"], qids["kv"]
    empty = reviews.stats(store, T0)
    assert (empty["due_now"], empty["new"], empty["reviews"], empty["true_retention"]) == (0, 4, 0, None)

    reviews.record(store, p, Rating.Good, T0)
    reviews.record(store, p, Rating.Good, T0 + 10 * MIN)  # Review, due 2025-01-08 09:10
    reviews.record(store, i, Rating.Good, T0)
    reviews.record(store, i, Rating.Again, T0 + 20 * MIN)  # Learning step 0, due 09:21 on the 6th
    reviews.record(store, d, Rating.Easy, T0 - 2 * DAY)  # Review, due 2025-01-12 09:00
    s = reviews.stats(store, datetime(2025, 1, 7, 12, 0, tzinfo=UTC))

    assert s["due_now"] == 1
    assert s["new"] == 1
    assert s["forecast"] == [{"date": f"2025-01-{day:02d}", "due": n}
                             for day, n in [(7, 0), (8, 1), (9, 0), (10, 0), (11, 0), (12, 1), (13, 0)]]
    per_day = s["reviews_per_day"]
    assert len(per_day) == 30 and per_day[0]["date"] == "2024-12-09" and per_day[-1]["date"] == "2025-01-07"
    assert {x["date"]: x["reviews"] for x in per_day if x["reviews"]} == {"2025-01-04": 1, "2025-01-06": 4}
    assert s["reviews"] == 5
    assert (s["retention_reviews"], s["true_retention"]) == (2, 0.5)  # p's Good and i's Again
    assert s["by_state"] == {"new": 1, "learning": 1, "review": 2, "relearning": 0}
    assert s["detached"] == 0
    assert s["desired_retention"] == 0.9
    assert k not in reviews.due(store, datetime(2025, 1, 7, 12, 0, tzinfo=UTC))


# -- history outlives the text ----------------------------------------------------------------
def test_reviews_survive_a_question_leaving_and_returning(store: Store, qids: dict[str, str], tmp_path: Path) -> None:
    doc = tmp_path / "notes.md"
    gone = qids["imbalance"]
    first = reviews.record(store, gone, Rating.Good, T0, score=80.0, answer="majority class", duration_ms=30_000)

    write_bank(doc, ["perplexity", "dropout", "kv"])  # the question is edited out of the file
    report = ingest_paths(store, [doc])
    assert report.ok and report.files[0].sync is not None and report.files[0].sync.removed == 1
    assert sql(store, "SELECT COUNT(*) FROM items WHERE question_id = :q", q=gone) == [(0,)]
    assert sql(store, "SELECT 1 FROM questions WHERE id = :q", q=gone) == [(1,)]
    assert reviews.history(store, gone) == [
        ReviewEntry(gone, Rating.Good, T0, score=80.0, answer="majority class", duration_ms=30_000)]
    later = T0 + 30 * DAY
    assert reviews.card(store, gone, later) == first
    assert gone not in reviews.due(store, later, new=10)  # no text to drill it with ...
    s = reviews.stats(store, later)
    assert (s["detached"], s["due_now"], s["new"]) == (1, 0, 3)  # ... but it is not forgotten

    write_bank(doc, list(QA))  # the question comes back
    assert ingest_paths(store, [doc]).ok
    assert {it.question_id for it in store.items()} == set(qids.values())
    assert reviews.due(store, later, new=10)[0] == gone  # due (not new), so first
    assert reviews.card(store, gone, later) == first
    assert len(reviews.history(store, gone)) == 1
    assert reviews.stats(store, later)["detached"] == 0


def test_the_log_is_never_updated_or_deleted(store: Store, qids: dict[str, str]) -> None:
    statements: list[str] = []

    def trace(conn: object, cursor: object, statement: str, *args: object) -> None:
        statements.append(statement)

    q = qids["dropout"]
    reviews.record(store, q, Rating.Good, T0)
    sql(store, "DELETE FROM cards")
    event.listen(store.tx.engine, "before_cursor_execute", trace)
    try:
        reviews.record(store, q, Rating.Again, T0 + DAY)
        reviews.card(store, q, T0 + 2 * DAY)
        reviews.due(store, T0 + 2 * DAY, 10, new=2)
        reviews.rebuild_all(store, 0.85)
        reviews.stats(store, T0 + 2 * DAY)
        reviews.history(store, q)
    finally:
        event.remove(store.tx.engine, "before_cursor_execute", trace)
    ours = statements
    assert any(re.match(r"\s*INSERT INTO reviews", s) for s in ours)
    writes = re.compile(r"\b(UPDATE|DELETE\s+FROM|REPLACE\s+INTO|DROP\s+TABLE)\s+reviews\b", re.I)
    touching = [s for s in ours if writes.search(s)]
    assert touching == []
    assert len(log_rows(store)) == 2
