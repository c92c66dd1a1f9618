"""Photos on cases: checked by content (not by name), bounded in size, location kept on consent.

Pillow decodes every image, so a renamed executable or a truncated upload is refused. Phone
photos carry the GPS position in their EXIF data; it is removed unless the reporter agreed to
keep it (DESIGN.md §3, PIPL minimisation).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

MAX_IMAGE_BYTES = 10 * 1024 * 1024
MAX_IMAGE_PIXELS = 40_000_000
IMAGE_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
GPS_IFD = 0x8825


@dataclass
class CheckedImage:
    content: ContentFile
    content_type: str
    width: int
    height: int


def _read(upload: IO[bytes] | Any) -> bytes:
    if hasattr(upload, "seek"):
        upload.seek(0)
    data = upload.read()
    return data if isinstance(data, bytes) else bytes(data)


def check_image(upload: IO[bytes] | Any, *, keep_location: bool = False) -> CheckedImage:
    from PIL import Image, UnidentifiedImageError

    name = getattr(upload, "name", "") or "photo"
    data = _read(upload)
    if len(data) > MAX_IMAGE_BYTES:
        raise ValidationError(
            _("%(name)s is larger than %(limit)s MB.")
            % {"name": name, "limit": MAX_IMAGE_BYTES // (1024 * 1024)},
            code="too_large",
        )
    try:
        with Image.open(io.BytesIO(data)) as probe:
            probe.verify()
        image = Image.open(io.BytesIO(data))
        image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError(
            _("%(name)s is not a photo we can read (JPEG, PNG or WebP).") % {"name": name},
            code="not_an_image",
        ) from None
    if image.format not in IMAGE_TYPES:
        raise ValidationError(
            _("%(name)s is not a photo we can read (JPEG, PNG or WebP).") % {"name": name},
            code="not_an_image",
        )
    if image.width * image.height > MAX_IMAGE_PIXELS:
        raise ValidationError(
            _("%(name)s has too many pixels; please send a smaller photo.") % {"name": name},
            code="too_many_pixels",
        )
    exif = image.getexif()
    if not keep_location and GPS_IFD in exif:
        del exif[GPS_IFD]
        out = io.BytesIO()
        image.save(out, format=image.format, exif=exif.tobytes(), quality=92)
        data = out.getvalue()
    base = name.rsplit("/", 1)[-1].rsplit(".", 1)[0][:60] or "photo"
    extension = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}[image.format]
    return CheckedImage(
        content=ContentFile(data, name=f"{base}.{extension}"),
        content_type=IMAGE_TYPES[image.format],
        width=image.width,
        height=image.height,
    )
