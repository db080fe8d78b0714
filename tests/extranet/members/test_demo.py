"""Demo and factory people have surnames that agree with their first name's gender."""

from io import StringIO

import pytest
from django.core.management import call_command
from faker.providers.person.ru_RU import Provider as RussianNames

from extranet.members.models import User
from tests.factories import UserFactory

# Russian male first names that end like feminine ones (-а, -я).
MALE_NAMES_ENDING_IN_A = {"Илья", "Никита", "Фома", "Кузьма", "Лука", "Савва", "Данила"}
FEMININE_SURNAME_ENDINGS = ("ова", "ева", "ёва", "ина", "ына", "ая")
MASCULINE_SURNAME_ENDINGS = ("ов", "ев", "ёв", "ин", "ын", "ий", "ый", "ой")


def is_female_first_name(name: str) -> bool:
    return name[-1] in "ая" and name not in MALE_NAMES_ENDING_IN_A


def disagreement(first: str, last: str) -> str | None:
    """Why ``last`` cannot be the surname of someone called ``first`` (None when it can).

    Surnames with neither ending (Лукашевич, Новик, Токар) are the same for both genders.
    """
    if is_female_first_name(first):
        if last.endswith(MASCULINE_SURNAME_ENDINGS):
            return f"{last} {first}: a masculine surname for a woman"
    elif last.endswith(FEMININE_SURNAME_ENDINGS):
        return f"{last} {first}: a feminine surname for a man"
    return None


def test_the_checker_knows_both_genders():
    """The rule itself: «Золотова Артемий» and «Ковалёв Марина» disagree, the fixed forms and
    invariable surnames agree."""
    assert disagreement("Артемий", "Золотова")
    assert disagreement("Марина", "Ковалёв")
    assert disagreement("Анна", "Петровский")
    assert disagreement("Илья", "Ильина")
    for first, last in [
        ("Артемий", "Золотов"),
        ("Марина", "Ковалёва"),
        ("Анна", "Петровская"),
        ("Ольга", "Лукашевич"),
        ("Илья", "Новик"),
    ]:
        assert disagreement(first, last) is None, (first, last)


@pytest.mark.django_db
def test_every_demo_person_has_a_surname_of_their_gender(home_page):
    """seed_demo at scale 3 (admins, members and applicants of every initiative, the portal
    admin and the editor): every last name agrees with the gender of the first name."""
    call_command("seed_demo", "--force", "--scale", "3", stdout=StringIO())
    people = list(User.objects.values_list("first_name", "last_name"))
    assert len(people) > 100
    assert {is_female_first_name(first) for first, _ in people} == {True, False}
    wrong = [reason for first, last in people if (reason := disagreement(first, last))]
    assert wrong == []


@pytest.mark.django_db
def test_factory_users_have_a_surname_of_their_gender():
    """UserFactory draws first and last name from Faker's lists of one gender."""
    female_names = set(RussianNames.first_names_female)
    female_surnames = set(RussianNames.last_names_female)
    male_surnames = set(RussianNames.last_names_male)
    genders = set()
    for user in UserFactory.build_batch(200):
        female = user.first_name in female_names
        genders.add(female)
        surnames = female_surnames if female else male_surnames
        assert user.last_name in surnames, (user.first_name, user.last_name)
    assert genders == {True, False}
