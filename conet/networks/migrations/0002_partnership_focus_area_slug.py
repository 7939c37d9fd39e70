from django.db import migrations, models
from django.utils.text import slugify

# The words that pages under a partnership's address already answer (its plan, its Local Support
# Group) when this migration was written; the services check every page at run time.
TAKEN = {"plan", "group"}


def fill_slugs(apps, schema_editor):
    Partnership = apps.get_model("networks", "Partnership")
    for partnership in Partnership.objects.exclude(focus_area_name=""):
        slug = slugify(partnership.focus_area_name)[:70] or "area"
        if slug in TAKEN:
            slug = f"{slug}-area"
        partnership.focus_area_slug = slug
        partnership.save(update_fields=["focus_area_slug"])


class Migration(migrations.Migration):
    dependencies = [("networks", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="partnership",
            name="focus_area_slug",
            field=models.SlugField(
                blank=True, max_length=80, verbose_name="focus area's short name in addresses"
            ),
        ),
        migrations.RunPython(fill_slugs, migrations.RunPython.noop),
    ]
