"""The review log and the card cache.

Revision ID: 0003_reviews
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_reviews"
down_revision = "0002_embeddings_links_settings"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "reviews",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("question_id", sa.Text, sa.ForeignKey("questions.id"), nullable=False),
        sa.Column("rating", sa.Integer, nullable=False),
        sa.Column("reviewed_at", sa.Text, nullable=False),
        sa.Column("score", sa.Float),
        sa.Column("answer", sa.Text),
        sa.Column("duration_ms", sa.Integer),
        sa.CheckConstraint("rating BETWEEN 1 AND 4", name="reviews_rating"),
        sa.CheckConstraint("score IS NULL OR score BETWEEN 0 AND 100", name="reviews_score"),
        sa.CheckConstraint("duration_ms IS NULL OR duration_ms >= 0", name="reviews_duration"),
    )
    op.create_index("reviews_question", "reviews", ["question_id", "reviewed_at"])
    op.create_index("reviews_time", "reviews", ["reviewed_at"])
    op.create_table(
        "cards",
        sa.Column("question_id", sa.Text, sa.ForeignKey("questions.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("state", sa.Integer, nullable=False),
        sa.Column("step", sa.Integer),
        sa.Column("stability", sa.Float, nullable=False),
        sa.Column("difficulty", sa.Float, nullable=False),
        sa.Column("due", sa.Text, nullable=False),
        sa.Column("last_review", sa.Text, nullable=False),
        sa.Column("reviews", sa.Integer, nullable=False),
        sa.Column("last_review_id", sa.Integer, nullable=False),
        sa.Column("retention", sa.Float, nullable=False),
        sa.CheckConstraint("state BETWEEN 1 AND 3", name="cards_state"),
    )
    op.create_index("cards_due", "cards", ["due"])


def downgrade() -> None:
    raise NotImplementedError("banks are only migrated forward")
