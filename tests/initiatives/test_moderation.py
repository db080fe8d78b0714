"""Moderation per initiative (issue 17, part 4): an initiative with ``moderation_required``
sends its admins' news and events through the platform editors' approval; its admins lose
publish (and get it back when moderation is switched off); editors approve or reject in
Wagtail's own workflow views; nobody else may."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import GroupPagePermission, Workflow, WorkflowState

from events.models import EventPage
from extranet.members.permissions import EDITORS_GROUP
from initiatives import moderation
from initiatives.models import NewsPage
from initiatives.services import initiative_admin_sync
from tests.conftest import EXTRANET_ROLES
from tests.events.factories import EventKindFactory, EventPageFactory
from tests.events.factories import event_index as make_event_index
from tests.factories import NewsPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _admin_in_group(request):
    """The «initiative_admin» person in «gorki»'s Wagtail group, as the role change puts them
    (the membership factory sets the role only)."""
    if "people" in request.fixturenames:
        people = request.getfixturevalue("people")
        gorki = request.getfixturevalue("gorki")
        initiative_admin_sync(user=people["initiative_admin"], initiative=gorki, is_admin=True)


def moderate(initiative, on: bool = True):
    """Switch the initiative's moderation as an editor would: a published revision."""
    initiative = type(initiative).objects.get(pk=initiative.pk)
    initiative.moderation_required = on
    initiative.save_revision().publish()
    return type(initiative).objects.get(pk=initiative.pk)


def news_form(title: str, slug: str, **extra) -> dict:
    return {
        "title": title,
        "slug": slug,
        "date": "2026-11-20",
        "intro": "Анонс для ленты",
        "body-count": "0",
        "tags": "",
        **extra,
    }


def add_news(client, parent, title, slug, action):
    return client.post(
        reverse("wagtailadmin_pages:add", args=["initiatives", "newspage", parent.pk]),
        news_form(title, slug, **{action: "1"}),
    )


def edit_news(client, page, action, **extra):
    return client.post(
        reverse("wagtailadmin_pages:edit", args=[page.pk]),
        news_form(page.title, page.slug, **{action: "1"}, **extra),
    )


def publish_codes(group, page_id) -> set[str]:
    return set(
        GroupPagePermission.objects.filter(group=group, page_id=page_id).values_list(
            "permission__codename", flat=True
        )
    )


def submitted(page) -> WorkflowState:
    return WorkflowState.objects.for_instance(page).get(status=WorkflowState.STATUS_IN_PROGRESS)


def submit_as(user, page) -> WorkflowState:
    """``page``'s latest revision submitted to its workflow by ``user`` (as «Submit» does)."""
    page = type(page).objects.get(pk=page.pk)
    page.save_revision(user=user)
    return page.get_workflow().start(page, user)


# --- The workflow and the permissions ---------------------------------------------------------


def test_workflow_is_made_once_with_the_editors_approval(db):
    """The workflow exists after migrate, is found again (not duplicated) by ensure, and its
    only task is the approval of the editors' group that extranet.members calls «editors»."""
    assert moderation.EDITORS_GROUP == EDITORS_GROUP
    first = moderation.moderation_workflow_ensure()
    second = moderation.moderation_workflow_ensure()
    assert first == second == moderation.moderation_workflow()
    assert Workflow.objects.filter(name=moderation.WORKFLOW_NAME).count() == 1
    (task,) = [t.specific for t in first.tasks]
    assert list(task.groups.values_list("name", flat=True)) == [EDITORS_GROUP]


def test_disabled_workflow_is_made_active_again(db):
    """Disabling the workflow in Wagtail's settings does not silently stop moderation (the
    admins could then neither publish nor submit): the next need re-activates it."""
    workflow = moderation.moderation_workflow_ensure()
    workflow.deactivate()
    assert moderation.moderation_workflow().pk == workflow.pk
    workflow.refresh_from_db()
    assert workflow.active


def test_moderation_takes_and_gives_back_the_admins_publish_permission(gorki, people):
    """Switching moderation on removes publish from the admins' group on the initiative and
    on its events (add and edit stay); switching it off gives publish back."""
    event = EventPageFactory(
        index=make_event_index(), kind=EventKindFactory(), initiative=gorki, slug="ev"
    )
    group = type(gorki).objects.get(pk=gorki.pk).admin_group
    assert "publish_page" in publish_codes(group, gorki.pk)
    assert "publish_page" in publish_codes(group, event.pk)

    gorki = moderate(gorki)
    assert publish_codes(group, gorki.pk) == {"add_page", "change_page", "lock_page", "unlock_page"}
    assert publish_codes(group, event.pk) == {"change_page", "lock_page", "unlock_page"}
    news = NewsPageFactory(parent=gorki, publish=False, live=False)
    admin = people["initiative_admin"]
    assert news.permissions_for_user(admin).can_edit()
    assert not news.permissions_for_user(admin).can_publish()
    assert not EventPage.objects.get(pk=event.pk).permissions_for_user(admin).can_publish()

    gorki = moderate(gorki, on=False)
    assert "publish_page" in publish_codes(group, gorki.pk)
    assert "publish_page" in publish_codes(group, event.pk)


def test_a_draft_of_the_switch_changes_nothing(gorki, people):
    """Moderation follows the published initiative: a saved draft with the switch on leaves
    the admins' rights and the workflow as they were."""
    draft = type(gorki).objects.get(pk=gorki.pk)
    draft.moderation_required = True
    draft.save_revision()
    gorki = type(gorki).objects.get(pk=gorki.pk)
    assert "publish_page" in publish_codes(gorki.admin_group, gorki.pk)
    news = NewsPageFactory(parent=gorki, publish=False, live=False)
    assert news.get_workflow() is None or news.get_workflow().name != moderation.WORKFLOW_NAME


def test_pages_of_a_moderated_initiative_return_the_workflow(gorki, polotsk):
    """News and events of a moderated initiative (and the initiative page) use the moderation
    workflow; those of another initiative and platform events do not."""
    gorki = moderate(gorki)
    workflow = moderation.moderation_workflow()
    index = make_event_index()
    kind = EventKindFactory()
    own_event = EventPageFactory(index=index, kind=kind, initiative=gorki, slug="own")
    other_event = EventPageFactory(index=index, kind=kind, initiative=polotsk, slug="other")
    platform_event = EventPageFactory(index=index, kind=kind, initiative=None, slug="all")
    assert NewsPageFactory(parent=gorki).get_workflow() == workflow
    assert NewsPageFactory(parent=gorki).has_workflow
    assert own_event.get_workflow() == workflow
    assert gorki.get_workflow() == workflow
    for page in (NewsPageFactory(parent=polotsk), other_event, platform_event, polotsk):
        assert page.get_workflow() != workflow, page


# --- Through Wagtail admin --------------------------------------------------------------------


def test_initiative_admin_cannot_publish_news_of_a_moderated_initiative(gorki, people, client):
    """«Publish» from the admin's add and edit views leaves the news item unpublished; «Submit»
    starts the moderation workflow, requested by them."""
    gorki = moderate(gorki)
    admin = people["initiative_admin"]
    client.force_login(admin)
    response = add_news(client, gorki, "Новость под модерацией", "moderated", "action-publish")
    assert response.status_code == 302, response.content.decode()[:2000]
    item = NewsPage.objects.get(slug="moderated")
    assert not item.live
    response = edit_news(client, item, "action-publish")
    assert response.status_code == 302
    item.refresh_from_db()
    assert not item.live
    assert not WorkflowState.objects.for_instance(item).exists()

    # The edit view offers «Submit to …» with the workflow's name.
    page = client.get(reverse("wagtailadmin_pages:edit", args=[item.pk])).content.decode()
    assert moderation.WORKFLOW_NAME in page
    response = edit_news(client, item, "action-submit")
    assert response.status_code == 302
    item.refresh_from_db()
    assert not item.live
    state = submitted(item)
    assert state.workflow.name == moderation.WORKFLOW_NAME
    assert state.requested_by == admin


def test_submitting_a_new_news_item_starts_the_workflow(gorki, people, client):
    """«Submit» on the add view creates the item and puts it in moderation at once."""
    gorki = moderate(gorki)
    client.force_login(people["initiative_admin"])
    response = add_news(client, gorki, "Сразу на модерацию", "at-once", "action-submit")
    assert response.status_code == 302
    item = NewsPage.objects.get(slug="at-once")
    assert not item.live
    assert submitted(item).workflow.name == moderation.WORKFLOW_NAME


def test_initiative_admin_publishes_when_moderation_is_off(gorki, people, client):
    """Without moderation the admin's «Publish» publishes, as before."""
    client.force_login(people["initiative_admin"])
    response = add_news(client, gorki, "Своя новость", "own", "action-publish")
    assert response.status_code == 302
    assert NewsPage.objects.get(slug="own").live


def test_initiative_admin_cannot_publish_an_event_of_a_moderated_initiative(gorki, people, client):
    """An event of a moderated initiative: the admin may edit it but not publish it."""
    event = EventPageFactory(
        index=make_event_index(), kind=EventKindFactory(), initiative=gorki, publish=False
    )
    moderate(gorki)
    admin = people["initiative_admin"]
    event = EventPage.objects.get(pk=event.pk)
    perms = event.permissions_for_user(admin)
    assert perms.can_edit() and not perms.can_publish()
    assert perms.can_submit_for_moderation()
    state = submit_as(admin, event)
    assert state.workflow.name == moderation.WORKFLOW_NAME


def _workflow_action(client, page, state, action, comment=""):
    task_state = state.current_task_state
    return client.post(
        reverse("wagtailadmin_pages:workflow_action", args=[page.pk, action, task_state.pk]),
        {"comment": comment},
    )


def test_editor_approves_and_the_page_goes_live(gorki, people, client):
    """The editor's «Approve» in Wagtail's workflow view publishes the submitted revision."""
    gorki = moderate(gorki)
    item = NewsPageFactory(parent=gorki, publish=False, live=False, title="На утверждение")
    state = submit_as(people["initiative_admin"], item)
    client.force_login(people["editor"])
    response = _workflow_action(client, item, state, "approve")
    assert response.status_code == 302
    item.refresh_from_db()
    state.refresh_from_db()
    assert item.live and state.status == WorkflowState.STATUS_APPROVED
    assert client.get(item.url).status_code == 200


def test_editor_rejects_with_a_comment(gorki, people, client):
    """«Request changes» with a comment: the page stays unpublished, the comment is kept."""
    gorki = moderate(gorki)
    item = NewsPageFactory(parent=gorki, publish=False, live=False)
    state = submit_as(people["initiative_admin"], item)
    client.force_login(people["editor"])
    response = _workflow_action(client, item, state, "reject", comment="Добавьте фото")
    assert response.status_code == 302
    item.refresh_from_db()
    state.refresh_from_db()
    assert not item.live and state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert state.current_task_state.comment == "Добавьте фото"


@pytest.mark.parametrize("role", [r for r in EXTRANET_ROLES if r != "editor"])
def test_other_roles_cannot_approve(role, gorki, people, client_for):
    """Nobody but the editors approves through the workflow: guests are sent to the login,
    people without Wagtail admin away from it, the author and the portal admin (who are not
    the task's group) are refused; the page stays unpublished in every case."""
    gorki = moderate(gorki)
    item = NewsPageFactory(parent=gorki, publish=False, live=False)
    state = submit_as(people["initiative_admin"], item)
    response = _workflow_action(client_for(people[role]), item, state, "approve")
    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert reverse("wagtailadmin_pages:edit", args=[item.pk]) not in response["Location"]
    item.refresh_from_db()
    state.refresh_from_db()
    assert not item.live
    assert state.status == WorkflowState.STATUS_IN_PROGRESS


# --- Scheduled publishing ---------------------------------------------------------------------


def test_news_with_a_future_go_live_is_published_by_publish_scheduled(gorki, client):
    """A news item published with go-live in the future is scheduled, not live; once its time
    has come (moved into the past, as Wagtail's own tests do) ``publish_scheduled`` makes it
    live and its page answers."""
    from django.core.management import call_command

    item = NewsPageFactory(parent=gorki, publish=False, live=False, slug="scheduled")
    item.go_live_at = timezone.now() + datetime.timedelta(days=1)
    revision = item.save_revision()
    revision.publish()
    item.refresh_from_db()
    assert not item.live
    revision.refresh_from_db()
    assert revision.approved_go_live_at is not None
    assert client.get(f"/initiatives/{gorki.slug}/scheduled/").status_code == 404

    call_command("publish_scheduled")
    item.refresh_from_db()
    assert not item.live  # not yet

    # The time has come: the revision's go-live (its content and the approved schedule).
    past = timezone.now() - datetime.timedelta(minutes=1)
    revision.content["go_live_at"] = past.isoformat()
    revision.approved_go_live_at = past
    revision.save(update_fields=["content", "approved_go_live_at"])
    call_command("publish_scheduled")
    item.refresh_from_db()
    assert item.live
    assert client.get(f"/initiatives/{gorki.slug}/scheduled/").status_code == 200


def test_explorer_shows_the_scheduled_status(gorki, people, client):
    """Wagtail's page list shows a scheduled news item as such."""
    item = NewsPageFactory(parent=gorki, publish=False, live=False, title="Запланированная")
    item.go_live_at = timezone.now() + datetime.timedelta(days=1)
    item.save_revision().publish()
    client.force_login(people["editor"])
    html = client.get(reverse("wagtailadmin_explore", args=[gorki.pk])).content.decode()
    assert "Запланированная" in html
    assert "scheduled" in html.lower() or "запланирован" in html.lower()


# --- Demo -------------------------------------------------------------------------------------


def test_demo_has_a_moderated_initiative_with_news_waiting(home_page):
    """The demo's step switches moderation on for «Полоцк-композит» and leaves one of its news
    items submitted by its admin; a second run changes nothing, and one after an editor
    switched moderation off does not switch it on again."""
    from core.demo import DemoContext
    from initiatives.demo import MODERATED_INITIATIVE, WAITING_NEWS, seed_moderation
    from tests.factories import InitiativePageFactory, UserFactory

    initiative = InitiativePageFactory(slug=MODERATED_INITIATIVE, short_name="Полоцк-композит")
    admin = UserFactory()
    initiative_admin_sync(user=admin, initiative=initiative, is_admin=True)
    ctx = DemoContext()
    ctx.objects["initiatives"] = {MODERATED_INITIATIVE: initiative}
    seed_moderation(ctx)
    seed_moderation(ctx)
    initiative = type(initiative).objects.get(pk=initiative.pk)
    assert initiative.moderation_required
    item = NewsPage.objects.get(slug=WAITING_NEWS.slug)
    assert not item.live and item.initiative_id == initiative.pk
    (state,) = WorkflowState.objects.for_instance(item)
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.requested_by == admin and state.workflow.name == moderation.WORKFLOW_NAME
    assert "publish_page" not in publish_codes(initiative.admin_group, initiative.pk)

    moderate(initiative, on=False)
    seed_moderation(ctx)
    assert not type(initiative).objects.get(pk=initiative.pk).moderation_required
