"""«Стать партнёром»: someone who may see an open project asks once with a role and a note;
only the project's author accepts or declines; the first partner accepted marks it «partners
found» and the consortium lists the organisations; the person may withdraw."""

from __future__ import annotations

import pytest

from ideas_exchange import services, signals
from ideas_exchange.models import Idea, Partnership
from tests.ideas_exchange.factories import PartnershipFactory
from tests.ideas_exchange.test_posting import Caught, url

pytestmark = pytest.mark.django_db


def ask(client, page, project, **data):
    return client.post(
        url(page, "partner", project.pk), {"role": "research", "note": "Лаборатория", **data}
    )


def test_request_is_stored_with_the_organisation(
    ideas_page, people, client_for, project, django_capture_on_commit_callbacks
):
    """The request keeps the person's organisation, role and note and tells the extranet."""
    user = people["other_member"]
    with (
        Caught(signals.partnership_requested) as requested,
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = ask(client_for(user), ideas_page, project)
    assert response.status_code == 302
    partnership = Partnership.objects.get()
    assert (partnership.user, partnership.role, partnership.note) == (
        user,
        "research",
        "Лаборатория",
    )
    assert partnership.organisation_name == user.profile.organisation.name
    assert partnership.status == Partnership.Status.PENDING
    assert [c["partnership"].pk for c in requested.calls] == [partnership.pk]


def test_one_live_request_per_person(ideas_page, people, client_for, project):
    """A second request while the first waits is refused with a sentence (400)."""
    client = client_for(people["other_member"])
    ask(client, ideas_page, project)
    response = ask(client, ideas_page, project, note="Ещё раз")
    assert response.status_code == 400
    assert Partnership.objects.count() == 1


def test_author_cannot_ask_own_project(ideas_page, people, client_for, project):
    """The author is the lead already (403)."""
    assert ask(client_for(people["member"]), ideas_page, project).status_code == 403
    assert not Partnership.objects.exists()


def test_partnership_on_a_request_is_refused(ideas_page, people, client_for, public_idea):
    """Only projects take partners."""
    assert ask(client_for(people["registered"]), ideas_page, public_idea).status_code == 403


@pytest.mark.parametrize("decision", ["accept", "decline"])
@pytest.mark.parametrize(
    "role", ["registered", "other_member", "editor", "initiative_admin", "portal_admin", "pending"]
)
def test_only_the_author_decides(ideas_page, people, client_for, project, role, decision):
    """Nobody but the project's author accepts or declines, not even moderators (403), and
    the request keeps waiting."""
    partnership = PartnershipFactory(idea=project)
    response = client_for(people[role]).post(
        url(ideas_page, "partner_decide", project.pk, partnership.pk), {"decision": decision}
    )
    assert response.status_code == 403
    partnership.refresh_from_db()
    assert partnership.status == Partnership.Status.PENDING


def test_guest_decision_goes_to_sign_in(ideas_page, client, project):
    """A guest is sent to sign in; the request keeps waiting."""
    partnership = PartnershipFactory(idea=project)
    response = client.post(
        url(ideas_page, "partner_decide", project.pk, partnership.pk), {"decision": "accept"}
    )
    assert response.status_code == 302
    partnership.refresh_from_db()
    assert partnership.status == Partnership.Status.PENDING


def test_author_accepts_and_the_consortium_shows_both(
    ideas_page, people, client_for, client, project, django_capture_on_commit_callbacks
):
    """Accepting marks the project «partners found», tells the requester, and the project's
    page lists the lead's and the partner's organisations (to guests too, without names)."""
    partnership = PartnershipFactory(
        idea=project, user=people["other_member"], organisation_name="ОАО «Полоцк-Стекловолокно»"
    )
    with (
        Caught(signals.partnership_decided) as decided,
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client_for(people["member"]).post(
            url(ideas_page, "partner_decide", project.pk, partnership.pk),
            {"decision": "accept"},
        )
    assert response.status_code == 302
    partnership.refresh_from_db()
    project.refresh_from_db()
    assert partnership.status == Partnership.Status.ACCEPTED
    assert partnership.decided_at is not None
    assert project.status == Idea.Status.PARTNERS_FOUND
    assert [c["partnership"].pk for c in decided.calls] == [partnership.pk]
    body = client.get(url(ideas_page, "idea", project.pk)).content.decode()
    assert "ОАО «Нафтан»" in body
    assert "ОАО «Полоцк-Стекловолокно»" in body


def test_author_declines(ideas_page, people, client_for, project):
    """A declined request leaves the project's status; the person may ask again."""
    partnership = PartnershipFactory(idea=project, user=people["other_member"])
    client_for(people["member"]).post(
        url(ideas_page, "partner_decide", project.pk, partnership.pk), {"decision": "decline"}
    )
    partnership.refresh_from_db()
    project.refresh_from_db()
    assert partnership.status == Partnership.Status.DECLINED
    assert project.status == Idea.Status.OPEN
    assert ask(client_for(people["other_member"]), ideas_page, project).status_code == 302


def test_answered_request_is_not_answered_twice(ideas_page, people, client_for, project):
    """Declining an accepted request is refused (400) and it stays accepted."""
    partnership = PartnershipFactory(idea=project, status=Partnership.Status.ACCEPTED)
    response = client_for(people["member"]).post(
        url(ideas_page, "partner_decide", project.pk, partnership.pk), {"decision": "decline"}
    )
    assert response.status_code == 400
    partnership.refresh_from_db()
    assert partnership.status == Partnership.Status.ACCEPTED


@pytest.mark.parametrize("decision", ["", "approve", "withdraw", "x" * 3000])
def test_unknown_decision_is_400(ideas_page, people, client_for, project, decision):
    """A forged decision is refused with a sentence and changes nothing (the author cannot
    withdraw someone else's request)."""
    partnership = PartnershipFactory(idea=project)
    response = client_for(people["member"]).post(
        url(ideas_page, "partner_decide", project.pk, partnership.pk), {"decision": decision}
    )
    assert response.status_code == 400
    partnership.refresh_from_db()
    assert partnership.status == Partnership.Status.PENDING


def test_partnership_of_another_project_is_404(ideas_page, people, client_for, project):
    """A partnership id that belongs to another project is not found under this one."""
    other = PartnershipFactory()
    response = client_for(people["member"]).post(
        url(ideas_page, "partner_decide", project.pk, other.pk), {"decision": "accept"}
    )
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.status == Partnership.Status.PENDING


def test_requester_withdraws(ideas_page, people, client_for, project):
    """The person takes their request back; leaving after acceptance reopens the project."""
    user = people["other_member"]
    partnership = PartnershipFactory(idea=project, user=user)
    services.partnership_decide(partnership=partnership, actor=people["member"], accept=True)
    project.refresh_from_db()
    assert project.status == Idea.Status.PARTNERS_FOUND
    response = client_for(user).post(
        url(ideas_page, "partner_decide", project.pk, partnership.pk), {"decision": "withdraw"}
    )
    assert response.status_code == 302
    partnership.refresh_from_db()
    project.refresh_from_db()
    assert partnership.status == Partnership.Status.WITHDRAWN
    assert project.status == Idea.Status.OPEN


def test_services_recheck(people, project):
    """The services refuse a non-author's decision, a second live request and the lead role."""
    partnership = PartnershipFactory(idea=project)
    with pytest.raises(services.IdeaDenied):
        services.partnership_decide(partnership=partnership, actor=people["editor"], accept=True)
    with pytest.raises(services.IdeaError):
        services.partnership_request(idea=project, user=people["registered"], role="lead", note="")
    services.partnership_request(idea=project, user=people["registered"], role="partner", note="")
    with pytest.raises(services.IdeaError):
        services.partnership_request(
            idea=project, user=people["registered"], role="partner", note=""
        )
    with pytest.raises(services.IdeaDenied):
        services.partnership_withdraw(partnership=partnership, user=people["registered"])
