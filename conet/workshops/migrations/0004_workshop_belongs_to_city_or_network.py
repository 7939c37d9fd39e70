"""A workshop belongs to a city or a network, now in the database as well as in create_workshop()."""

from django.db import migrations, models


def refuse_workshops_of_nobody(apps, schema_editor):
    # create_workshop() has always required one of the two, so only rows written around it (a test
    # database, a bench run) can lack both. Name them rather than fail on a bare IntegrityError:
    # which city or network they belong to is for the operator to decide, not for a migration.
    Workshop = apps.get_model("workshops", "Workshop")
    orphans = list(
        Workshop.objects.filter(city__isnull=True, network__isnull=True).values_list("pk", flat=True)
    )
    if orphans:
        raise RuntimeError(
            "Workshops without a city or a network (give each one, or delete it, then migrate "
            f"again): {orphans}"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("workshops", "0003_board_photos_become_photos"),
    ]

    operations = [
        migrations.RunPython(refuse_workshops_of_nobody, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="workshop",
            constraint=models.CheckConstraint(
                condition=models.Q(("city__isnull", False), ("network__isnull", False), _connector="OR"),
                name="workshop_belongs_to_city_or_network",
            ),
        ),
    ]
