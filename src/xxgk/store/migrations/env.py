"""Alembic environment: the store passes its open connection in `config.attributes`;
a developer running `alembic` by hand passes `-x url=…` instead. The target metadata is
every table of the application (the ledger's and the store's), for autogenerate."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from xxgk.store.tables import all_metadata


def run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=all_metadata(),
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite cannot ALTER most things
    )
    with context.begin_transaction():
        context.run_migrations()


connection = context.config.attributes.get("connection")
if connection is not None:
    run(connection)
else:
    url = context.get_x_argument(as_dictionary=True)["url"]
    with create_engine(url).connect() as conn:
        run(conn)
        conn.commit()
