"""Demo accounts: the portal administrator, an editor, and each initiative's people.

seed_demo prints the login of the portal admin, the editor, and per initiative its first
administrator, its first member and its first applicant; every demo account has DEMO_PASSWORD.

Per initiative: one or two administrators, approved members with Russian names, organisations
and positions like the mock-ups of seed 000, and a few pending applicants. ``--scale N``
multiplies the approved members (for benchmarks). Names and e-mails are the mock-ups' own
examples (example.com addresses).
"""

from __future__ import annotations

from core.demo import DemoContext

from .models import Membership, Organisation, Profile
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


def _person(ctx, *, email, first, last, organisation, position, phone, role=None):
    user = ctx.ensure_user(
        email=email, password=DEMO_PASSWORD, first_name=first, last_name=last, role=role
    )
    Profile.objects.get_or_create(
        user=user,
        defaults={"organisation": organisation, "position": position, "phone": phone},
    )
    return user


def _membership(ctx, *, user, initiative, status) -> Membership:
    membership = Membership.objects.filter(
        user=user, initiative=initiative, status__in=Membership.ACTIVE_STATUSES
    ).first()
    if membership is None:
        membership = Membership.objects.create(
            user=user,
            initiative=initiative,
            status=status,
            message="Прошу включить меня в общую группу кластера." if status == "pending" else "",
        )
        ctx.count("memberships", True)
    return membership


def seed(ctx: DemoContext) -> None:
    ctx.objects["portal_admin"] = ctx.ensure_user(
        email=PORTAL_ADMIN_EMAIL,
        password=DEMO_PASSWORD,
        first_name="Татьяна",
        last_name="Алексеева",
        role="Администратор портала",
        groups=(PORTAL_ADMINS_GROUP,),
        is_superuser=True,
    )
    ctx.objects["editor"] = ctx.ensure_user(
        email=EDITOR_EMAIL,
        password=DEMO_PASSWORD,
        first_name="Анастасия",
        last_name="Александрова",
        role="Редактор",
        groups=(EDITORS_GROUP,),
    )
    # Initiatives are seeded after members (PROJECT_APPS order): people join them at the end.
    ctx.later(seed_initiative_people)


def seed_initiative_people(ctx: DemoContext) -> None:
    """Admins, members and applicants of each demo initiative."""
    initiatives = ctx.objects.get("initiatives", {})
    number = 0
    for slug, (admins, organisations) in PEOPLE.items():
        initiative = initiatives.get(slug)
        if initiative is None:
            continue
        orgs = [_organisation(name, kind) for name, kind in organisations]
        for index, (email, first, last, org_name, position) in enumerate(admins):
            user = _person(
                ctx,
                email=email,
                first=first,
                last=last,
                organisation=_organisation(org_name),
                position=position,
                phone=f"+37529{5270000 + number:07d}",
                role=f"Администратор «{initiative.short_name}»" if index == 0 else None,
            )
            number += 1
            membership = _membership(ctx, user=user, initiative=initiative, status="approved")
            if membership.role != Membership.Role.ADMIN:
                membership_set_role(membership=membership, role=Membership.Role.ADMIN, by=None)
        for n in range(MEMBERS_PER_INITIATIVE * ctx.scale):
            number += 1
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
            )
            _membership(ctx, user=user, initiative=initiative, status="approved")
        for n in range(PENDING_PER_INITIATIVE):
            number += 1
            first, last = _demo_name(number * 3, number * 5)
            user = _person(
                ctx,
                email=f"applicant{n + 1}.{slug}@example.com",
                first=first,
                last=last,
                organisation=_organisation(f"ООО «Заявитель {n + 1}»", "company"),
                position=POSITIONS[(n + 3) % len(POSITIONS)],
                phone=f"+37533{4560000 + number:07d}",
                role=f"Заявитель «{initiative.short_name}»" if n == 0 else None,
            )
            _membership(ctx, user=user, initiative=initiative, status="pending")
