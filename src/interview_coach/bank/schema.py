"""The bank's tables, for SQLite and PostgreSQL alike (SQLAlchemy Core).

Two kinds of data live here:

* the team's: sources, items, canonical questions and their keys, link decisions, embeddings,
  team settings, the job queue and uploaded files — one bank, shared by everyone;
* each user's: reviews, cards, settings, sessions — every row carries `user_id`, and the store
  only ever reads or writes them for one user (see `Store.for_user`).

Times are ISO 8601 UTC text (they sort in time order on both databases). The schema is created
and changed only by the Alembic migrations in `bank/migrations/`; `HEAD` names the newest one,
and a test checks that these tables and the migrated database agree.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    PrimaryKeyConstraint,
    Table,
    Text,
    UniqueConstraint,
)

HEAD = "0005_jobs_mock"  # the newest migration; a bank at this revision needs no migrating
LOCAL_USER = 1  # the one user of a local (single-user) bank

metadata = MetaData()

# -- team data ------------------------------------------------------------------------------------
sources = Table(
    "sources", metadata,
    Column("id", Integer, primary_key=True),
    Column("path", Text, nullable=False, unique=True),
    Column("sha256", Text, nullable=False),
    Column("encoding", Text, nullable=False),
    Column("size", Integer, nullable=False),
    Column("shapes", Text, nullable=False, server_default="[]"),
    Column("notices", Text, nullable=False, server_default="[]"),
    Column("ingested_at", Text, nullable=False),
    Column("hints", Text, nullable=False, server_default="{}"),
)

questions = Table(
    "questions", metadata,
    Column("id", Text, primary_key=True),
    Column("created_at", Text, nullable=False),
)

question_keys = Table(
    "question_keys", metadata,
    Column("id", Integer, primary_key=True),  # registration order: the oldest question of a key wins
    Column("key", Text, nullable=False),
    Column("question_id", Text, ForeignKey("questions.id", ondelete="CASCADE"), nullable=False),
    UniqueConstraint("key", "question_id", name="question_keys_key_question"),
    Index("question_keys_question", "question_id"),
)

items = Table(
    "items", metadata,
    Column("id", Text, primary_key=True),
    Column("source_id", Integer, ForeignKey("sources.id", ondelete="CASCADE"), nullable=False),
    Column("question_id", Text, ForeignKey("questions.id"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("question", Text, nullable=False),
    Column("question_line", Integer, nullable=False),
    Column("line_start", Integer, nullable=False),
    Column("line_end", Integer, nullable=False),
    Column("lang", Text, nullable=False),
    Column("shape", Text, nullable=False),
    Column("number", Integer),
    Column("section", Text),
    Column("title", Text),
    Column("translations", Text, nullable=False, server_default="{}"),
    Column("answer", Text),
    Column("answer_line_start", Integer),
    Column("answer_line_end", Integer),
    Column("explanation", Text),
    Column("explanation_line_start", Integer),
    Column("explanation_line_end", Integer),
    Column("images", Text, nullable=False, server_default="[]"),
    Column("links", Text, nullable=False, server_default="[]"),
    Column("listed_line", Integer),
    Column("norm", Text, nullable=False),
    Index("items_source", "source_id", "position"),
    Index("items_question", "question_id"),
    Index("items_norm", "norm"),
)

embeddings = Table(
    "embeddings", metadata,
    Column("model_id", Text, nullable=False),
    Column("content_hash", Text, nullable=False),
    Column("dim", Integer, nullable=False),
    Column("vector", LargeBinary, nullable=False),
    PrimaryKeyConstraint("model_id", "content_hash"),
)

link_decisions = Table(
    "link_decisions", metadata,
    Column("item_a", Text, nullable=False),
    Column("item_b", Text, nullable=False),
    Column("decision", Text, nullable=False),
    Column("created_at", Text, nullable=False),
    PrimaryKeyConstraint("item_a", "item_b"),
    CheckConstraint("decision IN ('same', 'different')", name="link_decisions_decision"),
)

team_settings = Table(
    "settings", metadata,
    Column("key", Text, primary_key=True),
    Column("value", Text, nullable=False),
)

meta = Table(  # bank-wide counters and flags: content_version, link_pending
    "meta", metadata,
    Column("key", Text, primary_key=True),
    Column("value", Text, nullable=False),
)

jobs = Table(  # long work (ingest, relink, embedding) any worker can take
    "jobs", metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", Text, nullable=False),
    Column("payload", Text, nullable=False, server_default="{}"),
    Column("status", Text, nullable=False, server_default="queued"),
    Column("user_id", Integer, ForeignKey("users.id")),
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("worker", Text),
    Column("heartbeat_at", Text),
    Column("progress", Text),
    Column("result", Text),
    Column("error", Text),
    Column("created_at", Text, nullable=False),
    Column("started_at", Text),
    Column("finished_at", Text),
    CheckConstraint("status IN ('queued', 'running', 'done', 'error')", name="jobs_status"),
    Index("jobs_status", "status", "id"),
)

uploads = Table(  # files imported through the web UI, kept in the bank so any worker can read them
    "uploads", metadata,
    Column("id", Integer, primary_key=True),
    Column("name", Text, nullable=False),
    Column("sha256", Text, nullable=False),
    Column("content", LargeBinary, nullable=False),
    Column("user_id", Integer, ForeignKey("users.id")),
    Column("created_at", Text, nullable=False),
)

# -- users and their data -------------------------------------------------------------------------
users = Table(
    "users", metadata,
    Column("id", Integer, primary_key=True),
    Column("username", Text, nullable=False, unique=True),
    Column("password_hash", Text),
    Column("role", Text, nullable=False),
    Column("disabled", Boolean, nullable=False, server_default="0"),
    Column("created_at", Text, nullable=False),
    CheckConstraint("role IN ('admin', 'editor', 'learner')", name="users_role"),
)

user_settings = Table(
    "user_settings", metadata,
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("key", Text, nullable=False),
    Column("value", Text, nullable=False),
    PrimaryKeyConstraint("user_id", "key"),
)

sessions = Table(
    "sessions", metadata,
    Column("id", Text, primary_key=True),  # SHA-256 of the cookie's token; the token itself is never stored
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("csrf", Text, nullable=False),
    Column("created_at", Text, nullable=False),
    Column("expires_at", Text, nullable=False),
    Index("sessions_user", "user_id"),
)

invites = Table(  # one-time links by which a new member sets their own password
    "invites", metadata,
    Column("id", Text, primary_key=True),  # SHA-256 of the link's token
    Column("username", Text, nullable=False),
    Column("role", Text, nullable=False),
    Column("created_by", Integer, ForeignKey("users.id", ondelete="CASCADE")),
    Column("created_at", Text, nullable=False),
    Column("expires_at", Text, nullable=False),
    Column("used_at", Text),
)

login_attempts = Table(
    "login_attempts", metadata,
    Column("id", Integer, primary_key=True),
    Column("key", Text, nullable=False),  # "user:<name>" or "ip:<address>"
    Column("at", Text, nullable=False),
    Index("login_attempts_key", "key", "at"),
)

reviews = Table(
    "reviews", metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("question_id", Text, ForeignKey("questions.id"), nullable=False),
    Column("rating", Integer, nullable=False),
    Column("reviewed_at", Text, nullable=False),
    Column("score", Float),
    Column("answer", Text),
    Column("duration_ms", Integer),
    Column("client_key", Text),  # a client's id for the review: a retried request is stored once
    CheckConstraint("rating BETWEEN 1 AND 4", name="reviews_rating"),
    UniqueConstraint("user_id", "client_key", name="reviews_user_client_key"),
    CheckConstraint("score IS NULL OR score BETWEEN 0 AND 100", name="reviews_score"),
    CheckConstraint("duration_ms IS NULL OR duration_ms >= 0", name="reviews_duration"),
    Index("reviews_user_question", "user_id", "question_id", "reviewed_at"),
    Index("reviews_user_time", "user_id", "reviewed_at"),
    Index("reviews_question", "question_id"),
)

cards = Table(  # a cache of each user's card state, derived from `reviews`
    "cards", metadata,
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("question_id", Text, ForeignKey("questions.id", ondelete="CASCADE"), nullable=False),
    Column("state", Integer, nullable=False),
    Column("step", Integer),
    Column("stability", Float, nullable=False),
    Column("difficulty", Float, nullable=False),
    Column("due", Text, nullable=False),
    Column("last_review", Text, nullable=False),
    Column("reviews", Integer, nullable=False),
    Column("last_review_id", Integer, nullable=False),
    Column("retention", Float, nullable=False),
    PrimaryKeyConstraint("user_id", "question_id"),
    CheckConstraint("state BETWEEN 1 AND 3", name="cards_state"),
    Index("cards_user_due", "user_id", "due"),
)

# -- topics on the bank (team data) ----------------------------------------------------------------
question_topics = Table(  # automatic tags, derived from a question's text and the taxonomy
    "question_topics", metadata,
    Column("question_id", Text, ForeignKey("questions.id", ondelete="CASCADE"), nullable=False),
    Column("topic", Text, nullable=False),
    Column("score", Float, nullable=False),
    PrimaryKeyConstraint("question_id", "topic"),
    Index("question_topics_topic", "topic"),
)

topic_tagged = Table(  # what each question's automatic tags were computed from
    "topic_tagged", metadata,
    Column("question_id", Text, ForeignKey("questions.id", ondelete="CASCADE"), primary_key=True),
    Column("text_hash", Text, nullable=False),
)

topic_decisions = Table(  # people's edits of the tags; they win over the automatic ones and persist
    "topic_decisions", metadata,
    Column("id", Integer, primary_key=True),
    Column("question_id", Text, ForeignKey("questions.id"), nullable=False),
    Column("topic", Text, nullable=False),
    Column("decision", Text, nullable=False),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="SET NULL")),
    Column("created_at", Text, nullable=False),
    CheckConstraint("decision IN ('add', 'remove')", name="topic_decisions_decision"),
    Index("topic_decisions_question", "question_id"),
)

# -- jobs and mock interviews (each user's) --------------------------------------------------------
job_profiles = Table(
    "job_profiles", metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("title", Text, nullable=False),
    Column("description", Text, nullable=False),
    Column("url", Text),  # provenance only; never fetched
    Column("interview_date", Text),  # YYYY-MM-DD
    Column("lang", Text, nullable=False),
    Column("unmatched", Text, nullable=False, server_default="[]"),
    Column("notes", Text, nullable=False, server_default="[]"),
    Column("created_at", Text, nullable=False),
    Index("job_profiles_user", "user_id"),
)

job_topics = Table(
    "job_topics", metadata,
    Column("job_id", Integer, ForeignKey("job_profiles.id", ondelete="CASCADE"), nullable=False),
    Column("topic", Text, nullable=False),
    Column("must_have", Boolean, nullable=False),
    Column("evidence", Text, nullable=False, server_default="[]"),
    Column("score", Float),
    Column("origin", Text, nullable=False),
    Column("position", Integer, nullable=False),
    PrimaryKeyConstraint("job_id", "topic"),
    CheckConstraint("origin IN ('extracted', 'manual')", name="job_topics_origin"),
)

mock_sessions = Table(
    "mock_sessions", metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("job_id", Integer, ForeignKey("job_profiles.id", ondelete="CASCADE"), nullable=False),
    Column("mode", Text, nullable=False),
    Column("minutes", Integer, nullable=False),
    Column("plan", Text, nullable=False),  # JSON: the questions planned, in order
    Column("before", Text, nullable=False),  # JSON: the readiness map at the start
    Column("after", Text),  # JSON: the readiness map at the end
    Column("status", Text, nullable=False),
    Column("started_at", Text, nullable=False),
    Column("finished_at", Text),
    CheckConstraint("mode IN ('practice', 'interview')", name="mock_sessions_mode"),
    CheckConstraint("status IN ('running', 'finished')", name="mock_sessions_status"),
    Index("mock_sessions_user_job", "user_id", "job_id"),
)

mock_answers = Table(  # every answer given in a mock interview, stored the moment it is given
    "mock_answers", metadata,
    Column("id", Integer, primary_key=True),
    Column("session_id", Integer, ForeignKey("mock_sessions.id", ondelete="CASCADE"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("question_id", Text, ForeignKey("questions.id"), nullable=False),
    Column("topic", Text),
    Column("kind", Text, nullable=False),
    Column("prompt", Text, nullable=False),
    Column("answer", Text, nullable=False),
    Column("score", Float),
    Column("grade", Text),  # JSON of the key points, or NULL: not graded
    Column("note", Text),  # why it was not graded
    Column("review_id", Integer, ForeignKey("reviews.id")),
    Column("duration_ms", Integer),
    Column("answered_at", Text, nullable=False),
    UniqueConstraint("session_id", "position", name="mock_answers_session_position"),
    CheckConstraint("kind IN ('main', 'followup-point', 'followup-related')", name="mock_answers_kind"),
    CheckConstraint("score IS NULL OR score BETWEEN 0 AND 100", name="mock_answers_score"),
)

# Tables whose rows keep a canonical question alive when its last item disappears, and follow
# a question absorbed by linking. Later features register theirs here.
ATTACHMENTS: list[Table] = [reviews, topic_decisions, mock_answers]
