"""Demo conversations like seed 000's «Сообщения пользователя»: the demo member of «Горки»
(member1.gorki@example.com) talks with the initiative's administrator «Алексей Иванов» (the
mock-up's own texts, on two days), with another member who shares two files («Общие
файлы»), and has the portal admin's message to everyone in the conversation with «Татьяна
Алексеева». Five messages are left unread for the demo member, as the header's
«Сообщения 5» of the mock-up.

Messages and files go through ``services.message_send`` and ``core.uploads.upload_check``,
the message to everyone through ``broadcasts.broadcast_create`` and ``broadcast_deliver``, so
demo data passes the same rules as people's own; their dates are then moved into the past.
The missed-message check is told these were mailed already (``notified_through_id``), so
seeding sends no e-mail. Idempotent: a conversation that has messages is left alone, and the
message to everyone is found by its text.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Max, OuterRef, Subquery
from django.utils import timezone

from core.demo import DemoContext
from core.uploads import upload_check
from extranet.members.demo import PORTAL_ADMIN_EMAIL

from . import broadcasts, services
from .models import Broadcast, Conversation, Message, MessageAttachment, Participant

DEMO_MEMBER = "member1.gorki@example.com"
ME, THEM = "me", "them"


@dataclass(frozen=True)
class Line:
    by: str  # ME (the demo member) or THEM
    text: str
    days_ago: int
    at: str  # local time, "HH:MM"
    files: tuple[str, ...] = ()


@dataclass(frozen=True)
class DemoConversation:
    email: str
    lines: tuple[Line, ...]
    # How many of the last lines (all THEM's) the demo member has not read.
    unread: int


def _plan_xlsx() -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "План 2026"
    for row in (
        ("№", "Мероприятие", "Срок"),
        (1, "Заседание рабочей группы кластера", "март"),
        (2, "Семинар «Биотехнологии в растениеводстве»", "апрель"),
        (3, "Общий стенд кластера на выставке «Белагро»", "июнь"),
        (4, "Отчётное собрание участников кластера", "декабрь"),
    ):
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _agenda_txt() -> bytes:
    return (
        "Повестка заседания рабочей группы кластера\n\n"
        "1. Итоги семинара «Биотехнологии в растениеводстве».\n"
        "2. Совместная заявка на грант для опытного участка.\n"
        "3. Участие в выставке «Белагро»: стенд и материалы.\n"
        "4. Разное.\n"
    ).encode()


FILES = {
    "План мероприятий 2026.xlsx": _plan_xlsx,
    "Повестка заседания.txt": _agenda_txt,
}

CONVERSATIONS = (
    DemoConversation(
        "admin.gorki@example.com",
        (
            Line(
                THEM,
                "Кластерная инициатива — деятельность различных стейкхолдеров (физических лиц, "
                "инициативных групп и организаций) по созданию или развитию кластера, "
                "функционирующего в рамках отраслевой или межотраслевой цепочки ценностей.",
                3,
                "17:37",
            ),
            Line(
                ME,
                "Кластерная политика страны или региона может быть представлена как портфель "
                "кластерных инициатив, оптимизируемых с точки зрения эффектов и рисков от их "
                "реализации.",
                3,
                "17:45",
            ),
            Line(
                THEM,
                "Центры кластерного развития осуществляют поддержку кластерных инициатив.",
                1,
                "14:54",
            ),
            Line(
                THEM,
                "Если будут вопросы по заявке на грант, пишите сюда — отвечу.",
                1,
                "14:56",
            ),
        ),
        unread=2,
    ),
    DemoConversation(
        "member2.gorki@example.com",
        (
            Line(
                THEM,
                "Добрый день! Пересылаю план мероприятий кластера на 2026 год, посмотрите "
                "раздел про выставку.",
                2,
                "10:12",
                files=("План мероприятий 2026.xlsx",),
            ),
            Line(ME, "Спасибо! Добавлю наш семинар в апреле.", 2, "10:40"),
            Line(
                THEM,
                "И повестка ближайшего заседания рабочей группы.",
                0,
                "09:05",
                files=("Повестка заседания.txt",),
            ),
            Line(THEM, "Успеете подготовить короткое сообщение по второму пункту?", 0, "09:07"),
        ),
        unread=2,
    ),
)

BROADCAST_TEXT = (
    "Уважаемые участники платформы! Открыта регистрация на республиканский семинар "
    "«Кластерное развитие регионов». Программа и условия участия — в общей группе вашей "
    "кластерной инициативы. Вопросы можно задать в ответ на это сообщение."
)
BROADCAST_DAYS_AGO = 5


def _moment(days_ago: int, at: str) -> datetime:
    hour, minute = (int(part) for part in at.split(":"))
    day = timezone.localdate() - timedelta(days=days_ago)
    return datetime.combine(day, time(hour, minute), tzinfo=timezone.get_current_timezone())


def seed(ctx: DemoContext) -> None:
    # The demo member and the initiative's admin join «Горки» in a deferred step of the
    # members seeder: the conversations are made after it.
    ctx.later(seed_chat)


def seed_chat(ctx: DemoContext) -> None:
    User = get_user_model()
    portal_admin = User.objects.filter(email=PORTAL_ADMIN_EMAIL).first()
    if portal_admin is not None:
        _seed_broadcast(ctx, portal_admin)
    member = User.objects.filter(email=DEMO_MEMBER).first()
    if member is None:
        return
    for spec in CONVERSATIONS:
        other = User.objects.filter(email=spec.email).first()
        if other is not None:
            _seed_conversation(ctx, member, other, spec)


def _seed_broadcast(ctx: DemoContext, sender) -> None:
    if Broadcast.objects.filter(sender=sender, body=BROADCAST_TEXT).exists():
        return
    broadcast = broadcasts.broadcast_create(
        sender=sender, audience=Broadcast.Audience.ALL, initiative=None, body=BROADCAST_TEXT
    )
    # Delivered here, in the seeding transaction; the task enqueued on commit then finds it
    # claimed and does nothing.
    broadcasts.broadcast_deliver(broadcast_id=broadcast.pk)
    when = _moment(BROADCAST_DAYS_AGO, "11:00")
    conversations = Message.objects.filter(broadcast=broadcast).values("conversation_id")
    Message.objects.filter(broadcast=broadcast).update(created_at=when)
    Conversation.objects.filter(pk__in=conversations).update(last_message_at=when)
    Broadcast.objects.filter(pk=broadcast.pk).update(
        created_at=when, finished_at=when + timedelta(seconds=20)
    )
    _told_already(conversations)
    ctx.count("chat messages to everyone", True)


def _seed_conversation(ctx: DemoContext, member, other, spec: DemoConversation) -> None:
    conversation = services.conversations_ensure(user_id=member.pk, other_ids=[other.pk])[other.pk]
    if Message.objects.filter(conversation=conversation, broadcast__isnull=True).exists():
        return
    messages = []
    for line in spec.lines:
        uploads = [upload_check(SimpleUploadedFile(name, FILES[name]())) for name in line.files]
        message = services.message_send(
            sender=member if line.by == ME else other,
            conversation=conversation,
            body=line.text,
            uploads=uploads,
            publish=False,
        )
        when = _moment(line.days_ago, line.at)
        Message.objects.filter(pk=message.pk).update(created_at=when)
        MessageAttachment.objects.filter(message=message).update(created_at=when)
        messages.append(message)
        ctx.count("chat messages", True)
        for _ in uploads:
            ctx.count("chat files", True)
    Conversation.objects.filter(pk=conversation.pk).update(last_message_at=when)
    services.conversation_mark_read(user=other, conversation=conversation)
    read_up_to = messages[-spec.unread - 1].pk if spec.unread < len(messages) else 0
    services.conversation_mark_read(user=member, conversation=conversation, up_to=read_up_to)
    _told_already([conversation.pk])


def _told_already(conversation_ids) -> None:
    """The seeded messages count as mailed: the missed-message check would otherwise e-mail
    every demo account about messages dated days ago."""
    newest = (
        Message.objects.filter(conversation_id=OuterRef("conversation_id"))
        .values("conversation_id")
        .annotate(newest=Max("id"))
        .values("newest")
    )
    Participant.objects.filter(conversation_id__in=conversation_ids).update(
        notified_through_id=Subquery(newest)
    )
