"""The discussion under an idea, «Откликнуться» and «Стать партнёром» with the author's
answer: ``/ideas/<id>/comment/``, ``respond/``, ``partner/``, ``partners/<pid>/``.

All POST-only (a GET is sent back to the idea). Guests are sent to sign in and back to the
idea; an idea the viewer may not see is a 404, an action they may not take a 403. Bad input
re-renders the idea's page with the bound form, what was typed and a 400; success redirects
with a message.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from . import forms, permissions, services
from .models import IdeaComment, IdeasExchangePage, Partnership
from .views_posting import (
    add_service_error,
    detail_again,
    idea_url,
    subpage_url,
    visible_idea_or_404,
)


def _not_post_or_guest(request, page, idea_id):
    """The response for a GET (back to the idea) or a guest (sign in first), else None."""
    if request.method != "POST":
        return HttpResponseRedirect(idea_url(page, visible_idea_or_404(request, idea_id)))
    if not permissions.signed_in(request.user):
        return redirect_to_login(subpage_url(page, "idea", idea_id))
    return None


def comment_post(request, *, page: IdeasExchangePage, idea_id: int):
    early = _not_post_or_guest(request, page, idea_id)
    if early is not None:
        return early
    idea = visible_idea_or_404(request, idea_id)
    if not permissions.can_comment(request.user, idea):
        raise PermissionDenied(_("Comments on this idea are closed."))
    form = forms.CommentForm(request.POST)
    parent = None
    if form.is_valid():
        parent_id = form.cleaned_data.get("parent")
        if parent_id is not None:
            parent = IdeaComment.objects.filter(pk=parent_id, idea=idea, hidden=False).first()
            if parent is None:
                form.add_error(
                    "parent", _("The comment you answer is not in this discussion (any more).")
                )
    if form.is_valid():
        try:
            comment = services.comment_create(
                idea=idea, author=request.user, text=form.cleaned_data["text"], parent=parent
            )
        except services.IdeaError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Your comment is published."))
            return HttpResponseRedirect(f"{idea_url(page, idea)}#comment-{comment.pk}")
    return detail_again(request, page=page, idea=idea, comment_form=form, reply_to=parent)


def respond(request, *, page: IdeasExchangePage, idea_id: int):
    early = _not_post_or_guest(request, page, idea_id)
    if early is not None:
        return early
    idea = visible_idea_or_404(request, idea_id)
    if not permissions.can_respond(request.user, idea):
        raise PermissionDenied(_("You cannot respond to this idea."))
    form = forms.RespondForm(request.POST)
    if form.is_valid():
        try:
            address = services.idea_respond(
                idea=idea, sender=request.user, text=form.cleaned_data["text"]
            )
        except services.IdeaError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Your message is sent to the author."))
            if address and url_has_allowed_host_and_scheme(
                address, allowed_hosts={request.get_host()}
            ):
                return HttpResponseRedirect(address)
            return HttpResponseRedirect(idea_url(page, idea))
    return detail_again(request, page=page, idea=idea, respond_form=form)


def partnership_request(request, *, page: IdeasExchangePage, idea_id: int):
    early = _not_post_or_guest(request, page, idea_id)
    if early is not None:
        return early
    idea = visible_idea_or_404(request, idea_id)
    if not permissions.can_ask_partnership(request.user, idea):
        raise PermissionDenied(_("You cannot ask to join this project."))
    form = forms.PartnershipForm(request.POST)
    if form.is_valid():
        try:
            services.partnership_request(
                idea=idea,
                user=request.user,
                role=form.cleaned_data["role"],
                note=form.cleaned_data["note"],
            )
        except services.IdeaError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request, _("Your request is sent: the author will accept or decline it.")
            )
            return HttpResponseRedirect(idea_url(page, idea))
    return detail_again(request, page=page, idea=idea, partner_form=form)


def partnership_decide(request, *, page: IdeasExchangePage, idea_id: int, partnership_id: int):
    """The author's «accept» / «decline», or the person's own «withdraw»."""
    early = _not_post_or_guest(request, page, idea_id)
    if early is not None:
        return early
    idea = visible_idea_or_404(request, idea_id)
    partnership = Partnership.objects.filter(pk=partnership_id, idea=idea).first()
    if partnership is None:
        raise Http404(_("There is no such partnership request."))
    partnership.idea = idea
    decision = request.POST.get("decision", "")
    mine = partnership.user_id == request.user.pk
    if decision == "withdraw" and mine:
        allowed = True
    else:
        allowed = permissions.can_decide_partnership(request.user, idea)
    if not allowed:
        raise PermissionDenied(_("Only the project's author accepts or declines partners."))
    try:
        if decision == "withdraw" and mine:
            services.partnership_withdraw(partnership=partnership, user=request.user)
            done = _("Your request is withdrawn.")
        elif decision in ("accept", "decline"):
            accept = decision == "accept"
            services.partnership_decide(partnership=partnership, actor=request.user, accept=accept)
            done = (
                _("The partner is accepted: the organisation joins the consortium.")
                if accept
                else _("The request is declined.")
            )
        else:
            raise services.IdeaError(_("Choose to accept or decline the request."))
    except services.IdeaError as error:
        messages.error(request, error.message)
        return detail_again(request, page=page, idea=idea)
    messages.success(request, done)
    return HttpResponseRedirect(idea_url(page, idea))
