"""Initiative administrators' Wagtail rights on their initiative's events.

Events live under ``/events/``, not under the initiative's page, so the page permissions an
initiative's Wagtail group has on its own subtree (``initiatives.services``) do not reach
them. This module gives each initiative's admin group:

- ``add_page`` on the events index, so they can create events (the edit form,
  ``events/forms_admin.py``, lets them choose only their own initiatives);
- ``change_page``, ``publish_page``, ``lock_page``, ``unlock_page`` on every event whose
  ``initiative`` is theirs, moved to the new initiative's group when an event changes hands;
  no ``publish_page`` while the initiative requires moderation (``initiatives.moderation``).

Kept in step on every save of an event or of the index, and when an initiative's group is
(re)made (``initiatives.extensions.HOOK_ADMIN_GROUP_READY``). Also: an initiative that has
events may not be deleted (``HOOK_DELETE_GUARD``).
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.models import GroupPagePermission

from initiatives.extensions import HOOK_ADMIN_GROUP_READY, HOOK_DELETE_GUARD
from initiatives.moderation import admin_codenames

from .models import EventIndexPage, EventPage

EVENT_PERMISSIONS = ("change_page", "publish_page", "lock_page", "unlock_page")


def _permissions(codenames) -> list[Permission]:
    return list(
        Permission.objects.filter(content_type__app_label="wagtailcore", codename__in=codenames)
    )


def _initiative_groups():
    return Group.objects.filter(administered_initiative__isnull=False)


def event_permissions_sync(*, event: EventPage) -> None:
    """The event's initiative's admin group, and no other initiative's, may edit it."""
    group_id, moderated = None, False
    if event.initiative_id:
        group_id, moderated = (
            type(event.initiative)
            .objects.filter(pk=event.initiative_id)
            .values_list("admin_group_id", "moderation_required")
            .first()
        ) or (None, False)
    stale = GroupPagePermission.objects.filter(
        page_id=event.pk, group__administered_initiative__isnull=False
    )
    if group_id:
        # Under moderation the admins submit their events; the editors publish them.
        granted = admin_codenames(EVENT_PERMISSIONS, moderated=moderated)
        stale = stale.exclude(group_id=group_id, permission__codename__in=granted)
    stale.delete()
    if group_id:
        for permission in _permissions(granted):
            GroupPagePermission.objects.get_or_create(
                group_id=group_id, page_id=event.pk, permission=permission
            )


def index_add_permission_sync(*, groups=None) -> None:
    """Every initiative admin group (or ``groups``) may add events under the index."""
    (add,) = _permissions(["add_page"])
    groups = list(groups if groups is not None else _initiative_groups())
    for index_id in EventIndexPage.objects.values_list("pk", flat=True):
        for group in groups:
            GroupPagePermission.objects.get_or_create(group=group, page_id=index_id, permission=add)


@receiver(post_save, sender=EventPage, dispatch_uid="events.event_permissions")
def _event_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        event_permissions_sync(event=instance)


@receiver(post_save, sender=EventIndexPage, dispatch_uid="events.index_permissions")
def _index_saved(sender, instance, created=False, raw=False, **kwargs):
    if created and not raw:
        index_add_permission_sync()


@hooks.register(HOOK_ADMIN_GROUP_READY)
def initiative_group_ready(*, initiative, group) -> None:
    index_add_permission_sync(groups=[group])
    for event in EventPage.objects.filter(initiative=initiative).only("pk", "initiative_id"):
        event_permissions_sync(event=event)


@hooks.register(HOOK_DELETE_GUARD)
def refuse_deleting_initiatives_with_events(initiative):
    if EventPage.objects.filter(initiative=initiative).exists():
        return _("it has events")
    return None
