"""seed_demo builds the demo site, is idempotent, and every page it makes opens."""

from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from wagtail.models import Page, Revision

from core.locales import originals
from extranet.members.models import Membership, Profile, User
from extranet.members.permissions import EDITORS_GROUP, PORTAL_ADMINS_GROUP, is_portal_admin
from home.models import HomePage, SiteSettings

pytestmark = pytest.mark.django_db


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", "--force", stdout=out)
    return out.getvalue()


def snapshot() -> dict:
    return {
        "pages": sorted(Page.objects.values_list("url_path", "title", "live")),
        "revisions": Revision.objects.count(),
        "users": sorted(User.objects.values_list("email", "first_name", "is_superuser")),
        "emails": EmailAddress.objects.count(),
        "groups": sorted(
            (u.email, g)
            for u in User.objects.all()
            for g in u.groups.values_list("name", flat=True)
        ),
        "settings": list(SiteSettings.objects.values()),
        "memberships": sorted(
            Membership.objects.values_list("user__email", "initiative__slug", "status", "role")
        ),
        "profiles": sorted(Profile.objects.values_list("user__email", "phone", "position")),
    }


def test_seed_twice_leaves_the_same_data(home_page):
    """A second run creates nothing and changes nothing, and says so."""
    first_out = seed()
    first = snapshot()
    second_out = seed()
    assert snapshot() == first
    assert "created nothing" in second_out
    assert "created nothing" not in first_out


def test_seed_builds_tree_and_users_and_prints_logins(home_page):
    """Home, about, privacy policy and contacts exist; a portal admin and an editor can log in."""
    out = seed()
    home = originals(HomePage.objects.all()).get()
    slugs = set(home.get_children().live().values_list("slug", flat=True))
    assert {"about", "privacy", "contacts"} <= slugs
    assert home.sections.raw_data, "the home page's sections were filled"

    admin = User.objects.get(email="admin@example.com")
    editor = User.objects.get(email="editor@example.com")
    assert is_portal_admin(admin)
    assert not is_portal_admin(editor)
    assert editor.groups.filter(name=EDITORS_GROUP).exists()
    assert Group.objects.filter(name=PORTAL_ADMINS_GROUP).exists()
    for user in (admin, editor):
        assert user.check_password("demo-password-2026")
        assert f"{user.email} / demo-password-2026" in out
    privacy = home.get_children().get(slug="privacy")
    assert SiteSettings.objects.get().privacy_policy_page_id == privacy.pk


def test_every_seeded_page_opens_publicly_and_in_admin(client, home_page):
    """Each page the command made answers 200 at its public URL and in Wagtail's editor."""
    seed()
    admin_client = type(client)()
    admin_client.force_login(User.objects.get(email="admin@example.com"))
    pages = Page.objects.filter(depth__gte=2).specific()
    assert pages.count() >= 4
    for page in pages:
        if page.live:  # the news item waiting for the editors' approval is not public yet
            assert client.get(page.url).status_code == 200, page.url
        edit = admin_client.get(f"/admin/pages/{page.pk}/edit/")
        assert edit.status_code == 200, f"admin edit of {page.url}"


def test_seed_refuses_without_debug_unless_forced(home_page, settings):
    """With DEBUG off the command refuses (demo passwords are public) unless --force is given."""
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--force"):
        call_command("seed_demo", stdout=StringIO())
    with pytest.raises(CommandError, match="--scale"):
        call_command("seed_demo", "--force", "--scale", "0", stdout=StringIO())


def test_home_page_shows_the_four_initiatives(client, home_page):
    """After seeding, the home page names the four initiatives of seeds 000 and 001."""
    from initiatives.models import InitiativePage, NewsPage

    seed()
    initiatives = list(originals(InitiativePage.objects.live()))
    assert len(initiatives) == 4
    html = client.get("/").content.decode()
    for initiative in initiatives:
        assert initiative.title in html
        assert NewsPage.objects.live().filter(initiative=initiative).count() >= 2


def test_each_initiative_has_admins_members_and_applicants(home_page):
    """Per initiative: 1-2 admins who can edit it in Wagtail, 6-12 members, 3-4 applicants;
    the Gorki admin's login is printed."""
    from initiatives.models import InitiativePage

    out = seed()
    assert "admin.gorki@example.com / demo-password-2026" in out
    for initiative in originals(InitiativePage.objects.live()):
        memberships = Membership.objects.filter(initiative=initiative)
        admins = memberships.filter(status="approved", role="admin")
        assert 1 <= admins.count() <= 2, initiative.slug
        assert 6 <= memberships.filter(status="approved").count() - admins.count() <= 12
        assert 3 <= memberships.filter(status="pending").count() <= 4
        for membership in admins:
            user = User.objects.get(pk=membership.user_id)
            assert initiative.permissions_for_user(user).can_edit()


def test_printed_logins_include_a_member_and_an_applicant_who_can_log_in(client, home_page):
    """The printed demo logins name, for every initiative, an approved member and a pending
    applicant (besides admins and the editor); each logs in with the printed password, and the
    output says every demo account shares it."""
    from initiatives.models import InitiativePage

    out = seed()
    logins = {}
    for line in out.splitlines():
        if " / " in line and "@" in line:
            email, password = line.split()[-3], line.split()[-1]
            logins[email] = password
    assert "same password" in out
    for initiative in originals(InitiativePage.objects.live()):
        statuses = {}
        for email, password in logins.items():
            membership = Membership.objects.filter(
                user__email=email, initiative=initiative, role="member"
            ).first()
            if membership is None:
                continue
            statuses[membership.status] = email
            assert client.login(email=email, password=password), email
            client.logout()
        assert {"approved", "pending"} <= set(statuses), initiative.slug


def test_seeders_run_in_the_explicit_demo_seeders_order(settings):
    """The seeding order is settings.DEMO_SEEDERS, not the order of the installed apps."""
    from core.demo import project_seeders

    order = [
        "extranet.dashboard.demo.seed",
        "ideas_exchange.demo.seed",
        "events.demo.seed",
        "extranet.feed.demo.seed",
        "extranet.chat.demo.seed",
        "initiatives.demo.seed",
        "home.demo.seed",
        "extranet.members.demo.seed",
    ]
    settings.DEMO_SEEDERS = order
    assert [module for module, _seed in project_seeders()] == [
        path.rpartition(".")[0] for path in order
    ]


def test_an_app_with_demo_data_left_out_of_the_list_is_an_error(settings):
    """A project app's demo module missing from DEMO_SEEDERS stops the command with its name
    instead of being skipped."""
    from django.core.exceptions import ImproperlyConfigured

    from core.demo import project_seeders

    settings.DEMO_SEEDERS = ["home.demo.seed", "initiatives.demo.seed"]
    with pytest.raises(ImproperlyConfigured, match=r"extranet\.members\.demo"):
        list(project_seeders())


def test_english_versions_of_the_demo_pages(client, home_page):
    """The demo has English versions of the home page, Горки, Полоцк and three Горки news,
    made with wagtail-localize and published; /en/ shows them; Полоцк's body is left
    untranslated on purpose, so its translation's progress is incomplete."""
    from wagtail_localize.models import Translation

    from initiatives.models import InitiativePage, NewsPage

    seed()
    english = {
        page.specific_class.__name__: page
        for page in Page.objects.filter(locale__language_code="en", alias_of__isnull=True)
    }
    assert set(english) == {"HomePage", "InitiativePage", "NewsPage"}
    assert originals(InitiativePage.objects.all()).count() == 4
    assert (
        InitiativePage.objects.filter(locale__language_code="en", alias_of__isnull=True).count()
        == 2
    )
    news = NewsPage.objects.filter(locale__language_code="en", alias_of__isnull=True)
    assert news.count() == 3 and all(item.live for item in news)
    assert all(item.initiative.slug == "gorki" for item in news)
    html = client.get("/en/").content.decode()
    assert "Cluster IT platform" in html
    assert "has not been translated" not in html
    gorki = client.get("/en/initiatives/gorki/").content.decode()
    assert "Technopark Gorki" in gorki
    progress = {
        t.source.get_source_instance().slug: t.get_progress() for t in Translation.objects.all()
    }
    total, done = progress["polotsk-composites"]
    assert done < total
    assert all(
        done == total for slug, (total, done) in progress.items() if slug != "polotsk-composites"
    )
