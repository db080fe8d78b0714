"""Demo events: the kinds of seed 003, /events/, and a year of events across the initiatives.

The year is the current one (two or three events a month, as a cluster development centre's
plan of seed 004 has them: the meeting of the clusters' participants in January, round
tables and seminars for SMEs, working meetings, a conference, an exhibition, a business
mission), with seed 004's plan columns filled in. Events already over have a report, their
registrations (demo members and a few guests) marked attended or absent, and ratings; the
ones ahead have some registrations, and one is full with a waiting list. A few carry a
programme and speakers.

Idempotent like every seeder: kinds are found by slug (then name), events by slug under
/events/; registrations are made (in a deferred step, once the members exist) only for an
event that has none. ``--scale N`` (N > 1) adds simpler generated events, N × 30 in all.

This public app imports nothing from the extranet: the demo members are found through the
``events.extensions`` hooks the members app registers, and who was a member when through the
members seeder's ``ctx.member_since`` (people register only once they are members).

``--scale large`` adds ``ctx.volumes.events`` events over the preset's months and the next
two, with registrations of the generated members, attendance and ratings
(:func:`seed_large_events`).
"""

from __future__ import annotations

import bisect
import datetime
import random
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.utils import timezone

from core.demo import BATCH_SIZE, DemoContext, pages_bulk_add

from .extensions import member_initiative_ids, registrant_details
from .models import (
    DEFAULT_TIME_ZONE,
    EventIndexPage,
    EventKind,
    EventPage,
    EventSpeaker,
    Feedback,
    Registration,
)

# Seed 003's kinds of events, in its order.
KINDS = [
    ("seminar", "Обучающий семинар"),
    ("round-table", "Круглый стол, панельная дискуссия"),
    ("working-meeting", "Рабочая встреча"),
    ("internal-conference", "Внутренняя конференция"),
    ("external-conference", "Внешняя конференция"),
    ("exhibition", "Выставка, ярмарка"),
    ("business-mission", "Бизнес-миссия"),
]

INDEX_INTRO = (
    "Семинары, круглые столы, рабочие встречи, конференции и выставки кластерных "
    "инициатив и всей платформы. Регистрируйтесь на сайте, добавляйте мероприятия в свой "
    "календарь и оценивайте их после участия."
)

PARTICIPANTS = "ЦКиИР, участники кластера"
REGIONAL = "региональный бюджет"
OWN_FUNDS = "собственные средства участников"

# People who register without an account (guests), by e-mail.
GUESTS = [
    ("Корнилова Дарья", "d.kornilova@example.org", "ОАО «Агрокомбинат»"),
    ("Лебедев Артём", "a.lebedev@example.org", "Витебский ЦСМС"),
    ("Сорокина Ирина", "i.sorokina@example.org", "ООО «ЭкоПласт»"),
    ("Жуков Павел", "p.zhukov@example.org", "БНТУ"),
]

COMMENTS = [
    "Полезно и по делу, спасибо организаторам.",
    "Хорошая площадка, но не хватило времени на вопросы.",
    "Отличные спикеры, ждём продолжения.",
    "",
    "Материалы разослали сразу после встречи — удобно.",
    "",
]


@dataclass(frozen=True)
class DemoEvent:
    slug: str
    title: str
    kind: str
    month: int  # of the current year; 0 with ``days_ahead``: relative to the seeding day
    day: int
    intro: str
    initiative: str | None = None
    format: str = EventPage.Format.OFFLINE
    start: str = "10:00"
    hours: float = 3
    time_zone: str = DEFAULT_TIME_ZONE
    venue: str = ""
    address: str = ""
    organisers: str = "ЦКиИР"
    audience: str = EventPage.Audience.EVERYONE
    capacity: int | None = None
    days_ahead: int | None = None
    cancelled: bool = False
    registrations: int = 8  # how many demo members register (guests come on top)
    full: bool = False  # every seat taken, three people on the waiting list
    plan_timing: str = ""
    plan_budget: str = ""
    plan_funding_source: str = ""
    plan_results: str = ""
    plan_participants: str = PARTICIPANTS
    report: str = ""
    report_participants: int | None = None
    speakers: tuple[tuple[str, str], ...] = ()
    programme: tuple[tuple[str, str, str], ...] = ()  # (time, item, speakers)


BGSKHA = ("Конференц-зал БГСХА", "г. Горки, ул. Мичурина, 5")
TECHNOPARK = ("Технопарк «Горки»", "г. Горки, ул. Студенческая, 2")
PSU = ("Полоцкий государственный университет", "г. Новополоцк, ул. Блохина, 29")
POLESIE = ("Полесский государственный университет", "г. Пинск, ул. Днепровской флотилии, 23")
MINSK = ("Белорусская торгово-промышленная палата", "г. Минск, пр. Машерова, 14")

EVENTS: list[DemoEvent] = [
    DemoEvent(
        slug="clusters-annual-meeting",
        title="Собрание участников кластеров и встреча с Советами кластеров",
        kind="internal-conference",
        month=1,
        day=22,
        intro=(
            "Итоги деятельности кластеров и ЦКиИР за прошлый год, план мероприятий на "
            "текущий год и защита кластерных проектов перед экспертной комиссией."
        ),
        format=EventPage.Format.HYBRID,
        venue=MINSK[0],
        address=MINSK[1],
        hours=5,
        plan_participants="ЦКиИР, Советы кластеров, экспертные комиссии",
        plan_timing="январь – февраль",
        plan_results=(
            "Подведение результатов деятельности кластеров и ЦКиИР за год; план "
            "мероприятий на текущий год; защита кластерных проектов для распределения "
            "бюджета софинансирования."
        ),
        report=(
            "<p>Собрание подвело итоги года: кластеры представили отчёты, Советы кластеров "
            "утвердили план мероприятий. Экспертная комиссия рассмотрела 11 кластерных "
            "проектов, 7 рекомендованы к софинансированию.</p>"
        ),
        registrations=12,
        speakers=(
            ("Алексеева Татьяна", "Центр кластерного развития, администратор платформы"),
            ("Иванов Алексей", "Директор ООО «Технопарк Горки»"),
        ),
        programme=(
            ("10:00–10:30", "Регистрация участников", ""),
            ("10:30–11:30", "Итоги года: отчёты кластеров", "Председатели Советов кластеров"),
            ("11:30–13:30", "Защита кластерных проектов", "Экспертная комиссия"),
            ("14:00–15:00", "План мероприятий на год: обсуждение", "ЦКиИР"),
        ),
    ),
    DemoEvent(
        slug="gorki-biotech-seminar",
        title="Семинар «Аграрные биотехнологии: от лаборатории к полю»",
        kind="seminar",
        month=2,
        day=12,
        initiative="gorki",
        intro="Как результаты лабораторий академии доходят до хозяйств: опыт и партнёрства.",
        venue=BGSKHA[0],
        address=BGSKHA[1],
        plan_budget="зал, кофе-брейк — 1 200 BYN",
        plan_funding_source=OWN_FUNDS,
        plan_results="Участники узнают о разработках академии и договорятся о пилотных испытаниях.",
        report=(
            "<p>Семинар собрал учёных академии и представителей хозяйств района. Три "
            "хозяйства договорились об испытаниях биопрепаратов в новом сезоне.</p>"
        ),
        speakers=(("Петровская Ольга", "Заведующая лабораторией биотехнологий БГСХА"),),
    ),
    DemoEvent(
        slug="polotsk-composites-round-table",
        title="Круглый стол «Композиты в строительстве: стандарты и спрос»",
        kind="round-table",
        month=2,
        day=26,
        initiative="polotsk-composites",
        intro="Производители композитных материалов и проектировщики о нормативах и заказах.",
        venue=PSU[0],
        address=PSU[1],
        plan_budget="670 тыс. руб.",
        plan_funding_source=REGIONAL,
        plan_results="Софинансирование организации круглых столов для СМСП участников кластеров.",
        report="<p>Обсудили проект технических условий на композитную арматуру.</p>",
    ),
    DemoEvent(
        slug="platform-onboarding-webinar",
        title="Вебинар «Кластерная платформа: личный кабинет, общая группа и чат»",
        kind="seminar",
        month=3,
        day=5,
        intro="Как зарегистрироваться, вступить в инициативу и работать в общей группе.",
        format=EventPage.Format.ONLINE,
        start="15:00",
        hours=1.5,
        organisers="Центр кластерного развития",
        plan_results="Участники кластеров начинают работать на платформе.",
        report="<p>Вебинар посмотрели участники четырёх кластеров; запись доступна в группе.</p>",
        registrations=16,
    ),
    DemoEvent(
        slug="polesie-aquaculture-working-meeting",
        title="Рабочая встреча участников кластера «Полесье» по аквакультуре",
        kind="working-meeting",
        month=3,
        day=19,
        initiative="polesie",
        intro="Портфель проектов на год: рыбоводные хозяйства, корма, переработка.",
        venue=POLESIE[0],
        address=POLESIE[1],
        audience=EventPage.Audience.MEMBERS,
        hours=2,
        plan_results="Портфель проектов, планируемых к реализации участниками кластера.",
        report="<p>В портфель включены 4 проекта; по каждому назначен ответственный.</p>",
    ),
    DemoEvent(
        slug="trademark-registration-seminar",
        title="Семинар «Регистрация товарных знаков для новых продуктов МСП»",
        kind="seminar",
        month=4,
        day=9,
        intro="Порядок регистрации, сроки, пошлины и софинансирование подготовки документов.",
        format=EventPage.Format.HYBRID,
        venue=MINSK[0],
        address=MINSK[1],
        plan_participants="ЦКиИР, СМСП — участники кластеров",
        plan_timing="январь – декабрь",
        plan_budget="58 тыс. руб.",
        plan_funding_source=REGIONAL,
        plan_results="Софинансирование работ по подготовке пакета документов для регистрации.",
        report="<p>Консультации получили 14 компаний, 5 подали заявки на товарный знак.</p>",
    ),
    DemoEvent(
        slug="novopolotsk-petrochemical-round-table",
        title="Панельная дискуссия «Нефтехимия и малый бизнес: цепочки поставок»",
        kind="round-table",
        month=4,
        day=23,
        initiative="novopolotsk-petrochemical",
        intro="Крупные предприятия кластера и МСП о локализации закупок.",
        venue=PSU[0],
        address=PSU[1],
        plan_results="Перечень позиций закупок, которые могут взять на себя МСП кластера.",
        report="<p>Составлен перечень из 23 позиций для локализации.</p>",
    ),
    DemoEvent(
        slug="gorki-green-economy-working-meeting",
        title="Рабочая встреча «Зелёная экономика Горецкого района»",
        kind="working-meeting",
        month=5,
        day=14,
        initiative="gorki",
        intro="Проекты по переработке отходов и энергосбережению: кто за что отвечает.",
        venue=TECHNOPARK[0],
        address=TECHNOPARK[1],
        audience=EventPage.Audience.MEMBERS,
        hours=2,
        plan_results="Количество инициированных проектов, база актуальных проблем участников.",
        report="<p>Инициированы два совместных проекта, проблемы внесены в базу кластера.</p>",
    ),
    DemoEvent(
        slug="belagro-exhibition",
        title="Выставка «Белагро»: коллективный стенд кластера",
        kind="exhibition",
        month=6,
        day=3,
        initiative="gorki",
        intro="Участники кластера показывают продукцию на коллективном стенде.",
        venue="МВЦ «Минск Экспо»",
        address="г. Минск, пр. Победителей, 14",
        hours=8,
        start="09:00",
        plan_participants="ЦКиИР, СМСП — участники кластеров",
        plan_budget="1 090 тыс. руб.",
        plan_funding_source=REGIONAL,
        plan_results="Софинансирование участия СМСП на крупных выставочных мероприятиях.",
        report="<p>На стенде работали 6 участников кластера; заключено 3 договора.</p>",
        report_participants=46,
    ),
    DemoEvent(
        slug="marketplaces-seminar",
        title="Семинар «Выход на маркетплейсы для МСП участников кластеров»",
        kind="seminar",
        month=6,
        day=18,
        intro="Карточки товаров, логистика, продвижение и софинансирование маркетинга.",
        format=EventPage.Format.ONLINE,
        start="14:00",
        hours=2,
        plan_participants="ЦКиИР, СМСП — участники кластеров",
        plan_budget="4 574 тыс. руб.",
        plan_funding_source=REGIONAL,
        plan_results="Софинансирование маркетинговых услуг и сопровождения выхода на маркетплейсы.",
        report="<p>Участники получили чек-лист выхода на маркетплейс.</p>",
    ),
    DemoEvent(
        slug="polotsk-composites-seminar",
        title="Семинар «Испытания и сертификация композитных изделий»",
        kind="seminar",
        month=7,
        day=9,
        initiative="polotsk-composites",
        intro="Какие испытания нужны изделию и как получить сертификат соответствия.",
        venue=PSU[0],
        address=PSU[1],
        plan_budget="387 тыс. руб.",
        plan_funding_source=REGIONAL,
        plan_results="Софинансирование получения сертификатов соответствия и деклараций.",
        report="<p>Лаборатория университета предложила участникам совместную программу.</p>",
    ),
    DemoEvent(
        slug="summer-strategy-session",
        title="Стратегическая сессия по программам развития кластеров",
        kind="internal-conference",
        month=8,
        day=20,
        intro="Публичное обсуждение проектов программ развития территориальных кластеров.",
        format=EventPage.Format.HYBRID,
        venue=MINSK[0],
        address=MINSK[1],
        hours=6,
        plan_budget="80 тыс. руб.",
        plan_funding_source=REGIONAL,
        plan_results="Разработка или актуализация стратегий и программ развития кластеров.",
        report="<p>Проекты программ двух кластеров доработаны по итогам сессии.</p>",
    ),
    DemoEvent(
        slug="polesie-business-mission",
        title="Бизнес-миссия участников кластера «Полесье» в Новосибирск",
        kind="business-mission",
        month=9,
        day=10,
        initiative="polesie",
        intro="Встречи с переработчиками и сетями, участие в отраслевом форуме.",
        time_zone="Asia/Novosibirsk",
        venue="Новосибирский экспоцентр",
        address="г. Новосибирск, ул. Станционная, 104",
        hours=8,
        start="09:30",
        audience=EventPage.Audience.MEMBERS,
        registrations=5,
        plan_participants="ЦКиИР, СМСП — участники кластеров",
        plan_budget="200 тыс. руб.",
        plan_funding_source=REGIONAL,
        plan_results="Софинансирование расходов на организацию бизнес-миссии.",
        report="<p>Проведено 18 переговоров, подписаны 2 соглашения о поставках.</p>",
    ),
    DemoEvent(
        slug="legal-support-seminar",
        title="Семинар «Правовое обеспечение деятельности субъектов МСП»",
        kind="seminar",
        month=9,
        day=24,
        intro="Договоры, интеллектуальная собственность, меры господдержки.",
        format=EventPage.Format.HYBRID,
        venue=MINSK[0],
        address=MINSK[1],
        plan_budget="46 тыс. руб.",
        plan_funding_source=REGIONAL,
        plan_results="Софинансирование юридических услуг предприятиям МСП — участникам кластеров.",
        report="<p>Юристы ответили на 30 вопросов участников.</p>",
    ),
    DemoEvent(
        slug="cluster-development-conference",
        title="Конференция «Кластерное развитие регионов Беларуси и России»",
        kind="external-conference",
        month=10,
        day=15,
        intro="Доклады руководителей кластеров, университетов и органов управления.",
        format=EventPage.Format.HYBRID,
        time_zone="Europe/Moscow",
        venue="Экспоцентр",
        address="г. Москва, Краснопресненская наб., 14",
        hours=7,
        start="09:30",
        registrations=14,
        plan_participants="ЦКиИР, участники кластеров, университеты",
        plan_results="Число внешних конференций и выступлений представителей кластеров.",
        report="<p>Представители кластеров выступили с 6 докладами.</p>",
        speakers=(
            ("Иванов Алексей", "Директор ООО «Технопарк Горки»"),
            ("Смирнова Елена", "Проректор по научной работе ПГУ"),
            ("Алексеева Татьяна", "Центр кластерного развития"),
        ),
        programme=(
            ("09:30–10:00", "Открытие конференции", "Алексеева Татьяна"),
            ("10:00–12:00", "Пленарная сессия: кластеры и регионы", "Иванов Алексей"),
            ("13:00–15:00", "Секция «Университеты в кластерах»", "Смирнова Елена"),
            ("15:00–16:30", "Панельная дискуссия и закрытие", ""),
        ),
    ),
    DemoEvent(
        slug="novopolotsk-working-meeting",
        title="Рабочая встреча участников нефтехимического кластера",
        kind="working-meeting",
        month=10,
        day=29,
        initiative="novopolotsk-petrochemical",
        intro="Выполнение портфеля проектов и новые проблемы для НИРС университета.",
        venue=PSU[0],
        address=PSU[1],
        audience=EventPage.Audience.MEMBERS,
        hours=2,
        plan_results="Процент выполнения портфеля проектов.",
        report="<p>Портфель выполнен на 64 %; университету переданы 5 тем для НИРС.</p>",
    ),
    DemoEvent(
        slug="export-round-table",
        title="Круглый стол «Экспорт продукции участников кластеров»",
        kind="round-table",
        month=11,
        day=12,
        intro="Сертификация, логистика и господдержка экспорта.",
        venue=MINSK[0],
        address=MINSK[1],
        cancelled=True,
        plan_budget="670 тыс. руб.",
        plan_funding_source=REGIONAL,
        plan_results="Софинансирование организации круглых столов для СМСП.",
        registrations=0,
    ),
    DemoEvent(
        slug="gorki-results-seminar",
        title="Семинар «Итоги сезона: испытания биопрепаратов»",
        kind="seminar",
        month=11,
        day=26,
        initiative="gorki",
        intro="Результаты испытаний в трёх хозяйствах района.",
        venue=BGSKHA[0],
        address=BGSKHA[1],
        plan_results="Количество членов инициативы, принявших участие в семинарах.",
        report="<p>Урожайность на опытных полях выше контрольных на 8–12 %.</p>",
    ),
    DemoEvent(
        slug="platform-year-end-conference",
        title="Итоговая конференция кластерной платформы",
        kind="internal-conference",
        month=12,
        day=17,
        intro="Итоги года на платформе: новые участники, проекты, мероприятия.",
        format=EventPage.Format.HYBRID,
        venue=MINSK[0],
        address=MINSK[1],
        hours=4,
        plan_timing="декабрь",
        plan_results="Подведение итогов года, оценка мероприятий участниками.",
    ),
    # Ahead of the seeding day whatever the date: registrations open, one of them full.
    DemoEvent(
        slug="gorki-grant-application-seminar",
        title="Семинар «Совместная заявка на грант: как подготовить»",
        kind="seminar",
        month=0,
        day=0,
        days_ahead=9,
        initiative="gorki",
        intro="Требования фондов, распределение ролей в консорциуме, бюджет проекта.",
        venue=BGSKHA[0],
        address=BGSKHA[1],
        capacity=6,
        full=True,
        registrations=6,
        plan_results="Подготовленные заявки участников на грантовые конкурсы.",
        speakers=(("Петровская Ольга", "Заведующая лабораторией биотехнологий БГСХА"),),
        programme=(
            ("10:00–10:45", "Обзор грантовых программ", "Петровская Ольга"),
            ("10:45–12:00", "Практикум: структура заявки", ""),
            ("12:00–13:00", "Разбор заявок участников", ""),
        ),
    ),
    DemoEvent(
        slug="polotsk-composites-open-day",
        title="День открытых дверей лаборатории композитов",
        kind="working-meeting",
        month=0,
        day=0,
        days_ahead=16,
        initiative="polotsk-composites",
        intro="Экскурсия по лаборатории и обсуждение совместных испытаний.",
        venue=PSU[0],
        address=PSU[1],
        hours=2,
        registrations=4,
        plan_results="Договорённости о совместных испытаниях.",
    ),
    DemoEvent(
        slug="digital-accounting-webinar",
        title="Вебинар «Цифровизация учёта на малом производстве»",
        kind="seminar",
        month=0,
        day=0,
        days_ahead=23,
        intro="CRM, учётные системы и автоматизация процессов для МСП.",
        format=EventPage.Format.ONLINE,
        start="15:00",
        hours=1.5,
        audience=EventPage.Audience.REGISTERED,
        registrations=7,
        plan_results="Участники выбирают решения для автоматизации учёта.",
    ),
    DemoEvent(
        slug="polesie-fair",
        title="Ярмарка продукции участников кластера «Полесье»",
        kind="exhibition",
        month=0,
        day=0,
        days_ahead=38,
        initiative="polesie",
        intro="Продукция рыбоводных хозяйств и переработчиков региона.",
        venue="Выставочный зал ПолесГУ",
        address=POLESIE[1],
        hours=6,
        start="09:00",
        registrations=3,
        plan_results="Количество участников кластера, принявших участие в ярмарке.",
    ),
]


# --- helpers -------------------------------------------------------------------------------


def _kind(ctx: DemoContext, slug: str, name: str, order: int) -> EventKind:
    # By slug, then by name (both unique), so an editor's renamed or re-slugged kind stays.
    found = (
        EventKind.objects.filter(slug=slug).first() or EventKind.objects.filter(name=name).first()
    )
    if found is None:
        found = EventKind.objects.create(slug=slug, name=name, sort_order=order)
        ctx.count("event kinds", True)
    return found


def _starts(spec: DemoEvent, *, year: int, today: datetime.date) -> datetime.datetime:
    hour, minute = (int(part) for part in spec.start.split(":"))
    if spec.days_ahead is not None:
        day = today + datetime.timedelta(days=spec.days_ahead)
    else:
        day = datetime.date(year, spec.month, spec.day)
    return datetime.datetime(
        day.year, day.month, day.day, hour, minute, tzinfo=ZoneInfo(spec.time_zone)
    )


def _body(spec: DemoEvent) -> list[dict]:
    return [{"type": "paragraph", "value": f"<p>{spec.intro}</p>"}]


def _programme(spec: DemoEvent) -> list[dict]:
    return [
        {
            "type": "item",
            "value": {"time": time, "title": title, "speakers": speakers, "description": ""},
        }
        for time, title, speakers in spec.programme
    ]


def _event_page(spec: DemoEvent, *, starts, kinds, initiatives) -> EventPage:
    online = spec.format != EventPage.Format.OFFLINE
    page = EventPage(
        title=spec.title,
        slug=spec.slug,
        intro=spec.intro,
        initiative=initiatives.get(spec.initiative) if spec.initiative else None,
        kind=kinds[spec.kind],
        format=spec.format,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=spec.hours),
        time_zone=spec.time_zone,
        venue=spec.venue if spec.format != EventPage.Format.ONLINE else "",
        address=spec.address if spec.format != EventPage.Format.ONLINE else "",
        online_url=f"https://meet.example.org/{spec.slug}" if online else "",
        organisers=spec.organisers,
        body=_body(spec),
        programme=_programme(spec),
        audience=spec.audience,
        capacity=spec.capacity,
        cancelled=spec.cancelled,
        plan_participants=spec.plan_participants,
        plan_timing=spec.plan_timing,
        plan_budget=spec.plan_budget,
        plan_funding_source=spec.plan_funding_source,
        plan_results=spec.plan_results,
        report=spec.report,
        report_participants=spec.report_participants,
    )
    for order, (name, position) in enumerate(spec.speakers):
        page.speakers.add(EventSpeaker(sort_order=order, name=name, position=position))
    return page


def _generated(n: int, *, year: int, kinds: list[EventKind], initiatives: list) -> EventPage:
    """A plain event for ``--scale`` benchmarks: spread over the year, no registrations."""
    kind = kinds[n % len(kinds)]
    day = datetime.date(year, 1, 1) + datetime.timedelta(days=(n * 7) % 365)
    starts = datetime.datetime(
        day.year, day.month, day.day, 10, 0, tzinfo=ZoneInfo(DEFAULT_TIME_ZONE)
    )
    return EventPage(
        title=f"{kind.name} №{n + 1}",
        slug=f"generated-{year}-{n + 1}",
        intro="Мероприятие для нагрузочных испытаний платформы.",
        initiative=initiatives[n % len(initiatives)] if initiatives and n % 3 else None,
        kind=kind,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
        venue=MINSK[0],
        address=MINSK[1],
        plan_participants=PARTICIPANTS,
    )


# --- the seeder ----------------------------------------------------------------------------

EVENTS_PER_SCALE = 30


def seed(ctx: DemoContext) -> None:
    home = ctx.objects["home_page"]
    index = ctx.ensure_page(
        home, EventIndexPage(title="Мероприятия", slug="events", intro=INDEX_INTRO)
    )
    ctx.objects["event_index"] = index
    kinds = {slug: _kind(ctx, slug, name, order) for order, (slug, name) in enumerate(KINDS, 1)}
    initiatives = ctx.objects.get("initiatives", {})
    today = timezone.localdate(timezone.now(), ZoneInfo(DEFAULT_TIME_ZONE))
    existing = set(index.get_children().values_list("slug", flat=True))
    made = []
    for spec in EVENTS:
        if spec.slug in existing:
            continue
        page = _event_page(
            spec,
            starts=_starts(spec, year=today.year, today=today),
            kinds=kinds,
            initiatives=initiatives,
        )
        ctx.ensure_page(index, page)
        ctx.count("events", True)
        made.append(spec.slug)
    if ctx.scale > 1:
        target = EVENTS_PER_SCALE * ctx.scale - len(EVENTS)
        kind_list, initiative_list = list(kinds.values()), list(initiatives.values())
        for n in range(target):
            page = _generated(n, year=today.year, kinds=kind_list, initiatives=initiative_list)
            if page.slug in existing:
                continue
            # Published without a revision each: thousands of them for a benchmark.
            page.live = True
            page.first_published_at = page.last_published_at = timezone.now()
            index.add_child(instance=page)
            ctx.count("events", True)
    ctx.objects["seeded_events"] = made
    ctx.later(seed_registrations)


def seed_registrations(ctx: DemoContext) -> None:
    """Registrations, attendance and ratings of the hand-written events that have none yet,
    by the demo members of each event's initiative (anyone's for platform events) and a few
    guests; run after the members seeder made the people."""
    index = ctx.objects.get("event_index")
    if index is None:
        return
    people = _Members()
    now = timezone.now()
    events = {
        event.slug: event
        for event in EventPage.objects.child_of(index).filter(slug__in=[s.slug for s in EVENTS])
    }
    with_registrations = set(
        Registration.objects.filter(event__in=events.values()).values_list("event_id", flat=True)
    )
    for number, spec in enumerate(EVENTS):
        event = events.get(spec.slug)
        if event is None or event.pk in with_registrations or spec.registrations == 0:
            continue
        people_here = people.for_initiative(event.initiative_id)
        if not people_here:
            continue
        _register(ctx, event, spec, people_here, number=number, now=now)
    if ctx.volumes is not None:
        ctx.bulk(seed_large_events)


@dataclass
class _Members:
    """The demo people by initiative (through the members app's hook), asked once each."""

    by_initiative: dict[int | None, list] = field(default_factory=dict)

    def __post_init__(self):
        users = (
            get_user_model()
            .objects.filter(is_active=True, is_superuser=False, email__endswith="@example.com")
            .order_by("pk")
        )
        everyone = []
        for user in users:
            initiative_ids = member_initiative_ids(user)
            if not initiative_ids:
                continue
            everyone.append(user)
            for pk in initiative_ids:
                self.by_initiative.setdefault(pk, []).append(user)
        self.by_initiative[None] = everyone

    def for_initiative(self, initiative_id: int | None) -> list:
        return self.by_initiative.get(initiative_id, [])


def _register(ctx: DemoContext, event: EventPage, spec: DemoEvent, users, *, number, now):
    ended = event.has_ended(now)
    # Each event starts at a different member so the lists differ between events.
    offset = number * 3
    registered_at = min(event.starts_at - datetime.timedelta(days=10), now)
    # Only who was a member when registering (everyone, if nobody was).
    users = ctx.members_by(users, registered_at, event.initiative_id)
    chosen = [users[(offset + i) % len(users)] for i in range(min(spec.registrations, len(users)))]
    rows = []
    for i, user in enumerate(chosen):
        details = registrant_details(user)
        rows.append(
            Registration(
                event=event,
                user=user,
                name=details["name"],
                email=user.email,
                organisation=details.get("organisation", ""),
                status=Registration.Status.CONFIRMED,
                created_at=registered_at + datetime.timedelta(hours=i),
                queued_at=registered_at + datetime.timedelta(hours=i),
                confirmed_at=registered_at + datetime.timedelta(hours=i),
                # Past events: most came, every fifth did not; ahead: not marked yet.
                attended=(i % 5 != 4) if ended else None,
            )
        )
    if spec.audience == EventPage.Audience.EVERYONE and not spec.full:
        for i, (name, email, organisation) in enumerate(GUESTS[: 1 + number % len(GUESTS)]):
            rows.append(
                Registration(
                    event=event,
                    name=name,
                    email=email,
                    organisation=organisation,
                    status=Registration.Status.CONFIRMED,
                    created_at=registered_at + datetime.timedelta(days=1, hours=i),
                    queued_at=registered_at + datetime.timedelta(days=1, hours=i),
                    confirmed_at=registered_at + datetime.timedelta(days=1, hours=i),
                    attended=True if ended else None,
                )
            )
    if spec.full:
        # The seats are taken; three more people (guests) wait for one.
        for i, (name, email, organisation) in enumerate(GUESTS[:3]):
            rows.append(
                Registration(
                    event=event,
                    name=name,
                    email=email,
                    organisation=organisation,
                    status=Registration.Status.WAITLISTED,
                    created_at=registered_at + datetime.timedelta(days=2, hours=i),
                    queued_at=registered_at + datetime.timedelta(days=2, hours=i),
                )
            )
    created = Registration.objects.bulk_create(rows)
    for _ in created:
        ctx.count("event registrations", True)
    if not ended or event.cancelled:
        return
    ratings = []
    for i, registration in enumerate(r for r in created if r.attended):
        if i % 4 == 3:
            continue  # not everyone rates
        ratings.append(
            Feedback(
                registration=registration,
                event=event,
                rating=(5, 4, 5, 3, 4)[(number + i) % 5],
                comment=COMMENTS[(number + i) % len(COMMENTS)],
                created_at=event.ends_at + datetime.timedelta(hours=2 + i),
            )
        )
    for _ in Feedback.objects.bulk_create(ratings):
        ctx.count("event ratings", True)


# --- --scale large ------------------------------------------------------------------------------

LARGE_TITLES = {
    "seminar": "Семинар «{topic}»",
    "round-table": "Круглый стол «{topic}»",
    "working-meeting": "Рабочая встреча: {topic}",
    "internal-conference": "Конференция участников кластера: {topic}",
    "external-conference": "Внешняя конференция «{topic}»",
    "exhibition": "Выставка «{topic}»",
    "business-mission": "Бизнес-миссия: {topic}",
}
LARGE_TOPICS = (
    "экспорт продукции",
    "цифровизация производства",
    "сертификация изделий",
    "зелёная экономика",
    "подготовка кадров",
    "гранты и софинансирование",
    "испытания и лаборатории",
    "логистика и закупки",
)
RATINGS = (5, 5, 4, 5, 4, 3, 4, 5, 2, 4)


def seed_large_events(ctx: DemoContext) -> None:
    """``ctx.volumes.events`` events from ``months`` ago to two months ahead (the
    initiatives' and the platform's, every kind, a few cancelled), each with registrations
    of generated members who were members by then, attendance for those over and ratings
    from about half of who came. Pages are inserted in bulk into the tree
    (:func:`core.demo.pages_bulk_add`: ``add_child`` per page took minutes for thousands),
    live, without revisions and outside the search index, with the page permissions the
    ``post_save`` receiver would give their initiative's admins; registrations and ratings
    in bulk. Made once."""
    roster = ctx.objects.get("large_roster")
    index = ctx.objects.get("event_index")
    if roster is None or not roster.members or index is None:
        return
    if EventPage.objects.child_of(index).filter(slug__startswith="load-").exists():
        return
    volumes = ctx.volumes
    rng = random.Random(5017)
    now = ctx.now
    kinds = {kind.slug: kind for kind in EventKind.objects.all()}
    kind_list = [kinds[slug] for slug, _name in KINDS if slug in kinds] or list(kinds.values())
    initiatives = list(ctx.objects.get("initiatives", {}).values())
    zone = ZoneInfo(DEFAULT_TIME_ZONE)
    first_day = timezone.localdate(now, zone) - datetime.timedelta(days=volumes.days)
    span = volumes.days + 60
    pages = []
    for n in range(volumes.events):
        kind = kind_list[n % len(kind_list)]
        # The golden ratio's multiples spread any number of events evenly over the span.
        day = first_day + datetime.timedelta(days=int(span * ((n * 0.6180339887) % 1)))
        starts = datetime.datetime(
            day.year, day.month, day.day, 9 + n % 7, 0 if n % 2 else 30, tzinfo=zone
        )
        initiative = initiatives[n % len(initiatives)] if initiatives and n % 4 else None
        online = (EventPage.Format.OFFLINE, EventPage.Format.ONLINE, EventPage.Format.HYBRID)[n % 3]
        page = EventPage(
            title=LARGE_TITLES.get(kind.slug, "{topic}").format(
                topic=LARGE_TOPICS[n % len(LARGE_TOPICS)]
            )
            + f" ({day:%d.%m.%Y})",
            slug=f"load-{n + 1}",
            intro="Мероприятие для нагрузочных испытаний индикаторов.",
            initiative=initiative,
            kind=kind,
            format=online,
            starts_at=starts,
            ends_at=starts + datetime.timedelta(hours=2 + n % 3),
            venue=MINSK[0] if online != EventPage.Format.ONLINE else "",
            address=MINSK[1] if online != EventPage.Format.ONLINE else "",
            online_url=f"https://meet.example.org/load-{n + 1}"
            if online != EventPage.Format.OFFLINE
            else "",
            organisers="ЦКиИР",
            audience=(
                EventPage.Audience.MEMBERS
                if initiative is not None and n % 5 == 1
                else EventPage.Audience.EVERYONE
            ),
            cancelled=n % 29 == 7,
            in_plan=n % 9 != 4,
            plan_participants=PARTICIPANTS,
            plan_results="Участники кластера обменялись опытом и договорились о проектах.",
        )
        page.live = True
        page.first_published_at = page.last_published_at = starts - datetime.timedelta(days=30)
        pages.append(page)
    pages_bulk_add(index, pages)
    _large_permissions(pages)
    ctx.add("events", len(pages))

    made_registrations = made_ratings = 0
    by_pk = {page.pk: page for page in pages}
    rows: list[Registration] = []
    for number, page in enumerate(pages):
        registered_at = page.starts_at - datetime.timedelta(days=rng.uniform(1, 20))
        key = page.initiative_id
        pool = roster.pool(key)
        eligible = pool.rows[: bisect.bisect_right(pool.times, registered_at)]
        if not eligible:
            continue
        wanted = rng.randint(volumes.registrations_per_event // 5, volumes.registrations_per_event)
        people = {row[0] for row in rng.sample(eligible, min(wanted, len(eligible)))}
        ended = page.has_ended(now)
        for i, user_id in enumerate(sorted(people)):
            person = roster.people[user_id]
            at = min(registered_at + datetime.timedelta(minutes=37 * i), now)
            registration = Registration(
                event_id=page.pk,
                user_id=user_id,
                name=person.name,
                email=person.email,
                organisation=person.organisation,
                status=Registration.Status.CONFIRMED,
                created_at=at,
                queued_at=at,
                confirmed_at=at,
                attended=(rng.random() < 0.78) if ended and not page.cancelled else None,
            )
            if page.cancelled:
                registration.status = Registration.Status.CANCELLED
                registration.cancelled_at = min(page.starts_at - datetime.timedelta(days=1), now)
            rows.append(registration)
        if len(rows) >= BATCH_SIZE or number == len(pages) - 1:
            made_registrations += len(rows)
            made_ratings += _large_rows_save(rows, rng, by_pk)
            rows = []
    ctx.add("event registrations", made_registrations)
    ctx.add("event ratings", made_ratings)


def _large_permissions(pages: list[EventPage]) -> None:
    """What ``page_permissions.event_permissions_sync`` gives each saved event, for events
    inserted without ``save``: their initiative's admin group may edit and publish them."""
    from django.contrib.auth.models import Permission
    from wagtail.models import GroupPagePermission

    from initiatives.models import InitiativePage

    from .page_permissions import EVENT_PERMISSIONS

    initiative_ids = {page.initiative_id for page in pages if page.initiative_id}
    groups = dict(
        InitiativePage.objects.filter(pk__in=initiative_ids, admin_group__isnull=False).values_list(
            "pk", "admin_group_id"
        )
    )
    permissions = list(
        Permission.objects.filter(
            content_type__app_label="wagtailcore", codename__in=EVENT_PERMISSIONS
        )
    )
    GroupPagePermission.objects.bulk_create(
        [
            GroupPagePermission(
                group_id=groups[page.initiative_id], page_id=page.pk, permission=permission
            )
            for page in pages
            if page.initiative_id in groups
            for permission in permissions
        ],
        batch_size=BATCH_SIZE,
    )


def _large_rows_save(rows: list[Registration], rng, pages: dict) -> int:
    """Save a batch of registrations, then the ratings of about half of who came."""
    Registration.objects.bulk_create(rows, batch_size=BATCH_SIZE)
    ratings = []
    for registration in rows:
        if not registration.attended or rng.random() >= 0.55:
            continue
        event = pages[registration.event_id]
        ratings.append(
            Feedback(
                registration_id=registration.pk,
                event_id=registration.event_id,
                rating=RATINGS[rng.randrange(len(RATINGS))],
                comment=COMMENTS[rng.randrange(len(COMMENTS))],
                created_at=min(
                    event.ends_at + datetime.timedelta(hours=rng.uniform(1, 72)), timezone.now()
                ),
            )
        )
    Feedback.objects.bulk_create(ratings, batch_size=BATCH_SIZE)
    return len(ratings)
