"""Demo ideas exchange: /ideas/ and twenty ideas across the four demo initiatives and the
platform — requests, offers and projects seeking partners — with tags, discussions and
consortia (issue 13, item 7).

Idempotent like every seeder: the page is found by its slug under the home page, an idea by
its title; an idea that exists already is left as it is (with its comments and partners),
so what people changed since stays. Ideas are made in a deferred step, once the members
seeder has put people into the initiatives: authors, commenters and partners are demo
members (found through this app's ``extensions`` hooks, which the members app registers), so
the ideas carry their organisations.

This public app imports nothing from the extranet; who was a member when comes from the
members seeder (``ctx.member_since``): authors, commenters and partners were members by then.

``--scale large`` adds ``ctx.volumes.ideas`` ideas by generated members over the preset's
months, with discussions, partners and stages (:func:`seed_large_ideas`), in bulk.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.utils import timezone

from core.demo import BATCH_SIZE, LARGE_EMAIL_DOMAIN, DemoContext, growing_moment

from .extensions import author_details, member_initiative_ids
from .models import Idea, IdeaComment, IdeasExchangePage, IdeaStageChange, Partnership

PAGE_INTRO = (
    "Запросы, предложения и проекты участников кластеров: оставьте запрос, предложите свои "
    "возможности или найдите партнёров для совместного проекта и обсудите идеи коллег."
)

R, OF, P = Idea.Kind.REQUEST, Idea.Kind.OFFER, Idea.Kind.PROJECT
PUBLIC, REGISTERED, MEMBERS = (
    Idea.Visibility.PUBLIC,
    Idea.Visibility.REGISTERED,
    Idea.Visibility.MEMBERS,
)


@dataclass(frozen=True)
class DemoIdea:
    title: str
    kind: str
    initiative: str | None  # the demo initiative's slug; None for the whole platform
    summary: str
    text: str
    tags: tuple[str, ...]
    days_ago: int
    visibility: str = PUBLIC
    comments: tuple[str, ...] = ()
    # Projects: (role, accepted?) of partners from other members, and the stage reached.
    partners: tuple[tuple[str, bool], ...] = ()
    stage: str = ""
    closed: bool = False


IDEAS: list[DemoIdea] = [
    DemoIdea(
        title="Совместное использование лабораторного оборудования для биотехнологий",
        kind=R,
        initiative="gorki",
        summary="Ищем лабораторию с ПЦР-амплификатором и ламинарным боксом для анализа "
        "посевного материала — 2–3 дня в месяц.",
        text="Наше хозяйство выращивает семенной картофель и проверяет посадочный материал на "
        "вирусы. Собственной ПЦР-лаборатории нет, а возить пробы в Минск долго.\n\n"
        "Готовы оплачивать машинное время или обменять его на доступ к нашим опытным полям.",
        tags=("биотехнологии", "лабораторное оборудование", "семеноводство"),
        days_ago=3,
        comments=(
            "У нас в БГСХА есть амплификатор, свободен по четвергам. Напишите, обсудим график.",
            "Поддерживаю запрос: нам тоже нужен ламинарный бокс раз в месяц.",
        ),
    ),
    DemoIdea(
        title="Испытания композитных материалов на растяжение и изгиб",
        kind=OF,
        initiative="polotsk-composites",
        summary="Аккредитованная лаборатория проведёт механические испытания образцов "
        "стеклопластика и углепластика по ГОСТ и ISO.",
        text="Разрывная машина до 100 кН, климатическая камера от −60 до +150 °C, "
        "изготовление образцов на своём оборудовании.\n\n"
        "Для участников кластера — скидка 20 % и срок до 10 рабочих дней.",
        tags=("композиты", "испытания", "стеклопластик"),
        days_ago=5,
        comments=("Интересует изгиб труб из стеклопластика, пришлём образцы в следующем месяце.",),
    ),
    DemoIdea(
        title="Консорциум по переработке отходов нефтехимии",
        kind=P,
        initiative="novopolotsk-petrochemical",
        summary="Собираем консорциум для переработки кубовых остатков и отработанных "
        "катализаторов в сырьё для дорожного строительства.",
        text="Ежегодно на предприятиях региона накапливается более 40 тыс. т отходов "
        "нефтехимии. Предлагаем технологию их переработки в модификаторы битума.\n\n"
        "Нужны: технологический партнёр, производитель оборудования, научная организация "
        "для испытаний и дорожная организация как первый потребитель.",
        tags=("нефтехимия", "переработка отходов", "дорожное строительство"),
        days_ago=20,
        comments=(
            "Можем взять на себя испытания модифицированного битума.",
            "Какие объёмы отработанных катализаторов в год?",
            "Около 600 т, данные по составу вышлем участникам консорциума.",
        ),
        partners=(("research", True), ("supplier", True), ("partner", False)),
        stage=Idea.Stage.CONSORTIUM,
    ),
    DemoIdea(
        title="Нужен поставщик биоразлагаемой упаковки для молочной продукции",
        kind=R,
        initiative="gorki",
        summary="Молочный комбинат ищет поставщика стаканчиков из PLA или картона с "
        "биоразлагаемым покрытием, от 200 тыс. штук в месяц.",
        text="Переходим на экологичную упаковку для йогуртов и сметаны. Нужны образцы, "
        "сертификаты соответствия для контакта с пищевыми продуктами и стабильные поставки.",
        tags=("упаковка", "зелёная экономика", "пищевая промышленность"),
        days_ago=8,
    ),
    DemoIdea(
        title="Аренда ферментеров для пилотных партий",
        kind=OF,
        initiative="gorki",
        summary="Предлагаем ферментеры на 50 и 300 л для отработки технологий и выпуска "
        "пилотных партий биопрепаратов.",
        text="Опытный участок с двумя ферментерами, паровой стерилизацией и подготовленным "
        "персоналом. Возможна наработка партий под ключ.",
        tags=("биотехнологии", "лабораторное оборудование", "биопрепараты"),
        days_ago=12,
        comments=("Какая минимальная длительность аренды?",),
    ),
    DemoIdea(
        title="Рыбопосадочный материал для фермерских прудов",
        kind=OF,
        initiative="polesie",
        summary="Рыбхоз поставит мальков карпа, толстолобика и осетра для зарыбления "
        "фермерских прудов, с доставкой живорыбной машиной.",
        text="Выращиваем посадочный материал с контролем ветеринарной службы. Консультируем "
        "по кормлению и зимовке.",
        tags=("аквакультура", "рыбоводство"),
        days_ago=15,
    ),
    DemoIdea(
        title="Ищем технологию рециркуляционного выращивания осетровых",
        kind=R,
        initiative="polesie",
        summary="Нужен технологический партнёр для запуска УЗВ на 50 т осетровых в год.",
        text="Есть площадка с подведёнными сетями и источником воды. Ищем проектировщика "
        "установки замкнутого водоснабжения и поставщика биофильтров.",
        tags=("аквакультура", "УЗВ", "рыбоводство"),
        days_ago=25,
        visibility=REGISTERED,
        comments=("Можем предложить проект под ключ, есть опыт запуска двух УЗВ в регионе.",),
    ),
    DemoIdea(
        title="Проект: региональный центр испытаний полимерных труб",
        kind=P,
        initiative="polotsk-composites",
        summary="Создание общего испытательного центра для производителей полимерных и "
        "композитных труб Витебской области.",
        text="Производителям приходится возить трубы на испытания в Минск и Москву. Общий "
        "центр сократит сроки сертификации и затраты.\n\nИщем соинвесторов, поставщика "
        "испытательного оборудования и университет для подготовки кадров.",
        tags=("композиты", "испытания", "полимерные трубы"),
        days_ago=40,
        partners=(("partner", True), ("research", False)),
        stage=Idea.Stage.SEEKING,
    ),
    DemoIdea(
        title="Утилизация отработанных масел: ищем партнёров по сбору",
        kind=R,
        initiative="novopolotsk-petrochemical",
        summary="Нужны организации, готовые собирать отработанные масла в районах "
        "Витебской области для регенерации.",
        text="Установка регенерации масел загружена на 60 %. Ищем партнёров по сбору и "
        "логистике, условия обсуждаются.",
        tags=("нефтехимия", "переработка отходов", "логистика"),
        days_ago=9,
    ),
    DemoIdea(
        title="Пиролиз изношенных шин: предлагаем технологию",
        kind=OF,
        initiative="novopolotsk-petrochemical",
        summary="Передадим технологию пиролиза шин с получением печного топлива и "
        "технического углерода.",
        text="Отработанная технология на пилотной установке 5 т в сутки. Готовы к "
        "лицензированию и сопровождению запуска.",
        tags=("переработка отходов", "нефтехимия"),
        days_ago=30,
    ),
    DemoIdea(
        title="Экспертиза бизнес-планов для заявок на гранты",
        kind=OF,
        initiative=None,
        summary="Эксперты ЦКиИР проверят бизнес-план и заявку на финансирование до подачи "
        "в фонды и банки развития.",
        text="Смотрим соответствие требованиям программ, финансовую модель и риски. Для "
        "участников кластеров — бесплатно, до двух заявок в квартал.",
        tags=("гранты", "консалтинг"),
        days_ago=2,
        comments=("Отличная инициатива! Подали заявку на консультацию.",),
    ),
    DemoIdea(
        title="Нужен партнёр для выхода на рынок Казахстана",
        kind=R,
        initiative=None,
        summary="Производитель кормовых добавок ищет дистрибьютора или совместное "
        "предприятие в Казахстане.",
        text="Продукция зарегистрирована в ЕАЭС. Нужен партнёр со складом и сетью продаж "
        "среди животноводческих хозяйств.",
        tags=("экспорт", "кормовые добавки"),
        days_ago=18,
        visibility=REGISTERED,
    ),
    DemoIdea(
        title="Проект: агробиотехнологический парк в Горках",
        kind=P,
        initiative="gorki",
        summary="Парк для стартапов в области агробиотехнологий на базе академии: "
        "лаборатории, опытные поля, инкубатор.",
        text="Идея обсуждается с администрацией района. Нужны резиденты, инвестор и "
        "управляющая компания.\n\nПодготовлена концепция, идёт поиск партнёров.",
        tags=("биотехнологии", "инфраструктура", "стартапы"),
        days_ago=60,
        comments=("Готовы стать резидентом с лабораторией микроклонального размножения.",),
        partners=(("partner", True), ("research", True), ("supplier", False)),
        stage=Idea.Stage.SUBMITTED,
    ),
    DemoIdea(
        title="Обучение операторов станков с ЧПУ для композитного производства",
        kind=OF,
        initiative="polotsk-composites",
        summary="Колледж проведёт курсы операторов станков с ЧПУ и намотки "
        "стеклопластиковых изделий.",
        text="Группы по 8–12 человек, 120 часов, практика на оборудовании предприятий кластера.",
        tags=("кадры", "композиты", "обучение"),
        days_ago=22,
        visibility=MEMBERS,
    ),
    DemoIdea(
        title="Ищем переработчика отходов рыбопереработки",
        kind=R,
        initiative="polesie",
        summary="Рыбоперерабатывающий цех ищет партнёра для переработки отходов в "
        "рыбную муку или корма.",
        text="Около 15 т отходов в месяц, сезонно больше. Готовы к долгосрочному договору.",
        tags=("аквакультура", "переработка отходов", "корма"),
        days_ago=11,
    ),
    DemoIdea(
        title="Проект: биогазовая установка для кластера фермерских хозяйств",
        kind=P,
        initiative="polesie",
        summary="Общая биогазовая установка на отходах животноводства и рыбоводства для "
        "трёх хозяйств района.",
        text="Электроэнергия — в сеть по зелёному тарифу, дигестат — удобрение для полей "
        "участников. Ищем поставщика оборудования и банк.",
        tags=("зелёная экономика", "биогаз", "аквакультура"),
        days_ago=45,
        partners=(("supplier", True),),
        stage=Idea.Stage.CONSORTIUM,
    ),
    DemoIdea(
        title="Предлагаем 3D-сканирование и обратный инжиниринг деталей",
        kind=OF,
        initiative=None,
        summary="Оцифруем деталь, построим 3D-модель и подготовим документацию для "
        "импортозамещения.",
        text="Точность сканирования до 0,05 мм, работаем с деталями до 2 м.",
        tags=("инжиниринг", "импортозамещение"),
        days_ago=6,
    ),
    DemoIdea(
        title="Требуется аналитическая лаборатория для контроля нефтепродуктов",
        kind=R,
        initiative="novopolotsk-petrochemical",
        summary="Малое предприятие ищет лабораторию для регулярного анализа качества "
        "дизельного топлива и масел.",
        text="Около 30 проб в месяц, нужны протоколы для покупателей. Рассмотрим "
        "аутсорсинг и совместное использование лаборатории.",
        tags=("нефтехимия", "лабораторное оборудование", "испытания"),
        days_ago=4,
    ),
    DemoIdea(
        title="Проект: экологическая тропа и агротуризм на Полесье",
        kind=P,
        initiative="polesie",
        summary="Маршрут по рыбхозам и фермам с дегустациями и мастер-классами для туристов.",
        text="Проект закрыт: маршрут запущен силами участников в прошлом сезоне, спасибо "
        "всем, кто помогал.",
        tags=("туризм", "зелёная экономика"),
        days_ago=200,
        partners=(("partner", True),),
        stage=Idea.Stage.FUNDED,
        closed=True,
    ),
    DemoIdea(
        title="Совместная закупка стекловолокна для производителей композитов",
        kind=P,
        initiative="polotsk-composites",
        summary="Объединим заказы участников кластера, чтобы получить оптовую цену у "
        "производителя стекловолокна.",
        text="Предварительно пятеро участников готовы закупать вместе около 80 т в "
        "квартал. Нужны ещё участники и логистический оператор.",
        tags=("композиты", "стеклопластик", "закупки"),
        days_ago=7,
        visibility=MEMBERS,
        comments=("Присоединимся, нам нужно около 10 т в квартал.",),
        stage=Idea.Stage.IDEA,
    ),
]


# --- the seeder ----------------------------------------------------------------------------


def seed(ctx: DemoContext) -> None:
    home = ctx.objects["home_page"]
    page = ctx.ensure_page(
        home, IdeasExchangePage(title="Биржа идей", slug="ideas", intro=PAGE_INTRO)
    )
    ctx.objects["ideas_page"] = page
    ctx.later(seed_ideas)


@dataclass
class _Members:
    """The demo members by initiative slug (through this app's hooks), asked once each."""

    initiatives: dict
    by_slug: dict[str | None, list] = field(default_factory=dict)

    def __post_init__(self):
        slug_of = {initiative.pk: slug for slug, initiative in self.initiatives.items()}
        users = (
            get_user_model()
            .objects.filter(is_active=True, is_superuser=False, email__startswith="member")
            .filter(email__endswith="@example.com")
            .order_by("pk")
        )
        everyone = []
        for user in users:
            slugs = [slug_of[pk] for pk in member_initiative_ids(user) if pk in slug_of]
            if not slugs:
                continue
            everyone.append(user)
            for slug in slugs:
                self.by_slug.setdefault(slug, []).append(user)
        self.by_slug[None] = everyone

    def of(self, slug: str | None) -> list:
        return self.by_slug.get(slug, [])

    def others(self, slug: str | None) -> list:
        """Members outside the initiative (partners and commenters from elsewhere)."""
        mine = {user.pk for user in self.of(slug)} if slug else set()
        return [user for user in self.of(None) if user.pk not in mine]


def _pick(users: list, number: int, avoid=()):
    avoid_ids = {user.pk for user in avoid}
    choices = [user for user in users if user.pk not in avoid_ids]
    return choices[number % len(choices)] if choices else None


def seed_ideas(ctx: DemoContext) -> None:
    """The ideas that are missing, with their comments, partners and stages."""
    initiatives = ctx.objects.get("initiatives", {})
    if ctx.volumes is not None:
        ctx.bulk(seed_large_ideas)
    members = _Members(initiatives)
    if not members.of(None):
        ctx.log("ideas: no demo members yet, no ideas made")
        return
    existing = set(
        Idea.objects.filter(title__in=[s.title for s in IDEAS]).values_list("title", flat=True)
    )
    now = timezone.now()
    for number, spec in enumerate(IDEAS):
        if spec.title in existing:
            continue
        if spec.initiative is not None and spec.initiative not in initiatives:
            continue
        _make(ctx, spec, number=number, members=members, initiatives=initiatives, now=now)


def _make(ctx, spec: DemoIdea, *, number, members, initiatives, now) -> Idea:
    posted = now - datetime.timedelta(days=spec.days_ago, hours=number)
    initiative_id = initiatives[spec.initiative].pk if spec.initiative else None
    # Authors, commenters and partners were members by then (the members seeder's dates).
    authors = members.of(spec.initiative) or members.of(None)
    author = _pick(ctx.members_by(authors, posted, initiative_id), number * 2)
    idea = Idea.objects.create(
        kind=spec.kind,
        title=spec.title,
        summary=spec.summary,
        text=spec.text,
        author=author,
        organisation_name=author_details(author).get("organisation", ""),
        initiative=initiatives.get(spec.initiative) if spec.initiative else None,
        visibility=spec.visibility,
        stage=(spec.stage or Idea.Stage.SEEKING) if spec.kind == P else "",
        moderation=Idea.Moderation.APPROVED,
        created_at=posted,
        published_at=posted,
    )
    idea.tags.set(list(spec.tags))
    ctx.count("ideas", True)
    # Commenters: members who may see it (the initiative's own for members-only ideas).
    pool = members.of(spec.initiative) if spec.visibility == MEMBERS else members.of(None)
    for n, text in enumerate(spec.comments):
        written = posted + datetime.timedelta(hours=5 + n * 7)
        ready = ctx.members_by(pool, written, initiative_id if spec.visibility == MEMBERS else None)
        commenter = (
            _pick(ready, number + n * 3 + 1, avoid=[author])
            or _pick(pool, number + n * 3 + 1, avoid=[author])
            if n % 3 != 2
            else author
        )
        IdeaComment.objects.create(
            idea=idea,
            author=commenter or author,
            text=text,
            created_at=written,
        )
    accepted = 0
    partner_pool = members.others(spec.initiative) or members.of(None)
    taken = [author]
    for n, (role, accept) in enumerate(spec.partners):
        asked = posted + datetime.timedelta(days=1 + n)
        partner = _pick(ctx.members_by(partner_pool, asked), number + n * 5, avoid=taken) or _pick(
            partner_pool, number + n * 5, avoid=taken
        )
        if partner is None:
            break
        taken.append(partner)
        Partnership.objects.create(
            idea=idea,
            user=partner,
            organisation_name=author_details(partner).get("organisation", ""),
            role=role,
            note="Готовы участвовать: есть опыт и ресурсы по этому направлению.",
            status=Partnership.Status.ACCEPTED if accept else Partnership.Status.PENDING,
            created_at=asked,
            decided_at=asked + datetime.timedelta(days=2) if accept else None,
        )
        accepted += bool(accept)
    if spec.kind == P:
        _stages(idea, spec, author=author, posted=posted)
    if spec.closed:
        idea.status, idea.closed_at = Idea.Status.CLOSED, posted + datetime.timedelta(days=150)
    elif accepted:
        idea.status = Idea.Status.PARTNERS_FOUND
    elif spec.comments:
        idea.status = Idea.Status.DISCUSSION
    idea.save(update_fields=["status", "closed_at"])
    return idea


STAGE_ORDER = [
    Idea.Stage.IDEA,
    Idea.Stage.SEEKING,
    Idea.Stage.CONSORTIUM,
    Idea.Stage.SUBMITTED,
    Idea.Stage.FUNDED,
]


def _stages(idea: Idea, spec: DemoIdea, *, author, posted) -> None:
    """The dated way to the project's stage: idea, seeking partners, … up to it."""
    reached = spec.stage or Idea.Stage.SEEKING
    steps = STAGE_ORDER[: STAGE_ORDER.index(reached) + 1]
    IdeaStageChange.objects.bulk_create(
        [
            IdeaStageChange(
                idea=idea,
                stage=stage,
                changed_by=author,
                changed_at=posted + datetime.timedelta(days=n * 7),
            )
            for n, stage in enumerate(steps)
        ]
    )


# --- --scale large ------------------------------------------------------------------------------

LARGE_SUBJECTS = (
    ("лабораторное оборудование", "биотехнологии"),
    ("испытания композитов", "композиты"),
    ("корма для аквакультуры", "аквакультура"),
    ("переработка отходов", "зелёная экономика"),
    ("подготовка кадров", "образование"),
    ("совместная закупка сырья", "закупки"),
    ("сертификация продукции", "сертификация"),
    ("выход на экспорт", "экспорт"),
    ("цифровизация учёта", "цифровизация"),
    ("энергосбережение", "энергетика"),
)
LARGE_KIND_TITLES = {
    R: "Ищем партнёра: {subject}",
    OF: "Предлагаем: {subject}",
    P: "Проект: {subject}",
}
LARGE_COMMENTS = (
    "Интересно, напишу вам в личные сообщения.",
    "У нас есть опыт в этой теме, готовы обсудить.",
    "Какие сроки?",
    "Поддерживаю, давно нужно.",
    "Уточните, пожалуйста, объём работ.",
)


def seed_large_ideas(ctx: DemoContext) -> None:
    """``ctx.volumes.ideas`` requests, offers and projects by generated members (most in
    their initiative, some platform-wide), each posted while its author was a member; about
    half discussed (replies one level deep), projects with partners from elsewhere (accepted,
    waiting or declined) and their stages dated in order; a few closed, waiting for
    moderation or hidden. Bulk-created (so not in the search index); made once."""
    roster = ctx.objects.get("large_roster")
    if roster is None or not roster.members:
        return
    if Idea.objects.filter(author__email__endswith=f"@{LARGE_EMAIL_DOMAIN}").exists():
        return
    from taggit.models import Tag

    rng = random.Random(5018)
    now = ctx.now
    tags = {}
    for _subject, name in LARGE_SUBJECTS:
        tag = Tag.objects.filter(name__iexact=name).first() or Tag.objects.create(name=name)
        tags[name] = tag.pk
    everyone = roster.pool()
    first = max(everyone.times[0], now - datetime.timedelta(days=ctx.volumes.days))

    def member_by(when, *, initiative_id=None, besides=()):
        """A random person who was a member (of ``initiative_id``) at ``when``, or None."""
        row = roster.pool(initiative_id).pick(rng, when, besides=besides)
        return row[0] if row else None

    ideas = []
    while len(ideas) < ctx.volumes.ideas:
        n = len(ideas)
        posted = growing_moment(rng, first, now)
        row = everyone.pick(rng, posted)
        if row is None:
            continue
        author_id, initiative_id, _since = row
        kind = (R, OF, P)[rng.randrange(3)]
        subject, _tag = LARGE_SUBJECTS[n % len(LARGE_SUBJECTS)]
        platform_wide = rng.random() < 0.25
        visibility = (PUBLIC, PUBLIC, PUBLIC, REGISTERED, MEMBERS)[rng.randrange(5)]
        if platform_wide and visibility == MEMBERS:
            visibility = REGISTERED
        moderation = Idea.Moderation.APPROVED
        draw = rng.random()
        if draw < 0.03:
            moderation = Idea.Moderation.PENDING
        elif draw < 0.05:
            moderation = Idea.Moderation.HIDDEN
        ideas.append(
            Idea(
                kind=kind,
                title=f"{LARGE_KIND_TITLES[kind].format(subject=subject)} (№ {n + 1})",
                summary=f"Участник кластера о теме «{subject}»: условия и сроки обсудим.",
                text="Подробности — в обсуждении и в личных сообщениях.",
                author_id=author_id,
                organisation_name=roster.people[author_id].organisation,
                initiative_id=None if platform_wide else initiative_id,
                visibility=visibility,
                stage=Idea.Stage.SEEKING if kind == P else "",
                moderation=moderation,
                moderated_at=posted + datetime.timedelta(hours=3)
                if moderation != Idea.Moderation.PENDING
                else None,
                created_at=posted,
                published_at=posted if moderation == Idea.Moderation.APPROVED else None,
            )
        )
    Idea.objects.bulk_create(ideas, batch_size=BATCH_SIZE)
    TaggedIdea = Idea.tags.through
    TaggedIdea.objects.bulk_create(
        [
            TaggedIdea(
                content_object_id=idea.pk, tag_id=tags[LARGE_SUBJECTS[n % len(LARGE_SUBJECTS)][1]]
            )
            for n, idea in enumerate(ideas)
        ],
        batch_size=BATCH_SIZE,
    )

    comments, partnerships, stages = [], [], []
    for idea in ideas:
        if idea.moderation != Idea.Moderation.APPROVED:
            if idea.kind == P:  # a project's first stage is recorded when it is posted
                stages.append(
                    IdeaStageChange(
                        idea_id=idea.pk,
                        stage=idea.stage,
                        changed_by_id=idea.author_id,
                        changed_at=idea.created_at,
                    )
                )
            continue
        # Members-only ideas are discussed by the initiative's members.
        circle = idea.initiative_id if idea.visibility == MEMBERS else None
        written = idea.created_at
        if rng.random() < 0.5:
            for _ in range(rng.randint(1, 5)):
                written = min(now, written + (now - written) * rng.random() * 0.1)
                user_id = member_by(written, initiative_id=circle, besides=(idea.author_id,))
                if user_id is None:
                    continue
                comments.append(
                    IdeaComment(
                        idea_id=idea.pk,
                        author_id=user_id,
                        text=LARGE_COMMENTS[rng.randrange(len(LARGE_COMMENTS))],
                        created_at=written,
                    )
                )
            idea.status = Idea.Status.DISCUSSION
        if idea.kind == P:
            accepted = _large_partners(idea, rng, now, member_by, partnerships, roster)
            reached = ([Idea.Stage.IDEA, Idea.Stage.SEEKING] if not accepted else STAGE_ORDER)[
                : 2 + min(accepted, 3)
            ]
            idea.stage = reached[-1]
            steps = len(reached)
            for n, stage in enumerate(reached):
                stages.append(
                    IdeaStageChange(
                        idea_id=idea.pk,
                        stage=stage,
                        changed_by_id=idea.author_id,
                        changed_at=idea.created_at + (now - idea.created_at) * n / (steps + 1),
                    )
                )
            if accepted:
                idea.status = Idea.Status.PARTNERS_FOUND
        if rng.random() < 0.1 and now - idea.created_at > datetime.timedelta(days=120):
            idea.status = Idea.Status.CLOSED
            idea.closed_at = idea.created_at + datetime.timedelta(days=90)
    IdeaComment.objects.bulk_create(comments, batch_size=BATCH_SIZE)
    Partnership.objects.bulk_create(partnerships, batch_size=BATCH_SIZE)
    IdeaStageChange.objects.bulk_create(stages, batch_size=BATCH_SIZE)
    Idea.objects.bulk_update(ideas, ["status", "stage", "closed_at"], batch_size=500)
    ctx.add("ideas", len(ideas))
    ctx.add("idea comments", len(comments))
    ctx.add("idea partnerships", len(partnerships))


def _large_partners(idea, rng, now, member_by, partnerships, roster) -> int:
    """Zero to four requests to join the project from members elsewhere; the accepted count."""
    accepted = 0
    taken = {idea.author_id}
    asked = idea.created_at
    for _ in range(rng.randint(0, 4)):
        asked = min(now, asked + (now - asked) * rng.random() * 0.2)
        user_id = member_by(asked, besides=taken)
        if user_id is None:
            continue
        taken.add(user_id)
        draw = rng.random()
        decided = min(now, asked + datetime.timedelta(days=rng.uniform(0.5, 10)))
        status = Partnership.Status.PENDING
        if decided < now and draw < 0.55:
            status = Partnership.Status.ACCEPTED
            accepted += 1
        elif decided < now and draw < 0.75:
            status = Partnership.Status.DECLINED
        partnerships.append(
            Partnership(
                idea_id=idea.pk,
                user_id=user_id,
                organisation_name=roster.people[user_id].organisation,
                role=(
                    Partnership.Role.PARTNER,
                    Partnership.Role.SUPPLIER,
                    Partnership.Role.RESEARCH,
                )[rng.randrange(3)],
                note="Готовы участвовать.",
                status=status,
                created_at=asked,
                decided_at=None if status == Partnership.Status.PENDING else decided,
            )
        )
    return accepted
