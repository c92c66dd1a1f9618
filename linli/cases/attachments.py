"""Photos on cases: checked by content (not by name), bounded in size, location kept on consent.

Pillow decodes every image, so a renamed executable or a truncated upload is refused. Phone
photos carry the GPS position in their EXIF data; it is removed unless the reporter agreed to
keep it (DESIGN.md §3, PIPL minimisation).
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from linli.cases.models import Case, CaseAttachment, CaseEvent
from linli.core.access import Access

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


@dataclass(frozen=True)
class Photo:
    """An uploaded photo and what it shows; ``field_key`` names a photo-type extra field."""

    file: IO[bytes] | Any
    kind: str = CaseAttachment.Kind.PHOTO
    field_key: str = ""


def check_photos(
    photos: Sequence[Photo], keep_location: bool, errors: dict[str, list[str]], name: str
) -> list[tuple[Photo, CheckedImage]]:
    """Every photo checked; the refused ones' messages go to ``errors[name]``."""
    checked = []
    for photo in photos:
        try:
            checked.append((photo, check_image(photo.file, keep_location=keep_location)))
        except ValidationError as exc:
            errors.setdefault(name, []).extend(exc.messages)
    return checked


def save_photos(
    case: Case,
    checked: Sequence[tuple[Photo, CheckedImage]],
    actor: Access,
    event: CaseEvent | None,
    now: dt.datetime,
) -> list[CaseAttachment]:
    saved = []
    for photo, image in checked:
        saved.append(
            CaseAttachment.objects.create(
                subdistrict_id=case.subdistrict_id,
                case=case,
                event=event,
                kind=photo.kind,
                field_key=photo.field_key,
                file=image.content,
                content_type=image.content_type,
                size=image.content.size,
                width=image.width,
                height=image.height,
                uploaded_by=actor.user,
                uploaded_at=now,
            )
        )
    return saved
