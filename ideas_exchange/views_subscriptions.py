"""«Подписки на теги» at ``/ideas/subscriptions/``: the tags a signed-in user follows.

Checkboxes for every tag ideas carry (and those the user follows already), plus a free input
for tags nobody used yet (comma separated). Guests are sent to sign in. A refused form comes
back with what was typed and the reason.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from . import subscriptions as service
from .permissions import signed_in

OTHER_MAX_LENGTH = 1_000


class SubscriptionsForm(forms.Form):
    tags = forms.TypedMultipleChoiceField(
        label=_("Tags of the ideas exchange"),
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("This tag is not offered here: choose from the list.")},
    )
    other = forms.CharField(
        label=_("Other tags"),
        required=False,
        max_length=OTHER_MAX_LENGTH,
        help_text=_("Comma separated, for example: биотехнологии, композиты."),
    )

    def __init__(self, *args, tags=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.tag_objects = {tag.pk: tag for tag in tags}
        self.fields["tags"].choices = [(tag.pk, tag.name) for tag in tags]

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        names = [self.tag_objects[pk].name for pk in cleaned.get("tags") or []]
        names += (cleaned.get("other") or "").split(",")
        try:
            cleaned["names"] = service.clean_tag_names(names)
        except service.SubscriptionError as error:
            raise ValidationError(str(error), code="tags") from error
        return cleaned


@require_http_methods(["GET", "HEAD", "POST"])
def subscriptions(request, *, page):
    if not signed_in(request.user):
        return redirect_to_login(request.get_full_path())
    followed = service.followed_tags(user=request.user)
    offered = {tag.pk: tag for tag in service.idea_tags()}
    offered.update({tag.pk: tag for tag in followed})
    tags = sorted(offered.values(), key=lambda tag: tag.name.casefold())
    if request.method == "POST":
        form = SubscriptionsForm(request.POST, tags=tags)
        if form.is_valid():
            try:
                saved = service.tag_subscriptions_set(
                    user=request.user, tag_names=form.cleaned_data["names"]
                )
            except service.SubscriptionError as error:
                form.add_error(None, str(error))
            else:
                if saved:
                    messages.success(
                        request,
                        gettext("You follow these tags now: %(tags)s.")
                        % {"tags": ", ".join(tag.name for tag in saved)},
                    )
                else:
                    messages.success(request, gettext("You follow no tags now."))
                return redirect(page.url + page.reverse_subpage("subscriptions"))
    else:
        form = SubscriptionsForm(tags=tags, initial={"tags": [tag.pk for tag in followed]})
    return page.render(
        request,
        template="ideas_exchange/subscriptions.html",
        context_overrides={"form": form, "followed": followed},
    )
