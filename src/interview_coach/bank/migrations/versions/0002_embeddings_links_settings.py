"""Embedding cache, manual link decisions, settings.

Revision ID: 0002_embeddings_links_settings
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_embeddings_links_settings"
down_revision = "0001_initial"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "embeddings",
        sa.Column("model_id", sa.Text, nullable=False),
        sa.Column("content_hash", sa.Text, nullable=False),
        sa.Column("dim", sa.Integer, nullable=False),
        sa.Column("vector", sa.LargeBinary, nullable=False),
        sa.PrimaryKeyConstraint("model_id", "content_hash"),
    )
    op.create_table(
        "link_decisions",
        sa.Column("item_a", sa.Text, nullable=False),
        sa.Column("item_b", sa.Text, nullable=False),
        sa.Column("decision", sa.Text, nullable=False),
        sa.Column("created_at", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("item_a", "item_b"),
        sa.CheckConstraint("decision IN ('same', 'different')", name="link_decisions_decision"),
    )
    op.create_table(
        "settings",
        sa.Column("key", sa.Text, primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )


def downgrade() -> None:
    raise NotImplementedError("banks are only migrated forward")
