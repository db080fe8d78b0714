"""The custom user model: e-mail is the login, compared without regard to case."""

import pytest
from django.contrib.auth import authenticate
from django.db import IntegrityError, transaction
from django.urls import reverse

from extranet.members.models import User
from tests.factories import PASSWORD, SuperuserFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_user_has_no_username_and_logs_in_by_email():
    """There is no username field; authentication takes the e-mail in any case."""
    user = User.objects.create_user(email="  Ivan.Petrov@Example.COM ", password=PASSWORD)
    assert not hasattr(user, "username") or user.username is None
    assert user.email == "ivan.petrov@example.com"
    assert authenticate(email="IVAN.PETROV@example.com", password=PASSWORD) == user
    assert authenticate(username="ivan.petrov@example.com", password=PASSWORD) == user


def test_email_is_unique_regardless_of_case():
    """Two accounts cannot share an address that differs only in letter case."""
    User.objects.create_user(email="a@example.com", password=PASSWORD)
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create_user(email="A@EXAMPLE.COM", password=PASSWORD)


def test_create_superuser_and_validation():
    """create_superuser sets the flags; an empty address is refused."""
    admin = User.objects.create_superuser(email="root@example.com", password=PASSWORD)
    assert admin.is_superuser and admin.is_staff
    with pytest.raises(ValueError):
        User.objects.create_user(email="", password=PASSWORD)


def test_full_name_is_family_name_first():
    """Names display as in the mock-ups: «Гуляев Юрий»; without a name, the e-mail."""
    assert str(UserFactory(first_name="Юрий", last_name="Гуляев")) == "Гуляев Юрий"
    assert str(UserFactory(first_name="", last_name="", email="x@example.com")) == "x@example.com"


def test_wagtail_admin_user_forms_work_with_the_custom_model(client):
    """A superuser creates and edits a user through Wagtail admin's own forms."""
    client.force_login(SuperuserFactory())
    response = client.post(
        reverse("wagtailusers_users:add"),
        {
            "email": "new.editor@example.com",
            "first_name": "Анна",
            "last_name": "Золотова",
            "password1": "a-long-enough-password-42",
            "password2": "a-long-enough-password-42",
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    created = User.objects.get(email="new.editor@example.com")
    assert created.check_password("a-long-enough-password-42")

    response = client.post(
        reverse("wagtailusers_users:edit", args=[created.pk]),
        {
            "email": "new.editor@example.com",
            "first_name": "Анна",
            "last_name": "Иванова",
            "password1": "",
            "password2": "",
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    created.refresh_from_db()
    assert created.last_name == "Иванова"
