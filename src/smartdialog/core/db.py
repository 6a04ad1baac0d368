"""Database helpers that Django does not offer."""

from django.db import connection as default_connection


def prepared_cursor(connection=default_connection):
    """A cursor whose statements PostgreSQL plans once per connection, for a hot statement.

    Django's psycopg cursors bind parameters on the client, so the server parses and plans
    every statement anew. A psycopg cursor that binds on the server prepares a statement
    after `prepare_threshold` (5) runs on the connection and reuses the plan; wrapped here as
    Django wraps its own (errors translated, queries logged when Django logs them). On
    other databases an ordinary cursor.
    """
    if connection.vendor != "postgresql":
        return connection.cursor()
    from django.db.backends.postgresql.base import ServerBindingCursor

    connection.ensure_connection()
    connection.validate_thread_sharing()
    with connection.wrap_database_errors:
        raw = ServerBindingCursor(connection.connection)
        if connection.queries_logged:
            return connection.make_debug_cursor(raw)
        return connection.make_cursor(raw)
