"""Topics on the bank (automatic tags, people's tag edits), job profiles and mock interviews.

Revision ID: 0005_jobs_mock

New tables only: no existing row changes. Automatic topic tags are computed on first use.
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_jobs_mock"
down_revision = "0004_team"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "question_topics",
        sa.Column("question_id", sa.Text, sa.ForeignKey("questions.id", ondelete="CASCADE"), nullable=False),
        sa.Column("topic", sa.Text, nullable=False),
        sa.Column("score", sa.Float, nullable=False),
        sa.PrimaryKeyConstraint("question_id", "topic"),
    )
    op.create_index("question_topics_topic", "question_topics", ["topic"])
    op.create_table(
        "topic_tagged",
        sa.Column("question_id", sa.Text, sa.ForeignKey("questions.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("text_hash", sa.Text, nullable=False),
    )
    op.create_table(
        "topic_decisions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("question_id", sa.Text, sa.ForeignKey("questions.id"), nullable=False),
        sa.Column("topic", sa.Text, nullable=False),
        sa.Column("decision", sa.Text, nullable=False),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="SET NULL")),
        sa.Column("created_at", sa.Text, nullable=False),
        sa.CheckConstraint("decision IN ('add', 'remove')", name="topic_decisions_decision"),
    )
    op.create_index("topic_decisions_question", "topic_decisions", ["question_id"])
    op.create_table(
        "job_profiles",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("url", sa.Text),
        sa.Column("interview_date", sa.Text),
        sa.Column("lang", sa.Text, nullable=False),
        sa.Column("unmatched", sa.Text, nullable=False, server_default="[]"),
        sa.Column("notes", sa.Text, nullable=False, server_default="[]"),
        sa.Column("created_at", sa.Text, nullable=False),
    )
    op.create_index("job_profiles_user", "job_profiles", ["user_id"])
    op.create_table(
        "job_topics",
        sa.Column("job_id", sa.Integer, sa.ForeignKey("job_profiles.id", ondelete="CASCADE"), nullable=False),
        sa.Column("topic", sa.Text, nullable=False),
        sa.Column("must_have", sa.Boolean, nullable=False),
        sa.Column("evidence", sa.Text, nullable=False, server_default="[]"),
        sa.Column("score", sa.Float),
        sa.Column("origin", sa.Text, nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("job_id", "topic"),
        sa.CheckConstraint("origin IN ('extracted', 'manual')", name="job_topics_origin"),
    )
    op.create_table(
        "mock_sessions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
        sa.Column("job_id", sa.Integer, sa.ForeignKey("job_profiles.id", ondelete="CASCADE"), nullable=False),
        sa.Column("mode", sa.Text, nullable=False),
        sa.Column("minutes", sa.Integer, nullable=False),
        sa.Column("plan", sa.Text, nullable=False),
        sa.Column("before", sa.Text, nullable=False),
        sa.Column("after", sa.Text),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("started_at", sa.Text, nullable=False),
        sa.Column("finished_at", sa.Text),
        sa.CheckConstraint("mode IN ('practice', 'interview')", name="mock_sessions_mode"),
        sa.CheckConstraint("status IN ('running', 'finished')", name="mock_sessions_status"),
    )
    op.create_index("mock_sessions_user_job", "mock_sessions", ["user_id", "job_id"])
    op.create_table(
        "mock_answers",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("session_id", sa.Integer, sa.ForeignKey("mock_sessions.id", ondelete="CASCADE"), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("question_id", sa.Text, sa.ForeignKey("questions.id"), nullable=False),
        sa.Column("topic", sa.Text),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("prompt", sa.Text, nullable=False),
        sa.Column("answer", sa.Text, nullable=False),
        sa.Column("score", sa.Float),
        sa.Column("grade", sa.Text),
        sa.Column("note", sa.Text),
        sa.Column("review_id", sa.Integer, sa.ForeignKey("reviews.id")),
        sa.Column("duration_ms", sa.Integer),
        sa.Column("answered_at", sa.Text, nullable=False),
        sa.UniqueConstraint("session_id", "position", name="mock_answers_session_position"),
        sa.CheckConstraint("kind IN ('main', 'followup-point', 'followup-related')", name="mock_answers_kind"),
        sa.CheckConstraint("score IS NULL OR score BETWEEN 0 AND 100", name="mock_answers_score"),
    )


def downgrade() -> None:
    raise NotImplementedError("banks are only migrated forward")
