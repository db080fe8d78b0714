"""Demo accounts: the portal administrator, an editor, and each initiative's people.

seed_demo prints the login of the portal admin, the editor, and per initiative its first
administrator, its first member and its first applicant; every demo account has DEMO_PASSWORD.

Per initiative: one or two administrators, approved members with Russian names, organisations
and positions like the mock-ups of seed 000, a few pending applicants, two rejected applicants
and a former member (removed). ``--scale N`` multiplies the approved members (for
benchmarks). Names and e-mails are the mock-ups' own examples (example.com addresses).

The membership indicators need a history, so a membership made here is dated when it is
created (and never again): the admins joined about a year ago, the members' approvals are
spread over the past twelve months (every fourth came by invitation, with its accepted
:class:`Invitation`; the others applied and waited hours to days for the decision), the
applicants applied in the past weeks; each new account registered shortly before its first
application. Who became a member when is left in ``ctx.objects["member_since"]``, so the
later seeders date a person's posts, ideas and registrations after it.

``--scale large`` then adds ``ctx.volumes.users`` generated people in bulk
(:func:`seed_large_people`).
"""

from __future__ import annotations

import datetime
import hashlib
import math
import random

from allauth.account.models import EmailAddress

from core.demo import (
    BATCH_SIZE,
    LARGE_EMAIL_DOMAIN,
    DemoContext,
    LargePerson,
    LargeRoster,
    dated_as_given,
    growing_moment,
)

from .models import Invitation, Membership, Organisation, Profile, User
from .permissions import EDITORS_GROUP, PORTAL_ADMINS_GROUP
from .services import membership_set_role

PORTAL_ADMIN_EMAIL = "admin@example.com"
EDITOR_EMAIL = "editor@example.com"
DEMO_PASSWORD = "demo-password-2026"  # noqa: S105 - printed by seed_demo, DEBUG only

# (first name, is female). Women get the feminine form of the surname (see _surname).
FIRST_NAMES = [
    ("Ждан", False),
    ("Юлиан", False),
    ("Иван", False),
    ("Юрий", False),
    ("Илья", False),
    ("Арсений", False),
    ("Григорий", False),
    ("Ефрем", False),
    ("Эдуард", False),
    ("Харитон", False),
    ("Святослав", False),
    ("Артемий", False),
    ("Анна", True),
    ("Инна", True),
    ("Ольга", True),
    ("Марина", True),
    ("Дмитрий", False),
    ("Павел", False),
]
# Masculine forms; surnames without a gendered ending (Пасичник, Лукашевич) serve both.
LAST_NAMES = [
    "Семёнов",
    "Пасичник",
    "Гущин",
    "Гуляев",
    "Ильин",
    "Туров",
    "Прохоров",
    "Капустин",
    "Дементьев",
    "Костин",
    "Степанов",
    "Жуков",
    "Золотов",
    "Хостин",
    "Петровский",
    "Лукашевич",
    "Ковалёв",
    "Новик",
]
POSITIONS = [
    "Директор",
    "Главный инженер",
    "Научный сотрудник",
    "Заведующий лабораторией",
    "Менеджер проектов",
    "Технолог",
    "Доцент кафедры",
    "Специалист по маркетингу",
    "",
]

# slug → (admins, organisations) for the four demo initiatives.
PEOPLE = {
    "gorki": (
        [("admin.gorki@example.com", "Алексей", "Иванов", "ООО «Технопарк Горки»", "Директор")],
        [
            ("УО «Белорусская государственная сельскохозяйственная академия»", "university"),
            ("ООО «Технопарк Горки»", "company"),
            ("ООО «БиоАгроТех»", "company"),
            ("Горецкий районный исполнительный комитет", "government"),
        ],
    ),
    "polotsk-composites": (
        [
            (
                "admin.polotsk@example.com",
                "Иммануил",
                "Токар",
                "Полоцкий государственный университет",
                "Проректор",
            ),
            ("ivan.ivanov@example.com", "Иван", "Иванов", "ООО «КомпозитСтрой»", "Директор"),
        ],
        [
            ("Полоцкий государственный университет имени Евфросинии Полоцкой", "university"),
            ("ООО «КомпозитСтрой»", "company"),
            ("ОАО «Стеклопластик»", "company"),
        ],
    ),
    "polesie": (
        [
            (
                "admin.polesie@example.com",
                "Алексей",
                "Козырь",
                "Полесский государственный университет",
                "Координатор кластера",
            )
        ],
        [
            ("Полесский государственный университет", "university"),
            ("ОАО «Пинский рыбхоз»", "company"),
            ("Институт экспериментальной ботаники НАН Беларуси", "research"),
        ],
    ),
    "novopolotsk-petrochemical": (
        [
            (
                "admin.ipnnk@example.com",
                "Алексей",
                "Станевич",
                "Полоцкий государственный университет",
                "Координатор кластера",
            )
        ],
        [
            ("ОАО «Нафтан»", "company"),
            ("Полоцкий государственный университет имени Евфросинии Полоцкой", "university"),
            ("Новополоцкий городской исполнительный комитет", "government"),
            ("ООО «НефтеХимСервис»", "company"),
        ],
    ),
}
MEMBERS_PER_INITIATIVE = 8
PENDING_PER_INITIATIVE = 3
REJECTED_PER_INITIATIVE = 2
# Every INVITED_EVERY-th member (from the third) came by invitation rather than applying.
INVITED_EVERY = 4
# Hours from an application to its decision, in turn: from the same morning to a week.
DECISION_HOURS = (5, 26, 50, 3, 75, 30, 140, 20, 9, 98)
REJECTION_REASONS = (
    "Организация не относится к отраслям кластера.",
    "Не указана организация; подайте заявку повторно с данными организации.",
    "Заявка подана повторно; рассмотрена ранее.",
)
DAY = datetime.timedelta(days=1)
HOUR = datetime.timedelta(hours=1)


def _surname(masculine: str, *, female: bool) -> str:
    """The surname in the form that agrees with the person's gender (Петровский → Петровская)."""
    if not female:
        return masculine
    if masculine.endswith(("ий", "ый", "ой")):
        return masculine[:-2] + "ая"
    if masculine.endswith(("ов", "ев", "ёв", "ин", "ын")):
        return masculine + "а"
    return masculine


def _demo_name(first_index: int, last_index: int) -> tuple[str, str]:
    """(first, last) from the two lists, indices taken modulo their lengths."""
    first, female = FIRST_NAMES[first_index % len(FIRST_NAMES)]
    return first, _surname(LAST_NAMES[last_index % len(LAST_NAMES)], female=female)


def _organisation(name: str, kind: str = "other") -> Organisation:
    organisation = Organisation.objects.filter(name__iexact=name).first()
    return organisation or Organisation.objects.create(name=name, kind=kind)


def _person(ctx, *, email, first, last, organisation, position, phone, role=None, joined=None):
    user = ctx.ensure_user(
        email=email,
        password=DEMO_PASSWORD,
        first_name=first,
        last_name=last,
        role=role,
        joined=joined,
    )
    Profile.objects.get_or_create(
        user=user,
        defaults={"organisation": organisation, "position": position, "phone": phone},
    )
    return user


class _Timeline:
    """When one demo membership was applied for, decided and approved (None: not decided),
    and how it came about."""

    def __init__(self, applied, *, decided=None, approved=None, source=None, reason=""):
        self.applied = applied
        self.decided = decided
        self.approved = approved
        self.source = source or Membership.Source.APPLICATION
        self.reason = reason

    @property
    def joined(self) -> datetime.datetime:
        """When the person registered: shortly before applying (or accepting)."""
        if self.source == Membership.Source.INVITATION:
            return self.applied - datetime.timedelta(minutes=12)
        return self.applied - datetime.timedelta(days=2, hours=3)


def _approved(when, *, wait_hours: float, invited: bool = False) -> _Timeline:
    if invited:
        return _Timeline(when, decided=when, approved=when, source=Membership.Source.INVITATION)
    return _Timeline(when - wait_hours * HOUR, decided=when, approved=when)


def _membership(
    ctx, *, user, initiative, status, timeline=None, decided_by=None
) -> tuple[Membership, bool]:
    """The person's membership of ``status`` in the initiative and whether it is new: made
    (and dated by ``timeline``) when missing, a pending or approved one when they have no
    active one, a rejected or removed one when they have none at all there."""
    rows = Membership.objects.filter(user=user, initiative=initiative)
    if status in Membership.ACTIVE_STATUSES:
        rows = rows.filter(status__in=Membership.ACTIVE_STATUSES)
    membership = rows.order_by("-applied_at").first()
    if membership is not None:
        return membership, False
    membership = Membership.objects.create(
        user=user,
        initiative=initiative,
        status=status,
        message="Прошу включить меня в общую группу кластера." if status == "pending" else "",
    )
    ctx.count("memberships", True)
    if timeline is not None:
        # applied_at is auto_now_add: the history is written once the row exists.
        applied = timeline.source == Membership.Source.APPLICATION
        fields = {
            "applied_at": timeline.applied,
            "decided_at": timeline.decided,
            "approved_at": timeline.approved,
            "source": timeline.source,
            "decision_reason": timeline.reason,
            # An accepted invitation decides itself; an application, an initiative's admin.
            "decided_by": decided_by if timeline.decided and applied else None,
        }
        Membership.objects.filter(pk=membership.pk).update(**fields)
        for name, value in fields.items():
            setattr(membership, name, value)
    return membership, True


def _invitation(ctx, *, initiative, user, invited_by, accepted) -> None:
    """The accepted invitation an invited demo member came by (found by its token's hash)."""
    digest = hashlib.sha256(f"demo-invitation:{initiative.slug}:{user.email}".encode()).hexdigest()
    invitation, created = Invitation.objects.get_or_create(
        token_hash=digest,
        defaults={
            "initiative": initiative,
            "email": user.email,
            "invited_by": invited_by,
            "expires_at": accepted + 11 * DAY,
            "accepted_at": accepted,
            "accepted_by": user,
        },
    )
    if created:
        Invitation.objects.filter(pk=invitation.pk).update(created_at=accepted - 3 * DAY)
        ctx.count("invitations", True)


def seed(ctx: DemoContext) -> None:
    now = ctx.now
    ctx.objects["portal_admin"] = ctx.ensure_user(
        email=PORTAL_ADMIN_EMAIL,
        password=DEMO_PASSWORD,
        first_name="Татьяна",
        last_name="Алексеева",
        role="Администратор портала",
        groups=(PORTAL_ADMINS_GROUP,),
        is_superuser=True,
        joined=now - 420 * DAY,
    )
    ctx.objects["editor"] = ctx.ensure_user(
        email=EDITOR_EMAIL,
        password=DEMO_PASSWORD,
        first_name="Анастасия",
        last_name="Александрова",
        role="Редактор",
        groups=(EDITORS_GROUP,),
        joined=now - 410 * DAY,
    )
    # Initiatives are seeded after members (PROJECT_APPS order): people join them at the end.
    ctx.later(seed_initiative_people)


def seed_initiative_people(ctx: DemoContext) -> None:
    """Admins, members, applicants, rejected applicants and a former member of each demo
    initiative, dated over the past year; then who is a member since when."""
    initiatives = ctx.objects.get("initiatives", {})
    now = ctx.now
    number = 0
    for k, (slug, (admins, organisations)) in enumerate(PEOPLE.items()):
        initiative = initiatives.get(slug)
        if initiative is None:
            continue
        orgs = [_organisation(name, kind) for name, kind in organisations]
        admin_users = []
        for index, (email, first, last, org_name, position) in enumerate(admins):
            timeline = _approved(now - (365 - 7 * k - 3 * index) * DAY, wait_hours=20)
            user = _person(
                ctx,
                email=email,
                first=first,
                last=last,
                organisation=_organisation(org_name),
                position=position,
                phone=f"+37529{5270000 + number:07d}",
                role=f"Администратор «{initiative.short_name}»" if index == 0 else None,
                joined=timeline.joined,
            )
            number += 1
            admin_users.append(user)
            membership, _created = _membership(
                ctx, user=user, initiative=initiative, status="approved", timeline=timeline
            )
            if membership.role != Membership.Role.ADMIN:
                membership_set_role(membership=membership, role=Membership.Role.ADMIN, by=None)
        decider = admin_users[0] if admin_users else None
        members = MEMBERS_PER_INITIATIVE * ctx.scale
        for n in range(members):
            number += 1
            # Approved from about 11 months ago (the first members, who write the most) to a
            # few weeks ago, a little apart in each initiative.
            days_ago = 335 - 4 * k - n * 310 / max(members - 1, 1)
            invited = n % INVITED_EVERY == 2
            timeline = _approved(
                now - days_ago * DAY + (n % 7) * HOUR,
                wait_hours=DECISION_HOURS[(n + k) % len(DECISION_HOURS)],
                invited=invited,
            )
            # Every (first, last) pair differs for the first few hundred people.
            first, last = _demo_name(number, number // len(FIRST_NAMES) + number)
            user = _person(
                ctx,
                email=f"member{n + 1}.{slug}@example.com",
                first=first,
                last=last,
                organisation=orgs[n % len(orgs)],
                position=POSITIONS[n % len(POSITIONS)],
                phone=f"+37529{1230000 + number:07d}",
                role=f"Участник «{initiative.short_name}»" if n == 0 else None,
                joined=timeline.joined,
            )
            _row, new = _membership(
                ctx,
                user=user,
                initiative=initiative,
                status="approved",
                timeline=timeline,
                decided_by=decider,
            )
            if invited and new:
                _invitation(
                    ctx,
                    initiative=initiative,
                    user=user,
                    invited_by=decider,
                    accepted=timeline.applied,
                )
        for n in range(PENDING_PER_INITIATIVE):
            number += 1
            first, last = _demo_name(number * 3, number * 5)
            timeline = _Timeline(now - (6 + 5 * n + k) * DAY - (3 + n) * HOUR)
            user = _person(
                ctx,
                email=f"applicant{n + 1}.{slug}@example.com",
                first=first,
                last=last,
                organisation=_organisation(f"ООО «Заявитель {n + 1}»", "company"),
                position=POSITIONS[(n + 3) % len(POSITIONS)],
                phone=f"+37533{4560000 + number:07d}",
                role=f"Заявитель «{initiative.short_name}»" if n == 0 else None,
                joined=timeline.joined,
            )
            _membership(ctx, user=user, initiative=initiative, status="pending", timeline=timeline)
        # The people added after the first demo (rejected, former) have their own count, so
        # that everyone else keeps the name they had.
        for n in range(REJECTED_PER_INITIATIVE):
            extra = 100 + 10 * k + n
            first, last = _demo_name(extra * 7, extra * 3 + 1)
            applied = now - (250 - 110 * n - 9 * k) * DAY
            timeline = _Timeline(
                applied,
                decided=applied + (2 + n) * DAY + 5 * HOUR,
                reason=REJECTION_REASONS[(n + k) % len(REJECTION_REASONS)],
            )
            user = _person(
                ctx,
                email=f"declined{n + 1}.{slug}@example.com",
                first=first,
                last=last,
                organisation=_organisation(f"ООО «Соискатель {n + 1}»", "company"),
                position=POSITIONS[(n + 5) % len(POSITIONS)],
                phone=f"+37533{7890000 + extra:07d}",
                joined=timeline.joined,
            )
            _membership(
                ctx,
                user=user,
                initiative=initiative,
                status="rejected",
                timeline=timeline,
                decided_by=decider,
            )
        # A member who was approved and, months later, removed (the organisation left).
        extra = 100 + 10 * k + 9
        first, last = _demo_name(extra * 5, extra + 2)
        timeline = _approved(now - (300 - 11 * k) * DAY, wait_hours=30)
        timeline.decided = now - (60 + 4 * k) * DAY
        timeline.reason = "Организация вышла из состава кластера."
        user = _person(
            ctx,
            email=f"former1.{slug}@example.com",
            first=first,
            last=last,
            organisation=orgs[-1],
            position=POSITIONS[1],
            phone=f"+37544{1110000 + extra:07d}",
            joined=timeline.joined,
        )
        _membership(
            ctx,
            user=user,
            initiative=initiative,
            status="removed",
            timeline=timeline,
            decided_by=decider,
        )
    member_since_record(ctx)
    if ctx.volumes is not None:
        ctx.bulk(seed_large_people)


def member_since_record(ctx: DemoContext) -> None:
    """``ctx.objects["member_since"]``: (user id, initiative id) → when approved, and
    (user id, None) → the first approval, for the approved memberships standing now (those
    seeded before approval dates were kept have none, and count as members all along)."""
    since: dict = {}
    rows = Membership.objects.filter(
        status=Membership.Status.APPROVED, approved_at__isnull=False
    ).exclude(user__email__endswith=f"@{LARGE_EMAIL_DOMAIN}")
    for user_id, initiative_id, approved_at in rows.values_list(
        "user_id", "initiative_id", "approved_at"
    ):
        since[(user_id, initiative_id)] = approved_at
        first = since.get((user_id, None))
        since[(user_id, None)] = approved_at if first is None else min(first, approved_at)
    ctx.objects["member_since"] = since


# --- --scale large: generated people in bulk -------------------------------------------------

ORGANISATION_FORMS = (
    ("ООО", "company"),
    ("ОАО", "company"),
    ("ЧУП", "company"),
    ("ЗАО", "company"),
    ("НИИ", "research"),
    ("Учреждение образования", "university"),
    ("Унитарное предприятие", "government"),
)
ORGANISATION_ROOTS = (
    "Агро",
    "Био",
    "Техно",
    "Композит",
    "Нефте",
    "Эко",
    "Пром",
    "Инно",
    "Поли",
    "Гидро",
    "Электро",
    "Лесо",
)
ORGANISATION_ENDINGS = (
    "Тех",
    "Синтез",
    "Строй",
    "Сервис",
    "Пласт",
    "Лаб",
    "Инвест",
    "Маш",
    "Хим",
    "Снаб",
    "Проект",
    "Ресурс",
)
TOWNS = (
    "Минск",
    "Горки",
    "Полоцк",
    "Новополоцк",
    "Пинск",
    "Витебск",
    "Могилёв",
    "Гомель",
    "Брест",
    "Гродно",
    "Орша",
    "Бобруйск",
    "Лида",
    "Барановичи",
    "Мозырь",
    "Солигорск",
)
# Shares of the generated applications by initiative, in PEOPLE's order.
INITIATIVE_WEIGHTS = (35, 25, 20, 20)


def _organisation_name(n: int) -> tuple[str, str]:
    """The n-th generated organisation: distinct for n below 7 × 12 × 12 × 16 (16,128)."""
    form, kind = ORGANISATION_FORMS[n % len(ORGANISATION_FORMS)]
    n //= len(ORGANISATION_FORMS)
    root = ORGANISATION_ROOTS[n % len(ORGANISATION_ROOTS)]
    n //= len(ORGANISATION_ROOTS)
    ending = ORGANISATION_ENDINGS[n % len(ORGANISATION_ENDINGS)]
    n //= len(ORGANISATION_ENDINGS)
    town = TOWNS[n % len(TOWNS)]
    return f"{form} «{root}{ending.lower()}» ({town})", kind


def _large_roster_load(ctx: DemoContext) -> LargeRoster:
    """The generated people and their standing approved memberships, as stored."""
    roster = LargeRoster()
    people = User.objects.filter(email__endswith=f"@{LARGE_EMAIL_DOMAIN}")
    for pk, email, first, last, organisation in people.values_list(
        "pk", "email", "first_name", "last_name", "profile__organisation__name"
    ):
        roster.people[pk] = LargePerson(
            name=f"{last} {first}", organisation=organisation or "", email=email
        )
    members = Membership.objects.filter(
        user__in=people, status=Membership.Status.APPROVED, approved_at__isnull=False
    ).order_by("approved_at", "pk")
    for user_id, initiative_id, approved_at in members.values_list(
        "user_id", "initiative_id", "approved_at"
    ):
        roster.add_member(user_id, initiative_id, approved_at)
    return roster


def seed_large_people(ctx: DemoContext) -> None:
    """``ctx.volumes.users`` people with e-mail addresses, profiles, organisations and
    memberships, registered over ``ctx.volumes.months`` months (more of them lately), in
    bulk; made once (none of them exists yet), and shared with the later bulk steps as
    ``ctx.objects["large_roster"]``."""
    volumes = ctx.volumes
    if User.objects.filter(email__endswith=f"@{LARGE_EMAIL_DOMAIN}").exists():
        ctx.objects["large_roster"] = _large_roster_load(ctx)
        return
    rng = random.Random(5014)
    now = ctx.now
    span = volumes.days * DAY
    initiatives, weights = _large_weights(ctx)

    # Organisations: shared by many people each, a few big ones.
    organisations = [
        Organisation(name=name, kind=kind)
        for name, kind in map(_organisation_name, range(volumes.organisations))
    ]
    Organisation.objects.bulk_create(organisations, batch_size=BATCH_SIZE)
    if any(o.pk is None for o in organisations):  # a database that returns no ids
        ids = dict(
            Organisation.objects.filter(name__in=[o.name for o in organisations]).values_list(
                "name", "pk"
            )
        )
        for o in organisations:
            o.pk = ids[o.name]
    ctx.add("organisations", len(organisations))

    # People: registered over the period, more of them lately (three times as many a day now
    # as at the start); ids follow the registration dates.
    joined = sorted(growing_moment(rng, now - span, now) for _ in range(volumes.users))
    password = ctx.password_hash(DEMO_PASSWORD)
    users = []
    for n, when in enumerate(joined):
        first, last = _demo_name(n * 7 + 3, n // len(FIRST_NAMES) + n * 5)
        users.append(
            User(
                email=f"person{n + 1:05d}@{LARGE_EMAIL_DOMAIN}",
                first_name=first,
                last_name=last,
                password=password,
                date_joined=when,
            )
        )
    User.objects.bulk_create(users, batch_size=BATCH_SIZE)
    if any(u.pk is None for u in users):
        ids = dict(
            User.objects.filter(email__endswith=f"@{LARGE_EMAIL_DOMAIN}").values_list("email", "pk")
        )
        for u in users:
            u.pk = ids[u.email]
    ctx.add("users", len(users))
    EmailAddress.objects.bulk_create(
        [EmailAddress(user_id=u.pk, email=u.email, verified=True, primary=True) for u in users],
        batch_size=BATCH_SIZE,
    )
    roster = LargeRoster()
    profiles = []
    for n, user in enumerate(users):
        # Squared: the first organisations get most of the people.
        organisation = organisations[int(len(organisations) * rng.random() ** 2)]
        profiles.append(
            Profile(
                user_id=user.pk,
                organisation=organisation,
                position=POSITIONS[n % len(POSITIONS)],
                phone=f"+37529{(3000000 + n) % 10000000:07d}" if n % 3 else "",
                newsletter=n % 4 != 0,
            )
        )
        roster.people[user.pk] = LargePerson(
            name=f"{user.last_name} {user.first_name}",
            organisation=organisation.name,
            email=user.email,
        )
    Profile.objects.bulk_create(profiles, batch_size=BATCH_SIZE)
    ctx.add("profiles", len(profiles))

    admins = _large_admins(ctx, users, roster)
    memberships = _large_memberships(ctx, rng, users, initiatives, weights, roster, admins)
    with dated_as_given(Membership, "applied_at"):
        Membership.objects.bulk_create(
            [row for rows in admins.values() for row in rows] + memberships, batch_size=BATCH_SIZE
        )
    _large_admin_groups(admins)
    ctx.add("memberships", len(memberships) + sum(map(len, admins.values())))
    roster.members.sort(key=lambda row: row[2])
    for rows in roster.by_initiative.values():
        rows.sort(key=lambda row: row[2])
    ctx.objects["large_roster"] = roster


def _large_weights(ctx: DemoContext) -> tuple[list, list[float]]:
    """The initiatives generated people apply to and their shares: the demo's four keep
    :data:`INITIATIVE_WEIGHTS` (two fifths of the applications when there are generated
    ones), the generated ones share the rest, a few big and many small (1 / (k + 3))."""
    demo = [ctx.objects.get("initiatives", {}).get(slug) for slug in PEOPLE]
    weights = [float(w) for w, i in zip(INITIATIVE_WEIGHTS, demo, strict=True) if i is not None]
    demo = [i for i in demo if i is not None]
    generated = list(ctx.objects.get("large_initiatives", ()))
    if generated:
        shares = [1 / (k + 3) for k in range(len(generated))]
        rest = sum(weights) * 1.5 if weights else 1.0
        weights += [rest * share / sum(shares) for share in shares]
    return demo + generated, weights


def _large_admins(ctx: DemoContext, users, roster) -> dict[int, list[Membership]]:
    """Administrators of each generated initiative (the demo's have their hand-written
    ones): one, every third initiative two, among the first tenth of the people to register,
    approved by the portal admin within a day of applying. They administer that initiative
    and apply nowhere else. Returns their memberships by initiative id."""
    generated = list(ctx.objects.get("large_initiatives", ()))
    early = users[: max(len(users) // 10, 1)]
    if not generated or not early:
        return {}
    portal_admin = ctx.objects.get("portal_admin")
    now = ctx.now
    picked = iter(early[k * (len(early) // 73 or 1) % len(early)] for k in range(len(early)))
    taken: set[int] = set()
    admins: dict[int, list[Membership]] = {}
    for k, initiative in enumerate(generated):
        for _ in range(2 if k % 3 == 0 else 1):
            user = next((u for u in picked if u.pk not in taken), None)
            if user is None:
                break
            taken.add(user.pk)
            applied = min(user.date_joined + 2 * HOUR, now)
            approved = min(applied + 20 * HOUR, now)
            admins.setdefault(initiative.pk, []).append(
                Membership(
                    user_id=user.pk,
                    initiative_id=initiative.pk,
                    status=Membership.Status.APPROVED,
                    role=Membership.Role.ADMIN,
                    applied_at=applied,
                    decided_at=approved,
                    approved_at=approved,
                    decided_by=portal_admin,
                    source=Membership.Source.APPLICATION,
                    message="Прошу подключить кластер к платформе.",
                )
            )
            roster.add_member(user.pk, initiative.pk, approved)
    return admins


def _large_admin_groups(admins: dict[int, list[Membership]]) -> None:
    """The generated admins join their initiative's Wagtail group, as
    ``membership_set_role`` puts an admin there (``initiative_admin_sync``), in one INSERT."""
    from initiatives.models import InitiativePage

    groups = dict(
        InitiativePage.objects.filter(pk__in=list(admins)).values_list("pk", "admin_group_id")
    )
    Through = User.groups.through
    Through.objects.bulk_create(
        [
            Through(user_id=row.user_id, group_id=groups[initiative_id])
            for initiative_id, rows in admins.items()
            if groups.get(initiative_id)
            for row in rows
        ],
        batch_size=BATCH_SIZE,
    )


def _large_memberships(ctx, rng, users, initiatives, weights, roster, admins) -> list[Membership]:
    """Most people apply to one initiative (some to two) within two weeks of registering;
    most are approved after hours to days, some rejected, a few removed later; every seventh
    came by invitation; the latest applications still wait. The generated admins
    (``admins``) decide their initiative's applications and apply nowhere."""
    now = ctx.now
    if not initiatives:
        return []
    deciders: dict[int, int] = {
        initiative_id: rows[0].user_id for initiative_id, rows in admins.items()
    }
    for initiative_id, user_id in (
        Membership.objects.filter(
            initiative__in=initiatives,
            status=Membership.Status.APPROVED,
            role=Membership.Role.ADMIN,
        )
        .order_by("pk")
        .values_list("initiative_id", "user_id")
    ):
        deciders.setdefault(initiative_id, user_id)  # the initiative's first admin
    administering = {row.user_id for rows in admins.values() for row in rows}
    rows = []
    for n, user in enumerate(users):
        draw = rng.random()
        if user.pk in administering:
            continue
        if draw >= 0.8:
            continue  # registered, never applied
        chosen = rng.choices(initiatives, weights=weights)
        if draw < 0.08 and len(initiatives) > 1:
            chosen.append(rng.choice([i for i in initiatives if i != chosen[0]]))
        for initiative in chosen:
            applied = user.date_joined + datetime.timedelta(hours=rng.uniform(0.2, 14 * 24))
            if applied >= now:
                applied = user.date_joined + (now - user.date_joined) / 2
            invited = n % 7 == 3
            # Hours to a decision: log-normal, median about a day, capped at a month.
            wait = min(rng.lognormvariate(math.log(26), 1.1), 30 * 24) * HOUR
            decided = applied if invited else applied + wait
            row = Membership(
                user_id=user.pk,
                initiative_id=initiative.pk,
                applied_at=applied,
                source=Membership.Source.INVITATION if invited else Membership.Source.APPLICATION,
                message="" if invited or n % 3 else "Прошу принять нашу организацию в кластер.",
            )
            if decided >= now:
                row.status = Membership.Status.PENDING
            elif not invited and rng.random() < 0.09:
                row.status = Membership.Status.REJECTED
                row.decided_at = decided
                row.decided_by_id = deciders.get(initiative.pk)
                row.decision_reason = REJECTION_REASONS[n % len(REJECTION_REASONS)]
            else:
                row.status = Membership.Status.APPROVED
                row.decided_at = row.approved_at = decided
                if not invited:
                    row.decided_by_id = deciders.get(initiative.pk)
                if rng.random() < 0.04:
                    # Removed later: decided_at moves on, approved_at stays.
                    row.status = Membership.Status.REMOVED
                    row.decided_at = decided + (now - decided) * rng.uniform(0.2, 0.9)
                    row.decision_reason = "Организация вышла из состава кластера."
                else:
                    roster.add_member(user.pk, initiative.pk, decided)
            rows.append(row)
    return rows
