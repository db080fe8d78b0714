"""Profile photos: content-checked, cleaned, square; served only under the privacy rule."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template import Context, Template
from django.test import RequestFactory, override_settings
from PIL import Image

from extranet.members.photos import PHOTO_SIZE, photo_process
from tests.conftest import EXTRANET_ROLES
from tests.extranet.members.images import bomb_png, image_bytes, jpeg_with_exif, upload

# --- photo_process ------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "WEBP"])
def test_allowed_formats_become_square_jpeg(fmt):
    """JPEG, PNG and WebP are accepted and come out as a 512×512 JPEG."""
    result = photo_process(upload(image_bytes(fmt, size=(300, 200)), name="x.bin"))
    image = Image.open(BytesIO(result.read()))
    assert image.format == "JPEG"
    assert image.size == (PHOTO_SIZE, PHOTO_SIZE)


def test_metadata_is_stripped_and_orientation_applied():
    """EXIF (camera make, orientation) does not survive; the orientation is applied first."""
    source = Image.open(BytesIO(jpeg_with_exif()))
    assert source.getexif().get(0x010F) == "SpyCam"
    result = Image.open(BytesIO(photo_process(upload(jpeg_with_exif())).read()))
    assert not result.getexif()
    assert "exif" not in result.info and "icc_profile" not in result.info
    assert result.size == (PHOTO_SIZE, PHOTO_SIZE)


def test_text_file_named_jpg_is_refused():
    """A text file with a .jpg name is not an image: refused by content, not by name."""
    with pytest.raises(ValidationError) as info:
        photo_process(upload(b"hello, I am not a picture", name="me.jpg"))
    assert info.value.code == "invalid_image"


def test_gif_is_refused():
    """A real GIF is a valid image but not an allowed format."""
    with pytest.raises(ValidationError) as info:
        photo_process(upload(image_bytes("GIF"), name="me.gif", content_type="image/gif"))
    assert info.value.code == "invalid_image"


def test_decompression_bomb_is_refused():
    """A tiny PNG claiming 20000×20000 pixels is refused before it is decoded."""
    data = bomb_png()
    assert len(data) < 1000
    with pytest.raises(ValidationError) as info:
        photo_process(upload(data, name="bomb.png", content_type="image/png"))
    assert info.value.code == "too_many_pixels"


def test_pillow_bomb_limit_is_caught_too():
    """Above Pillow's own limit (2× MAX_IMAGE_PIXELS) its DecompressionBombError is turned
    into the same form error."""
    with pytest.raises(ValidationError) as info:
        photo_process(upload(bomb_png(60000, 60000), name="bomb.png"))
    assert info.value.code == "too_many_pixels"


@override_settings(IMAGE_MAX_SIZE=1024)
def test_too_large_file_is_refused():
    """A file above settings.IMAGE_MAX_SIZE is refused with its own message."""
    data = image_bytes("PNG", size=(200, 200)) + b"\0" * 2048
    with pytest.raises(ValidationError) as info:
        photo_process(upload(data, name="big.png"))
    assert info.value.code == "too_large"


# --- /files/photos/<id>/ ------------------------------------------------------------------


def _give_photo(user):
    from extranet.members.models import Profile

    profile, _ = Profile.objects.get_or_create(user=user)
    profile.photo.save("p.jpg", ContentFile(image_bytes("JPEG")), save=True)
    return profile


# Who may see the photo of the pending applicant to «gorki» (DESIGN.md privacy rule).
PENDING_PHOTO_STATUS = {
    "guest": 404,
    "registered": 404,
    "editor": 404,
    "pending": 200,
    "other_member": 404,
    "member": 404,
    "initiative_admin": 200,
    "portal_admin": 200,
}


@pytest.mark.django_db
@pytest.mark.parametrize("extranet_client", EXTRANET_ROLES, indirect=True)
def test_pending_applicants_photo_by_role(extranet_client, people, request):
    """The pending applicant's photo: self, the portal admin and the initiative's admins get
    it; everyone else gets 404 (not 403: its existence is not revealed)."""
    role = request.node.callspec.params["extranet_client"]
    _give_photo(people["pending"])
    response = extranet_client.get(f"/files/photos/{people['pending'].pk}/")
    assert response.status_code == PENDING_PHOTO_STATUS[role]
    if response.status_code == 200:
        assert response["Content-Type"] == "image/jpeg"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "private" in response["Cache-Control"]
        body = b"".join(response.streaming_content)
        assert Image.open(BytesIO(body)).format == "JPEG"


# An approved member's photo: visible to fellow members of the initiative as well.
MEMBER_PHOTO_STATUS = {**PENDING_PHOTO_STATUS, "pending": 404, "member": 200}


@pytest.mark.django_db
@pytest.mark.parametrize("extranet_client", EXTRANET_ROLES, indirect=True)
def test_members_photo_by_role(extranet_client, people, request):
    """An approved member's photo is seen by members and admins of the same initiative and
    the portal admin; not by guests, outsiders, applicants or other initiatives' members."""
    from tests.factories import MembershipFactory

    role = request.node.callspec.params["extranet_client"]
    subject = MembershipFactory(initiative=people["member"].memberships.first().initiative).user
    _give_photo(subject)
    response = extranet_client.get(f"/files/photos/{subject.pk}/")
    assert response.status_code == MEMBER_PHOTO_STATUS[role]


@pytest.mark.django_db
def test_no_photo_and_unknown_user_are_404(client, people):
    """Without a photo, or for an unknown id, even the owner gets 404."""
    client.force_login(people["member"])
    assert client.get(f"/files/photos/{people['member'].pk}/").status_code == 404
    assert client.get("/files/photos/999999/").status_code == 404


@pytest.mark.django_db
@override_settings(PRIVATE_MEDIA_X_ACCEL_PREFIX="/_private/")
def test_x_accel_redirect_when_configured(client, people):
    """With PRIVATE_MEDIA_X_ACCEL_PREFIX nginx sends the file: Django answers with
    X-Accel-Redirect to the stored name and no body."""
    profile = _give_photo(people["member"])
    client.force_login(people["member"])
    response = client.get(f"/files/photos/{people['member'].pk}/")
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"/_private/{profile.photo.name}"
    assert response["Content-Type"] == "image/jpeg"
    assert response.content == b""


@pytest.mark.django_db
def test_profile_photo_url_tag_follows_the_privacy_rule(people):
    """{% profile_photo_url %} gives the URL to viewers who may see the photo, "" otherwise."""
    from django.contrib.auth.models import AnonymousUser

    _give_photo(people["pending"])
    subject = type(people["pending"]).objects.get(pk=people["pending"].pk)
    template = Template("{% load people_tags %}{% profile_photo_url subject as url %}[{{ url }}]")
    expected = f"[/files/photos/{people['pending'].pk}/]"
    for viewer, shown in [
        (people["pending"], True),
        (people["initiative_admin"], True),
        (people["member"], False),
        (AnonymousUser(), False),
    ]:
        request = RequestFactory().get("/")
        request.user = viewer
        html = template.render(Context({"request": request, "subject": subject}))
        assert (html == expected) is shown, viewer
