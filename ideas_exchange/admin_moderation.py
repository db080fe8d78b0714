"""«Биржа идей» in Wagtail admin (wagtail-modeladmin): the moderators' list and the
moderation of one idea.

Editors and the portal admin moderate every idea, an initiative's admins that initiative's
ideas (``permissions.can_moderate``); nobody sees a row they do not moderate, whatever the
query string says. Ideas are posted and edited on the site, never here: a moderator only
approves, hides (with a reason the author is shown) or closes an idea, and hides a comment,
all through ``services`` on the moderation page of the idea.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.defaults import permission_denied
from wagtail import hooks
from wagtail_modeladmin.helpers import ButtonHelper, PermissionHelper
from wagtail_modeladmin.options import ModelAdmin, modeladmin_register
from wagtail_modeladmin.views import IndexView

from . import permissions, services
from .extensions import admin_initiative_ids, is_moderator
from .models import REASON_MAX_LENGTH, Idea, IdeaComment

# The query-string parameters the list accepts (its filters and ordering); any other lookup
# (``?author__password__startswith=…``) would let a moderator probe fields the list hides.
ALLOWED_PARAMS = {
    "kind__exact",
    "moderation__exact",
    "status__exact",
    "initiative__page_ptr__exact",
    "initiative__isnull",
}


def may_open_ideas_admin(user) -> bool:
    """The menu and the list: people who moderate some idea."""
    if not permissions.signed_in(user):
        return False
    return is_moderator(user) or bool(admin_initiative_ids(user))


def moderated_ideas(user, queryset=None):
    """``queryset`` narrowed to the ideas ``user`` moderates (none for anybody else)."""
    queryset = Idea.objects.all() if queryset is None else queryset
    if not permissions.signed_in(user):
        return queryset.none()
    viewer = permissions.viewer_for(user)
    if viewer.moderator:
        return queryset
    return queryset.filter(initiative_id__in=viewer.admin_of)


def moderate_url(idea_id: int) -> str:
    return reverse("ideas_exchange_moderate", args=[idea_id])


class ModeratorPermissionHelper(PermissionHelper):
    """The list for moderators; nothing is added, edited or deleted through modeladmin."""

    def user_can_list(self, user):
        return may_open_ideas_admin(user)

    def user_can_create(self, user):
        return False

    def user_can_edit_obj(self, user, obj):
        return False

    def user_can_delete_obj(self, user, obj):
        return False

    def user_can_inspect_obj(self, user, obj):
        return False


class ModeratorButtonHelper(ButtonHelper):
    """Each row: «Модерировать», the moderation page of the idea."""

    def get_buttons_for_obj(self, obj, exclude=None, classnames_add=None, classnames_exclude=None):
        buttons = super().get_buttons_for_obj(obj, exclude, classnames_add, classnames_exclude)
        if permissions.can_moderate(self.request.user, obj):
            buttons.append(
                {
                    "url": moderate_url(obj.pk),
                    "label": _("Moderate"),
                    "classname": self.finalise_classname(classnames_add, classnames_exclude),
                    "title": _("Moderate «%(title)s»") % {"title": obj.title},
                }
            )
        return buttons


class ModeratorIndexView(IndexView):
    """The list limited to the ideas the viewer moderates, with only known lookups."""

    def get_filters_params(self, params=None):
        lookup_params = super().get_filters_params(params)
        return {key: value for key, value in lookup_params.items() if key in ALLOWED_PARAMS}

    def get_base_queryset(self, request=None):
        request = request or self.request
        return moderated_ideas(request.user, super().get_base_queryset(request))


class ModerationForm(forms.Form):
    action = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            ("approve", gettext_lazy("Approve: publish the idea")),
            ("hide", gettext_lazy("Hide it (the author sees the reason)")),
            ("close", gettext_lazy("Close it")),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy("Choose what to do with the idea."),
            "invalid_choice": gettext_lazy("Choose what to do with the idea."),
        },
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": REASON_MAX_LENGTH}),
        help_text=gettext_lazy("Shown to the author; needed when the idea is hidden."),
    )


def moderate(request, idea_id: int):
    """The moderation page of one idea: its text, the decision form and its comments."""
    idea = get_object_or_404(Idea.objects.select_related("initiative", "author"), pk=idea_id)
    if not permissions.can_moderate(request.user, idea):
        return permission_denied(request, PermissionDenied())
    form = ModerationForm(initial={"reason": idea.moderation_reason})
    status = 200
    if request.method == "POST":
        if request.POST.get("hide_comment"):
            return _hide_comment(request, idea)
        form = ModerationForm(request.POST)
        if form.is_valid():
            try:
                services.idea_moderate(
                    idea=idea,
                    actor=request.user,
                    action=form.cleaned_data["action"],
                    reason=form.cleaned_data["reason"],
                )
            except services.IdeaError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
            else:
                messages.success(
                    request, _("«%(title)s»: the decision is saved.") % {"title": idea.title}
                )
                return redirect(moderate_url(idea.pk))
        status = 400
    comments = list(
        IdeaComment.objects.filter(idea=idea).select_related("author").order_by("created_at", "pk")
    )
    context = {
        "idea": idea,
        "form": form,
        "comments": comments,
        "index_url": reverse("ideas_exchange_idea_modeladmin_index"),
        "site_url": idea.get_absolute_url(),
    }
    return TemplateResponse(request, "ideas_exchange/admin/moderate.html", context, status=status)


def _hide_comment(request, idea: Idea):
    value = request.POST.get("hide_comment", "")
    comment = None
    if value.isdigit() and len(value) < 12:
        comment = IdeaComment.objects.filter(pk=int(value), idea=idea).first()
    if comment is None:
        messages.error(request, _("There is no such comment under this idea."))
        return redirect(moderate_url(idea.pk))
    comment.idea = idea
    services.comment_hide(comment=comment, actor=request.user)
    messages.success(request, _("The comment is hidden."))
    return redirect(moderate_url(idea.pk))


@modeladmin_register
class IdeaModelAdmin(ModelAdmin):
    model = Idea
    menu_label = gettext_lazy("Ideas exchange")
    menu_icon = "comment"
    menu_order = 250
    add_to_settings_menu = False
    permission_helper_class = ModeratorPermissionHelper
    button_helper_class = ModeratorButtonHelper
    index_view_class = ModeratorIndexView
    list_display = (
        "title",
        "kind",
        "initiative",
        "organisation_name",
        "moderation",
        "status",
        "created_at",
    )
    list_filter = ("moderation", "kind", "status", "initiative")
    list_select_related = ("initiative",)
    search_fields = ("title", "summary", "organisation_name")
    ordering = ("-created_at", "-pk")


@hooks.register("register_admin_urls")
def ideas_admin_urls():
    return [
        path(
            "ideas_exchange/idea/moderate/<int:idea_id>/",
            moderate,
            name="ideas_exchange_moderate",
        )
    ]
