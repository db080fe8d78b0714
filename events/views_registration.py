"""Registration on the event page: the box's state, one-click and guest registration,
cancellation, ratings, and the page a registration's e-mailed link opens.

Thin: reads in ``selectors_registration``, writes in ``services``, who may do what in
``permissions``. A refused or invalid form re-renders the event page with what was typed
(400), a rate-limited guest gets 429; the POST-only routes answer GET with 405.
"""

from __future__ import annotations

from allauth.account.adapter import get_adapter
from django.contrib import messages
from django.core.cache import cache
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from . import permissions, services
from . import selectors_registration as selectors
from .forms import FeedbackForm, GuestRegistrationForm
from .models import EventPage, Registration
from .tokens import TokenGone, TokenInvalid, registration_for_token

# Guests' registrations per client address and minute; more is someone scripting the form.
GUEST_RATE_LIMIT = 5
GUEST_RATE_WINDOW = 60

# Set on the request by a POST that re-renders the page: the bound forms and the message.
_STATE = "_events_registration_state"


def _subpage_url(event: EventPage, name: str) -> str:
    return event.url.rstrip("/") + "/" + event.reverse_subpage(name)


def registration_context(request, *, event: EventPage) -> dict:
    """What ``events/includes/registration_box.html`` shows to this viewer.

    Keys: ``registration`` (the viewer's active registration or None), ``registration_refusal``
    (why they may not register, or None), ``can_cancel``, ``show_online_link``, ``guest_form``,
    ``feedback_form``, ``feedback_refusal``, ``is_organiser``, ``event_stats`` (organisers
    only), the routes' addresses and ``registration_message`` (a refusal of the last POST).
    """
    state = getattr(request, _STATE, {})
    user = request.user if request.user.is_authenticated else None
    now = timezone.now()
    registration = selectors.viewer_registration(user=user, event=event)
    refusal = None
    if registration is None:
        refusal = permissions.registration_refusal(user=user, event=event, now=now)
    guest_form = None
    if user is None and refusal is None and permissions.may_register_as_guest(event):
        guest_form = state.get("guest_form") or GuestRegistrationForm()
    feedback_refusal = None
    feedback_form = None
    if event.has_ended(now) and user is not None:
        feedback_refusal = permissions.feedback_refusal(registration=registration, now=now)
        if feedback_refusal is None:
            feedback_form = state.get("feedback_form") or FeedbackForm()
    is_organiser = permissions.can_manage_event(user, event)
    return {
        "registration": registration,
        "registration_refusal": refusal,
        "can_cancel": registration is not None and permissions.can_cancel(registration, now),
        "show_online_link": permissions.can_see_online_link(user, event, registration),
        "guest_form": guest_form,
        "feedback_form": feedback_form,
        "feedback_refusal": feedback_refusal,
        "is_organiser": is_organiser,
        "event_stats": selectors.event_stats(event=event, now=now) if is_organiser else None,
        "register_url": _subpage_url(event, "register"),
        "cancel_url": _subpage_url(event, "cancel"),
        "feedback_url": _subpage_url(event, "feedback"),
        "registration_message": state.get("message"),
        "feedback_message": state.get("feedback_message"),
    }


def _page_again(request, event: EventPage, *, status: int = 400, **state):
    """The event page once more, with the bound forms and the sentence of the refusal."""
    from .views import event_detail

    setattr(request, _STATE, state)
    response = event_detail(request, event=event)
    response.status_code = status
    return response


def _client_ip(request) -> str:
    try:
        return get_adapter(request).get_client_ip(request) or "unknown"
    except Exception:  # noqa: BLE001 - a forged X-Forwarded-For must not fail the form
        return request.META.get("REMOTE_ADDR") or "unknown"


def guest_rate_limit_take(request) -> bool:
    """One guest registration of this client address's allowance for the current minute."""
    window = int(timezone.now().timestamp() // GUEST_RATE_WINDOW)
    key = f"events:register:{_client_ip(request)}:{window}"
    cache.add(key, 0, timeout=GUEST_RATE_WINDOW * 2)
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=GUEST_RATE_WINDOW * 2)
        count = 1
    return count <= GUEST_RATE_LIMIT


def register(request, *, event: EventPage):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if request.user.is_authenticated:
        try:
            registration = services.registration_create(event=event, user=request.user)
        except services.RegistrationRefused as refused:
            return _page_again(request, event, message=refused.message)
        if registration.status == Registration.Status.WAITLISTED:
            messages.info(request, _("All seats are taken: you are on the waiting list."))
        else:
            messages.success(request, _("You are registered for the event."))
        return HttpResponseRedirect(event.url)
    form = GuestRegistrationForm(request.POST)
    if not permissions.may_register_as_guest(event):
        refusal = permissions.registration_refusal(user=None, event=event)
        return _page_again(request, event, guest_form=form, message=refusal)
    if not guest_rate_limit_take(request):
        return _page_again(
            request,
            event,
            status=429,
            guest_form=form,
            message=_("Too many registrations from your address. Try again in a minute."),
        )
    if not form.is_valid():
        return _page_again(request, event, guest_form=form)
    try:
        services.registration_create(event=event, **form.cleaned_data)
    except services.RegistrationRefused as refused:
        return _page_again(request, event, guest_form=form, message=refused.message)
    messages.success(
        request,
        _("Almost done: we sent a link to %(email)s. Open it to confirm the registration.")
        % {"email": form.cleaned_data["email"]},
    )
    return HttpResponseRedirect(event.url)


def cancel(request, *, event: EventPage):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    registration = selectors.viewer_registration(
        user=request.user if request.user.is_authenticated else None, event=event
    )
    if registration is None:
        return _page_again(
            request,
            event,
            message=_(
                "You are not registered for this event. A guest cancels with the link "
                "in the e-mail about the registration."
            ),
        )
    if not permissions.can_cancel(registration):
        return _page_again(
            request, event, message=_("The event has started: it is too late to cancel.")
        )
    services.registration_cancel(registration=registration)
    messages.success(request, _("Your registration is cancelled."))
    return HttpResponseRedirect(event.url)


def feedback(request, *, event: EventPage):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    user = request.user if request.user.is_authenticated else None
    registration = selectors.viewer_registration(user=user, event=event)
    form = FeedbackForm(request.POST)
    refusal = permissions.feedback_refusal(registration=registration)
    if refusal is None and not form.is_valid():
        return _page_again(request, event, feedback_form=form)
    if refusal is None:
        try:
            services.feedback_create(registration=registration, **form.cleaned_data)
        except services.RegistrationRefused as refused:
            refusal = refused.message
    if refusal is not None:
        return _page_again(request, event, feedback_message=refusal)
    messages.success(request, _("Thank you for rating the event."))
    return HttpResponseRedirect(event.url)


def _token_refused(request, event: EventPage, *, status: int, message: str):
    return TemplateResponse(
        request,
        "events/registration_manage.html",
        {"page": event, "event": event, "registration": None, "token_error": message},
        status=status,
    )


def manage(request, *, event: EventPage, token: str):
    """The page of a registration's e-mailed link: confirm (a guest's), cancel, rate."""
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    try:
        registration = registration_for_token(token=token, event=event)
    except TokenInvalid:
        return _token_refused(
            request,
            event,
            status=400,
            message=_(
                "This link is damaged: it may have been cut when it was copied. Open it "
                "from the e-mail again."
            ),
        )
    except TokenGone:
        return _token_refused(
            request,
            event,
            status=410,
            message=_(
                "This link no longer works: the registration was cancelled or the event "
                "was long ago."
            ),
        )
    status = 200
    state: dict = {}
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "confirm":
                services.registration_confirm(registration=registration)
                if registration.status == Registration.Status.CONFIRMED:
                    state["done"] = _("Your registration is confirmed. See you at the event!")
                elif registration.status == Registration.Status.WAITLISTED:
                    state["done"] = _(
                        "Your registration is confirmed, but all seats are taken: you are on "
                        "the waiting list. We will write when a seat becomes free."
                    )
            elif action == "cancel":
                if not permissions.can_cancel(registration):
                    raise services.RegistrationRefused(
                        _("The event has started: it is too late to cancel.")
                    )
                services.registration_cancel(registration=registration)
                state["done"] = _("Your registration is cancelled.")
            elif action == "feedback":
                form = FeedbackForm(request.POST)
                refusal = permissions.feedback_refusal(registration=registration)
                if refusal is not None:
                    raise services.RegistrationRefused(refusal)
                if not form.is_valid():
                    state["feedback_form"] = form
                    status = 400
                else:
                    services.feedback_create(registration=registration, **form.cleaned_data)
                    state["done"] = _("Thank you for rating the event.")
                    registration = registration_for_token(token=token, event=event)
            else:
                raise services.RegistrationRefused(_("Choose what to do with the registration."))
        except services.RegistrationRefused as refused:
            state["message"] = refused.message
            status = 400
    return TemplateResponse(
        request,
        "events/registration_manage.html",
        _manage_context(registration, state),
        status=status,
    )


def _manage_context(registration: Registration, state: dict) -> dict:
    event = registration.event
    now = timezone.now()
    active = registration.is_active
    feedback_refusal = None
    feedback_form = None
    if active and event.has_ended(now):
        feedback_refusal = permissions.feedback_refusal(registration=registration, now=now)
        if feedback_refusal is None:
            feedback_form = state.get("feedback_form") or FeedbackForm()
    return {
        "page": event,
        "event": event,
        "registration": registration,
        "can_confirm": registration.status == Registration.Status.PENDING
        and not event.has_started(now),
        "can_cancel": active and permissions.can_cancel(registration, now),
        "show_online_link": active and permissions.can_see_online_link(None, event, registration),
        "feedback_form": feedback_form,
        "feedback_refusal": feedback_refusal,
        "message": state.get("message"),
        "done": state.get("done"),
    }
