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

Before them, so that ids follow the dates, a few conversations between other members of each
initiative over the past months (all read; bulk-created, their counters set as sending would):
the indicators' chat activity has a history.

``--scale large`` adds ``ctx.volumes.messages`` messages in ``ctx.volumes.conversations``
conversations between generated members of the same initiative (:func:`seed_large_chat`),
with the read state, unread counts and inboxes the chat keeps, in bulk.
"""

from __future__ import annotations

import io
import math
import random
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Max, OuterRef, Subquery
from django.utils import timezone

from core.demo import BATCH_SIZE, LARGE_EMAIL_DOMAIN, DemoContext, growing_moment
from core.uploads import upload_check
from extranet.members.demo import PORTAL_ADMIN_EMAIL
from extranet.members.models import Membership
from initiatives.features import Service, service_enabled

from . import broadcasts, services
from .models import Broadcast, Conversation, Inbox, Message, MessageAttachment, Participant

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
    if ctx.volumes is not None:
        ctx.bulk(seed_large_chat)
    User = get_user_model()
    # The older history first, so that message ids follow the dates as the chat's own do.
    _seed_history(ctx)
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


# Per initiative with its chat on: members who talked over the past months (the demo member
# and the colleague of the mock-up keep only the mock-up's conversations). They joined months
# ago, far from the minimum below, so a second run a moment later makes the same choice.
HISTORY_PAIRS = ((3, 4), (5, 6), (3, 6))
HISTORY_MIN_DAYS = 30
HISTORY_MESSAGES = 8


def _seed_history(ctx: DemoContext) -> None:
    """A few conversations between members of each initiative, dated from when both were
    members to two weeks ago, all read; their rows (participants, inboxes, the newest
    message) kept as ``message_send`` keeps them. A pair that has written already is left
    alone."""
    now = ctx.now
    for initiative in ctx.objects.get("initiatives", {}).values():
        if not service_enabled(initiative, Service.CHAT):
            continue
        users = {
            m.user.email: m.user
            for m in Membership.objects.filter(
                initiative=initiative, status=Membership.Status.APPROVED
            ).select_related("user")
        }
        for number, (x, y) in enumerate(HISTORY_PAIRS):
            a = users.get(f"member{x}.{initiative.slug}@example.com")
            b = users.get(f"member{y}.{initiative.slug}@example.com")
            if a is None or b is None:
                continue
            known = [
                since
                for since in (
                    ctx.member_since(a.pk, initiative.pk),
                    ctx.member_since(b.pk, initiative.pk),
                )
                if since is not None
            ]
            begun = max(known, default=now - timedelta(days=200)) + timedelta(days=3)
            end = now - timedelta(days=14)
            if end - begun < timedelta(days=HISTORY_MIN_DAYS):
                continue
            conversation = services.conversations_ensure(user_id=a.pk, other_ids=[b.pk])[b.pk]
            if conversation.messages.exists():
                continue
            step = (end - begun) / HISTORY_MESSAGES
            messages = [
                Message(
                    conversation=conversation,
                    sender=(a, b)[(n + n // 3) % 2],
                    body=LARGE_LINES[(number * 3 + n) % len(LARGE_LINES)],
                    created_at=begun + step * n + timedelta(minutes=7 * (n % 3)),
                )
                for n in range(HISTORY_MESSAGES)
            ]
            Message.objects.bulk_create(messages)
            last = messages[-1]
            Conversation.objects.filter(pk=conversation.pk).update(
                created_at=messages[0].created_at,
                last_message=last,
                last_message_at=last.created_at,
            )
            Participant.objects.filter(conversation=conversation).update(
                last_read_id=last.pk, unread=0, notified_through_id=last.pk
            )
            Inbox.objects.filter(user_id__in=[a.pk, b.pk], last_message_id__lt=last.pk).update(
                last_message_id=last.pk
            )
            ctx.add("chat messages", len(messages))


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


# --- --scale large ------------------------------------------------------------------------------

LARGE_LINES = (
    "Добрый день! Удобно созвониться завтра?",
    "Да, после обеда.",
    "Пересылаю данные по заявке, посмотрите, пожалуйста.",
    "Спасибо, посмотрю сегодня.",
    "Когда будет протокол встречи?",
    "Отправил на почту.",
    "Договорились, до связи.",
    "Можем предоставить оборудование на следующей неделе.",
    "Нужна консультация по сертификации, подскажете?",
    "Хорошо, подготовлю коммерческое предложение.",
    "Уточните, пожалуйста, объём партии.",
    "Отлично, так и сделаем.",
)


def seed_large_chat(ctx: DemoContext) -> None:
    """Conversations between generated members of one initiative (with its chat on), each
    begun once both were members; their messages spread from then to now in short bursts,
    ids in time order as the chat stores them; both people's read state (one conversation in
    ten ends with what the recipient has not read), unread counts and inboxes to match; the
    missed-message check counts them as mailed. Bulk-created; made once."""
    roster = ctx.objects.get("large_roster")
    if roster is None or not roster.members:
        return
    if Conversation.objects.filter(user_a__email__endswith=f"@{LARGE_EMAIL_DOMAIN}").exists():
        return
    volumes = ctx.volumes
    rng = random.Random(5016)
    now = ctx.now
    chat_on = {
        initiative.pk
        for initiative in ctx.objects.get("initiatives", {}).values()
        if service_enabled(initiative, Service.CHAT)
    }
    pool = roster.pool(sorted(chat_on))
    if len(pool) < 2:
        return
    first = max(pool.times[1], now - timedelta(days=volumes.days))
    # Conversations begin over the preset's months (more of them lately), between two people
    # who were members of one initiative by then, and go on for days to months.
    pairs: dict[tuple[int, int], tuple[datetime, datetime]] = {}
    attempts = 0
    while len(pairs) < volumes.conversations and attempts < volumes.conversations * 5:
        attempts += 1
        begun = growing_moment(rng, first, now - timedelta(hours=2))
        row = pool.pick(rng, begun)
        peer = row and roster.pool(row[1]).pick(rng, begun, besides={row[0]})
        if peer is None:
            continue
        pair = (min(row[0], peer[0]), max(row[0], peer[0]))
        if pair in pairs:
            continue
        lasts = timedelta(days=min(rng.lognormvariate(math.log(40), 1), 400))
        pairs[pair] = (begun, min(now, begun + lasts))
    specs = sorted(pairs.items(), key=lambda item: item[1][0])
    if not specs:
        return

    # Messages per conversation: a few long ones, many short (log-normal shares).
    weights = [rng.lognormvariate(0, 1) for _ in specs]
    scale = volumes.messages / sum(weights)
    counts = [max(1, round(w * scale)) for w in weights]
    counts[-1] = max(1, counts[-1] + volumes.messages - sum(counts))
    times: list[list[float]] = []
    for (_pair, (begun, ended)), count in zip(specs, counts, strict=True):
        start, end = begun.timestamp(), ended.timestamp()
        stamps = []
        while len(stamps) < count:
            # A burst: a few messages minutes apart at a random moment of the conversation.
            moment = rng.uniform(start, end)
            for _ in range(min(rng.randint(1, 8), count - len(stamps))):
                if moment >= end:
                    break
                stamps.append(moment)
                moment += rng.uniform(20, 900)
        stamps.sort()
        times.append(stamps)

    conversations = [
        Conversation(
            user_a_id=a,
            user_b_id=b,
            created_at=datetime.fromtimestamp(stamps[0], tz=UTC),
        )
        for ((a, b), _span), stamps in zip(specs, times, strict=True)
    ]
    Conversation.objects.bulk_create(conversations, batch_size=BATCH_SIZE)

    # In time order across all conversations, window by window, so ids follow the dates.
    state = [_Thread() for _ in specs]
    pointer = [0] * len(specs)
    window = 10 * 24 * 3600
    edge = min(stamps[0] for stamps in times)
    made = 0
    while edge <= now.timestamp():
        edge += window
        due = []
        for index, stamps in enumerate(times):
            stop = pointer[index]
            while stop < len(stamps) and stamps[stop] < edge:
                due.append((stamps[stop], index))
                stop += 1
            pointer[index] = stop
        due.sort()
        for chunk_start in range(0, len(due), BATCH_SIZE):
            chunk = due[chunk_start : chunk_start + BATCH_SIZE]
            messages = []
            for stamp, index in chunk:
                (a, b), _span = specs[index]
                thread = state[index]
                # The other person answers more often than not.
                if thread.next_sender and rng.random() < 0.35:
                    sender = thread.next_sender
                elif thread.next_sender:
                    sender = a if thread.next_sender == b else b
                else:
                    sender = rng.choice((a, b))
                thread.next_sender = sender
                messages.append(
                    Message(
                        conversation_id=conversations[index].pk,
                        sender_id=sender,
                        body=LARGE_LINES[rng.randrange(len(LARGE_LINES))],
                        created_at=datetime.fromtimestamp(stamp, tz=UTC),
                    )
                )
            Message.objects.bulk_create(messages)
            made += len(messages)
            for (_stamp, index), message in zip(chunk, messages, strict=True):
                state[index].add(message)
    _large_read_state(specs, conversations, state)
    ctx.add("chat conversations", len(conversations))
    ctx.add("chat messages", made)


@dataclass
class _Thread:
    """What the read state of one generated conversation needs from its messages."""

    next_sender: int = 0  # while generating: who wrote the last message
    last_id: int = 0
    last_at: datetime | None = None
    run_sender: int = 0  # who wrote the newest messages, ``run`` of them in a row
    run: int = 0
    before_run: int = 0  # the id of the newest message before that run

    def add(self, message: Message) -> None:
        if message.sender_id == self.run_sender:
            self.run += 1
        else:
            self.before_run, self.run_sender, self.run = self.last_id, message.sender_id, 1
        self.last_id, self.last_at = message.pk, message.created_at


def _large_read_state(specs, conversations, state) -> None:
    """Each conversation's newest message; each person's read position and unread count
    (one conversation in ten ends with messages its recipient has not read); each person's
    inbox (their unread total, the newest message of their stream)."""
    participants = []
    unread_total: dict[int, int] = {}
    newest: dict[int, int] = {}
    for index, (((a, b), _span), conversation, thread) in enumerate(
        zip(specs, conversations, state, strict=True)
    ):
        conversation.last_message_id = thread.last_id
        conversation.last_message_at = thread.last_at
        unread = thread.run if index % 10 == 3 else 0
        for user_id in (a, b):
            behind = unread if user_id != thread.run_sender else 0
            participants.append(
                Participant(
                    conversation_id=conversation.pk,
                    user_id=user_id,
                    last_read_id=thread.before_run if behind else thread.last_id,
                    unread=behind,
                    notified_through_id=thread.last_id,
                )
            )
            unread_total[user_id] = unread_total.get(user_id, 0) + behind
            newest[user_id] = max(newest.get(user_id, 0), thread.last_id)
    Conversation.objects.bulk_update(
        conversations, ["last_message", "last_message_at"], batch_size=500
    )
    Participant.objects.bulk_create(participants, batch_size=BATCH_SIZE)
    Inbox.objects.bulk_create(
        [
            Inbox(user_id=user_id, unread_total=unread_total[user_id], last_message_id=last)
            for user_id, last in newest.items()
        ],
        batch_size=BATCH_SIZE,
    )
