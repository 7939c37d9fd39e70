"""Turning an uploaded file into the images CoNet stores: decoded, upright, without metadata.

Nothing of the uploaded bytes is kept. The file is decoded with Pillow (so a text file named
.jpg, a truncated file or a decompression bomb is refused before anything is stored), turned
the way its EXIF orientation says, flattened onto white if it has transparency, and encoded
again as JPEG in two sizes. Re-encoding without passing `exif=` is what drops EXIF, GPS and
XMP: Pillow writes only what it is given. JPEG because every browser, every link preview
(Open Graph) and WeasyPrint read it, and a photo compresses well in it.
"""

from __future__ import annotations

import io
import threading
import warnings
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageFile, ImageOps, UnidentifiedImageError

# The formats a camera, a phone or a screenshot gives; others are refused with a message.
ACCEPTED_FORMATS = {"JPEG", "MPO", "PNG", "WEBP"}
# Long side of each stored size, in pixels: a wide screen's column, and a phone's strip.
LARGE = 1600
SMALL = 480
JPEG_QUALITY = 82


def max_bytes() -> int:
    return int(getattr(settings, "CONET_PHOTO_MAX_MB", 15)) * 1024 * 1024


def max_pixels() -> int:
    # 50 megapixels: more than any phone camera; a few kilobytes of a decompression bomb claim far
    # more and would take gigabytes of memory to decode.
    return int(getattr(settings, "CONET_PHOTO_MAX_MEGAPIXELS", 50)) * 1_000_000


@dataclass(frozen=True)
class Rendition:
    content: bytes
    width: int
    height: int


@dataclass(frozen=True)
class Prepared:
    large: Rendition
    small: Rendition


def _refuse(message) -> ValidationError:
    return ValidationError({"image": message})


def _read(upload) -> bytes:
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes():
        raise _refuse(_("A photo may be at most %(mb)s MB.") % {"mb": max_bytes() // (1024 * 1024)})
    if hasattr(upload, "seek"):
        upload.seek(0)
    data = upload.read(max_bytes() + 1) if hasattr(upload, "read") else bytes(upload)
    if len(data) > max_bytes():
        raise _refuse(_("A photo may be at most %(mb)s MB.") % {"mb": max_bytes() // (1024 * 1024)})
    if not data:
        raise _refuse(_("The file is empty."))
    return data


_strict_lock = threading.Lock()


@contextmanager
def _truncated_files_refused():
    """WeasyPrint sets Pillow's process-wide LOAD_TRUNCATED_IMAGES on import (to draw what it can
    of a broken image in a document); an upload must be whole, so it is switched off while one is
    decoded. The PDFs only embed files we wrote, which are whole."""
    with _strict_lock:
        before = ImageFile.LOAD_TRUNCATED_IMAGES
        ImageFile.LOAD_TRUNCATED_IMAGES = False
        try:
            yield
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = before


def _decoded(data: bytes) -> Image.Image:
    not_an_image = _("This file is not a photo CoNet can read. Upload a JPEG, PNG or WebP image.")
    too_large = _(
        "This image has too many pixels (at most %(megapixels)s megapixels). "
        "Make it smaller and upload it again."
    ) % {"megapixels": max_pixels() // 1_000_000}
    with warnings.catch_warnings(), _truncated_files_refused():
        # Pillow warns (and at twice its limit raises) about decompression bombs; we check the
        # size ourselves, before decoding, against our own lower limit.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data)) as probe:
                if probe.format not in ACCEPTED_FORMATS:
                    raise _refuse(not_an_image)
                if probe.width * probe.height > max_pixels():
                    raise _refuse(too_large)
                probe.verify()  # checks the file's structure without decoding the pixels
            image = Image.open(io.BytesIO(data))
            image.load()  # decodes every pixel: a truncated or corrupt file fails here
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise _refuse(too_large) from None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
            raise _refuse(not_an_image) from None
    return image


def _flattened(image: Image.Image) -> Image.Image:
    """RGB, transparency laid on white (JPEG has no alpha; black behind a logo would surprise)."""
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")


def _encoded(image: Image.Image, longest: int, icc_profile: bytes | None) -> Rendition:
    copy = image.copy()
    copy.thumbnail((longest, longest), Image.Resampling.LANCZOS)  # never enlarges
    out = io.BytesIO()
    options = {"quality": JPEG_QUALITY, "optimize": True, "progressive": True}
    if icc_profile:
        options["icc_profile"] = icc_profile  # colours, not a location: kept
    copy.save(out, "JPEG", **options)
    return Rendition(out.getvalue(), copy.width, copy.height)


def prepare(upload) -> Prepared:
    """The two stored sizes of `upload` (a file object or bytes), or a ValidationError on `image`
    that says in the reader's language why it was refused."""
    image = _decoded(_read(upload))
    if getattr(image, "n_frames", 1) > 1:
        image.seek(0)  # a phone's MPO (a JPEG with a second picture): the first
    icc_profile = image.info.get("icc_profile")
    image = ImageOps.exif_transpose(image)  # upright, as the camera meant it
    image = _flattened(image)
    return Prepared(
        large=_encoded(image, LARGE, icc_profile),
        small=_encoded(image, SMALL, icc_profile),
    )
