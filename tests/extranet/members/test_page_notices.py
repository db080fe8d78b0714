"""Wagtail's moderation as notices (extranet/members/page_notices.py): the author of a
submitted page hears the editors' decision with their comment and a link to edit the page;
the editors hear of the submission; Wagtail's own e-mails of the same events are not sent
besides ours."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse
from notifications.models import Notification
from wagtail.models import WorkflowState

from initiatives.services import initiative_admin_sync
from tests.factories import NewsPageFactory
from tests.initiatives.test_moderation import moderate

pytestmark = pytest.mark.django_db


@pytest.fixture
def submission(gorki, people, django_capture_on_commit_callbacks):
    """A news item of moderated «gorki» submitted by its admin; the mail of the submission
    delivered and then forgotten."""
    admin = people["initiative_admin"]
    initiative_admin_sync(user=admin, initiative=gorki, is_admin=True)
    gorki = moderate(gorki)
    item = NewsPageFactory(parent=gorki, publish=False, live=False, title="Новость на проверку")
    with django_capture_on_commit_callbacks(execute=True):
        item.save_revision(user=admin)
        state = item.get_workflow().start(item, admin)
    return item, state


def _notices(kind):
    return list(Notification.objects.filter(verb=kind))


def _act(client, item, state, action, comment, callbacks):
    task_state = state.current_task_state
    with callbacks(execute=True):
        response = client.post(
            reverse("wagtailadmin_pages:workflow_action", args=[item.pk, action, task_state.pk]),
            {"comment": comment},
        )
    assert response.status_code == 302


def test_submission_is_told_to_the_editors_once(submission, people):
    """The editors' group gets «submitted for approval» (bell and one e-mail, ours); the
    author, other people and the portal admin get nothing."""
    item, _state = submission
    (notice,) = _notices("pages.submitted")
    assert notice.recipient == people["editor"]
    assert notice.data["url"] == reverse("wagtailadmin_pages:edit", args=[item.pk])
    to_editor = [m for m in mail.outbox if people["editor"].email in m.to]
    assert len(to_editor) == 1
    assert item.title in to_editor[0].subject
    assert not [m for m in mail.outbox if people["initiative_admin"].email in m.to]


def test_approval_notifies_the_author(
    submission, people, client, django_capture_on_commit_callbacks
):
    """«Approve with comment»: the author gets one notice with the title, the outcome, the
    comment and the edit link, and one e-mail (the platform's, not Wagtail's as well)."""
    item, state = submission
    mail.outbox.clear()
    client.force_login(people["editor"])
    _act(client, item, state, "approve", "Отлично", django_capture_on_commit_callbacks)
    item.refresh_from_db()
    assert item.live
    (notice,) = _notices("pages.approved")
    assert notice.recipient == people["initiative_admin"]
    assert notice.data["params"]["title"] == item.title
    assert notice.data["excerpt"] == "Отлично"
    assert notice.data["url"] == f"/admin/pages/{item.pk}/edit/"
    (message,) = [m for m in mail.outbox if people["initiative_admin"].email in m.to]
    assert item.title in message.subject
    assert "Отлично" in message.body
    assert f"/admin/pages/{item.pk}/edit/" in message.body


def test_rejection_notifies_the_author_with_the_comment(
    submission, people, client, django_capture_on_commit_callbacks
):
    """«Request changes» with a comment: the page stays unpublished and the author is told,
    with the editor's comment, in the bell and by one e-mail."""
    item, state = submission
    mail.outbox.clear()
    client.force_login(people["editor"])
    _act(
        client, item, state, "reject", "Уточните даты испытаний", django_capture_on_commit_callbacks
    )
    item.refresh_from_db()
    state.refresh_from_db()
    assert not item.live and state.status == WorkflowState.STATUS_NEEDS_CHANGES
    (notice,) = _notices("pages.rejected")
    assert notice.recipient == people["initiative_admin"]
    assert notice.data["excerpt"] == "Уточните даты испытаний"
    assert not _notices("pages.approved")
    (message,) = [m for m in mail.outbox if people["initiative_admin"].email in m.to]
    assert "Уточните даты испытаний" in message.body


def test_the_kinds_read_in_both_languages(db):
    """The notices' sentences are translatable and filled from the params."""
    from django.utils import translation

    from extranet.notices.kinds import kind_text

    params = {"actor": "Редактор", "title": "Новость"}
    with translation.override("en"):
        assert kind_text("pages.rejected", params) == "Редактор sent «Новость» back for changes"
    with translation.override("ru"):
        assert "«Новость»" in kind_text("pages.approved", params)
