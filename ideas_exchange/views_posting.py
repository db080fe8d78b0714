"""Posting at ``/ideas/new/``, the author's edit at ``/ideas/<id>/edit/`` and a project's
stage at ``/ideas/<id>/stage/``.

Thin: forms check, ``services`` write, ``permissions`` decide. Guests are sent to sign in
(and back here); an idea the viewer may not see is a 404, one they see but may not change a
403. Bad input re-renders the form (or the idea's page) with what was typed and a 400.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from . import forms, permissions, services
from .models import Idea, IdeasExchangePage


def idea_url(page: IdeasExchangePage, idea: Idea) -> str:
    return page.url + page.reverse_subpage("idea", args=[idea.pk])


def subpage_url(page: IdeasExchangePage, name: str, *args) -> str:
    return page.url + page.reverse_subpage(name, args=list(args))


def visible_idea_or_404(request, idea_id: int) -> Idea:
    """The idea when the viewer may see it; a 404 otherwise (never saying it exists)."""
    idea = Idea.objects.select_related("initiative", "author").filter(pk=idea_id).first()
    if idea is None or not permissions.can_view_idea(request.user, idea):
        raise Http404(_("There is no such idea."))
    return idea


def add_service_error(form, error: services.IdeaError) -> None:
    """The service's sentence on its field (when the form has it), else on the form."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


def detail_again(request, *, page, idea, status: int = 400, **forms_and_state):
    """The idea's page once more, with the bound form (``views.idea_detail_response``)."""
    from . import views

    return views.idea_detail_response(
        request, page=page, idea=idea, status=status, **forms_and_state
    )


def _form_page(request, *, page, form, idea=None, status=200):
    context = {
        "page": page,
        "form": form,
        "idea": idea,
        "needs_moderation": idea is None and permissions.needs_moderation(request.user),
        "cancel_url": idea_url(page, idea) if idea is not None else page.url,
        "max_attachments": services.max_attachments(),
    }
    return TemplateResponse(request, "ideas_exchange/idea_form.html", context, status=status)


def idea_new(request, *, page: IdeasExchangePage):
    if not permissions.can_post(request.user):
        return redirect_to_login(request.get_full_path())
    if request.method != "POST":
        return _form_page(request, page=page, form=forms.IdeaForm(user=request.user))
    form = forms.IdeaForm(request.POST, request.FILES, user=request.user)
    if form.is_valid():
        try:
            idea = services.idea_create(
                author=request.user,
                data=form.service_data(),
                uploads=form.cleaned_data.get("attachments") or (),
            )
        except services.IdeaError as error:
            add_service_error(form, error)
        else:
            if idea.moderation == Idea.Moderation.PENDING:
                messages.info(
                    request,
                    _(
                        "Your idea is saved and waits for a moderator: it appears on the board "
                        "once it is approved."
                    ),
                )
            else:
                messages.success(request, _("Your idea is published."))
            return HttpResponseRedirect(idea_url(page, idea))
    return _form_page(request, page=page, form=form, status=400)


def idea_edit(request, *, page: IdeasExchangePage, idea_id: int):
    if not permissions.signed_in(request.user):
        return redirect_to_login(request.get_full_path())
    idea = visible_idea_or_404(request, idea_id)
    if not permissions.can_edit_idea(request.user, idea):
        raise PermissionDenied(_("Only the author may edit this idea."))
    if request.method != "POST":
        return _form_page(
            request, page=page, idea=idea, form=forms.IdeaForm(user=request.user, instance=idea)
        )
    form = forms.IdeaForm(request.POST, request.FILES, user=request.user, instance=idea)
    if form.is_valid():
        try:
            services.idea_update(
                idea=idea,
                user=request.user,
                data=form.service_data(),
                uploads=form.cleaned_data.get("attachments") or (),
                remove_attachment_ids=form.cleaned_data.get("remove_attachments") or (),
            )
        except services.IdeaError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Your changes are saved."))
            return HttpResponseRedirect(idea_url(page, idea))
    return _form_page(request, page=page, idea=idea, form=form, status=400)


def idea_stage(request, *, page: IdeasExchangePage, idea_id: int):
    if request.method != "POST":
        return HttpResponseRedirect(idea_url(page, visible_idea_or_404(request, idea_id)))
    if not permissions.signed_in(request.user):
        return redirect_to_login(subpage_url(page, "idea", idea_id))
    idea = visible_idea_or_404(request, idea_id)
    if not permissions.can_change_stage(request.user, idea):
        raise PermissionDenied(_("Only the project's author changes its stage."))
    form = forms.StageForm(request.POST, idea=idea)
    if form.is_valid():
        try:
            services.idea_stage_change(
                idea=idea, actor=request.user, stage=form.cleaned_data["stage"]
            )
        except services.IdeaError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The project's stage is changed."))
            return HttpResponseRedirect(idea_url(page, idea))
    return detail_again(request, page=page, idea=idea, stage_form=form)
