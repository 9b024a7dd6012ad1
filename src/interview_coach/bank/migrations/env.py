"""Alembic environment: migrations always run on a connection the store opened (see `bank/migrate.py`)."""

from alembic import context

from interview_coach.bank.schema import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
