"""The ideas exchange's pages: the board, one idea, an idea's file.

Thin: the reads are in ``selectors``, who may see and do what in ``permissions``. Every GET
parameter of the board is forgiving: a kind, status, initiative or tag that is not
understood is ignored (the filter shows «all»), a broken page number gives the first or
last page; none of them fails the page.

:func:`idea_detail_response` renders one idea's page for GET and for the
POST views, which pass their bound form back (``comment_form=...``, status 400) so what the
person typed is kept. Its context is the contract the includes of the discussion, partners,
respond, stage and matches blocks rely on.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core.uploads import private_file_response

from . import forms, matching, permissions, selectors
from .models import Idea, IdeaAttachment, Partnership

# The kinds whose page shows matches: requests and offers.
MATCHED_KINDS = (Idea.Kind.REQUEST, Idea.Kind.OFFER)


def _tab_url(base: str, params) -> str:
    from django.utils.http import urlencode

    query = urlencode([(key, value) for key, value in params if value])
    return base + ("?" + query if query else "")


def board(request, *, page):
    """/ideas/: cards of the ideas the visitor may see, filtered, searched and paged."""
    user = request.user
    viewer = permissions.viewer_for(user)
    initiatives = selectors.initiative_options()
    filters = selectors.BoardFilters.from_query(
        request.GET, initiatives=initiatives, signed_in=viewer.signed_in
    )
    ideas = selectors.board_ideas(user=user, filters=filters)
    page_obj = Paginator(ideas, page.PAGE_SIZE).get_page(request.GET.get("page"))
    base = page.get_url(request=request)
    tabs = []
    if viewer.signed_in:
        kept = [("q", filters.q)]
        tabs = [
            {"label": _("All ideas"), "url": _tab_url(base, kept), "active": not filters.mine},
            {
                "label": _("My ideas"),
                "url": _tab_url(base, [("mine", "1"), *kept]),
                "active": filters.mine,
            },
        ]
    context = {
        "filters": filters,
        "filter_options": {
            "kinds": list(Idea.Kind.choices),
            "statuses": list(Idea.Status.choices),
            "initiatives": initiatives,
            "tags": selectors.tag_options(user=user, selected=filters.tag),
        },
        "page_obj": page_obj,
        "viewer": viewer,
        "see_names": permissions.can_see_names(viewer),
        "can_post": permissions.can_post(viewer),
        "tabs": tabs,
        "new_url": base + page.reverse_subpage("new"),
        "rss_url": base + page.reverse_subpage("rss"),
        "subscriptions_url": base + page.reverse_subpage("subscriptions"),
        "idea_base_url": base,
    }
    return page.render(request, context_overrides=context)


def _forms(idea: Idea) -> dict:
    """The page's forms, unbound (a POST view passes its bound one back instead)."""
    return {
        "comment_form": forms.CommentForm(),
        "partner_form": forms.PartnershipForm(),
        "respond_form": forms.RespondForm(),
        "stage_form": forms.StageForm(idea=idea) if idea.is_project else None,
        "reply_to": None,
    }


def _matches(request, idea: Idea) -> list:
    """«Подходящие предложения» under a request, «Кому это нужно» under an offer."""
    if idea.kind not in MATCHED_KINDS or not idea.is_visible:
        return []
    return list(matching.matches_for(idea=idea, user=request.user, limit=5))


def person_name(user) -> str:
    """How a person is named to signed-in readers (the caller checks ``can_see_names``)."""
    if user is None:
        return _("Deleted user")
    return user.get_full_name() or _("Platform user")


def consortium(*, idea: Idea, partnerships, see_names: bool) -> list[dict]:
    """A project's consortium: the author's organisation as the lead, then the accepted
    partners with their roles (names only for those who may see names)."""
    if not idea.is_project:
        return []
    rows = [
        {
            "organisation": idea.organisation_name,
            "role_label": Partnership.Role.LEAD.label,
            "role": Partnership.Role.LEAD.value,
            "name": person_name(idea.author) if see_names else None,
        }
    ]
    for partnership in partnerships:
        if partnership.status != Partnership.Status.ACCEPTED:
            continue
        rows.append(
            {
                "organisation": partnership.organisation_name,
                "role_label": partnership.get_role_display(),
                "role": partnership.role,
                "name": person_name(partnership.user) if see_names else None,
            }
        )
    return rows


def idea_context(request, *, page, idea: Idea) -> dict:
    """Everything the idea's page and its includes read (see the module's docstring)."""
    user = request.user
    viewer = permissions.viewer_for(user)
    moderator = permissions.can_moderate(viewer, idea)
    is_author = viewer.signed_in and idea.author_id == viewer.pk
    see_names = permissions.can_see_names(viewer)
    can = {
        "see_names": see_names,
        "edit": permissions.can_edit_idea(viewer, idea),
        "comment": permissions.can_comment(viewer, idea),
        "respond": permissions.can_respond(viewer, idea),
        "ask_partnership": permissions.can_ask_partnership(viewer, idea),
        "decide_partnership": permissions.can_decide_partnership(viewer, idea),
        "change_stage": permissions.can_change_stage(viewer, idea),
        "moderate": moderator,
    }
    partnerships = (
        selectors.idea_partnerships(idea=idea, include_pending=is_author) if idea.is_project else []
    )
    base = page.get_url(request=request)
    idea_url = base + page.reverse_subpage("idea", args=[idea.pk])
    return {
        "page": page,
        "idea": idea,
        "viewer": viewer,
        "is_author": is_author,
        "can": can,
        "comments": selectors.idea_comments(idea=idea, include_hidden=moderator),
        "attachments": list(idea.attachments.all()),
        "partnerships": partnerships,
        "consortium": consortium(idea=idea, partnerships=partnerships, see_names=see_names),
        "stage_changes": (
            list(idea.stage_changes.select_related("changed_by")) if idea.is_project else []
        ),
        "my_partnership": (
            selectors.my_partnership(idea=idea, user=user) if idea.is_project else None
        ),
        "matches": _matches(request, idea),
        "idea_url": idea_url,
        "board_url": base,
        "edit_url": base + page.reverse_subpage("edit", args=[idea.pk]),
        "sign_in_next": idea_url,
        **_forms(idea),
    }


def idea_detail_response(request, *, page, idea: Idea, status: int = 200, **overrides):
    """The idea's page; ``overrides`` replace context entries (a bound form, ``reply_to``)."""
    context = idea_context(request, page=page, idea=idea) | overrides
    response = page.render(
        request, template="ideas_exchange/idea_detail.html", context_overrides=context
    )
    response.status_code = status
    return response


def idea_detail(request, *, page, idea_id: int):
    """/ideas/<id>/: 404 unless the visitor may see the idea (whether or not it exists)."""
    idea = selectors.idea_get(idea_id)
    if idea is None or not permissions.can_view_idea(request.user, idea):
        raise Http404
    return idea_detail_response(request, page=page, idea=idea)


@require_GET
def attachment_download(request, *, page, idea_id: int, attachment_id: int):
    """An idea's file, saved under its uploaded name, for whoever may see the idea; 404 for
    everyone else (and for a file of another idea)."""
    attachment = (
        IdeaAttachment.objects.select_related("idea")
        .filter(pk=attachment_id, idea_id=idea_id)
        .first()
    )
    if attachment is None or not permissions.can_download(request.user, attachment.idea):
        raise Http404
    return private_file_response(
        attachment.file, content_type=attachment.content_type, download_name=attachment.name
    )
