from django.db import migrations, models


def link_existing_events(apps, schema_editor):
    """Give the events already logged their previous number for the same screens."""
    WorkshopEvent = apps.get_model("workshops", "WorkshopEvent")
    last: dict[tuple[int, int | None], int] = {}
    batch = []
    events = WorkshopEvent.objects.order_by("workshop_id", "seq").only(
        "pk", "workshop_id", "table_id", "seq"
    )
    for event in events.iterator(chunk_size=2000):
        key = (event.workshop_id, event.table_id)
        event.prev = last.get(key, 0)
        last[key] = event.seq
        batch.append(event)
        if len(batch) == 2000:
            WorkshopEvent.objects.bulk_update(batch, ["prev"])
            batch = []
    WorkshopEvent.objects.bulk_update(batch, ["prev"])


class Migration(migrations.Migration):
    dependencies = [
        ("workshops", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="workshopevent",
            name="prev",
            field=models.PositiveBigIntegerField(
                default=0, verbose_name="previous number for the same screens"
            ),
        ),
        migrations.AddIndex(
            model_name="workshopevent",
            index=models.Index(fields=["workshop", "table", "seq"], name="workshop_event_chain"),
        ),
        migrations.RunPython(link_existing_events, migrations.RunPython.noop, elidable=True),
    ]
