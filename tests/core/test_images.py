"""Pictures: what an upload must be, and the renditions made of it."""

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from core.images import SIZES, check_picture
from tests.factories import PotentialImageFactory, picture_file

SVG_WITH_SCRIPT = (
    b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" '
    b'width="400" height="400"><script>alert(document.cookie)</script>'
    b'<rect width="400" height="400"/></svg>'
)


def refusal(upload) -> ValidationError:
    with pytest.raises(ValidationError) as raised:
        check_picture(upload)
    return raised.value


def test_a_text_file_is_refused():
    error = refusal(SimpleUploadedFile("notes.jpg", b"Minutes of the meeting " * 50))
    assert error.code == "not_a_picture"
    assert "not a picture" in error.messages[0]


def test_an_svg_with_a_script_is_refused():
    error = refusal(SimpleUploadedFile("drawing.svg", SVG_WITH_SCRIPT))
    assert error.code == "markup"
    assert "SVG" in error.messages[0]


def test_a_picture_carrying_a_script_is_refused():
    upload = picture_file(comment=b"<SCRIPT>alert(1)</script>")
    assert refusal(upload).code == "script"


def test_a_gif_renamed_to_jpg_is_refused():
    error = refusal(picture_file("photo.jpg", kind="GIF"))
    assert error.code == "format"
    assert "GIF" in error.messages[0]


def test_a_png_named_jpg_is_refused_with_the_right_ending_named():
    error = refusal(picture_file("photo.jpg", kind="PNG"))
    assert error.code == "wrong_ending"
    assert "PNG" in error.messages[0]


def test_an_oversize_file_is_refused(settings):
    settings.PICTURE_MAX_BYTES = 1000
    error = refusal(picture_file("photo.jpg"))
    assert error.code == "too_large"
    assert "at most 1000" in error.messages[0]


def test_a_decompression_bomb_is_refused():
    """A few kilobytes of PNG that would unpack into 50 million pixels."""
    upload = picture_file("bomb.png", size=(10_000, 5_000), kind="PNG", optimize=True)
    assert upload.size < settings.PICTURE_MAX_BYTES
    assert refusal(upload).code == "too_many_pixels"


def test_a_tiny_picture_is_refused():
    assert refusal(picture_file(size=(120, 90))).code == "too_small"


@pytest.mark.parametrize(
    ("name", "kind"),
    [("a.jpg", "JPEG"), ("b.jpeg", "JPEG"), ("c.png", "PNG"), ("d.webp", "WEBP")],
)
def test_pictures_of_the_allowed_kinds_pass(name, kind):
    check_picture(picture_file(name, kind=kind))


@pytest.mark.django_db
def test_a_saved_picture_has_its_renditions_in_their_sizes():
    image = PotentialImageFactory(image=picture_file("lake.jpg", size=(1600, 1200)))
    assert (image.width, image.height) == (1600, 1200)
    assert image.image.name.startswith("pictures/potentialimage/")
    assert "lake" not in image.image.name
    for size in SIZES:
        rendition = image.rendition(size)
        name = getattr(image, size).name
        assert default_storage.exists(name), size
        with default_storage.open(name) as stored, Image.open(stored) as made:
            assert made.size == (rendition.width, rendition.height), size
            assert made.format == SIZES[size].format
    assert image.rendition("detail")[1:] == (960, 720)
    assert image.rendition("detail_2x")[1:] == (1600, 1200)
    assert image.rendition("og")[1:] == (1200, 630)


@pytest.mark.django_db
def test_a_turned_photo_is_measured_as_shown():
    """A phone's portrait photo is stored landscape with an EXIF turn."""
    exif = Image.Exif()
    exif[0x0112] = 6
    image = PotentialImageFactory(
        image=picture_file("phone.jpg", size=(800, 600), exif=exif.tobytes())
    )
    assert (image.width, image.height) == (600, 800)
    with default_storage.open(image.detail.name) as stored, Image.open(stored) as made:
        assert made.size == (600, 800)


@pytest.mark.django_db
def test_a_small_picture_is_not_enlarged_for_sharp_screens():
    image = PotentialImageFactory(image=picture_file(size=(700, 400)))
    assert image.detail_srcset.count(",") == 0
    assert image.detail_srcset.endswith(" 700w")
    assert image.card_srcset.count(",") == 1


def test_media_of_tests_is_kept_out_of_the_repository():
    assert not str(settings.MEDIA_ROOT).startswith(str(settings.BASE_DIR))
