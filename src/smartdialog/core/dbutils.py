"""Helpers for migrations that add PostgreSQL-only guarantees (the embedded SQLite skips them)."""

from django.db import migrations


def postgres_only_sql(forward: str, backward: str) -> migrations.RunPython:
    def run(sql):
        def operation(apps, schema_editor):
            if schema_editor.connection.vendor == "postgresql":
                schema_editor.execute(sql)

        return operation

    return migrations.RunPython(run(forward), run(backward))
