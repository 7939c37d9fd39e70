"""API for photos: list an object's photos, upload one, remove one (conet/core/photos).

It lives here, not in conet/core/photos, because core imports nothing above it (the API sign-in
comes from accounts)."""

from datetime import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import File, Form, Router, Schema
from ninja.files import UploadedFile

from conet.api.auth import WRITE_AUTH, reader
from conet.core.models import Photo
from conet.core.photos import registry, selectors, services

router = Router(tags=["photos"])


class PhotoOut(Schema):
    id: int
    position: int
    alt_text: str
    caption: str
    credit: str
    language: str
    width: int  # of the large image
    height: int
    large_url: str  # full address, up to 1600 px on the long side, JPEG
    small_url: str  # up to 480 px
    created_at: datetime


def _site(path: str) -> str:
    return settings.CONET_SITE_URL.rstrip("/") + path


def _out(photo: Photo) -> dict:
    return {
        "id": photo.pk,
        "position": photo.position,
        "alt_text": photo.alt_text,
        "caption": photo.caption,
        "credit": photo.credit,
        "language": photo.language,
        "width": photo.width,
        "height": photo.height,
        "large_url": _site(photo.large_url),
        "small_url": _site(photo.small_url),
        "created_at": photo.created_at,
    }


def _find(request, key: str, object_id: int):
    return registry.visible(request, key, object_id)


@router.get("/photos/{key}/{object_id}", response=list[PhotoOut], auth=reader)
def list_photos(request, key: str, object_id: int):
    """The photos of one object (`networks.city`, `networks.partnership` for a focus area,
    `practices.goodpractice`, `meetings.meeting`, `workshops.workshop`), first the preview."""
    _photographed, obj = _find(request, key, object_id)
    return [_out(photo) for photo in selectors.photos_of(obj)]


@router.post("/photos/{key}/{object_id}", response={201: PhotoOut}, auth=WRITE_AUTH)
def upload_photo(
    request,
    key: str,
    object_id: int,
    image: File[UploadedFile],
    alt_text: Form[str],
    caption: Form[str] = "",
    credit: Form[str] = "",
):
    """Add a photo (multipart/form-data: `image`, `alt_text`, optional `caption` and `credit`).
    JPEG, PNG or WebP; CoNet keeps it re-encoded in two sizes without EXIF or GPS data. 422 names
    the field when the file is not an image, too large, or the alt text is missing."""
    photographed, obj = _find(request, key, object_id)
    if not photographed.may_edit(request.user, obj):
        raise PermissionDenied(photographed.edit_permission)
    photo = services.add_photo(
        obj,
        image,
        by=request.user,
        alt_text=alt_text,
        caption=caption,
        credit=credit,
        request=request,
    )
    return 201, _out(photo)


@router.delete("/photos/{key}/{object_id}/{photo_id}", response={204: None}, auth=WRITE_AUTH)
def delete_photo(request, key: str, object_id: int, photo_id: int):
    """Remove a photo and its files."""
    _photographed, obj = _find(request, key, object_id)
    photo = next((p for p in selectors.photos_of(obj) if p.pk == photo_id), None)
    if photo is None:
        raise Http404(str(photo_id))
    services.delete_photo(photo, obj, by=request.user, request=request)
    return 204, None
