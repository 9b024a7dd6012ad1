"""Sources, canonical questions, their keys and items.

Revision ID: 0001_initial
"""

import sqlalchemy as sa
from alembic import op

revision = "0001_initial"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sources",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("path", sa.Text, nullable=False, unique=True),
        sa.Column("sha256", sa.Text, nullable=False),
        sa.Column("encoding", sa.Text, nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("shapes", sa.Text, nullable=False, server_default="[]"),
        sa.Column("notices", sa.Text, nullable=False, server_default="[]"),
        sa.Column("ingested_at", sa.Text, nullable=False),
    )
    op.create_table(
        "questions",
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("created_at", sa.Text, nullable=False),
    )
    op.create_table(
        "question_keys",
        sa.Column("key", sa.Text, nullable=False),
        sa.Column("question_id", sa.Text, sa.ForeignKey("questions.id", ondelete="CASCADE"), nullable=False),
        sa.PrimaryKeyConstraint("key", "question_id"),
    )
    op.create_index("question_keys_question", "question_keys", ["question_id"])
    op.create_table(
        "items",
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("source_id", sa.Integer, sa.ForeignKey("sources.id", ondelete="CASCADE"), nullable=False),
        sa.Column("question_id", sa.Text, sa.ForeignKey("questions.id"), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("question", sa.Text, nullable=False),
        sa.Column("question_line", sa.Integer, nullable=False),
        sa.Column("line_start", sa.Integer, nullable=False),
        sa.Column("line_end", sa.Integer, nullable=False),
        sa.Column("lang", sa.Text, nullable=False),
        sa.Column("shape", sa.Text, nullable=False),
        sa.Column("number", sa.Integer),
        sa.Column("section", sa.Text),
        sa.Column("title", sa.Text),
        sa.Column("translations", sa.Text, nullable=False, server_default="{}"),
        sa.Column("answer", sa.Text),
        sa.Column("answer_line_start", sa.Integer),
        sa.Column("answer_line_end", sa.Integer),
        sa.Column("explanation", sa.Text),
        sa.Column("explanation_line_start", sa.Integer),
        sa.Column("explanation_line_end", sa.Integer),
        sa.Column("images", sa.Text, nullable=False, server_default="[]"),
        sa.Column("links", sa.Text, nullable=False, server_default="[]"),
        sa.Column("listed_line", sa.Integer),
        sa.Column("norm", sa.Text, nullable=False),
    )
    op.create_index("items_source", "items", ["source_id", "position"])
    op.create_index("items_question", "items", ["question_id"])
    op.create_index("items_norm", "items", ["norm"])


def downgrade() -> None:
    raise NotImplementedError("banks are only migrated forward")
