"""Users and their own study data; team tables for the job queue, uploads and bank-wide flags.

Revision ID: 0004_team

Reviews and settings of a bank made before accounts existed become the local user's (id 1);
the card cache is rebuilt from the review log on next use; question keys get a registration
number (on SQLite in the order they were registered).
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_team"
down_revision = "0003_reviews"
branch_labels = None
depends_on = None



def upgrade() -> None:
    bind = op.get_bind()
    sqlite = bind.dialect.name == "sqlite"

    users = op.create_table(
        "users",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("username", sa.Text, nullable=False, unique=True),
        sa.Column("password_hash", sa.Text),
        sa.Column("role", sa.Text, nullable=False),
        sa.Column("disabled", sa.Boolean, nullable=False, server_default="0"),
        sa.Column("created_at", sa.Text, nullable=False),
        sa.CheckConstraint("role IN ('admin', 'editor', 'learner')", name="users_role"),
    )
    op.bulk_insert(users, [{"id": 1, "username": "local", "password_hash": None, "role": "admin",
                            "disabled": False, "created_at": "1970-01-01T00:00:00+00:00"}])
    if not sqlite:
        op.execute("SELECT setval(pg_get_serial_sequence('users', 'id'), 1)")

    op.create_table(
        "user_settings",
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
        sa.Column("key", sa.Text, nullable=False),
        sa.Column("value", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("user_id", "key"),
    )
    op.execute("INSERT INTO user_settings (user_id, key, value) "
               "SELECT 1, key, value FROM settings WHERE key IN ('script', 'retention')")
    op.execute("DELETE FROM settings WHERE key IN ('script', 'retention')")

    op.create_table(
        "sessions",
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
        sa.Column("csrf", sa.Text, nullable=False),
        sa.Column("created_at", sa.Text, nullable=False),
        sa.Column("expires_at", sa.Text, nullable=False),
    )
    op.create_index("sessions_user", "sessions", ["user_id"])
    op.create_table(
        "invites",
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("username", sa.Text, nullable=False),
        sa.Column("role", sa.Text, nullable=False),
        sa.Column("created_by", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE")),
        sa.Column("created_at", sa.Text, nullable=False),
        sa.Column("expires_at", sa.Text, nullable=False),
        sa.Column("used_at", sa.Text),
    )
    op.create_table(
        "login_attempts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("key", sa.Text, nullable=False),
        sa.Column("at", sa.Text, nullable=False),
    )
    op.create_index("login_attempts_key", "login_attempts", ["key", "at"])
    op.create_table(
        "meta",
        sa.Column("key", sa.Text, primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )
    op.create_table(
        "jobs",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("payload", sa.Text, nullable=False, server_default="{}"),
        sa.Column("status", sa.Text, nullable=False, server_default="queued"),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id")),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("worker", sa.Text),
        sa.Column("heartbeat_at", sa.Text),
        sa.Column("progress", sa.Text),
        sa.Column("result", sa.Text),
        sa.Column("error", sa.Text),
        sa.Column("created_at", sa.Text, nullable=False),
        sa.Column("started_at", sa.Text),
        sa.Column("finished_at", sa.Text),
        sa.CheckConstraint("status IN ('queued', 'running', 'done', 'error')", name="jobs_status"),
    )
    op.create_index("jobs_status", "jobs", ["status", "id"])
    op.create_table(
        "uploads",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("sha256", sa.Text, nullable=False),
        sa.Column("content", sa.LargeBinary, nullable=False),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id")),
        sa.Column("created_at", sa.Text, nullable=False),
    )

    with op.batch_alter_table("sources") as b:
        b.add_column(sa.Column("hints", sa.Text, nullable=False, server_default="{}"))

    # question keys: a registration number instead of SQLite's rowid
    op.create_table(
        "question_keys_new",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("key", sa.Text, nullable=False),
        sa.Column("question_id", sa.Text, sa.ForeignKey("questions.id", ondelete="CASCADE"), nullable=False),
        sa.UniqueConstraint("key", "question_id", name="question_keys_key_question"),
    )
    order = " ORDER BY rowid" if sqlite else ""
    op.execute(f"INSERT INTO question_keys_new (key, question_id) SELECT key, question_id FROM question_keys{order}")
    op.drop_index("question_keys_question", "question_keys")
    op.drop_table("question_keys")
    op.rename_table("question_keys_new", "question_keys")
    op.create_index("question_keys_question", "question_keys", ["question_id"])

    # reviews belong to a user (the table is rebuilt: older banks have unnamed CHECK constraints)
    op.create_table(
        "reviews_new",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
        sa.Column("question_id", sa.Text, sa.ForeignKey("questions.id"), nullable=False),
        sa.Column("rating", sa.Integer, nullable=False),
        sa.Column("reviewed_at", sa.Text, nullable=False),
        sa.Column("score", sa.Float),
        sa.Column("answer", sa.Text),
        sa.Column("duration_ms", sa.Integer),
        sa.Column("client_key", sa.Text),
        sa.CheckConstraint("rating BETWEEN 1 AND 4", name="reviews_rating"),
        sa.UniqueConstraint("user_id", "client_key", name="reviews_user_client_key"),
        sa.CheckConstraint("score IS NULL OR score BETWEEN 0 AND 100", name="reviews_score"),
        sa.CheckConstraint("duration_ms IS NULL OR duration_ms >= 0", name="reviews_duration"),
    )
    op.execute("INSERT INTO reviews_new (id, user_id, question_id, rating, reviewed_at, score, answer, duration_ms) "
               "SELECT id, 1, question_id, rating, reviewed_at, score, answer, duration_ms FROM reviews")
    op.drop_index("reviews_question", "reviews")
    op.drop_index("reviews_time", "reviews")
    op.drop_table("reviews")
    op.rename_table("reviews_new", "reviews")
    if not sqlite:
        op.execute("SELECT setval(pg_get_serial_sequence('reviews', 'id'), GREATEST((SELECT MAX(id) FROM reviews), 1))")
    op.create_index("reviews_user_question", "reviews", ["user_id", "question_id", "reviewed_at"])
    op.create_index("reviews_user_time", "reviews", ["user_id", "reviewed_at"])
    op.create_index("reviews_question", "reviews", ["question_id"])

    # the card cache is derived from the log: recreated per user, refilled on next use
    op.drop_index("cards_due", "cards")
    op.drop_table("cards")
    op.create_table(
        "cards",
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
        sa.Column("question_id", sa.Text, sa.ForeignKey("questions.id", ondelete="CASCADE"), nullable=False),
        sa.Column("state", sa.Integer, nullable=False),
        sa.Column("step", sa.Integer),
        sa.Column("stability", sa.Float, nullable=False),
        sa.Column("difficulty", sa.Float, nullable=False),
        sa.Column("due", sa.Text, nullable=False),
        sa.Column("last_review", sa.Text, nullable=False),
        sa.Column("reviews", sa.Integer, nullable=False),
        sa.Column("last_review_id", sa.Integer, nullable=False),
        sa.Column("retention", sa.Float, nullable=False),
        sa.PrimaryKeyConstraint("user_id", "question_id"),
        sa.CheckConstraint("state BETWEEN 1 AND 3", name="cards_state"),
    )
    op.create_index("cards_user_due", "cards", ["user_id", "due"])
    if sqlite:
        op.execute("DROP TABLE IF EXISTS schema_migrations")


def downgrade() -> None:
    raise NotImplementedError("banks are only migrated forward")
