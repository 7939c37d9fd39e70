"""Two uploads to the same page at the same moment: both are stored, in distinct places, and the
limit holds.

Runs on SQLite and PostgreSQL (DATABASE_URL=postgres://…). Each thread has its own connection.
`add_photo` counts the photos and takes the next position inside a transaction that first locks
the object's row (`select_for_update`). On PostgreSQL that row lock is what queues the second
upload; on SQLite `select_for_update` does nothing, and the queueing comes from CoNet's
`transaction_mode: IMMEDIATE` (conet/settings.py): the write lock is taken at BEGIN, so the second
transaction waits for the first to commit before it counts.

To make the race certain rather than lucky, each upload, once it has placed and stored its photo
(after counting) and before committing, waits up to a second for the other to get there too.
Without the lock both would get there, both having counted the same photos; with it the second
cannot count until the first has committed, so the first's wait times out and it goes on alone.
"""

import pytest
from django.core.exceptions import ValidationError

from conet.core import audit
from conet.core.models import Photo
from conet.core.photos import services
from conet.networks.models import City
from tests.concurrency import at_once
from tests.factories import UserFactory, add_photo, photo_upload


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def race(monkeypatch, actions: dict) -> dict:
    # Inside add_photo's transaction: the audit entry of a photo.
    return at_once(
        monkeypatch,
        actions,
        pause_after=[(audit, "record")],
        when=lambda *args, **kwargs: kwargs.get("data", {}).get("photo") is not None,
        together="both uploads counted the photos at the same time",
    )


def _upload(city_pk: int, by, alt_text: str):
    def action():
        city = City.objects.get(pk=city_pk)
        return services.add_photo(city, photo_upload(), by=by, alt_text=alt_text)

    return action


def test_two_uploads_at_once_are_both_stored_in_distinct_places(
    transactional_db, monkeypatch, city, people
):
    add_photo(city, alt_text="Already there")
    editor = people["city_coordinator"]

    outcomes = race(
        monkeypatch,
        {
            "ana": _upload(city.pk, editor, "The square by day"),
            "ben": _upload(city.pk, UserFactory(is_staff=True), "The square by night"),
        },
    )

    assert all(isinstance(photo, Photo) for photo in outcomes.values()), outcomes
    stored = Photo.objects.filter(object_id=city.pk).order_by("position")
    assert [photo.position for photo in stored] == [1, 2, 3]
    assert {photo.alt_text for photo in stored} == {
        "Already there",
        "The square by day",
        "The square by night",
    }
    for photo in stored:  # both files of each are there
        assert photo.large.storage.exists(photo.large.name)
        assert photo.small.storage.exists(photo.small.name)


def test_two_uploads_for_the_last_place_one_is_stored_one_is_refused(
    transactional_db, monkeypatch, city, people, settings
):
    for number in range(11):
        add_photo(city, alt_text=f"Photo {number}")
    editor = people["city_coordinator"]

    outcomes = race(
        monkeypatch,
        {
            "ana": _upload(city.pk, editor, "Twelfth by Ana"),
            "ben": _upload(city.pk, editor, "Twelfth by Ben"),
        },
    )

    stored = [o for o in outcomes.values() if isinstance(o, Photo)]
    refused = [o for o in outcomes.values() if isinstance(o, ValidationError)]
    assert len(stored) == 1 and len(refused) == 1, outcomes
    assert "at most 12 photos" in str(refused[0].message_dict["image"])
    assert Photo.objects.filter(object_id=city.pk).count() == 12
    assert sorted(Photo.objects.filter(object_id=city.pk).values_list("position", flat=True)) == (
        list(range(1, 13))
    )
    # The refused upload left no file behind: 12 photos, two files each.
    media = settings.MEDIA_ROOT
    assert len([path for path in media.rglob("*.jpg")]) == 24
