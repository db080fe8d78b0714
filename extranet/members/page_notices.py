"""Wagtail's moderation of pages turned into notices (``extranet.notices.services.notify``).

Imported by ``MembersConfig.ready``. A page submitted to a group's approval (the moderation of
``initiatives.moderation``, or any other group approval task) is told to that group's members;
the outcome, approved or sent back for changes with the reviewer's comment, to whoever
submitted it (``WorkflowState.requested_by``). Each notice links to the page's edit view in
Wagtail admin.

Wagtail e-mails the same three events itself (``wagtail.admin.signal_handlers``), outside the
platform's outbox and preferences; a second, Wagtail-made e-mail of each would double every
message. So these receivers take the ``dispatch_uid`` of Wagtail's three e-mail receivers: the
project's apps are ready before ``wagtail.admin``, and Django keeps the first receiver of a
``dispatch_uid``, so Wagtail's connect does nothing. For objects that are not pages (a
snippet with a workflow) they hand over to Wagtail's own notifier. Wagtail's e-mail to
superusers on every submission (``workflow_submitted``) stays as it is.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from wagtail.admin import signal_handlers as wagtail_mail
from wagtail.models import AbstractGroupApprovalTask, Page, TaskState, WorkflowState
from wagtail.signals import task_submitted, workflow_approved, workflow_rejected

from extranet.notices.kinds import Category, NoticeKind, register_kind
from extranet.notices.services import notify

# A decision on one's own submission is mailed at once, like an application's decision.
PAGE_APPROVED = register_kind(
    NoticeKind(
        key="pages.approved",
        category=Category.PUBLISHING,
        text=_("%(actor)s approved «%(title)s»"),
        service=True,
    )
)
PAGE_REJECTED = register_kind(
    NoticeKind(
        key="pages.rejected",
        category=Category.PUBLISHING,
        text=_("%(actor)s sent «%(title)s» back for changes"),
        service=True,
    )
)
PAGE_SUBMITTED = register_kind(
    NoticeKind(
        key="pages.submitted",
        category=Category.PUBLISHING,
        text=_("%(actor)s submitted «%(title)s» for approval"),
    )
)


def page_edit_path(page) -> str:
    """The page's edit view in Wagtail admin (the admin has no language prefix)."""
    with translation.override(settings.LANGUAGE_CODE):
        return reverse("wagtailadmin_pages:edit", args=[page.pk])


def _page_of(obj):
    return obj.specific if isinstance(obj, Page) else None


def _initiative_of(page):
    """The initiative a page belongs to (news and events keep it; an initiative is its own)."""
    from initiatives.models import InitiativePage

    if isinstance(page, InitiativePage):
        return page
    return getattr(page, "initiative", None)


def _outcome(kind: NoticeKind, workflow_state: WorkflowState, user) -> None:
    page = _page_of(workflow_state.content_object)
    if page is None or workflow_state.requested_by_id is None:
        return
    task_state = workflow_state.current_task_state
    comment = task_state.specific.get_comment() if task_state is not None else ""
    notify(
        kind=kind.key,
        recipients=[workflow_state.requested_by_id],
        target=page,
        url=page_edit_path(page),
        actor=user,
        initiative=_initiative_of(page),
        params={"title": page.title},
        excerpt=comment or "",
        # The reviewer's comment is written for the author: the e-mail quotes it.
        email_excerpt=True,
    )


def page_approved(sender, instance, user=None, **kwargs):
    if _page_of(instance.content_object) is None:
        return wagtail_mail.workflow_approval_email_notifier(instance=instance, user=user, **kwargs)
    _outcome(PAGE_APPROVED, instance, user)
    return True


def page_rejected(sender, instance, user=None, **kwargs):
    if _page_of(instance.content_object) is None:
        return wagtail_mail.workflow_rejection_email_notifier(
            instance=instance, user=user, **kwargs
        )
    _outcome(PAGE_REJECTED, instance, user)
    return True


def page_submitted(sender, instance, user=None, **kwargs):
    task = instance.task.specific
    page = _page_of(instance.workflow_state.content_object)
    if page is None or not isinstance(task, AbstractGroupApprovalTask):
        return wagtail_mail.task_submission_email_notifier(instance=instance, user=user, **kwargs)
    reviewers = (
        get_user_model()
        .objects.filter(groups__in=task.groups.all(), is_active=True)
        .values_list("pk", flat=True)
        .distinct()
    )
    notify(
        kind=PAGE_SUBMITTED.key,
        recipients=list(reviewers),
        target=page,
        url=page_edit_path(page),
        actor=user,
        initiative=_initiative_of(page),
        params={"title": page.title},
    )
    return True


# Wagtail's own dispatch_uids (wagtail/admin/signal_handlers.py): see the module's docstring.
workflow_approved.connect(
    page_approved, sender=WorkflowState, dispatch_uid="workflow_state_approved_email_notification"
)
workflow_rejected.connect(
    page_rejected, sender=WorkflowState, dispatch_uid="workflow_state_rejected_email_notification"
)
task_submitted.connect(
    page_submitted,
    sender=TaskState,
    dispatch_uid="group_approval_task_submitted_email_notification",
)
