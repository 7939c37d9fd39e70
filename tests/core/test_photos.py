"""Photos (conet/core/photos): what an upload becomes, who may add and remove them, how pages,
link previews and the API show them, and that a page costs the same queries with 1 or 12."""

import io
import json
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from conet.core.models import AuditEntry, Photo
from conet.core.photos import images, services
from tests.conftest import ROLES
from tests.factories import (
    ALLOWED,
    add_photo,
    api_headers,
    assert_refused,
    outcome_table,
    photo_bytes,
    photo_upload,
)
from tests.meetings.factories import MeetingFactory
from tests.practices.factories import GoodPracticeFactory

GPS, ORIENTATION = 0x8825, 0x0112


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _stored_files(media) -> list[Path]:
    return (
        [path for path in Path(media).rglob("*") if path.is_file()] if Path(media).exists() else []
    )


def _exif_with_gps(orientation: int | None = None) -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # camera make
    exif[GPS] = {1: "N", 2: (45.0, 4.0, 12.0), 3: "E", 4: (23.0, 34.0, 5.0)}  # Alba Iulia
    if orientation:
        exif[ORIENTATION] = orientation
    return exif


# What an upload becomes ---------------------------------------------------------------------------


def test_a_text_file_named_jpg_is_refused_and_nothing_is_stored(city, people, _media):
    text = SimpleUploadedFile("photo.jpg", b"Dear diary, today...", content_type="image/jpeg")
    with pytest.raises(ValidationError) as refused:
        services.add_photo(city, text, by=people["city_coordinator"], alt_text="A square")
    assert "not a photo" in str(refused.value.message_dict["image"])
    assert not Photo.objects.exists() and not _stored_files(_media)


def test_a_truncated_jpeg_is_refused(city, people):
    import weasyprint  # noqa: F401  (it tells Pillow to accept truncated images, process-wide)

    data = photo_bytes(size=(400, 300))
    upload = SimpleUploadedFile("cut.jpg", data[: len(data) // 2], content_type="image/jpeg")
    with pytest.raises(ValidationError):
        services.add_photo(city, upload, by=people["city_coordinator"], alt_text="A square")
    assert not Photo.objects.exists()


def test_a_gps_tagged_jpeg_comes_back_without_its_metadata(city, people):
    upload = photo_upload(exif=_exif_with_gps())
    assert Image.open(io.BytesIO(upload.read())).getexif().get(GPS) is not None  # it had them

    photo = services.add_photo(city, upload, by=people["city_coordinator"], alt_text="A square")

    for stored in (photo.large, photo.small):
        with stored.open("rb") as handle:
            image = Image.open(handle)
            assert image.format == "JPEG"
            assert dict(image.getexif()) == {}
            assert "exif" not in image.info and "xmp" not in image.info


def test_the_camera_orientation_is_applied(city, people):
    # Stored sideways (80 × 40) with "turn 90°" in its EXIF, as a phone held upright writes it.
    upload = photo_upload(size=(80, 40), exif=_exif_with_gps(orientation=6))
    photo = services.add_photo(city, upload, by=people["city_coordinator"], alt_text="A tower")
    assert (photo.width, photo.height) == (40, 80)
    with photo.large.open("rb") as handle:
        assert Image.open(handle).size == (40, 80)


def test_two_web_sizes_are_kept_and_a_small_photo_is_not_enlarged(city, people):
    big = services.add_photo(
        city, photo_upload(size=(3000, 2000)), by=people["city_coordinator"], alt_text="Wide"
    )
    assert (big.width, big.height) == (1600, 1067)
    assert (big.small_width, big.small_height) == (480, 320)
    small = services.add_photo(
        city, photo_upload(size=(300, 200)), by=people["city_coordinator"], alt_text="Small"
    )
    assert (small.width, small.small_width) == (300, 300)


def test_a_png_with_transparency_is_laid_on_white(city, people):
    buffer = io.BytesIO()
    Image.new("RGBA", (20, 20), (0, 0, 0, 0)).save(buffer, format="PNG")
    upload = SimpleUploadedFile("logo.png", buffer.getvalue(), content_type="image/png")
    photo = services.add_photo(city, upload, by=people["city_coordinator"], alt_text="Logo")
    with photo.small.open("rb") as handle:
        assert Image.open(handle).convert("RGB").getpixel((10, 10)) > (240, 240, 240)


def test_a_decompression_bomb_is_refused_before_it_is_decoded(city, people, settings):
    settings.CONET_PHOTO_MAX_MEGAPIXELS = 1
    with pytest.raises(ValidationError) as refused:
        services.add_photo(
            city, photo_upload(size=(1200, 1000)), by=people["city_coordinator"], alt_text="Big"
        )
    assert "too many pixels" in str(refused.value)
    assert not Photo.objects.exists()


def test_a_file_over_the_size_limit_is_refused(city, people, monkeypatch):
    monkeypatch.setattr(images, "max_bytes", lambda: 100)
    with pytest.raises(ValidationError) as refused:
        services.add_photo(city, photo_upload(), by=people["city_coordinator"], alt_text="A")
    assert "at most 0 MB" in str(refused.value) or "MB" in str(refused.value)
    assert not Photo.objects.exists()


def test_alt_text_is_required(city, people, _media):
    with pytest.raises(ValidationError) as refused:
        services.add_photo(city, photo_upload(), by=people["city_coordinator"], alt_text="  ")
    assert "alt_text" in refused.value.message_dict
    assert not Photo.objects.exists() and not _stored_files(_media)


def test_the_refusal_is_in_the_readers_language(city, people, client_as):
    text = SimpleUploadedFile("photo.jpg", b"not an image", content_type="image/jpeg")
    response = client_as(people["city_coordinator"]).post(
        reverse("core:photos", args=["networks.city", city.pk]).replace("/en/", "/it/", 1),
        {"image": text, "alt_text": ""},
    )
    assert response.status_code == 422
    form = response.context["form"]
    assert "alt_text" in form.errors
    assert "Upload a JPEG" not in str(form.errors)  # said in Italian
    assert not Photo.objects.exists()


# Who may add and remove ----------------------------------------------------------------------------

CITY_EDITORS = {"platform_admin", "city_coordinator"}


@pytest.mark.parametrize("role", ROLES)
def test_who_may_add_a_photo_of_a_city(city, people, client_as, role, _media):
    expected = outcome_table(CITY_EDITORS)[role]
    response = client_as(people[role]).post(
        reverse("core:photos", args=["networks.city", city.pk]),
        {"image": photo_upload(), "alt_text": "Piazza", "credit": "Maria Rossi, CC BY 4.0"},
    )
    if expected == ALLOWED:
        assert response.status_code == 302
        [photo] = Photo.objects.all()
        assert (photo.alt_text, photo.credit) == ("Piazza", "Maria Rossi, CC BY 4.0")
        assert AuditEntry.objects.filter(action="photo.added", city_id=city.pk).exists()
    else:
        assert_refused(response, expected)
        assert not Photo.objects.exists() and not _stored_files(_media)


@pytest.mark.parametrize("role", ROLES)
def test_who_may_remove_a_photo_of_a_city(
    city, people, client_as, role, django_capture_on_commit_callbacks
):
    photo = add_photo(city)
    files = [Path(photo.large.path), Path(photo.small.path)]
    expected = outcome_table(CITY_EDITORS)[role]
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as(people[role]).post(
            reverse("core:photo_change", args=["networks.city", city.pk, photo.pk]),
            {"do": "delete"},
        )
    if expected == ALLOWED:
        assert response.status_code == 302
        assert not Photo.objects.exists()
        assert not any(path.exists() for path in files)
    else:
        assert_refused(response, expected)
        assert Photo.objects.filter(pk=photo.pk).exists()
        assert all(path.exists() for path in files)


EDITORS = {
    # a focus area: the people who manage the network's partnerships
    "partnership": {"platform_admin", "network_coordinator"},
    # a published practice: the network's team
    "practice": {"platform_admin", "network_coordinator", "lead_expert", "expert"},
    # a meeting: the network's team and the host city's coordinator
    "meeting": {"platform_admin", "network_coordinator", "lead_expert", "city_coordinator"},
}


def _object(kind: str, network, city):
    if kind == "partnership":
        return city.partnerships.get(network=network)
    if kind == "practice":
        return GoodPracticeFactory(network=network, city=city, city_name=city.name)
    return MeetingFactory(network=network, host_city=city)


@pytest.mark.parametrize("role", [role for role in ROLES if role != "visitor"])
@pytest.mark.parametrize("kind", sorted(EDITORS))
def test_who_may_add_and_remove_photos_of_each_kind(network, city, people, kind, role):
    obj = _object(kind, network, city)
    if role in EDITORS[kind]:
        photo = services.add_photo(obj, photo_upload(), by=people[role], alt_text="Them")
        services.delete_photo(photo, obj, by=people[role])
        assert not Photo.objects.exists()
    else:
        with pytest.raises(PermissionDenied):
            services.add_photo(obj, photo_upload(), by=people[role], alt_text="Them")
        photo = add_photo(obj)
        with pytest.raises(PermissionDenied):
            services.delete_photo(photo, obj, by=people[role])
        assert Photo.objects.filter(pk=photo.pk).exists()


def test_editors_order_and_describe_photos(city, people, client_as):
    first, second = add_photo(city, alt_text="First"), add_photo(city, alt_text="Second")
    client = client_as(people["city_coordinator"])
    client.post(
        reverse("core:photo_change", args=["networks.city", city.pk, second.pk]), {"do": "earlier"}
    )
    assert [p.alt_text for p in Photo.objects.order_by("position")] == ["Second", "First"]
    client.post(
        reverse("core:photo_change", args=["networks.city", city.pk, first.pk]),
        {"do": "describe", f"p{first.pk}-alt_text": "The square", f"p{first.pk}-caption": "1910"},
    )
    first.refresh_from_db()
    assert (first.alt_text, first.caption) == ("The square", "1910")


def test_a_deleted_object_takes_its_photos_and_files_along(
    network, city, django_capture_on_commit_callbacks
):
    meeting = MeetingFactory(network=network, host_city=city)
    photo = add_photo(meeting)
    path = Path(photo.large.path)
    with django_capture_on_commit_callbacks(execute=True):
        meeting.delete()
    assert not Photo.objects.exists() and not path.exists()


# The files --------------------------------------------------------------------------------------


def test_a_public_photo_is_served_to_everyone_and_cached(city, client):
    photo = add_photo(city)
    response = client.get(photo.large_url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert "public" in response["Cache-Control"]
    assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"


def test_a_drafts_photo_is_not_served_to_visitors(network, city, client_as, people):
    draft = GoodPracticeFactory(network=network, city=city, status="draft")
    photo = add_photo(draft)
    assert client_as(None).get(photo.small_url).status_code == 404
    assert client_as(people["network_coordinator"]).get(photo.small_url).status_code == 200


def test_a_made_up_file_name_is_not_served(city, client):
    photo = add_photo(city)
    assert client.get(reverse("core_machine:photo", args=[photo.pk, "x.jpg"])).status_code == 404


# Pages and link previews ---------------------------------------------------------------------------


def test_the_city_page_shows_its_photos_with_alt_text_and_sizes(city, client):
    add_photo(city, alt_text="Piața Unirii at dusk")
    content = client.get(city.get_absolute_url()).content.decode()
    assert 'alt="Piața Unirii at dusk"' in content
    assert 'loading="lazy"' in content and " 64w" in content and 'width="64"' in content


def test_the_page_is_previewed_with_its_first_photo_by_its_full_address(city, client, settings):
    settings.CONET_SITE_URL = "https://conet.example.org"
    first = add_photo(city, alt_text="Piața Unirii")
    add_photo(city, alt_text="Second")
    content = client.get(city.get_absolute_url()).content.decode()
    assert (
        f'<meta property="og:image" content="https://conet.example.org{first.large_url}">'
        in content
    )
    assert '<meta property="og:image:alt" content="Piața Unirii">' in content
    assert f'<meta property="og:title" content="{city.name}">' in content
    assert '<meta name="twitter:card" content="summary_large_image">' in content
    assert (
        f'<meta property="og:url" content="https://conet.example.org{city.get_absolute_url()}">'
        in content
    )


def test_a_page_without_photos_has_a_small_card(city, client):
    content = client.get(city.get_absolute_url()).content.decode()
    assert 'property="og:image"' not in content
    assert '<meta name="twitter:card" content="summary">' in content


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("kind", ["city", "practice", "meeting"])
def test_a_page_costs_the_same_queries_with_one_photo_or_many(network, city, client, kind):
    obj = city if kind == "city" else _object(kind, network, city)
    add_photo(obj)
    one = _queries(client, obj.get_absolute_url())
    for number in range(5):
        add_photo(obj, alt_text=f"Photo {number}")
    assert _queries(client, obj.get_absolute_url()) == one


def test_the_focus_area_include_shows_the_strip_and_the_link_to_its_editors(
    network, city, people, rf
):
    from django.template.loader import render_to_string

    partnership = city.partnerships.get(network=network)
    add_photo(partnership, alt_text="Ballarò market")
    for user, sees_link in [(people["network_coordinator"], True), (people["lsg_member"], False)]:
        html = render_to_string(
            "networks/_focus_area_photos.html", {"partnership": partnership, "user": user}
        )
        assert 'alt="Ballarò market"' in html
        assert (
            reverse("core:photos", args=["networks.partnership", partnership.pk]) in html
        ) == sees_link


# API ----------------------------------------------------------------------------------------------


def test_the_api_lists_the_photos_of_an_object(city, client):
    photo = add_photo(city, alt_text="Piața")
    response = client.get(f"/api/v1/photos/networks.city/{city.pk}")
    assert response.status_code == 200
    [listed] = response.json()
    assert listed["alt_text"] == "Piața" and listed["width"] == photo.width
    assert listed["large_url"].endswith(photo.large_url)


@pytest.mark.parametrize("role", ROLES)
def test_who_may_upload_a_photo_through_the_api(city, people, client, role):
    headers = api_headers(people[role]) if people[role] else {}
    response = client.post(
        f"/api/v1/photos/networks.city/{city.pk}",
        {"image": photo_upload(), "alt_text": "Piața"},
        headers=headers,
    )
    if role in CITY_EDITORS:
        assert response.status_code == 201, response.content
        assert response.json()["alt_text"] == "Piața"
    else:
        assert response.status_code in (401, 403)
        assert not Photo.objects.exists()


def test_the_api_refuses_a_file_that_is_not_an_image_with_the_field(city, people, client):
    response = client.post(
        f"/api/v1/photos/networks.city/{city.pk}",
        {"image": SimpleUploadedFile("a.jpg", b"text"), "alt_text": "Piața"},
        headers=api_headers(people["city_coordinator"]),
    )
    assert response.status_code == 422
    assert "image" in json.dumps(response.json())
    assert not Photo.objects.exists()
