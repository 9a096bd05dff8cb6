"""The one image pipeline: only real photos, re-encoded, nothing hidden survives."""

import io
import re
import struct

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from core.uploads import clean_image
from tests.factories import AccountResidentFactory
from tests.module_data import roles_built_once

pytestmark = pytest.mark.django_db
module_roles, roles, building = roles_built_once()


def photo_bytes(fmt="JPEG", size=(64, 48), exif=None, comment=None, mode="RGB"):
    buffer = io.BytesIO()
    image = Image.new(mode, size, "red")
    kwargs = {}
    if exif is not None:
        kwargs["exif"] = exif
    if comment is not None:
        kwargs["comment"] = comment
    image.save(buffer, format=fmt, **kwargs)
    return buffer.getvalue()


def gps_exif():
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    gps = {1: "N", 2: (31.0, 24.0, 10.0), 3: "E", 4: (121.0, 20.0, 5.0)}
    exif[0x8825] = gps
    return exif


def tiff_exif(entries):
    """An EXIF block written by hand: (tag, type, count, value of at most 4 bytes)."""
    ifd = struct.pack(">H", len(entries))
    for tag, kind, count, value in entries:
        ifd += struct.pack(">HHI", tag, kind, count) + value.ljust(4, b"\x00")
    return b"Exif\x00\x00MM\x00\x2a" + struct.pack(">I", 8) + ifd + b"\x00" * 4


def upload(data, name="photo.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_real_photos_are_accepted_and_re_encoded_as_jpeg(fmt):
    cleaned = clean_image(upload(photo_bytes(fmt)))
    image = Image.open(io.BytesIO(cleaned.read()))
    assert image.format == "JPEG"
    assert image.size == (64, 48)
    assert cleaned.name.endswith(".jpg") and "photo" not in cleaned.name


def test_a_jpeg_with_more_pictures_is_a_photo_and_only_its_first_is_kept():
    """A phone's JPEG with an HDR gain map, or a camera's with a preview, holds more
    pictures in a Multi-Picture block (Pillow reads it as MPO): the photo is the first."""
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), "red").save(
        buffer, format="MPO", save_all=True, append_images=[Image.new("L", (32, 24))]
    )
    assert Image.open(buffer).format == "MPO"
    cleaned = clean_image(upload(buffer.getvalue())).read()
    image = Image.open(io.BytesIO(cleaned))
    assert image.format == "JPEG" and image.size == (64, 48)
    assert "mp" not in image.info and cleaned.count(b"\xff\xd8") == 1


def test_gps_exif_and_comments_do_not_survive():
    original = photo_bytes(exif=gps_exif(), comment=b"call 13812345678")
    assert b"PhoneMaker" in original and b"13812345678" in original
    cleaned = clean_image(upload(original)).read()
    image = Image.open(io.BytesIO(cleaned))
    assert not image.getexif()
    assert "comment" not in image.info
    assert b"PhoneMaker" not in cleaned and b"13812345678" not in cleaned


def test_exif_orientation_turns_the_photo_upright():
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: turn 90° clockwise to view
    cleaned = clean_image(upload(photo_bytes(size=(64, 48), exif=exif)))
    assert Image.open(io.BytesIO(cleaned.read())).size == (48, 64)


@pytest.mark.parametrize("fmt", ["JPEG", "WEBP"])
def test_malformed_exif_is_no_failure_and_the_orientation_still_counts(fmt):
    # A phone's EXIF with the resolution written as text, where a fraction belongs.
    exif = tiff_exif([(0x0112, 3, 1, struct.pack(">H", 6)), (0x011A, 2, 4, b"abc\x00")])
    cleaned = clean_image(upload(photo_bytes(fmt, size=(64, 48), exif=exif)))
    image = Image.open(io.BytesIO(cleaned.read()))
    assert image.size == (48, 64) and not image.getexif()


def test_unreadable_exif_leaves_the_photo_as_stored():
    exif = b"Exif\x00\x00MM\x00\xa8" + b"\x00" * 12  # not a TIFF header
    cleaned = clean_image(upload(photo_bytes("WEBP", size=(64, 48), exif=exif)))
    assert Image.open(io.BytesIO(cleaned.read())).size == (64, 48)


def test_png_followed_by_html_is_neutralised():
    polyglot = (
        photo_bytes("PNG") + b"<html><script>alert(document.cookie)</script></html>"
    )
    cleaned = clean_image(upload(polyglot, "x.png", "image/png")).read()
    assert b"<script>" not in cleaned


@pytest.mark.parametrize(
    "data",
    [
        b"this is not an image at all",
        b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
        b"\x89PNG\r\n\x1a\n" + b"\x00" * 40,  # a PNG header and nothing real
        b"GIF89a" + b"\x00" * 40,
    ],
)
def test_fake_images_are_refused_with_a_clear_message(data):
    with pytest.raises(ValidationError) as caught:
        clean_image(upload(data))
    assert "照片" in caught.value.messages[0]


def test_gif_is_not_an_accepted_format():
    with pytest.raises(ValidationError):
        clean_image(upload(photo_bytes("GIF", mode="P"), "a.gif", "image/gif"))


def test_oversized_file_is_refused(settings):
    settings.UPLOAD_MAX_BYTES = 1000
    with pytest.raises(ValidationError) as caught:
        clean_image(upload(photo_bytes(size=(400, 400)) + b"\x00" * 2000))
    assert "太大" in caught.value.messages[0]


def test_too_many_pixels_are_refused_before_decoding(settings):
    settings.UPLOAD_MAX_PIXELS = 100 * 100
    with pytest.raises(ValidationError) as caught:
        clean_image(upload(photo_bytes("PNG", size=(200, 200))))
    assert "像素" in caught.value.messages[0]


def test_a_strip_of_pixels_is_refused_before_decoding(settings):
    # 1 x 31,000 pixels: within the pixel count, but longer than any photo.
    settings.UPLOAD_MAX_EDGE = 30_000
    with pytest.raises(ValidationError) as caught:
        clean_image(upload(photo_bytes("PNG", size=(31_000, 1))))
    assert "像素" in caught.value.messages[0]
    # A phone's panorama is a photo.
    assert clean_image(upload(photo_bytes("JPEG", size=(12_000, 1_500))))


def test_large_photos_are_scaled_down(settings):
    settings.UPLOAD_MAX_SIDE = 100
    image = Image.open(
        io.BytesIO(clean_image(upload(photo_bytes(size=(400, 200)))).read())
    )
    assert image.size == (100, 50)


@pytest.mark.parametrize("mode", ["RGBA", "LA", "P", "CMYK"])
def test_a_large_photo_is_shrunk_before_it_is_turned_or_flattened(
    settings, monkeypatch, mode
):
    """The photo is turned and laid on white once shrunk, not at full size (a PNG of
    150 KB can hold 40 million transparent pixels: 160 MB for each full-size copy)."""
    settings.UPLOAD_MAX_SIDE = 100
    exif = Image.Exif()
    exif[0x0112] = 6
    fmt = "JPEG" if mode == "CMYK" else "PNG"
    original = photo_bytes(fmt, size=(1000, 600), exif=exif, mode=mode)
    made = []  # the size of every image the pipeline makes or turns

    def noting(real):
        def made_by(*args, **kwargs):
            result = real(*args, **kwargs)
            made.append(result.size)
            return result

        return made_by

    monkeypatch.setattr(Image, "new", noting(Image.new))
    monkeypatch.setattr(Image.Image, "transpose", noting(Image.Image.transpose))
    cleaned = clean_image(upload(original))
    assert Image.open(io.BytesIO(cleaned.read())).size == (60, 100)
    assert made and all(max(size) <= 100 for size in made), made


def test_avatar_upload_goes_through_the_pipeline(client):
    user = AccountResidentFactory().user
    client.force_login(user)
    data = photo_bytes(exif=gps_exif())
    response = client.post(
        reverse("buildings:profile-update"),
        {"name": user.name, "avatar": upload(data, "me.jpg")},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.avatar.name.startswith("avatars/") and "me" not in user.avatar.name
    with user.avatar.open("rb") as stored:
        assert not Image.open(stored).getexif()


def test_fake_avatar_is_refused_and_nothing_stored(client):
    user = AccountResidentFactory().user
    client.force_login(user)
    response = client.post(
        reverse("buildings:profile-update"),
        {"name": user.name, "avatar": upload(b"<html>hello</html>", "me.jpg")},
    )
    assert response.status_code == 400
    assert "照片" in response.content.decode()
    user.refresh_from_db()
    assert not user.avatar


def test_too_many_files_at_once_are_answered_in_words_and_change_nothing(
    client, building, settings
):
    """Django refuses more files (or fields) than its limit before any view runs: the
    answer is a page saying so in both languages, not a bare "Bad Request (400)"."""
    from proposals.models import Issue

    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 5
    client.force_login(AccountResidentFactory(household__building=building).user)
    photos = [upload(photo_bytes(), f"{i}.jpg") for i in range(6)]
    response = client.post(
        reverse("proposals:issue-create", args=[building.pk]),
        {"category": "other", "title": "门坏了", "photos": photos},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "少选几张照片" in page and "fewer photos" in page
    assert not Issue.objects.exists()
    assert not list(settings.MEDIA_ROOT.rglob("*.*"))


def test_the_documented_nginx_body_limit_lets_the_largest_photo_form_through(
    settings,
):
    """A form takes up to 4 photos of up to UPLOAD_MAX_BYTES each, refused beyond that
    by the app in the user's words. nginx must let such a form reach the app: its own
    refusal is a bare English "413 Request Entity Too Large"."""
    from proposals.models import IssuePhoto, ProposalPhoto

    readme = (settings.BASE_DIR / "README.md").read_text()
    limit = int(re.search(r"client_max_body_size (\d+)m;", readme)[1]) * 1024 * 1024
    most_files = max(IssuePhoto.MAX_PER_KIND, ProposalPhoto.MAX)
    assert limit > most_files * settings.UPLOAD_MAX_BYTES


def test_leader_sets_the_building_cover(client, building):
    leader = AccountResidentFactory(household__building=building, role="leader").user
    client.force_login(leader)
    response = client.post(
        reverse("buildings:edit", args=[building.pk]),
        {
            "description": "我们的楼",
            "cover": upload(photo_bytes("PNG"), "cover.png", "image/png"),
        },
    )
    assert response.status_code == 302
    building.refresh_from_db()
    assert building.cover.name.startswith("covers/") and building.cover.name.endswith(
        ".jpg"
    )
