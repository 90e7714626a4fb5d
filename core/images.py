"""Pictures of records: what an upload must be, and the sizes pages show it in.

Each kind of record that carries pictures (potentials, good practices, regions,
partners) has its own model in its own app, with a foreign key to the record:
those models inherit `RecordImage` from here, so the checks, the licences and the
renditions are written once, and each app's table keeps its integrity in the
database (a picture goes with its record).

An upload is read, not trusted by its name: Pillow must recognise it as a JPEG, PNG
or WebP picture, within a size and a pixel limit (a small file can unpack into an
enormous image); markup (SVG, HTML) and anything holding a script is refused.

Renditions are made by django-imagekit once, when a picture is saved (the
"optimistic" strategy in settings), so a page asks neither the database nor the
storage about them: their addresses are computed, and their sizes follow from the
picture's own, stored with it. `manage.py generateimages` makes them again after a
size changes. Pages never link the uploaded file itself, which may carry the
camera's metadata (a place, a serial number); renditions carry none.
"""

from __future__ import annotations

import os
import uuid
import warnings
from dataclasses import dataclass
from typing import ClassVar, NamedTuple

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Prefetch, Window
from django.db.models.functions import RowNumber
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from imagekit.models import ImageSpecField
from PIL import Image, UnidentifiedImageError
from pilkit.processors import ResizeToFill, ResizeToFit, Transpose

from core.models import ChoiceLabels

# Pillow's format names, with the file name endings each may have.
ALLOWED_FORMATS: dict[str, tuple[str, ...]] = {
    "JPEG": (".jpg", ".jpeg"),
    "PNG": (".png",),
    "WEBP": (".webp",),
}
# A picture smaller than this on either side would be blurred on a card.
MIN_SIDE = 200
# EXIF orientations that turn the picture by a quarter: width and height swap.
_QUARTER_TURNS = {5, 6, 7, 8}


class Licence(models.TextChoices):
    """The terms a picture is shown under (names of licences are not translated)."""

    CC0 = "cc0-1.0", "CC0 1.0"
    CC_BY = "cc-by-4.0", "CC BY 4.0"
    CC_BY_SA = "cc-by-sa-4.0", "CC BY-SA 4.0"
    PUBLIC_DOMAIN = "public-domain", _("Public domain")
    PERMISSION = "permission", _("Used with permission of the owner")


LICENCE_URLS: dict[str, str] = {
    Licence.CC0: "https://creativecommons.org/publicdomain/zero/1.0/",
    Licence.CC_BY: "https://creativecommons.org/licenses/by/4.0/",
    Licence.CC_BY_SA: "https://creativecommons.org/licenses/by-sa/4.0/",
    Licence.PUBLIC_DOMAIN: "https://creativecommons.org/publicdomain/mark/1.0/",
}


# --- Checking an upload ------------------------------------------------------------


def refuse(message, code: str, **params) -> ValidationError:
    return ValidationError(message, code=code, params=params)


def read_within(upload, limit: int, too_large) -> bytes:
    """The upload's bytes, or `too_large` (a message with %(size)s and
    %(limit)s) when it is over `limit` bytes; the file is left at its start."""
    if upload.size > limit:
        raise refuse(
            too_large,
            "too_large",
            size=filesizeformat(upload.size),
            limit=filesizeformat(limit),
        )
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    return data


def check_picture(upload) -> None:
    """Refuse anything but a JPEG, PNG or WebP picture within the limits.

    Raises ValidationError with a message that says what to do instead.
    """
    data = read_within(
        upload,
        settings.PICTURE_MAX_BYTES,
        _("This file is %(size)s; a picture may be at most %(limit)s."),
    )
    if data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        # SVG, HTML or XML: drawings and pages can run scripts in a browser.
        raise refuse(
            _(
                "Drawings (SVG) and web pages are not accepted as pictures, as "
                "they can carry scripts. Upload a JPEG, PNG or WebP picture."
            ),
            "markup",
        )
    if b"<script" in data.lower():
        raise refuse(
            _("This file holds a script, so it is refused. Upload a plain picture."),
            "script",
        )
    try:
        with warnings.catch_warnings():
            # Pillow's own bomb warning is below our limit; ours is checked next.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                kind, (width, height) = image.format, image.size
                if kind in ALLOWED_FORMATS and width * height <= (
                    settings.PICTURE_MAX_PIXELS
                ):
                    image.verify()
    except Image.DecompressionBombError:
        kind, width, height = "", 0, settings.PICTURE_MAX_PIXELS + 1
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise refuse(
            _(
                "This file is not a picture the portal can read. Upload a JPEG, "
                "PNG or WebP picture."
            ),
            "not_a_picture",
        ) from None
    finally:
        upload.seek(0)
    if width * height > settings.PICTURE_MAX_PIXELS:
        raise refuse(
            _(
                "This picture has too many pixels (at most %(megapixels)s million). "
                "Make it smaller and upload it again."
            ),
            "too_many_pixels",
            megapixels=settings.PICTURE_MAX_PIXELS // 1_000_000,
        )
    if kind not in ALLOWED_FORMATS:
        raise refuse(
            _(
                "%(format)s pictures are not accepted. Upload a JPEG, PNG or WebP "
                "picture."
            ),
            "format",
            format=kind,
        )
    ending = os.path.splitext(upload.name or "")[1].lower()
    if ending not in ALLOWED_FORMATS[kind]:
        raise refuse(
            _(
                "The file's name ends in “%(ending)s”, but it holds a %(format)s "
                "picture. Give it the right ending and upload it again."
            ),
            "wrong_ending",
            ending=ending or "–",
            format=kind,
        )
    if min(width, height) < MIN_SIDE:
        raise refuse(
            _(
                "This picture is %(width)s × %(height)s pixels; it needs at least "
                "%(min)s pixels on each side."
            ),
            "too_small",
            width=width,
            height=height,
            min=MIN_SIDE,
        )


def validate_new_picture(value) -> None:
    """The model field's validator: checks a file being uploaded, not one stored."""
    if value and not getattr(value, "_committed", True):
        check_picture(value.file)


def oriented_size(upload) -> tuple[int, int]:
    """The picture's width and height as shown, its EXIF orientation applied."""
    upload.seek(0)
    with Image.open(upload) as image:
        width, height = image.size
        orientation = image.getexif().get(0x0112)
    upload.seek(0)
    return (height, width) if orientation in _QUARTER_TURNS else (width, height)


class PictureFormField(forms.ImageField):
    """Django's image field, with the portal's checks (and their messages) first."""

    def to_python(self, data):
        if data:
            check_picture(data)
        return super().to_python(data)


class PictureField(models.ImageField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("validators", [validate_new_picture])
        super().__init__(*args, **kwargs)

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": PictureFormField, **kwargs})


def picture_upload_to(instance: models.Model, filename: str) -> str:
    """A name of its own for each upload: the uploader's file name may say more
    than the picture (and may clash with another)."""
    ending = os.path.splitext(filename)[1].lower()
    return f"pictures/{instance._meta.model_name}/{uuid.uuid4().hex}{ending}"


# --- Renditions --------------------------------------------------------------------


@dataclass(frozen=True)
class Size:
    """A rendition's box: cropped to fill it exactly, or fitted within its width."""

    width: int
    height: int | None = None
    format: str = "WEBP"

    def processors(self) -> list:
        if self.height:
            return [Transpose(), ResizeToFill(self.width, self.height)]
        return [Transpose(), ResizeToFit(width=self.width, upscale=False)]

    def spec(self) -> ImageSpecField:
        return ImageSpecField(
            source="image",
            processors=self.processors(),
            format=self.format,
            options={"quality": 82},
        )

    def dimensions(self, width: int, height: int) -> tuple[int, int]:
        """The rendition's size for a picture of `width` × `height` (as
        ResizeToFill and ResizeToFit compute it)."""
        if self.height:
            return self.width, self.height
        ratio = min(1.0, self.width / width)
        return int(round(width * ratio)), int(round(height * ratio))


# Cards are at most 480 CSS pixels wide, the detail page's pictures 960; each has a
# double size for sharp screens. Open Graph asks for 1200 × 630, in JPEG, which
# every site that shows a link preview reads.
SIZES: dict[str, Size] = {
    "card": Size(480, 320),
    "card_2x": Size(960, 640),
    "detail": Size(960),
    "detail_2x": Size(1920),
    "og": Size(1200, 630, format="JPEG"),
}


class Rendition(NamedTuple):
    url: str
    width: int
    height: int


class RecordImage(ChoiceLabels, models.Model):
    """A picture of a record, with what a reader must be told about it."""

    image = PictureField(
        _("picture"),
        upload_to=picture_upload_to,
        help_text=_(
            "A JPEG, PNG or WebP picture of at most 10 MB, at least 200 pixels on "
            "each side; a landscape picture of 1200 pixels or more wide fits best."
        ),
    )
    width = models.PositiveIntegerField(_("width"), null=True, editable=False)
    height = models.PositiveIntegerField(_("height"), null=True, editable=False)
    alt = models.CharField(
        _("text alternative"),
        max_length=250,
        help_text=_(
            "What the picture shows, for those who cannot see it: a sentence or "
            "two, in each language."
        ),
    )
    caption = models.CharField(_("caption"), max_length=300, blank=True)
    credit = models.CharField(
        _("credit"),
        max_length=200,
        help_text=_("Who took or owns the picture, as they want to be named."),
    )
    licence = models.CharField(_("licence"), max_length=20, choices=Licence.choices)
    source_url = models.URLField(
        _("source"),
        max_length=500,
        blank=True,
        help_text=_("Where the picture was published, if it was."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    card = SIZES["card"].spec()
    card_2x = SIZES["card_2x"].spec()
    detail = SIZES["detail"].spec()
    detail_2x = SIZES["detail_2x"].spec()
    og = SIZES["og"].spec()

    #: The foreign key to the record, in each concrete model.
    record_field: ClassVar[str]

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.alt or self.caption or os.path.basename(self.image.name)

    def save(self, *args, **kwargs):
        if self.image and not self.image._committed:
            self.width, self.height = oriented_size(self.image.file)
        super().save(*args, **kwargs)

    @property
    def licence_url(self) -> str:
        return LICENCE_URLS.get(self.licence, "")

    def rendition(self, size: str) -> Rendition:
        width, height = SIZES[size].dimensions(self.width or 1, self.height or 1)
        return Rendition(getattr(self, size).url, width, height)

    def srcset(self, *sizes: str) -> str:
        """Candidates for `srcset`: a small picture is not enlarged, so a double
        size as wide as the single one is left out."""
        candidates: dict[int, str] = {}
        for rendition in (self.rendition(size) for size in sizes):
            candidates.setdefault(rendition.width, rendition.url)
        return ", ".join(f"{url} {width}w" for width, url in candidates.items())

    @property
    def card_rendition(self) -> Rendition:
        return self.rendition("card")

    @property
    def card_srcset(self) -> str:
        return self.srcset("card", "card_2x")

    @property
    def detail_rendition(self) -> Rendition:
        return self.rendition("detail")

    @property
    def detail_srcset(self) -> str:
        return self.srcset("detail", "detail_2x")

    @property
    def og_rendition(self) -> Rendition:
        return self.rendition("og")


def first_images(model: type[RecordImage]) -> Prefetch:
    """Each record's first picture, as a one-item list `first_images`: what a list
    page's cards show, in one query for the whole page."""
    ranked = model._default_manager.annotate(
        position=Window(
            RowNumber(),
            partition_by=F(model.record_field),
            order_by=[F("order").asc(), F("pk").asc()],
        )
    ).filter(position=1)
    return Prefetch("images", queryset=ranked, to_attr="first_images")
