"""PostgreSQL: fold accents in the stored tsvector as the query's words are folded (SQLite's FTS5
tokenizer already does)."""

from django.db import migrations

from conet.search import fulltext


def refold(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in [*fulltext.POSTGRES_DROP, *fulltext.POSTGRES_SCHEMA]:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("search", "0002_fulltext")]

    operations = [migrations.RunPython(refold, migrations.RunPython.noop)]
