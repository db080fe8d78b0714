"""The chat's pages (issue 11, items 2 and 3): «Сообщения» (the conversation list with
«Поиск по имени или email» and search in one's own messages), one conversation with its
history, composer and «Общие файлы», «Написать» to a person, blocking.

Thin views: forms validate, :mod:`.services` change, :mod:`.selectors` read,
:mod:`.permissions` decide (and extranet.members.permissions for people's data). Everything
works as a plain form post and reload; static/js/chat.js posts the composer with
XMLHttpRequest (answered in JSON: ``Accept: application/json``), loads older history in place
and keeps the page live over the tab's /ws/chat/ socket.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST

from core.paging import InvalidCursor
from core.text import clean_line
from extranet.members import people as members_people
from extranet.members.permissions import people_with_visible_data

from . import permissions, selectors, services
from .forms import MessageForm
from .models import Block, Conversation
from .templatetags.chat_tags import chat_name, role_label

# How many conversations the conversation page's side list shows (the rest: «Сообщения»).
SIDE_LIST_SIZE = 20


# --- Lookups -----------------------------------------------------------------------------------


def _require_chat(request) -> None:
    # login_required lets an inactive account through only with a custom backend; refuse it.
    if not permissions.can_use_chat(request.user):
        raise Http404
    # Read before anything the page shows: chat.js resumes from it (hello), so a message
    # committed while the page is being built comes over the socket instead of being lost.
    request.chat_watermark = selectors.stream_watermark(user=request.user)


def _watermark(request) -> int:
    """The stream position the page was built at (``_require_chat``); chat.js's hello."""
    return getattr(request, "chat_watermark", 0)


def _conversation_for(request, pk: int) -> Conversation:
    """The conversation ``pk`` for one of its participants; 404 for everyone else, whether or
    not it exists."""
    _require_chat(request)
    conversation = selectors.conversation_get(pk=pk)
    if not permissions.can_read_conversation(request.user, conversation):
        raise Http404
    conversation.other = (
        conversation.user_b if conversation.user_a_id == request.user.pk else conversation.user_a
    )
    return conversation


def _wants_json(request) -> bool:
    """chat.js's XMLHttpRequest asks for JSON; a plain form post gets a page or a redirect."""
    return "application/json" in request.headers.get("Accept", "")


def _conversation_url(conversation, *, anchor: str = "") -> str:
    url = reverse("chat:conversation", args=[conversation.pk])
    return f"{url}#{anchor}" if anchor else url


# --- What the templates show -------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    """The other person as the chat shows them: photo only under the members' privacy rule."""

    pk: int | None
    name: str
    role: str
    photo_url: str
    card_url: str

    @property
    def label(self) -> str:
        """«Алексей Иванов (Администратор кластерной инициативы)»."""
        return f"{self.name} ({self.role})" if self.role else self.name


def _person(user, *, visible, roles) -> Person:
    if user is None:
        return Person(pk=None, name=chat_name(None), role="", photo_url="", card_url="")
    sees = user.pk in visible
    return Person(
        pk=user.pk,
        name=chat_name(user),
        role=role_label(roles.get(user.pk)),
        photo_url=members_people.photo_url(user, visible=visible),
        card_url=reverse("person", kwargs={"user_id": user.pk}) if sees else "",
    )


@dataclass(frozen=True)
class ConversationRow:
    pk: int
    url: str
    person: Person
    preview: str
    mine: bool
    when: str
    when_iso: str
    unread: int
    current: bool


def _when(moment) -> str:
    """«17:37» today, «10 октября» this year, «10.10.2019» before."""
    local = timezone.localtime(moment)
    today = timezone.localdate()
    if local.date() == today:
        return local.strftime("%H:%M")
    if local.year == today.year:
        return date_format(local, "j E")
    return date_format(local, "SHORT_DATE_FORMAT")


def _preview(message) -> str:
    text = " ".join((message.body or "").split())
    if text:
        return text if len(text) <= 90 else text[:89] + "…"
    files = list(message.attachments.all())
    if files:
        return gettext("File: %(name)s") % {"name": files[0].name}
    return ""


def _conversation_rows(user, participants, *, visible, roles, current_pk=None):
    rows = []
    for participant in participants:
        conversation = participant.conversation
        last = conversation.last_message
        rows.append(
            ConversationRow(
                pk=conversation.pk,
                url=_conversation_url(conversation),
                person=_person(conversation.other, visible=visible, roles=roles),
                preview=_preview(last),
                mine=last.sender_id == user.pk,
                when=_when(last.created_at),
                when_iso=last.created_at.isoformat(),
                unread=participant.unread,
                current=conversation.pk == current_pk,
            )
        )
    return rows


def _others(participants):
    return {p.conversation.other.pk for p in participants if p.conversation.other is not None}


# --- The conversation list and search ---------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD"])
def conversation_list(request):
    """«Сообщения»: conversations by last message (keyset «Показать ещё»), each with the other
    person's photo, name and role, the last message and the unread count; with ``q``, the
    people one may write to by name or e-mail and the messages that contain the words."""
    _require_chat(request)
    user = request.user
    notices = []
    query = clean_line(request.GET.get("q") or "")[: selectors.SEARCH_QUERY_MAX]
    cursor = request.GET.get("after") or None
    try:
        page = selectors.conversations_page(user=user, cursor=cursor)
    except InvalidCursor:
        notices.append(
            gettext("That «Show more» link is no longer valid; here are the latest conversations.")
        )
        cursor = None
        page = selectors.conversations_page(user=user)
    found_people, found_messages = [], []
    if query:
        found_people = selectors.people_search(
            user=user, query=query, visible_of=lambda ids: people_with_visible_data(user, ids)
        )
        found_messages = selectors.messages_search(user=user, query=query)
    ids = _others(page.items) | {p.pk for p in found_people}
    for message in found_messages:
        ids.add(message.conversation.other_id(user.pk))
    ids.discard(None)
    visible = people_with_visible_data(user, ids)
    roles = selectors.people_roles(ids)
    people_found = [
        {
            "person": _person(person, visible=visible, roles=roles),
            "write_url": reverse("chat:with", args=[person.pk]),
        }
        for person in found_people
    ]
    message_hits = []
    for message in found_messages:
        conversation = message.conversation
        other = conversation.user_b if conversation.user_a_id == user.pk else conversation.user_a
        message_hits.append(
            {
                "message": message,
                "person": _person(other, visible=visible, roles=roles),
                "mine": message.sender_id == user.pk,
                "url": reverse("chat:conversation", args=[conversation.pk])
                + f"?before={selectors.message_cursor(message.pk)}#message-{message.pk}",
            }
        )
    return TemplateResponse(
        request,
        "chat/index.html",
        {
            "rows": _conversation_rows(user, page.items, visible=visible, roles=roles),
            "known_last_id": _watermark(request),
            "next_url": f"?after={page.next_cursor}" if page.next_cursor else "",
            "is_continuation": bool(cursor),
            "query": query,
            "people_found": people_found,
            "message_hits": message_hits,
            "notices": notices,
        },
    )


# --- One conversation --------------------------------------------------------------------------


def _write_state(user, other, conversation) -> tuple[bool, str]:
    """Whether ``user`` may write now, and the sentence shown instead of the composer."""
    if other is None:
        return False, gettext("This account was deleted: the conversation is kept as it was.")
    if permissions.can_write(user, other, conversation=conversation):
        return True, ""
    if not other.is_active:
        return False, gettext("This person's account is blocked: you cannot write to them.")
    if Block.objects.filter(blocker=user, blocked=other).exists():
        return False, gettext("You blocked this person. Unblock them to write again.")
    if permissions.is_blocked_between(user.pk, other.pk):
        return False, gettext("You cannot write to this person any more.")
    return False, gettext(
        "You can no longer write to this person: you do not share a cluster initiative any "
        "more. The history stays here."
    )


def _unread_divider(page_items, *, user, last_read_id: int) -> int | None:
    """The id of the first message the other person wrote after what ``user`` had read."""
    for message in page_items:
        if message.pk > last_read_id and message.sender_id != user.pk:
            return message.pk
    return None


def _page_context(request, *, conversation, other, form, tab: str, status=200, **extra):
    """What every page of one conversation shows: the side list, the header with the other
    person and blocking, the tabs, the composer or why it is gone."""
    user = request.user
    side = selectors.conversations_page(user=user, size=SIDE_LIST_SIZE)
    ids = _others(side.items) | ({other.pk} if other is not None else set())
    visible = people_with_visible_data(user, ids)
    roles = selectors.people_roles(ids)
    may_write, closed_reason = _write_state(user, other, conversation)
    i_blocked = other is not None and Block.objects.filter(blocker=user, blocked=other).exists()
    tabs = []
    if conversation is not None:
        tabs = [
            {
                "label": gettext("Messages"),
                "url": _conversation_url(conversation),
                "active": tab == "messages",
            },
            {
                "label": gettext("Shared files"),
                "url": reverse("chat:files", args=[conversation.pk]),
                "active": tab == "files",
            },
        ]
    context = {
        "conversation": conversation,
        "person": _person(other, visible=visible, roles=roles),
        "side_rows": _conversation_rows(
            user,
            side.items,
            visible=visible,
            roles=roles,
            current_pk=conversation.pk if conversation is not None else None,
        ),
        "side_more": bool(side.next_cursor),
        "known_last_id": _watermark(request),
        "tabs": tabs,
        "may_write": may_write,
        "closed_reason": closed_reason,
        "can_block": conversation is not None and permissions.can_block(user, conversation),
        "i_blocked": i_blocked,
        "form": form,
        "files_dropped": request.method == "POST" and bool(request.FILES),
        "tab": tab,
    }
    context.update(extra)
    template = "chat/files.html" if tab == "files" else "chat/conversation.html"
    return TemplateResponse(request, template, context, status=status)


def _history_response(request, conversation, form, *, status=200):
    user = request.user
    notices = []
    before = request.GET.get("before") or None
    try:
        page = selectors.messages_page(conversation=conversation, before=before)
    except InvalidCursor:
        notices.append(
            gettext("That «Show earlier» link is no longer valid; here are the latest messages.")
        )
        before = None
        page = selectors.messages_page(conversation=conversation)
    participant = selectors.participant_of(user=user, conversation=conversation)
    last_read_id = participant.last_read_id if participant is not None else 0
    divider = _unread_divider(page.items, user=user, last_read_id=last_read_id)
    newest = page.items[-1].pk if page.items else 0
    # Seen: the newest page is on the screen (an older page marks nothing).
    if not before and request.method in ("GET", "HEAD") and newest > last_read_id:
        services.conversation_mark_read(user=user, conversation=conversation)
    return _page_context(
        request,
        conversation=conversation,
        other=conversation.other,
        form=form,
        tab="messages",
        status=status,
        messages_page=page.items,
        earlier_url=f"?before={page.next_cursor}" if page.next_cursor else "",
        is_continuation=bool(before),
        unread_divider=divider,
        last_id=newest,
        notices=notices,
        post_url=_conversation_url(conversation),
    )


def _form_errors(form) -> dict:
    return {field or "__all__": [str(e) for e in errors] for field, errors in form.errors.items()}


def _send_refused(request, form, render):
    """A refused message: JSON errors for chat.js (status 400), else the page again with the
    errors and the text kept."""
    if _wants_json(request):
        errors = _form_errors(form)
        first = next(iter(errors.values()), [gettext("The message was not sent.")])[0]
        return JsonResponse({"ok": False, "error": first, "errors": errors}, status=400)
    return render()


def _sent(request, conversation, message):
    if _wants_json(request):
        return JsonResponse(
            {"ok": True, "message": message._payload, "url": _conversation_url(conversation)},
            status=201,
        )
    return redirect(_conversation_url(conversation, anchor=f"message-{message.pk}"))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def conversation_detail(request, pk):
    """One conversation: its history (newest page, «Показать ранее» by keyset), the
    «Непрочитанное» divider, read state updated on GET; POST sends a message."""
    conversation = _conversation_for(request, pk)
    if request.method != "POST":
        return _history_response(request, conversation, MessageForm())
    form = MessageForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            message = services.message_send(
                sender=request.user,
                conversation=conversation,
                body=form.cleaned_data["text"],
                uploads=form.cleaned_data["files"],
            )
        except services.ChatError as exc:
            form.add_chat_error(exc)
        else:
            return _sent(request, conversation, message)
    return _send_refused(request, form, lambda: _history_response(request, conversation, form))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def conversation_with(request, user_id):
    """«Написать»: GET goes to the existing conversation with the person, or shows an empty
    one with the composer (nothing is stored yet); POST starts it with the first message.
    404 for a person one may not write to, as if they did not exist."""
    _require_chat(request)
    user = request.user
    other = get_user_model().objects.filter(pk=user_id).first()
    if other is None or other.pk == user.pk:
        raise Http404
    existing = services.conversation_between(user=user, other=other)
    if existing is not None:
        if request.method == "POST":
            # A second tab started it meanwhile: the message goes there.
            return conversation_detail(request, existing.pk)
        return redirect(_conversation_url(existing))
    if not permissions.can_write(user, other):
        raise Http404

    def render(form):
        return _page_context(
            request,
            conversation=None,
            other=other,
            form=form,
            tab="messages",
            messages_page=[],
            earlier_url="",
            is_continuation=False,
            unread_divider=None,
            last_id=0,
            notices=[],
            post_url=reverse("chat:with", args=[other.pk]),
        )

    if request.method != "POST":
        return render(MessageForm())
    form = MessageForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            # Both or neither: a refused first message leaves no empty conversation behind.
            with transaction.atomic():
                conversation = services.conversation_open(user=user, other=other)
                message = services.message_send(
                    sender=user,
                    conversation=conversation,
                    body=form.cleaned_data["text"],
                    uploads=form.cleaned_data["files"],
                )
        except services.ChatError as exc:
            form.add_chat_error(exc)
        else:
            return _sent(request, conversation, message)
    return _send_refused(request, form, lambda: render(form))


@login_required
@require_http_methods(["GET", "HEAD"])
def conversation_files(request, pk):
    """«Общие файлы»: every file exchanged in the conversation, newest first, with sender,
    date and size; «Показать ещё» by keyset."""
    conversation = _conversation_for(request, pk)
    notices = []
    cursor = request.GET.get("after") or None
    try:
        page = selectors.conversation_files_page(conversation=conversation, cursor=cursor)
    except InvalidCursor:
        notices.append(
            gettext("That «Show more» link is no longer valid; here is the start of the list.")
        )
        cursor = None
        page = selectors.conversation_files_page(conversation=conversation)
    return _page_context(
        request,
        conversation=conversation,
        other=conversation.other,
        form=MessageForm(),
        tab="files",
        attachments=page.items,
        next_url=f"?after={page.next_cursor}" if page.next_cursor else "",
        is_continuation=bool(cursor),
        notices=notices,
    )


# --- Blocking ----------------------------------------------------------------------------------


def _block_change(request, pk, *, change, done: str):
    """Block or unblock (``change`` is the service) the other person of conversation ``pk``;
    ``done`` is the success message, with ``%(name)s`` for their name. Either way, back to the
    conversation."""
    conversation = _conversation_for(request, pk)
    try:
        change(user=request.user, conversation=conversation)
    except services.ChatError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done % {"name": chat_name(conversation.other)})
    return redirect(_conversation_url(conversation))


@login_required
@require_POST
def conversation_block(request, pk):
    """«Заблокировать»: neither person may write to the other until it is lifted."""
    return _block_change(
        request, pk, change=services.block_create, done=gettext("%(name)s is blocked.")
    )


@login_required
@require_POST
def conversation_unblock(request, pk):
    """«Разблокировать»: lifts one's own block (the other person's, if any, stays)."""
    return _block_change(
        request, pk, change=services.block_remove, done=gettext("%(name)s is unblocked.")
    )
