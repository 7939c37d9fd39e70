"""Photos of paper boards become the workshop's photos (conet/core/photos): each is decoded,
turned upright, stripped of its camera data and stored in the two web sizes, with its caption
(or "Photo of a paper board" in the workshop's language) as its alt text. The uploaded files are
left where they were; an operator may delete media/workshops/<id>/photos/ after checking."""

import logging
import secrets

from django.core.files.base import ContentFile
from django.db import migrations
from django.utils import translation

logger = logging.getLogger(__name__)


def copy_board_photos(apps, schema_editor):
    from django.core.exceptions import ValidationError

    from conet.core.photos import images

    BoardPhoto = apps.get_model("workshops", "BoardPhoto")
    Photo = apps.get_model("core", "Photo")
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not BoardPhoto.objects.exists():
        return
    content_type, _created = ContentType.objects.get_or_create(
        app_label="workshops", model="workshop"
    )
    positions: dict[int, int] = {}
    for board in BoardPhoto.objects.select_related("workshop").order_by("created_at", "pk"):
        try:
            with board.image.open("rb") as handle:
                prepared = images.prepare(handle)
        except (OSError, ValidationError):
            logger.warning("board photo %s (%s) could not be read: left out", board.pk, board.image)
            continue
        with translation.override(board.workshop.language or "en"):
            alt_text = board.caption or translation.gettext("Photo of a paper board")
        position = positions[board.workshop_id] = positions.get(board.workshop_id, 0) + 1
        photo = Photo(
            content_type=content_type,
            object_id=board.workshop_id,
            position=position,
            width=prepared.large.width,
            height=prepared.large.height,
            small_width=prepared.small.width,
            small_height=prepared.small.height,
            alt_text=alt_text[:300],
            caption=board.caption[:300],
            language=board.workshop.language or "",
            uploaded_by_id=board.uploaded_by_id,
        )
        token = secrets.token_hex(8)
        photo.large.save(f"{token}-{images.LARGE}.jpg", ContentFile(prepared.large.content), save=False)
        photo.small.save(f"{token}-{images.SMALL}.jpg", ContentFile(prepared.small.content), save=False)
        photo.save()
        Photo.objects.filter(pk=photo.pk).update(created_at=board.created_at)


class Migration(migrations.Migration):
    dependencies = [
        ("workshops", "0002_event_prev"),
        ("core", "0004_photos"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(copy_board_photos, migrations.RunPython.noop),
        migrations.DeleteModel(name="BoardPhoto"),
    ]
