"""Migration workshops.0003 with real old rows: photos of paper boards become the workshop's photos
(conet/core/photos), re-encoded without their camera data, and a file that cannot be read does not
stop the migration."""

import io
import logging
from pathlib import Path

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from PIL import Image

from tests.factories import CityFactory, UserFactory, photo_bytes

BEFORE_PHOTOS = [("workshops", "0002_event_prev"), ("core", "0003_content_translations")]
GPS = 0x8825

pytestmark = pytest.mark.django_db(transaction=True)


def _migrate(targets=None):
    """Migrate to `targets` (the latest state when None) and return the project's apps there."""
    executor = MigrationExecutor(connection)
    targets = targets or executor.loader.graph.leaf_nodes()
    executor.migrate(targets)
    executor.loader.build_graph()  # what was applied changed
    return executor.loader.project_state(targets).apps


@pytest.fixture
def before_photos():
    """The database as it was before photos moved to core; put back to the latest afterwards,
    whatever the test did."""
    try:
        yield _migrate(BEFORE_PHOTOS)
    finally:
        _migrate()


def _camera_jpeg() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[GPS] = {1: "N", 2: (45.0, 4.0, 12.0), 3: "E", 4: (23.0, 34.0, 5.0)}  # Alba Iulia
    data = photo_bytes(size=(2400, 1800), exif=exif)
    assert Image.open(io.BytesIO(data)).getexif().get(GPS)  # it carries a location
    return data


def _board(apps, workshop, name: str, content: bytes | None, media: Path, **fields):
    relative = f"workshops/{workshop.pk}/photos/{name}"
    if content is not None:
        (media / relative).parent.mkdir(parents=True, exist_ok=True)
        (media / relative).write_bytes(content)
    BoardPhoto = apps.get_model("workshops", "BoardPhoto")
    return BoardPhoto.objects.create(workshop=workshop, image=relative, **fields)


def test_board_photos_become_photos_of_their_workshop_without_camera_data(
    before_photos, settings, tmp_path, caplog
):
    settings.MEDIA_ROOT = media = tmp_path / "media"
    old = before_photos
    Workshop = old.get_model("workshops", "Workshop")
    facilitator = UserFactory()
    city = CityFactory()
    workshop = Workshop.objects.create(
        city_id=city.pk,
        title="Lumea Nouă",
        guiding_question="?",
        language="it",
        starts_at="2010-05-27T09:00Z",
    )
    other = Workshop.objects.create(
        city_id=city.pk,
        title="Ballarò",
        guiding_question="?",
        language="en",
        starts_at="2010-06-01T09:00Z",
    )
    _board(
        old,
        workshop,
        "critique.jpg",
        _camera_jpeg(),
        media,
        caption="Il cartellone delle critiche",
        uploaded_by_id=facilitator.pk,
    )
    _board(old, workshop, "missing.jpg", None, media)  # the row is there, the file is not
    _board(old, workshop, "broken.jpg", b"not a picture at all", media)
    _board(old, workshop, "fantasy.png", photo_bytes(size=(300, 200), format="PNG"), media)
    _board(old, other, "board.jpg", photo_bytes(), media)

    with caplog.at_level(logging.WARNING):
        new = _migrate()

    Photo = new.get_model("core", "Photo")
    ContentType = new.get_model("contenttypes", "ContentType")
    kind = ContentType.objects.get(app_label="workshops", model="workshop")
    photos = list(
        Photo.objects.filter(content_type=kind, object_id=workshop.pk).order_by("position")
    )
    # The two readable boards, in their order, numbered from 1; the unreadable ones left out.
    assert [(p.position, p.alt_text, p.caption) for p in photos] == [
        (1, "Il cartellone delle critiche", "Il cartellone delle critiche"),
        (
            2,
            "Foto di un pannello di carta",
            "",
        ),  # no caption: the default, in the workshop's language
    ]
    assert photos[0].uploaded_by_id == facilitator.pk and photos[0].language == "it"
    assert (photos[0].width, photos[0].height, photos[0].small_width) == (1600, 1200, 480)
    for stored in (photos[0].large, photos[0].small):
        path = media / stored.name
        assert path.is_file() and stored.name.startswith(f"photos/{kind.pk}/{workshop.pk}/")
        image = Image.open(path)
        assert image.format == "JPEG" and dict(image.getexif()) == {}
        assert "exif" not in image.info
    other_photos = Photo.objects.filter(content_type=kind, object_id=other.pk)
    assert [(p.position, p.alt_text) for p in other_photos] == [(1, "Photo of a paper board")]

    # What became of the unreadable ones: a warning each in the log, no photo, and the old table is
    # gone; the uploaded files stay on disk for the operator (none is deleted).
    warnings = [r.getMessage() for r in caplog.records if "could not be read" in r.getMessage()]
    assert len(warnings) == 2
    assert any("missing.jpg" in w for w in warnings) and any("broken.jpg" in w for w in warnings)
    assert "workshops_boardphoto" not in connection.introspection.table_names()
    assert (media / f"workshops/{workshop.pk}/photos/broken.jpg").is_file()
    assert (media / f"workshops/{workshop.pk}/photos/critique.jpg").is_file()
