"""Blurring rectangles of a receipt photo on the server (no JavaScript needed).

A leader picks cells of a grid laid over the photo, or types rectangles as percentages;
the server pixelates and then blurs each area so names and phone numbers are unreadable.
"""

import io
import uuid

from django.core.files.base import ContentFile
from PIL import Image, ImageFilter

GRID_COLUMNS = 6
GRID_ROWS = 8


def cell_region(cell: str) -> tuple[float, float, float, float]:
    """'r-c' -> (x, y, width, height) in percent of the photo."""
    row, column = (int(part) for part in cell.split("-"))
    width, height = 100 / GRID_COLUMNS, 100 / GRID_ROWS
    return (
        round(column * width, 3),
        round(row * height, 3),
        round(width, 3),
        round(height, 3),
    )


def grid_cells() -> list[str]:
    return [
        f"{row}-{column}" for row in range(GRID_ROWS) for column in range(GRID_COLUMNS)
    ]


def blur_image(file, regions) -> ContentFile:
    """Return a JPEG copy of the photo with every region made unreadable."""
    image = Image.open(file)
    image.load()
    image = image.convert("RGB")
    width, height = image.size
    for x, y, w, h in regions:
        box = (
            max(0, int(width * x / 100)),
            max(0, int(height * y / 100)),
            min(width, int(round(width * (x + w) / 100))),
            min(height, int(round(height * (y + h) / 100))),
        )
        if box[2] <= box[0] or box[3] <= box[1]:
            continue
        area = image.crop(box)
        # Pixelate first (destroys the strokes), then blur (hides the blocks' edges).
        small = area.resize(
            (max(1, area.width // 12), max(1, area.height // 12)),
            Image.Resampling.BILINEAR,
        )
        area = small.resize(area.size, Image.Resampling.NEAREST)
        area = area.filter(ImageFilter.GaussianBlur(radius=max(4, min(area.size) // 6)))
        image.paste(area, box)
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85)
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.jpg")
