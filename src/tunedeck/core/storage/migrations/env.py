"""Alembic's entry point: run the migrations on the connection TuneDeck hands over.

TuneDeck never runs Alembic from its command line: `tunedeck.core.storage.migrate` opens the
transaction and passes the connection in, so a failed upgrade rolls back as one unit.
"""

from alembic import context

connection = context.config.attributes["connection"]
# Batch mode lets later migrations alter SQLite tables (SQLite cannot ALTER most things and
# needs the copy-and-move that batch operations do); it is harmless on PostgreSQL.
context.configure(connection=connection, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
