"""The cabinet's profile form: saves what is valid, refuses bad input with a form error and
saves nothing then (profile and application together or not at all)."""

from __future__ import annotations

import pytest
from django.test import override_settings

from extranet.members.models import Membership, Organisation, Profile
from tests.extranet.members.images import bomb_png, image_bytes, upload
from tests.factories import InitiativePageFactory, MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

URL = "/en/cabinet/"


def _data(**overrides):
    data = {
        "first_name": "Тестимир",
        "last_name": "Петров",
        "organisation": "ООО «Новая организация»",
        "phone": "8 029 123 45 67",
        "position": "Инженер",
        "newsletter": "on",
        "initiative": "",
        "message": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def me(client, people):
    user = people["registered"]
    client.force_login(user)
    return user


def _unchanged(user):
    user.refresh_from_db()
    profile = Profile.objects.get(user=user)
    return user.first_name != "Тестимир" and str(profile.phone) != "+375291234567"


def test_valid_save_normalises_phone_and_creates_organisation(client, me):
    """A valid form saves names, position, newsletter; the phone is stored in E.164 and a new
    organisation is created with kind «other»."""
    response = client.post(URL, _data(newsletter=None, hide_organisation="on"), follow=True)
    assert response.status_code == 200
    assert "Your profile has been saved." in response.content.decode()
    me.refresh_from_db()
    profile = Profile.objects.select_related("organisation").get(user=me)
    assert (me.first_name, me.last_name) == ("Тестимир", "Петров")
    assert str(profile.phone) == "+375291234567"
    assert profile.organisation.name == "ООО «Новая организация»"
    assert profile.organisation.kind == Organisation.Kind.OTHER
    assert profile.newsletter is False and profile.hide_organisation is True
    assert not Membership.objects.filter(user=me).exists()


def test_existing_organisation_is_reused_case_insensitively(client, me):
    """Typing an existing organisation's name in another case links to it; no duplicate."""
    org = OrganisationFactory(name="БГУ", kind="university")
    client.post(URL, _data(organisation="бгу"))
    assert Profile.objects.get(user=me).organisation == org
    assert Organisation.objects.count() == Organisation.objects.exclude(name="бгу").count()


def test_organisation_field_is_linked_to_an_empty_suggestion_list(client, me):
    """The organisation field is linked to the suggestions' <datalist>, which the page ships
    empty (the script fills it from the endpoint, tests/…/test_organisation_suggestions.py):
    no organisation name, even an existing one, is in the HTML."""
    OrganisationFactory(name="ОАО «Полоцк-Стекловолокно»")
    html = client.get(URL).content.decode()
    assert 'list="organisation-suggestions"' in html
    assert '<datalist id="organisation-suggestions" data-suggest-url=' in html
    assert "Полоцк-Стекловолокно" not in html


def test_invalid_phone_is_a_form_error(client, me):
    """An invalid phone number gives an inline error and nothing is saved."""
    response = client.post(URL, _data(phone="12345"))
    assert response.status_code == 200
    assert response.context["form"].errors["phone"]
    assert 'id="id_phone_error"' in response.content.decode()
    assert _unchanged(me)


@pytest.mark.parametrize(
    ("field", "length"),
    [("first_name", 151), ("last_name", 151), ("organisation", 256), ("position", 151)],
)
def test_too_long_fields_are_form_errors(client, me, field, length):
    """Values longer than the model allows are form errors, not database errors."""
    response = client.post(URL, _data(**{field: "я" * length}))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert _unchanged(me)


def test_too_long_message_is_a_form_error(client, me, gorki):
    """A message to the admins above 1000 characters is refused; no application is made."""
    response = client.post(URL, _data(initiative="gorki", message="я" * 1001))
    assert "message" in response.context["form"].errors
    assert not Membership.objects.filter(user=me).exists()


def test_apply_creates_pending_membership_with_message(client, me, gorki):
    """Choosing an initiative applies to it with the message; the success message asks to
    wait for an administrator, and the cabinet shows the pending status."""
    response = client.post(URL, _data(initiative="gorki", message="Хотим участвовать"), follow=True)
    html = response.content.decode()
    assert "Saved. Wait for an administrator to confirm you." in html
    membership = Membership.objects.get(user=me)
    assert membership.initiative_id == gorki.pk
    assert membership.status == "pending" and membership.message == "Хотим участвовать"
    assert "waiting for an administrator" in html


def test_duplicate_application_is_a_form_error_and_saves_nothing(client, people):
    """Applying again while pending is an error on «initiative»; the profile is not changed
    either (one transaction)."""
    pending = people["pending"]
    client.force_login(pending)
    response = client.post(URL, _data(initiative="gorki"))
    assert response.status_code == 200
    assert response.context["form"].errors["initiative"]
    assert Membership.objects.filter(user=pending).count() == 1
    assert _unchanged(pending)


def test_member_applying_again_is_a_form_error(client, people):
    """An approved member applying to their own initiative gets a form error."""
    client.force_login(people["member"])
    response = client.post(URL, _data(initiative="gorki"))
    assert response.context["form"].errors["initiative"]
    assert _unchanged(people["member"])


@pytest.mark.parametrize("forged", ["no-such-initiative", "999999", "<script>"])
def test_forged_initiative_is_a_form_error(client, me, forged):
    """An initiative slug or id that is not offered is refused; nothing is saved."""
    response = client.post(URL, _data(initiative=forged))
    assert response.context["form"].errors["initiative"]
    assert not Membership.objects.filter(user=me).exists()
    assert _unchanged(me)


def test_invitation_only_and_unpublished_initiatives_cannot_be_chosen(client, me, home_page):
    """Invitation-only and unpublished initiatives are not offered; posting them is refused."""
    InitiativePageFactory(slug="closed", join_policy="invitation")
    InitiativePageFactory(slug="draft", live=False)
    html = client.get(URL).content.decode()
    assert 'value="closed"' not in html and 'value="draft"' not in html
    for slug in ("closed", "draft"):
        response = client.post(URL, _data(initiative=slug))
        assert response.context["form"].errors["initiative"]
    assert not Membership.objects.filter(user=me).exists()


def test_initiative_is_preselected_from_the_query(client, me, gorki, polotsk):
    """/cabinet/?initiative=<slug> preselects that initiative."""
    response = client.get(URL + "?initiative=polotsk")
    assert response.context["form"]["initiative"].value() == "polotsk"
    assert '<option value="polotsk" selected>' in response.content.decode()


def test_can_apply_to_a_second_initiative(client, people, polotsk):
    """A member of one initiative may apply to another from the cabinet."""
    client.force_login(people["member"])
    client.post(URL, _data(initiative="polotsk"))
    assert Membership.objects.filter(
        user=people["member"], initiative=polotsk, status="pending"
    ).exists()


def test_photo_upload_is_stored_privately(client, me):
    """A valid photo is stored as a 512×512 JPEG in the private storage."""
    client.post(URL, {**_data(), "photo": upload(image_bytes("PNG"), name="me.png")})
    profile = Profile.objects.get(user=me)
    assert profile.photo.name.startswith(f"photos/{me.pk}/")
    assert profile.photo.name.endswith(".jpg")
    assert profile.photo.storage.exists(profile.photo.name)
    assert f'src="/en/files/photos/{me.pk}/"' in client.get(URL).content.decode()


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"just text", id="text-named-jpg"),
        pytest.param(bomb_png(), id="bomb"),
        pytest.param(image_bytes("GIF"), id="gif"),
    ],
)
def test_bad_photo_is_a_form_error_and_saves_nothing(client, me, gorki, data):
    """A fake image, a decompression bomb or a GIF: an error on «photo»; neither the profile
    nor the application is saved."""
    response = client.post(URL, {**_data(initiative="gorki"), "photo": upload(data)})
    assert response.status_code == 200
    assert response.context["form"].errors["photo"]
    assert _unchanged(me)
    assert not Membership.objects.filter(user=me).exists()


@override_settings(IMAGE_MAX_SIZE=1024)
def test_oversized_photo_is_a_form_error(client, me):
    """A photo above IMAGE_MAX_SIZE is refused with a message naming the limit."""
    big = image_bytes("PNG", size=(300, 300)) + b"\0" * 4096
    response = client.post(URL, {**_data(), "photo": upload(big, name="big.png")})
    assert "too large" in " ".join(response.context["form"].errors["photo"])
    assert _unchanged(me)


def test_rejected_reason_and_reapply(client, people, gorki):
    """A rejected application shows its reason; the person may apply again."""
    user = people["registered"]
    MembershipFactory(user=user, initiative=gorki, status="rejected", decision_reason="Мало данных")
    client.force_login(user)
    assert "Мало данных" in client.get(URL).content.decode()
    client.post(URL, _data(initiative="gorki"))
    assert Membership.objects.filter(user=user, initiative=gorki, status="pending").exists()
