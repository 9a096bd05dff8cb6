"""The one image-upload pipeline of the project.

Only real JPEG, PNG or WebP images are accepted. Each is decoded by Pillow under a
pixel cap of our own, and its pixels are copied into a fresh image that is re-encoded
as JPEG, so no EXIF (GPS), comment or trailing payload survives. Files get random names.
"""

import io
import uuid
import warnings

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps

ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP"}


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
    uploaded.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(uploaded)
            if image.format not in ALLOWED_FORMATS:
                raise not_image
            width, height = image.size
            if width * height > settings.UPLOAD_MAX_PIXELS:
                raise ValidationError(
                    _("The photo has too many pixels. Please send a smaller photo."),
                    code="too_many_pixels",
                )
            image.load()
    except ValidationError:
        raise
    except Exception as exc:  # Pillow raises many kinds of errors on bad input
        raise not_image from exc
    image = ImageOps.exif_transpose(image)
    if image.mode not in ("RGB", "L"):
        background = Image.new("RGB", image.size, "white")
        rgba = image.convert("RGBA")
        background.paste(rgba, mask=rgba.split()[-1])
        image = background
    image.thumbnail((settings.UPLOAD_MAX_SIDE, settings.UPLOAD_MAX_SIDE))
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
            forms.ClearableFileInput(
                attrs={"accept": "image/jpeg,image/png,image/webp"}
            ),
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
