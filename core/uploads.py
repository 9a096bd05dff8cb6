"""The one image-upload pipeline of the project.

Only real JPEG, PNG or WebP images are accepted. Each is decoded by Pillow under a
pixel cap of our own, and its pixels are copied into a fresh image that is re-encoded
as JPEG, so no EXIF (GPS), comment or trailing payload survives. Files get random names.

Every form that takes a photo uses ImageUploadField: the app's forms declare it, and
the admin gets it for every ImageField through PhotoUploadsMixin.

A photo that is replaced or cleared, or whose row is deleted, is deleted from storage
once the transaction commits (connect_photo_cleanup), so no old photo stays reachable
at its address.
"""

import io
import uuid
import warnings

from django import forms
from django.conf import settings
from django.contrib.admin.widgets import AdminFileWidget
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.db import models, transaction
from django.db.models.signals import post_delete, post_init, post_save
from django.utils.translation import gettext_lazy as _
from PIL import ExifTags, Image

# MPO is a JPEG carrying further pictures in a Multi-Picture block (an HDR gain map of
# many phones, a camera's preview or second view): its first picture is the photo.
ALLOWED_FORMATS = {"JPEG", "MPO", "PNG", "WEBP"}
ACCEPT = "image/jpeg,image/png,image/webp"  # the file input's hint to the phone
# How to turn a photo upright for each EXIF orientation (1, or none, is upright).
ORIENTATIONS = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


def turn_upright(image: Image.Image) -> Image.Transpose | None:
    """How to turn the photo upright by its EXIF (or XMP) orientation, if at all.

    Not ImageOps.exif_transpose: it also writes the EXIF back into the turned image,
    which fails on a malformed block (a tag of the wrong type), and no EXIF is kept
    here anyway. EXIF that cannot be read at all leaves the photo as it was stored.
    """
    try:
        return ORIENTATIONS.get(image.getexif().get(ExifTags.Base.Orientation))
    except Exception:  # Pillow raises many kinds of errors on bad EXIF
        return None


def clean_image(uploaded) -> ContentFile:
    """Return a safe re-encoded JPEG of the upload, or raise ValidationError."""
    if uploaded.size > settings.UPLOAD_MAX_BYTES:
        raise ValidationError(
            _("The photo is too large (at most %(mb)d MB).")
            % {"mb": settings.UPLOAD_MAX_BYTES // (1024 * 1024)},
            code="too_big",
        )
    not_image = ValidationError(
        _(
            "This file is not a photo we can read. Please choose a JPEG, PNG or WebP photo."
        ),
        code="not_image",
    )
    too_many_pixels = ValidationError(
        _("The photo has too many pixels. Please send a smaller photo."),
        code="too_many_pixels",
    )
    uploaded.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(uploaded)
            if image.format not in ALLOWED_FORMATS:
                raise not_image
            width, height = image.size
            if (
                width * height > settings.UPLOAD_MAX_PIXELS
                or max(width, height) > settings.UPLOAD_MAX_EDGE
            ):  # a strip of 1 x 39 million pixels is no photo, and costs seconds
                raise too_many_pixels
            image.load()
    except ValidationError:
        raise
    except (Image.DecompressionBombWarning, Image.DecompressionBombError) as exc:
        # Pillow's own limit, met in Image.open before our cap is read: the same answer.
        raise too_many_pixels from exc
    except Exception as exc:  # Pillow raises many kinds of errors on bad input
        raise not_image from exc
    turn = turn_upright(image)
    if image.mode in ("1", "P"):  # shrunk by nearest neighbour otherwise
        image = image.convert("RGBA")
    # Shrunk before any other work: a photo of 40 million pixels (a PNG of 150 KB can
    # be one) is turned and flattened at a few million, not copied at full size.
    image.thumbnail((settings.UPLOAD_MAX_SIDE, settings.UPLOAD_MAX_SIDE))
    if turn is not None:
        image = image.transpose(turn)
    if image.mode not in ("RGB", "L"):
        background = Image.new("RGB", image.size, "white")
        rgba = image.convert("RGBA")
        background.paste(rgba, mask=rgba.split()[-1])
        image = background
    # Copy the pixels only: a new image carries no info, EXIF, ICC or comment.
    fresh = Image.new(image.mode, image.size)
    fresh.paste(image)
    out = io.BytesIO()
    fresh.convert("RGB").save(out, format="JPEG", quality=85, optimize=True)
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.jpg")


class ImageUploadField(forms.ImageField):
    """A form field that runs every upload through clean_image."""

    default_error_messages = {
        "invalid_image": _(
            "This file is not a photo we can read. Please choose a JPEG, PNG or WebP photo."
        ),
    }

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget",
            forms.ClearableFileInput(attrs={"accept": ACCEPT}),
        )
        super().__init__(*args, **kwargs)

    def to_python(self, data):
        if data in self.empty_values:
            return None
        if getattr(data, "size", 0) > settings.UPLOAD_MAX_BYTES:
            raise ValidationError(
                _("The photo is too large (at most %(mb)d MB).")
                % {"mb": settings.UPLOAD_MAX_BYTES // (1024 * 1024)},
                code="too_big",
            )
        return clean_image(data)


class PhotoUploadsMixin:
    """For every ModelAdmin and inline that shows a photo: the app's upload pipeline.

    An upload is re-encoded (no EXIF, GPS, comment or hidden payload) or refused with
    the same message as in the app; a replaced or cleared photo is deleted (below).
    """

    formfield_overrides = {
        models.ImageField: {
            "form_class": ImageUploadField,
            "widget": AdminFileWidget(attrs={"accept": ACCEPT}),
        }
    }


# --- Replaced and removed photos --------------------------------------------------------

# Each instance keeps the file names it was read with, to know what a save replaced.
STORED = "_stored_file_names"
FILE_FIELDS = {}  # model -> its file fields, filled by connect_photo_cleanup


def _name(value) -> str:
    if isinstance(value, File):
        return value.name or ""
    return value or ""


def _remember_names(sender, instance, **kwargs):
    # A row read from the database holds names (str); a file handed to a new instance
    # is not stored yet, so there is nothing to replace. Fields deferred by .only() are
    # not in __dict__: never read them here (that would be a query).
    instance.__dict__[STORED] = {
        field.attname: value
        for field in FILE_FIELDS[sender]
        if isinstance(value := instance.__dict__.get(field.attname), str) and value
    }


def _delete_later(storage, name: str) -> None:
    # After the commit: a rolled-back change keeps its photo. robust: a storage hiccup
    # leaves a stray file, never a failed request.
    transaction.on_commit(lambda: storage.delete(name), robust=True)


def _delete_replaced(sender, instance, update_fields=None, **kwargs):
    stored = instance.__dict__.setdefault(STORED, {})
    for field in FILE_FIELDS[sender]:
        if update_fields is not None and field.name not in update_fields:
            continue
        if field.attname not in instance.__dict__:
            continue
        new = _name(instance.__dict__[field.attname])
        old = stored.get(field.attname, "")
        if old and old != new:
            _delete_later(field.storage, old)
        stored[field.attname] = new


def _delete_removed(sender, instance, **kwargs):
    for field in FILE_FIELDS[sender]:
        name = _name(instance.__dict__.get(field.attname))
        if name:
            _delete_later(field.storage, name)


def connect_photo_cleanup() -> None:
    """Delete the replaced, cleared and orphaned files of every model with a file field."""
    from django.apps import apps

    for model in apps.get_models():
        FILE_FIELDS[model] = [
            field
            for field in model._meta.concrete_fields
            if isinstance(field, models.FileField)
        ]
        if FILE_FIELDS[model]:
            post_init.connect(_remember_names, sender=model)
            post_save.connect(_delete_replaced, sender=model)
            post_delete.connect(_delete_removed, sender=model)
