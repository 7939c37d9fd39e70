"""The full-text side of the index: FTS5 on SQLite, a tsvector column with a GIN index on PostgreSQL."""

from django.db import migrations

from conet.search import fulltext


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"sqlite": fulltext.SQLITE_SCHEMA, "postgresql": fulltext.POSTGRES_SCHEMA}
    for statement in statements.get(vendor, []):
        schema_editor.execute(statement)


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"sqlite": fulltext.SQLITE_DROP, "postgresql": fulltext.POSTGRES_DROP}
    for statement in statements.get(vendor, []):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
