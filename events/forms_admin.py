"""The event's edit form in Wagtail admin.

Two things Wagtail's generated form does not do:

- **Times in the event's zone.** An editor types «10:00» meaning ten o'clock where the event
  happens; Django would read it in the admin's own zone. The form shows the stored times in
  the event's ``time_zone`` and reads what is typed there.
- **Whose event it may be.** An initiative's administrators may add events (their group has
  «add» on the events index) but only for their own initiatives; an event of the whole
  platform needs publish permission on the index (editors, portal admins).
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.permission_policies.pages import PagePermissionPolicy

ZONED_FIELDS = ("starts_at", "ends_at", "registration_deadline")


def editable_initiative_ids(user) -> set[int] | None:
    """The initiatives whose pages ``user`` may change; None when they may change every page."""
    from initiatives.models import InitiativePage

    if user is None or user.is_superuser:
        return None
    policy = PagePermissionPolicy()
    pages = policy.instances_user_has_permission_for(user, "change")
    return set(pages.type(InitiativePage).values_list("pk", flat=True))


def may_publish_platform_events(user, index_page) -> bool:
    if user is None or index_page is None:
        return False
    return index_page.permissions_for_user(user).can_publish_subpage()


class EventPageForm(WagtailAdminPageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = self.instance
        zone = ZoneInfo(instance.time_zone or "Europe/Minsk")
        for name in ZONED_FIELDS:
            value = getattr(instance, name, None)
            if name in self.fields and value is not None:
                self.initial[name] = timezone.localtime(value, zone).replace(tzinfo=None)
        self._limit_initiatives()

    def _index_page(self):
        parent = getattr(self, "parent_page", None)
        if parent is None and self.instance.pk:
            parent = self.instance.get_parent()
        return parent

    def _limit_initiatives(self) -> None:
        field = self.fields.get("initiative")
        user = getattr(self, "for_user", None)
        if field is None or user is None:
            return
        allowed = editable_initiative_ids(user)
        if allowed is not None:
            current = self.instance.initiative_id
            field.queryset = field.queryset.filter(pk__in=allowed | ({current} - {None}))
        self._platform_allowed = may_publish_platform_events(user, self._index_page())
        if not self._platform_allowed:
            field.required = True
            field.empty_label = None

    def clean(self):
        cleaned = super().clean()
        zone_name = cleaned.get("time_zone") or "Europe/Minsk"
        zone = ZoneInfo(zone_name)
        current = timezone.get_current_timezone()
        for name in ZONED_FIELDS:
            value = cleaned.get(name)
            if value is not None and timezone.is_aware(value):
                wall = timezone.make_naive(value, current)
                cleaned[name] = timezone.make_aware(wall, zone)
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts and ends and ends < starts:
            self.add_error("ends_at", _("The event cannot end before it starts."))
        deadline = cleaned.get("registration_deadline")
        if deadline and ends and deadline > ends:
            self.add_error(
                "registration_deadline", _("The deadline cannot be after the event ends.")
            )
        if (
            "initiative" in self.fields
            and cleaned.get("initiative") is None
            and not getattr(self, "_platform_allowed", True)
        ):
            self.add_error(
                "initiative",
                _("Choose your initiative: events of the whole platform are for editors."),
            )
        return cleaned
