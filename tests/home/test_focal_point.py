"""Image focal points are used by renditions (issue 17, part 5): the link-preview rendition
``fill-1200x630`` of a tall image crops around the focal point the editor set, not around
the centre."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.images import get_image_model

pytestmark = pytest.mark.django_db

RED = (220, 20, 20)
WHITE = (255, 255, 255)


def _tall_image_with_red_square():
    """1200×2400, white, with a red 400×400 square near the bottom (its centre at 600, 2000)."""
    picture = PILImage.new("RGB", (1200, 2400), WHITE)
    picture.paste(RED, (400, 1800, 800, 2200))
    buffer = BytesIO()
    picture.save(buffer, "PNG")
    return get_image_model().objects.create(
        title="Квадрат внизу",
        file=ImageFile(BytesIO(buffer.getvalue()), name="focal.png"),
    )


def _centre_colour(rendition):
    with rendition.file.open("rb") as stored:
        picture = PILImage.open(stored).convert("RGB")
        assert picture.size == (1200, 630)
        return picture.getpixel((600, 315))


def test_fill_rendition_crops_around_the_focal_point():
    """With the focal point on the red square the 1200×630 crop is centred on it (red in the
    middle); without one it is the image's centre (white)."""
    from home.seo import SHARE_RENDITION

    image = _tall_image_with_red_square()
    assert _centre_colour(image.get_rendition(SHARE_RENDITION)) == WHITE

    image.set_focal_point(None)
    image.focal_point_x, image.focal_point_y = 600, 2000
    image.focal_point_width = image.focal_point_height = 400
    image.save()
    image.renditions.all().delete()
    image = get_image_model().objects.get(pk=image.pk)
    rendition = image.get_rendition(SHARE_RENDITION)
    assert _centre_colour(rendition) == RED
