"""E-mail preferences (``/cabinet/notifications/settings/``) and one-click unsubscribe
(``/unsubscribe/<token>/``). Thin views: reads in selectors, writes in services."""

from __future__ import annotations

import functools

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from extranet.members.selectors import profile_of

from . import services
from .forms import EmailSettingsForm, NewsletterForm
from .kinds import Category, Mode
from .models import EmailSettings
from .selectors import email_modes
from .tokens import DIGEST, TokenExpired, TokenInvalid, unsubscribe_token_read

SETTINGS_TEMPLATE = "notices/email_settings.html"
UNSUBSCRIBE_TEMPLATE = "notices/unsubscribe.html"


def _settings_page(request, *, form, newsletter_form=None):
    user = request.user
    return TemplateResponse(
        request,
        SETTINGS_TEMPLATE,
        {
            "form": form,
            "newsletter_form": newsletter_form,
            "subscribed": profile_of(user=user).newsletter,
            "user_obj": user,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def email_settings_view(request):
    """Mode per category, the language of e-mails and the master switch («Отписаться»).

    Two forms post here: the preferences (``EmailSettingsForm``) and the switch
    (``NewsletterForm``, told apart by its ``subscribed`` field). Invalid input shows the
    page again with the errors and saves nothing; success redirects (PRG)."""
    user = request.user
    own = EmailSettings.objects.filter(user=user).first()
    initial = {
        **email_modes(own),
        "language": own.language if own is not None else settings.LANGUAGE_CODE,
    }
    if request.method == "POST" and "subscribed" in request.POST:
        newsletter_form = NewsletterForm(request.POST)
        if newsletter_form.is_valid():
            subscribed = newsletter_form.cleaned_data["subscribed"]
            services.newsletter_set(user=user, subscribed=subscribed)
            if subscribed:
                messages.success(request, _("You are subscribed to e-mail notifications again."))
            else:
                messages.success(
                    request,
                    _(
                        "You have unsubscribed from e-mail notifications. Service e-mails "
                        "about your account will still be sent."
                    ),
                )
            return redirect("notification_settings")
        return _settings_page(
            request,
            form=EmailSettingsForm(initial=initial),
            newsletter_form=newsletter_form,
        )
    if request.method == "POST":
        form = EmailSettingsForm(request.POST)
        if form.is_valid():
            services.email_settings_save(
                user=user, modes=form.modes(), language=form.cleaned_data["language"]
            )
            messages.success(request, _("Your e-mail preferences have been saved."))
            return redirect("notification_settings")
        return _settings_page(request, form=form)
    return _settings_page(request, form=EmailSettingsForm(initial=initial))


# --- Unsubscribe ------------------------------------------------------------------------------


def email_masked(email: str) -> str:
    """``ivan@example.com`` → ``i***@example.com``: enough to recognise one's own address,
    too little to learn someone else's from a forwarded link."""
    local, _at, domain = (email or "").partition("@")
    if not domain:
        return "***"
    return f"{local[:1]}***@{domain}"


def _no_index(view):
    """Unsubscribe pages are personal: never cached, never indexed, whatever the outcome."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        response = never_cache(view)(request, *args, **kwargs)
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    return wrapper


def _scope_label(scope: str, modes: dict[str, str]) -> str:
    if scope == DIGEST:
        names = ", ".join(
            str(Category(category).label) for category, mode in modes.items() if mode == Mode.DIGEST
        )
        return (
            _("daily digests (%(categories)s)") % {"categories": names}
            if names
            else _("daily digests")
        )
    return _("e-mails of the category «%(category)s»") % {"category": Category(scope).label}


def _unsubscribe_error(request, *, expired: bool):
    return TemplateResponse(
        request,
        UNSUBSCRIBE_TEMPLATE,
        {"state": "expired" if expired else "invalid"},
        status=410 if expired else 400,
    )


@csrf_exempt  # RFC 8058: mail providers POST «List-Unsubscribe=One-Click» with no cookie or token
@_no_index
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token: str):
    """GET: what the link turns off and for whom, with a button. POST: turn it off, no login
    needed (the signed token is the key); posting again changes nothing and says the same.
    A damaged or forged token, or one of an account that is gone or blocked, gets 400; an
    expired one 410, pointing to the preferences page."""
    try:
        request_data = unsubscribe_token_read(token)
    except TokenExpired:
        return _unsubscribe_error(request, expired=True)
    except TokenInvalid:
        return _unsubscribe_error(request, expired=False)
    user = (
        get_user_model()
        .objects.filter(pk=request_data.user_id, is_active=True)
        .select_related("email_settings")
        .first()
    )
    if user is None:
        return _unsubscribe_error(request, expired=False)
    scope = request_data.scope
    context = {"email": email_masked(user.email), "scope": scope}
    # Named before it is applied: after a digest unsubscribe no category is "digest" any more.
    context["scope_label"] = _scope_label(scope, email_modes(_own_settings(user)))
    if request.method == "POST":
        services.unsubscribe_apply(user=user, scope=scope)
        context["state"] = "done"
    else:
        context["state"] = "confirm"
    return TemplateResponse(request, UNSUBSCRIBE_TEMPLATE, context)


def _own_settings(user):
    return getattr(user, "email_settings", None)
