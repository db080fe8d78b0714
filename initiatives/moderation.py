"""Moderation per initiative: news and events of an initiative with ``moderation_required``
go through the platform editors' approval before they are published.

One Wagtail workflow, «Модерация новостей и мероприятий инициатив», with one
``GroupApprovalTask`` for Wagtail's «Editors» group (the platform's editors). It is not
assigned to any page in Wagtail's «Workflows» settings: ``NewsPage``, ``EventPage`` and
``InitiativePage`` return it from ``get_workflow()`` while their initiative requires
moderation (:func:`workflow_for`), else Wagtail's own choice. The initiative admins' group
then holds no ``publish_page`` on the initiative's subtree and on its events
(:func:`admin_codenames`, used by ``initiatives.services`` and ``events.page_permissions``),
so Wagtail offers them «Submit to …» and refuses their «Publish».

The workflow is found by its name and made (or re-activated) when missing; turn moderation off
per initiative rather than by disabling the workflow in Wagtail's settings.

``initiatives`` imports no extranet module, so the editors' group is named here: it is
Wagtail's own default group, the one ``extranet.members.permissions.EDITORS_GROUP`` names
(a test checks they agree).
"""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.db import transaction
from wagtail.models import GroupApprovalTask, Workflow, WorkflowTask

WORKFLOW_NAME = "Модерация новостей и мероприятий инициатив"
TASK_NAME = "Утверждение редакторами платформы"
# Wagtail's default editors' group (wagtailcore's initial data), the platform's editors.
EDITORS_GROUP = "Editors"

PUBLISH = "publish_page"


def admin_codenames(codenames, *, moderated: bool) -> list[str]:
    """The page permissions an initiative's admin group holds: ``codenames`` without publish
    while the initiative requires moderation."""
    return [code for code in codenames if not (moderated and code == PUBLISH)]


@transaction.atomic
def moderation_workflow_ensure() -> Workflow:
    """The moderation workflow, active, with the editors' approval as its task. Idempotent;
    groups an editor added to the task in Wagtail admin are kept."""
    editors, _created = Group.objects.get_or_create(name=EDITORS_GROUP)
    workflow = Workflow.objects.filter(name=WORKFLOW_NAME).order_by("pk").first()
    if workflow is None:
        workflow = Workflow.objects.create(name=WORKFLOW_NAME, active=True)
    elif not workflow.active:
        workflow.active = True
        workflow.save(update_fields=["active"])
    task = GroupApprovalTask.objects.filter(name=TASK_NAME).order_by("pk").first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=TASK_NAME, active=True)
    elif not task.active:
        task.active = True
        task.save(update_fields=["active"])
    task.groups.add(editors)
    if not WorkflowTask.objects.filter(workflow=workflow, task=task).exists():
        WorkflowTask.objects.create(
            workflow=workflow, task=task, sort_order=workflow.workflow_tasks.count()
        )
    return workflow


def moderation_workflow() -> Workflow:
    """The active moderation workflow (made on first need)."""
    workflow = Workflow.objects.filter(name=WORKFLOW_NAME, active=True).order_by("pk").first()
    return workflow if workflow is not None else moderation_workflow_ensure()


def initiative_is_moderated(initiative_id: int | None) -> bool:
    """Whether the initiative as stored (its published version) requires moderation."""
    if not initiative_id:
        return False
    from .models import InitiativePage

    return bool(
        InitiativePage.objects.filter(pk=initiative_id)
        .values_list("moderation_required", flat=True)
        .first()
    )


def workflow_for(initiative) -> Workflow | None:
    """The moderation workflow when ``initiative`` requires moderation, else None (the page
    keeps Wagtail's own workflow, if any)."""
    if initiative is None or not initiative.moderation_required:
        return None
    return moderation_workflow()


def admin_publish_in_step(*, initiative) -> bool:
    """Whether the initiative's admin group holds publish on its page exactly when the
    initiative does not require moderation (``initiative`` as just saved)."""
    from wagtail.models import GroupPagePermission

    if initiative.admin_group_id is None:
        return False
    holds = GroupPagePermission.objects.filter(
        group_id=initiative.admin_group_id,
        page_id=initiative.pk,
        permission__codename=PUBLISH,
    ).exists()
    return holds != bool(initiative.moderation_required)


def ensure_after_migrate(sender, **kwargs) -> None:
    """post_migrate: the workflow exists before anyone turns moderation on, so editors see
    it in Wagtail's «Workflows» (after a test database flush too)."""
    if getattr(sender, "name", None) == "initiatives":
        moderation_workflow_ensure()
