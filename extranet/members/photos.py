"""Profile photos: validate an upload by its content, strip metadata, crop square, resize.

Only JPEG, PNG and WebP are accepted, decided by opening the file with Pillow (never by its
name). Decompression bombs are refused before decoding. The result is a fresh JPEG, so no
EXIF, GPS or other metadata of the original survives.
"""

from __future__ import annotations

import warnings
from io import BytesIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

PHOTO_SIZE = 512
ALLOWED_FORMATS = frozenset({"JPEG", "PNG", "WEBP"})
# Images with more pixels than this are refused before they are decoded (40 megapixels).
MAX_PIXELS = 40_000_000


def photo_process(uploaded) -> ContentFile:
    """Return a 512×512 JPEG made from ``uploaded``, or raise ValidationError with a clear
    message (too big, not an image, wrong type, too many pixels)."""
    if uploaded.size is not None and uploaded.size > settings.IMAGE_MAX_SIZE:
        raise ValidationError(
            _("The photo is too large: at most %(size)s MB."),
            code="too_large",
            params={"size": settings.IMAGE_MAX_SIZE // (1024 * 1024)},
        )
    uploaded.seek(0)
    data = uploaded.read(settings.IMAGE_MAX_SIZE + 1)
    if len(data) > settings.IMAGE_MAX_SIZE:
        raise ValidationError(
            _("The photo is too large: at most %(size)s MB."),
            code="too_large",
            params={"size": settings.IMAGE_MAX_SIZE // (1024 * 1024)},
        )
    bomb = ValidationError(
        _("The image has too many pixels: at most %(mp)s megapixels."),
        code="too_many_pixels",
        params={"mp": MAX_PIXELS // 1_000_000},
    )
    not_image = ValidationError(
        _("Upload a photo in JPEG, PNG or WebP format."), code="invalid_image"
    )
    # The global Image.MAX_IMAGE_PIXELS is left alone (threads share it): Pillow's own check
    # turns into an error through the warnings filter, and MAX_PIXELS is checked from the
    # header before any pixel is decoded.
    with warnings.catch_warnings():
        # Pillow warns between the limit and twice the limit, and raises above it.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(BytesIO(data))
            if image.format not in ALLOWED_FORMATS:
                raise not_image
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise bomb
            image.load()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise bomb from exc
        except ValidationError:
            raise
        except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
            raise not_image from exc
        image = ImageOps.exif_transpose(image)
        image = image.convert("RGB")
        image = ImageOps.fit(image, (PHOTO_SIZE, PHOTO_SIZE), method=Image.Resampling.LANCZOS)
    out = BytesIO()
    # A new image from pixels only: no EXIF, ICC or comments are written.
    Image.frombytes("RGB", image.size, image.tobytes()).save(out, "JPEG", quality=88, optimize=True)
    return ContentFile(out.getvalue(), name="photo.jpg")
