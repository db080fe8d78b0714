"""«Мероприятия» in Wagtail admin (wagtail-modeladmin): registrations, attendance, feedback.

Organisers of an event (``permissions.can_manage_event``: whoever may edit its page, and the
portal admin) see its registrations and ratings; nobody else sees a row of it, whatever the
query string says. The lists are filtered by event with ``?event=<id>``, which the
«Участники» and «Отзывы» buttons of an event page in the page explorer link to.

Registrations are made by people on the site, never here: the organiser only cancels one
(through ``services.registration_cancel``, so the waiting list moves up), confirms a guest
who could not open their link (``services.registration_confirm``) and marks attendance
(``services.attendance_mark``), one row at a time in the edit view or the whole event at once
in the attendance view.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Avg, Count
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.defaults import permission_denied
from wagtail import hooks
from wagtail.admin.panels import FieldPanel
from wagtail.admin.widgets import Button
from wagtail.permission_policies.pages import PagePermissionPolicy
from wagtail_modeladmin.helpers import ButtonHelper, PermissionHelper
from wagtail_modeladmin.options import ModelAdmin, ModelAdminGroup, modeladmin_register
from wagtail_modeladmin.views import EditView, IndexView

from . import permissions
from .extensions import is_portal_admin
from .models import EventPage, Feedback, Registration

Status = Registration.Status

# The query-string parameters the lists accept; any other lookup (``?user__password__…``,
# ``?secret__startswith=…``) would let an organiser probe fields the list does not show.
ALLOWED_PARAMS = {"event", "status__exact", "attended__exact", "attended__isnull", "rating__exact"}

_MANAGEABLE_CACHE = "_events_manageable_ids"


# --- who sees what -------------------------------------------------------------------------


def may_open_events_admin(user) -> bool:
    """The menu and the lists: the portal admin and people who may edit some page.

    Which rows they see is ``manageable_event_ids``; this only keeps the menu away from
    people who can organise nothing (and is cheap: Wagtail caches the page permissions)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if is_portal_admin(user):
        return True
    return PagePermissionPolicy().user_has_any_permission(user, {"add", "change"})


def manageable_event_ids(user, *, request=None) -> set[int] | None:
    """The ids of the events ``user`` organises; None means every event (the portal admin).

    The same answer as ``permissions.can_manage_event`` for each event (a test holds them
    equal), computed for all events at once: asking each event's ``PagePermissionTester``
    walks every one of the user's page permissions per event, and an initiative's admins
    hold four per event of theirs (``page_permissions``), so 1,000 events took 14 s. Here the
    user's permissions (cached by Wagtail) are indexed by page path and each event looks up
    its ancestors' paths. Kept on the request for the views that ask twice.
    """
    if request is not None and hasattr(request, _MANAGEABLE_CACHE):
        return getattr(request, _MANAGEABLE_CACHE)
    if not may_open_events_admin(user):
        ids: set[int] | None = set()
    elif is_portal_admin(user):
        ids = None
    else:
        ids = _editable_event_ids(user)
    if request is not None:
        setattr(request, _MANAGEABLE_CACHE, ids)
    return ids


def _editable_event_ids(user) -> set[int]:
    """Wagtail's ``can_edit`` for every event: «change» on the page or an ancestor, or «add»
    there on a page the user owns (workflow reviewers' access to pages in moderation is not
    an organiser's right and is left out)."""
    actions_at: dict[str, set[str]] = {}
    for perm in PagePermissionPolicy().get_cached_permissions_for_user(user):
        action = perm.permission.codename.rsplit("_", maxsplit=1)[0]
        actions_at.setdefault(perm.page.path, set()).add(action)
    if not actions_at:
        return set()
    step = EventPage.steplen
    ids = set()
    for pk, tree_path, owner_id in EventPage.objects.values_list("pk", "path", "owner_id"):
        actions: set[str] = set()
        for end in range(step, len(tree_path) + 1, step):
            actions |= actions_at.get(tree_path[:end], set())
        if "change" in actions or ("add" in actions and owner_id == user.pk):
            ids.add(pk)
    return ids


def _limited(queryset, request):
    ids = manageable_event_ids(request.user, request=request)
    return queryset if ids is None else queryset.filter(event_id__in=ids)


def _event_param(request) -> int | None:
    value = request.GET.get("event", "")
    return int(value) if value.isdigit() and len(value) < 12 else None


def _filtered_event(request) -> EventPage | None:
    """The event of ``?event=`` when the viewer organises it (else the list is just empty)."""
    pk = _event_param(request)
    if pk is None:
        return None
    ids = manageable_event_ids(request.user, request=request)
    if ids is not None and pk not in ids:
        return None
    return EventPage.objects.filter(pk=pk).first()


def spreadsheet_safe(value):
    """Text a spreadsheet will not run as a formula (CSV/formula injection): a leading
    ``= @ + -`` (or tab, carriage return) gets a quote. People type their own name and
    organisation when they register as guests."""
    if isinstance(value, str) and value[:1] in ("=", "@", "+", "-", "\t", "\r"):
        return "'" + value
    return value


def _attended_label(value: bool | None) -> str:
    if value is None:
        return _("not marked")
    return _("Attended") if value else _("Did not attend")


def _local(moment) -> str:
    """A time in the site's zone, as a spreadsheet sorts it (empty when there is none)."""
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def attendance_url(event_id: int) -> str:
    return reverse("events_attendance", args=[event_id])


def registrations_url(event_id: int) -> str:
    return reverse("events_registration_modeladmin_index") + "?" + urlencode({"event": event_id})


def feedback_url(event_id: int) -> str:
    return reverse("events_feedback_modeladmin_index") + "?" + urlencode({"event": event_id})


# --- permission and button helpers ---------------------------------------------------------


class OrganiserPermissionHelper(PermissionHelper):
    """Lists for organisers; nothing is added or deleted here (people register on the site,
    and a cancelled registration stays in the event's statistics)."""

    def user_can_list(self, user):
        return may_open_events_admin(user)

    def user_can_create(self, user):
        return False

    def user_can_delete_obj(self, user, obj):
        return False

    def user_can_edit_obj(self, user, obj):
        return False

    def user_can_inspect_obj(self, user, obj):
        return False


class RegistrationPermissionHelper(OrganiserPermissionHelper):
    def user_can_edit_obj(self, user, obj):
        return permissions.can_manage_event(user, obj.event)


class RegistrationButtonHelper(ButtonHelper):
    """Each row: «Edit» (status and attendance) and the event's attendance sheet."""

    def get_buttons_for_obj(self, obj, exclude=None, classnames_add=None, classnames_exclude=None):
        buttons = super().get_buttons_for_obj(obj, exclude, classnames_add, classnames_exclude)
        if obj.status == Status.CONFIRMED and self.permission_helper.user_can_edit_obj(
            self.request.user, obj
        ):
            buttons.append(
                {
                    "url": attendance_url(obj.event_id),
                    "label": _("Attendance"),
                    "classname": self.finalise_classname(classnames_add, classnames_exclude),
                    "title": _("Mark attendance for %(event)s") % {"event": obj.event.title},
                }
            )
        return buttons


# --- views ---------------------------------------------------------------------------------


class OrganiserIndexView(IndexView):
    """The list limited to the viewer's events, ``?event=`` checked, only known lookups, and
    exports with formulas quoted."""

    @property
    def export_headings(self):
        # modeladmin reads the headings from the view; they are declared on the ModelAdmin.
        return getattr(self.model_admin, "export_headings", {})

    def get_filters_params(self, params=None):
        lookup_params = super().get_filters_params(params)
        kept = {key: value for key, value in lookup_params.items() if key in ALLOWED_PARAMS}
        if "event" in kept:
            pk = _event_param(self.request)
            if pk is None:
                kept.pop("event")
            else:
                kept["event"] = [str(pk)]
        return kept

    def get_base_queryset(self, request=None):
        request = request or self.request
        return _limited(super().get_base_queryset(request), request)

    def to_row_dict(self, item):
        return {key: spreadsheet_safe(value) for key, value in super().to_row_dict(item).items()}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        event = _filtered_event(self.request)
        context["filtered_event"] = event
        if event is not None:
            context["event_edit_url"] = reverse("wagtailadmin_pages:edit", args=[event.pk])
            context["attendance_url"] = attendance_url(event.pk)
            context["registrations_url"] = registrations_url(event.pk)
            context["feedback_url"] = feedback_url(event.pk)
        return context


class FeedbackIndexView(OrganiserIndexView):
    """The ratings, with their average and count for what the list shows."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        summary = self.queryset.order_by().aggregate(average=Avg("rating"), count=Count("pk"))
        context["rating_average"] = summary["average"]
        context["rating_count"] = summary["count"]
        return context


class RegistrationForm(forms.ModelForm):
    """Only what an organiser may change by hand: the status (to confirmed or cancelled,
    through the services) and the attendance."""

    class Meta:
        model = Registration
        fields = ["status", "attended"]


class RegistrationEditView(EditView):
    """Saves through the services: a cancellation moves the waiting list up, a guest's
    confirmation takes a seat (or the waiting list), the attendance mark is the organisers'."""

    def dispatch(self, request, *args, **kwargs):
        self.original = Registration.objects.select_related("event").get(pk=self.instance.pk)
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        from . import services

        original = self.original
        status = form.cleaned_data["status"]
        attended = form.cleaned_data["attended"]
        registration = original
        if status != original.status:
            if status == Status.CANCELLED:
                services.registration_cancel(registration=registration)
            elif status == Status.CONFIRMED and original.status == Status.PENDING:
                try:
                    services.registration_confirm(registration=registration)
                except services.RegistrationRefused as exc:
                    form.add_error("status", exc.message)
                    return self.form_invalid(form)
            else:
                form.add_error(
                    "status",
                    _(
                        "A registration can only be cancelled here, or a guest's confirmed; "
                        "seats from the waiting list are given in the order people joined it."
                    ),
                )
                return self.form_invalid(form)
        if attended != original.attended:
            services.attendance_mark(registration=registration, attended=attended)
        messages.success(
            self.request, _("The registration of %(name)s was saved.") % {"name": original.name}
        )
        return redirect(self.get_success_url())

    def get_success_url(self):
        return registrations_url(self.original.event_id)


ATTENDANCE_CHOICES = {"yes": True, "no": False, "": None}


def attendance(request, event_id: int):
    """The attendance sheet of one event: its confirmed registrations, each marked «Был»,
    «Не был» or not marked; saving marks only the rows that changed."""
    from . import services

    event = get_object_or_404(EventPage, pk=event_id)
    if not permissions.can_manage_event(request.user, event):
        # A real 403, not Wagtail's redirect to the dashboard: the sheet's address is shared
        # between organisers, and the one refused should see why the link does not open.
        return permission_denied(request, PermissionDenied())
    rows = list(
        Registration.objects.filter(event_id=event.pk, status=Status.CONFIRMED).order_by(
            "name", "pk"
        )
    )
    if request.method == "POST":
        changed = 0
        for registration in rows:
            value = request.POST.get(f"attended-{registration.pk}")
            if value not in ATTENDANCE_CHOICES:
                continue  # a row the form did not show (registered since): left as it is
            attended = ATTENDANCE_CHOICES[value]
            if attended != registration.attended:
                services.attendance_mark(registration=registration, attended=attended)
                changed += 1
        messages.success(request, _("Attendance saved (%(count)s changed).") % {"count": changed})
        return redirect(attendance_url(event.pk))
    for registration in rows:
        registration.mark = {True: "yes", False: "no", None: ""}[registration.attended]
    context = {
        "event": event,
        "rows": rows,
        "choices": [("yes", _("Attended")), ("no", _("Did not attend")), ("", _("not marked"))],
        "attended_count": sum(1 for r in rows if r.attended is True),
        "registrations_url": registrations_url(event.pk),
        "feedback_url": feedback_url(event.pk),
        "event_edit_url": reverse("wagtailadmin_pages:edit", args=[event.pk]),
    }
    return TemplateResponse(request, "events/admin/attendance.html", context)


# --- the registries ------------------------------------------------------------------------


class RegistrationModelAdmin(ModelAdmin):
    model = Registration
    menu_label = gettext_lazy("Registrations")
    menu_icon = "list-ul"
    permission_helper_class = RegistrationPermissionHelper
    button_helper_class = RegistrationButtonHelper
    index_view_class = OrganiserIndexView
    edit_view_class = RegistrationEditView
    index_template_name = "events/admin/registration_index.html"
    panels = [FieldPanel("status"), FieldPanel("attended")]
    list_display = (
        "event",
        "name",
        "email",
        "organisation",
        "status",
        "attended_display",
        "created_at",
    )
    list_filter = ("status", "attended")
    list_select_related = ("event",)
    search_fields = ("name", "email", "organisation")
    list_export = [
        "event",
        "name",
        "email",
        "organisation",
        "status_display",
        "attended_display",
        "registered",
        "confirmed",
    ]
    # A context of their own: the bare words mean other things elsewhere («Comment» is a
    # button, «Registered» a status).
    export_headings = {
        "event": pgettext_lazy("events export", "Event"),
        "name": pgettext_lazy("events export", "Name"),
        "email": pgettext_lazy("events export", "E-mail"),
        "organisation": pgettext_lazy("events export", "Organisation"),
        "status_display": pgettext_lazy("events export", "Status"),
        "attended_display": pgettext_lazy("events export", "Attendance"),
        "registered": pgettext_lazy("events export", "Registered"),
        "confirmed": pgettext_lazy("events export", "Confirmed"),
    }
    export_filename = "registrations"
    ordering = ("-created_at", "-pk")

    @staticmethod
    def status_display(obj):
        return obj.get_status_display()

    status_display.short_description = gettext_lazy("status")

    @staticmethod
    def attended_display(obj):
        return _attended_label(obj.attended)

    attended_display.short_description = gettext_lazy("attendance")

    @staticmethod
    def registered(obj):
        return _local(obj.created_at)

    @staticmethod
    def confirmed(obj):
        return _local(obj.confirmed_at)


class FeedbackModelAdmin(ModelAdmin):
    model = Feedback
    menu_label = gettext_lazy("Feedback")
    menu_icon = "pick"
    permission_helper_class = OrganiserPermissionHelper
    index_view_class = FeedbackIndexView
    index_template_name = "events/admin/feedback_index.html"
    list_display = ("event", "rating", "comment", "created_at")
    list_filter = ("rating",)
    list_select_related = ("event",)
    search_fields = ("comment",)
    list_export = ["event", "rating", "comment", "date"]
    export_headings = {
        "event": pgettext_lazy("events export", "Event"),
        "rating": pgettext_lazy("events export", "Rating"),
        "comment": pgettext_lazy("events export", "Comment"),
        "date": pgettext_lazy("events export", "Date"),
    }
    export_filename = "event-feedback"
    ordering = ("-created_at", "-pk")

    @staticmethod
    def date(obj):
        return _local(obj.created_at)


@modeladmin_register
class EventsAdminGroup(ModelAdminGroup):
    menu_label = gettext_lazy("Events")
    menu_icon = "date"
    menu_order = 240
    items = (RegistrationModelAdmin, FeedbackModelAdmin)


@hooks.register("register_admin_urls")
def events_admin_urls():
    return [
        path(
            "events/registration/attendance/<int:event_id>/",
            attendance,
            name="events_attendance",
        )
    ]


def _event_buttons(page, user, priority: int):
    # ``specific_class`` comes from the content type Wagtail has cached: no query per row.
    specific = page.specific_class
    if specific is None or not issubclass(specific, EventPage):
        return []
    if not permissions.can_manage_event(user, page):
        return []
    return [
        Button(
            _("Participants"),
            registrations_url(page.pk),
            icon_name="group",
            priority=priority,
        ),
        Button(
            _("Attendance"),
            attendance_url(page.pk),
            icon_name="tick",
            priority=priority + 1,
        ),
        Button(
            _("Feedback"),
            feedback_url(page.pk),
            icon_name="pick",
            priority=priority + 2,
        ),
    ]


@hooks.register("register_page_header_buttons")
def event_header_buttons(page, user, view_name=None, next_url=None):
    """«Участники», «Посещаемость», «Отзывы» in the event page's header menu (edit view)."""
    return _event_buttons(page, user, 80)


@hooks.register("register_page_listing_more_buttons")
def event_listing_buttons(page, user, next_url=None):
    """The same in the «…» menu of each event in the page explorer's list."""
    return _event_buttons(page, user, 80)
