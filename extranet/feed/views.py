"""The common group's feed pages (issue 5, items 1 and 2): the feed with its composer and
side panel, one post with all its comments, editing, deleting, pinning, comments, and the
«Documents» list of every file of the group.

Thin views: forms validate, :mod:`.services` change, :mod:`.selectors` read, :mod:`.permissions`
(and extranet.members.permissions for people's data) decide. Every action is a plain form
POST; the feed page runs a fixed number of queries however long the feed is.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST
from wagtail.models import Page

from core.locales import originals
from extranet.members import permissions as people
from extranet.members import selectors as members_selectors
from extranet.members.people import person_cards
from initiatives.features import Service, require_service, service_enabled
from initiatives.models import InitiativePage

from . import fragments, permissions, selectors, services
from .extensions import event_choices, idea_choices, idea_links
from .forms import CommentForm, PinForm, PostEditForm, PostForm, feed_error_field
from .models import Comment, Post

# How many members' names the side panel shows under «Members N».
MEMBERS_PREVIEW = 6


# --- Lookups -----------------------------------------------------------------------------------


def _group(request, slug: str) -> InitiativePage:
    """The published initiative ``slug`` whose feed the user may read: 404 for an unknown or
    unpublished initiative or a switched-off feed, 403 for people outside the group."""
    initiative = originals(InitiativePage.objects.live()).filter(slug=slug).first()
    if initiative is None:
        raise Http404
    require_service(initiative, Service.FEED)
    if not permissions.can_read_feed(request.user, initiative):
        raise PermissionDenied
    return initiative


def _post_of(initiative, post_id: int) -> Post:
    # A post of another initiative (a forged id in this group's URL) is simply not found.
    post = get_object_or_404(
        Post.objects.select_related("author"), pk=post_id, initiative=initiative
    )
    post.initiative = initiative
    return post


def _comment_of(initiative, comment_id: int) -> Comment:
    comment = get_object_or_404(
        Comment.objects.select_related("post", "author"),
        pk=comment_id,
        post__initiative=initiative,
    )
    comment.post.initiative = initiative
    return comment


def _feed_url(initiative, *, anchor: str = "") -> str:
    url = reverse("groups:feed", kwargs={"slug": initiative.slug})
    return f"{url}#{anchor}" if anchor else url


def _post_url(post, *, anchor: str = "") -> str:
    url = reverse("groups:post_detail", kwargs={"slug": post.initiative.slug, "post_id": post.pk})
    return f"{url}#{anchor}" if anchor else url


def _next_url(request, default: str) -> str:
    """Where to go after an action: the form's ``next`` when it is a path on this site."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate.startswith("/") and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


# --- What the templates show -------------------------------------------------------------------


def _decorate(user, posts) -> None:
    """Mark what ``user`` may do with each post and its shown comments (no queries: the
    permission helpers cache the viewer's roles, the posts carry their initiative)."""
    for post in posts:
        post.may_edit = permissions.can_edit_post(user, post)
        post.may_delete = permissions.can_delete_post(user, post)
        post.may_pin = permissions.can_pin_post(user, post)
        post.may_comment = permissions.can_comment(user, post)
        for comment in post.recent_comments:
            comment.may_edit = permissions.can_edit_comment(user, comment)
            comment.may_delete = permissions.can_delete_comment(user, comment)
    # A proposal's idea, linked only for readers the ideas exchange lets see it (one call).
    links = idea_links(user, [post.idea_id for post in posts if post.idea_id])
    for post in posts:
        post.idea_link = links.get(post.idea_id) if post.idea_id else None


def _people_ids(posts) -> set[int]:
    """The authors of ``posts`` and of their shown comments."""
    ids = set()
    for post in posts:
        ids.add(post.author_id)
        ids.update(comment.author_id for comment in post.recent_comments)
    ids.discard(None)
    return ids


def _group_context(request, initiative, *, people_ids=()) -> dict:
    """The side panel of every feed page, and ``visible``: which of the people on
    the page (``people_ids``, the administrators, the members shown) the viewer may see the
    data and member card of — one query for all of them (the privacy rule of
    extranet.members.permissions)."""
    user = request.user
    admins = members_selectors.group_admins(initiative=initiative)
    member_count, first_members = members_selectors.group_members_preview(
        initiative=initiative, limit=MEMBERS_PREVIEW
    )
    visible = people.people_with_visible_data(
        user, {*people_ids, *(a.pk for a in admins), *(m.pk for m in first_members)}
    )
    can_manage = people.can_manage_members(user, initiative)
    directory_url = (
        reverse("groups:members", kwargs={"slug": initiative.slug})
        if service_enabled(initiative, Service.DIRECTORY)
        else ""
    )
    return {
        "initiative": initiative,
        "visible": visible,
        # The contacts are the group's administrators: their phones follow the group's
        # directory setting, as in the directory.
        "admin_cards": person_cards(
            viewer=user, users=admins, initiative=initiative, visible=visible
        ),
        "admins_url": (
            reverse("groups:admins", kwargs={"slug": initiative.slug})
            if people.can_assign_group_admins(user, initiative)
            else ""
        ),
        "member_count": member_count,
        "first_members": first_members,
        "directory_url": directory_url,
        "applications_url": (
            reverse("groups:applications", kwargs={"slug": initiative.slug}) if can_manage else ""
        ),
        "pending_count": (
            members_selectors.pending_count(initiative=initiative) if can_manage else None
        ),
        "can_post": permissions.can_post(user, initiative),
    }


def _page_link(params: dict) -> str:
    return "?" + urlencode({k: v for k, v in params.items() if v})


# --- The feed ----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD"])
def feed(request, slug):
    """«Общая группа»: composer, the posts (pinned first, newest first) with their latest
    comments, a kind filter, «Show more» by keyset cursor, and the side panel."""
    initiative = _group(request, slug)
    notices = []
    kind = request.GET.get("kind") or ""
    if kind and kind not in Post.Kind.values:
        notices.append(gettext("There is no such kind of post; all posts are shown."))
        kind = ""
    cursor = request.GET.get("after") or None
    try:
        page = selectors.feed_page(
            initiative=initiative, kind=kind or None, cursor=cursor, size=selectors.PAGE_SIZE
        )
    except selectors.InvalidCursor:
        notices.append(
            gettext("That «Show more» link is no longer valid; here is the start of the feed.")
        )
        cursor = None
        page = selectors.feed_page(
            initiative=initiative, kind=kind or None, size=selectors.PAGE_SIZE
        )
    _decorate(request.user, page.items)
    counts = selectors.kind_counts(initiative=initiative)
    kinds = [
        {
            "value": "",
            "label": gettext("All"),
            "count": sum(counts.values()),
            "active": not kind,
            "url": _page_link({}),
        }
    ] + [
        {
            "value": value,
            "label": label,
            "count": counts.get(value, 0),
            "active": kind == value,
            "url": _page_link({"kind": value}),
        }
        for value, label in Post.Kind.choices
    ]
    context = _group_context(request, initiative, people_ids=_people_ids(page.items))
    comment_form = CommentForm(auto_id=False)
    here = request.get_full_path()
    # Each post's HTML from the cache when nothing it shows has changed (fragments.py).
    fragments.post_fragments(
        request=request,
        posts=page.items,
        initiative=initiative,
        visible=context["visible"],
        here=here,
        comment_form=comment_form,
    )
    context.update(
        {
            "posts": page.items,
            "next_url": (
                _page_link({"kind": kind, "after": page.next_cursor}) if page.next_cursor else ""
            ),
            "kind": kind,
            "kinds": kinds,
            "is_continuation": bool(cursor),
            "notices": notices,
            "form": PostForm(),
            "comment_form": comment_form,
            "here": here,
        }
    )
    return TemplateResponse(request, "feed/feed.html", context)


def _feed_error(form, exc: services.FeedError) -> None:
    form.add_error(feed_error_field(getattr(exc, "code", None)), exc.messages)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def post_create(request, slug):
    """The composer alone (GET), and where it posts: a valid post goes to the feed with a
    message; an invalid one comes back with the errors and the text kept."""
    initiative = _group(request, slug)
    if not permissions.can_post(request.user, initiative):
        raise PermissionDenied
    choices = event_choices(initiative)
    ideas = idea_choices(initiative, request.user)
    if request.method == "POST":
        form = PostForm(request.POST, request.FILES, event_choices=choices, idea_choices=ideas)
    else:
        form = PostForm(event_choices=choices, idea_choices=ideas)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            post = services.post_create(
                initiative=initiative,
                author=request.user,
                kind=data["kind"],
                text=data["text"],
                uploads=data["files"],
                event_id=data.get("event"),
                idea_id=data.get("idea"),
            )
        except services.FeedError as exc:
            _feed_error(form, exc)
        else:
            messages.success(request, gettext("Your message is published."))
            return redirect(_feed_url(initiative, anchor=f"post-{post.pk}"))
    return TemplateResponse(
        request,
        "feed/post_form.html",
        {
            "initiative": initiative,
            "form": form,
            "files_dropped": request.method == "POST" and bool(request.FILES),
            "creating": True,
            "cancel_url": _feed_url(initiative),
        },
    )


@login_required
@require_http_methods(["GET", "HEAD"])
def post_detail(request, slug, post_id):
    """One post with all its comments (newest last) and the comment form."""
    initiative = _group(request, slug)
    return _post_detail_response(request, initiative, post_id, CommentForm(auto_id=False))


def _post_detail_response(request, initiative, post_id, comment_form, *, status=200):
    post = selectors.post_detail(initiative=initiative, post_id=post_id)
    if post is None:
        raise Http404
    _decorate(request.user, [post])
    context = _group_context(request, initiative, people_ids=_people_ids([post]))
    context.update(
        {
            "post": post,
            "comment_form": comment_form,
            "here": request.path,
            "all_comments": True,
        }
    )
    return TemplateResponse(request, "feed/post_detail.html", context, status=status)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def post_edit(request, slug, post_id):
    """The author changes the text or kind, removes attached files, adds files."""
    initiative = _group(request, slug)
    post = _post_of(initiative, post_id)
    if not permissions.can_edit_post(request.user, post):
        raise PermissionDenied
    attachments = list(post.attachments.all())
    choices = event_choices(initiative)
    if post.event_id and post.event_id not in {pk for pk, _label in choices}:
        # The linked event may have passed since: keep it choosable for this post.
        linked = Page.objects.filter(pk=post.event_id).values_list("title", flat=True).first()
        if linked is not None:
            choices = [(post.event_id, linked), *choices]
    ideas = idea_choices(initiative, request.user)
    if post.idea_id and post.idea_id not in {pk for pk, _label in ideas}:
        # The linked idea may be closed since: keep it choosable while its author sees it.
        linked_idea = idea_links(request.user, [post.idea_id]).get(post.idea_id)
        if linked_idea is not None:
            ideas = [(post.idea_id, linked_idea[0]), *ideas]
    if request.method == "POST":
        form = PostEditForm(
            request.POST,
            request.FILES,
            attachments=attachments,
            event_choices=choices,
            idea_choices=ideas,
        )
    else:
        form = PostEditForm(
            attachments=attachments,
            event_choices=choices,
            idea_choices=ideas,
            initial={
                "text": post.text,
                "kind": post.kind,
                "event": post.event_id,
                "idea": post.idea_id,
            },
        )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.post_update(
                post=post,
                by=request.user,
                kind=data["kind"],
                text=data["text"],
                uploads=data["files"],
                remove_attachment_ids=data.get("remove_attachments") or [],
                event_id=data.get("event"),
                idea_id=data.get("idea"),
            )
        except services.FeedError as exc:
            _feed_error(form, exc)
        else:
            messages.success(request, gettext("Your message is saved."))
            return redirect(_post_url(post))
    return TemplateResponse(
        request,
        "feed/post_form.html",
        {
            "initiative": initiative,
            "post": post,
            "form": form,
            "files_dropped": request.method == "POST" and bool(request.FILES),
            "creating": False,
            "cancel_url": _post_url(post),
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def post_delete(request, slug, post_id):
    """GET: «Delete this message?»; POST: the author or a moderator deletes it with its
    comments and files."""
    initiative = _group(request, slug)
    post = _post_of(initiative, post_id)
    if not permissions.can_delete_post(request.user, post):
        raise PermissionDenied
    if request.method == "POST":
        services.post_delete(post=post, by=request.user)
        messages.success(request, gettext("The message is deleted."))
        return redirect(_feed_url(initiative))
    return TemplateResponse(
        request,
        "feed/confirm_delete.html",
        {
            "initiative": initiative,
            "item": post,
            "what": "post",
            "cancel_url": _post_url(post),
        },
    )


@login_required
@require_POST
def post_pin(request, slug, post_id):
    """Moderators pin (``pinned=1``) or unpin (``pinned=0``) a post."""
    initiative = _group(request, slug)
    post = _post_of(initiative, post_id)
    if not permissions.can_pin_post(request.user, post):
        raise PermissionDenied
    form = PinForm(request.POST)
    if not form.is_valid():
        messages.error(request, gettext("Choose whether to pin or unpin the message."))
    else:
        pinned = form.cleaned_data["pinned"]
        services.post_pin(post=post, by=request.user, pinned=pinned)
        messages.success(
            request,
            gettext("The message is pinned.") if pinned else gettext("The message is unpinned."),
        )
    return redirect(_next_url(request, _feed_url(initiative, anchor=f"post-{post.pk}")))


# --- Comments ----------------------------------------------------------------------------------


@login_required
@require_POST
def comment_create(request, slug, post_id):
    """A member comments on a post; an empty or too long comment comes back on the post's
    page with the error and the text kept."""
    initiative = _group(request, slug)
    post = _post_of(initiative, post_id)
    if not permissions.can_comment(request.user, post):
        raise PermissionDenied
    form = CommentForm(request.POST, auto_id=False)
    if form.is_valid():
        try:
            comment = services.comment_create(
                post=post, author=request.user, text=form.cleaned_data["text"]
            )
        except services.FeedError as exc:
            form.add_error("text", exc.messages)
        else:
            messages.success(request, gettext("Your comment is published."))
            return redirect(_next_url(request, _post_url(post, anchor=f"comment-{comment.pk}")))
    return _post_detail_response(request, initiative, post.pk, form)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def comment_edit(request, slug, comment_id):
    """The comment's author changes its text."""
    initiative = _group(request, slug)
    comment = _comment_of(initiative, comment_id)
    if not permissions.can_edit_comment(request.user, comment):
        raise PermissionDenied
    if request.method == "POST":
        form = CommentForm(request.POST)
    else:
        form = CommentForm(initial={"text": comment.text})
    if request.method == "POST" and form.is_valid():
        try:
            services.comment_update(
                comment=comment, by=request.user, text=form.cleaned_data["text"]
            )
        except services.FeedError as exc:
            form.add_error("text", exc.messages)
        else:
            messages.success(request, gettext("Your comment is saved."))
            return redirect(_post_url(comment.post, anchor=f"comment-{comment.pk}"))
    return TemplateResponse(
        request,
        "feed/comment_form.html",
        {
            "initiative": initiative,
            "comment": comment,
            "form": form,
            "cancel_url": _post_url(comment.post, anchor=f"comment-{comment.pk}"),
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def comment_delete(request, slug, comment_id):
    """GET: «Delete this comment?»; POST: its author or a moderator deletes it."""
    initiative = _group(request, slug)
    comment = _comment_of(initiative, comment_id)
    if not permissions.can_delete_comment(request.user, comment):
        raise PermissionDenied
    if request.method == "POST":
        services.comment_delete(comment=comment, by=request.user)
        messages.success(request, gettext("The comment is deleted."))
        return redirect(_next_url(request, _post_url(comment.post, anchor="comments")))
    return TemplateResponse(
        request,
        "feed/confirm_delete.html",
        {
            "initiative": initiative,
            "item": comment,
            "what": "comment",
            "cancel_url": _post_url(comment.post, anchor=f"comment-{comment.pk}"),
        },
    )


# --- Documents ---------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD"])
def documents(request, slug):
    """«Документы»: every file posted in the group, newest first, with «Show more»."""
    initiative = _group(request, slug)
    notices = []
    cursor = request.GET.get("after") or None
    try:
        page = selectors.documents_page(
            initiative=initiative, cursor=cursor, size=selectors.DOCUMENTS_PAGE_SIZE
        )
    except selectors.InvalidCursor:
        notices.append(
            gettext("That «Show more» link is no longer valid; here is the start of the list.")
        )
        cursor = None
        page = selectors.documents_page(initiative=initiative, size=selectors.DOCUMENTS_PAGE_SIZE)
    context = _group_context(
        request,
        initiative,
        people_ids={a.post.author_id for a in page.items} - {None},
    )
    context.update(
        {
            "attachments": page.items,
            "next_url": _page_link({"after": page.next_cursor}) if page.next_cursor else "",
            "is_continuation": bool(cursor),
            "notices": notices,
        }
    )
    return TemplateResponse(request, "feed/documents.html", context)
