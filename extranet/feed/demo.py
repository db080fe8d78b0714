"""Demo posts for each initiative's common group: announcements, event reports, news, proposals
and documents by the initiative's members and admins, dated over the past months, with
comments and a few attached files made on the fly (extranet.feed.samples).

The Gorki feed opens with the technopark posts of the seed 000 mock-up («Гуляев Юрий»,
«Семенов Ждан» with «Document_park.docx»); where the members demo has no person of that name,
another member of the initiative writes the post. Posts, comments and files go through
extranet.feed.services and the files through upload_check, so demo data passes the same
checks as members' own. Idempotent: a post is found by its text within its initiative and
made only when missing (with its comments and files). ``--scale N`` (N > 1) adds simpler
generated posts (bulk-created, no files) up to N × 20 per initiative: 1,000 at ``--scale 50``.
A post or comment goes to someone who was a member on its date (the members seeder's
``member_since``), when there is one.

``--scale large`` adds ``ctx.volumes.posts`` posts over the generated members' time as members
(:func:`seed_large_posts`), a third of them with comments.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from core.demo import BATCH_SIZE, LARGE_EMAIL_DOMAIN, DemoContext, growing_moment
from core.text import clean_text
from core.uploads import upload_check
from extranet.members.models import Membership
from initiatives.features import Service, service_enabled

from . import samples, services
from .models import Attachment, Comment, Post

ANNOUNCEMENT = Post.Kind.ANNOUNCEMENT
REPORT = Post.Kind.EVENT_REPORT
NEWS = Post.Kind.NEWS
PROPOSAL = Post.Kind.PROPOSAL
DOCUMENT = Post.Kind.DOCUMENT

ADMIN = "admin"


@dataclass(frozen=True)
class DemoFile:
    name: str
    make: Callable[[], bytes]


@dataclass(frozen=True)
class DemoPost:
    kind: str
    text: str
    days_ago: float
    # ADMIN, a (first name, last name) of the mock-ups, or None: the next member in turn.
    author: str | tuple[str, str] | None = None
    pinned: bool = False
    files: tuple[DemoFile, ...] = ()
    comments: tuple[str, ...] = ()


# --- Files ---------------------------------------------------------------------------------------


def _document_park() -> bytes:
    return samples.docx_bytes(
        "ООО «Технопарк «Горки»: миссия, резиденты, льготы",
        [
            "Технопарк «Горки» основан в 2017 году на базе Белорусской государственной "
            "сельскохозяйственной академии как субъект инновационной инфраструктуры — "
            "научно-технологический парк.",
            "Миссия технопарка – создание условий для развития наукоемких организаций "
            "(резидентов) и оказание помощи в осуществлении ими инновационной деятельности "
            "от разработки нововведения до его освоения и коммерциализации.",
            "Льготы резидентов:\n"
            "— освобождение от налога на землю и налога на недвижимость;\n"
            "— налог на прибыль по ставке 10 % вместо 18 % при общей системе "
            "налогообложения;\n"
            "— консультации по защите интеллектуальной собственности и поиску инвесторов.",
            "Как стать резидентом: подать заявку в технопарк, приложить бизнес-план "
            "инновационного проекта и пройти рассмотрение на экспертном совете.",
            "Сайт технопарка: http://technoparkgorki.by/",
        ],
    )


def _plan_2026() -> bytes:
    return samples.xlsx_bytes(
        [
            ["№", "Мероприятие", "Срок", "Ответственный"],
            [1, "Заседание рабочей группы кластера", "март", "Технопарк «Горки»"],
            [2, "Семинар «Биотехнологии в растениеводстве»", "апрель", "БГСХА"],
            [3, "День открытых дверей для будущих резидентов", "май", "Технопарк «Горки»"],
            [4, "Общий стенд кластера на выставке «Белагро»", "июнь", "ООО «БиоАгроТех»"],
            [5, "Круглый стол «Зелёная экономика района»", "сентябрь", "Горецкий райисполком"],
            [6, "Отчётное собрание участников кластера", "декабрь", "Администратор кластера"],
        ],
        sheet="План 2026",
        title="План мероприятий кластера на 2026 год",
    )


def _seminar_report() -> bytes:
    return samples.pdf_bytes(
        [
            "Семинар «Биотехнологии в растениеводстве: от лаборатории до поля»",
            "Место: УО «Белорусская государственная сельскохозяйственная академия», г. Горки.",
            "Участники: 34 человека из 11 организаций кластера.",
            "",
            "Обсуждали:",
            "1. Микроклональное размножение оздоровленного семенного картофеля.",
            "2. Биопрепараты для защиты растений: опыт хозяйств Горецкого района.",
            "3. Совместная заявка на грант для опытного участка.",
            "",
            "Решения: создать рабочую группу по заявке, следующий семинар провести осенью.",
        ],
        title="Отчёт о семинаре",
    )


def _monitoring_form() -> bytes:
    return samples.xlsx_bytes(
        [
            ["Показатель", "Единица измерения", "Значение за квартал"],
            ["Выручка от реализации продукции", "тыс. руб.", ""],
            ["Численность работников", "чел.", ""],
            ["Объём инновационной продукции", "тыс. руб.", ""],
            ["Экспорт", "тыс. долл. США", ""],
            ["Совместные проекты с участниками кластера", "шт.", ""],
        ],
        sheet="Мониторинг",
        title="Форма мониторинга показателей кластера",
    )


def _cooperation_agreement() -> bytes:
    return samples.odt_bytes(
        "Соглашение о сотрудничестве участников кластера (шаблон)",
        [
            "Стороны, именуемые далее «Участники», договорились о сотрудничестве в рамках "
            "кластерной инициативы в целях реализации совместных проектов.",
            "1. Предмет соглашения: совместная разработка и продвижение продукции, обмен "
            "информацией, совместное использование оборудования.",
            "2. Соглашение не создаёт юридического лица и не ограничивает самостоятельность "
            "Участников.",
            "3. Конфиденциальная информация, полученная в рамках соглашения, не передаётся "
            "третьим лицам без согласия Участника, её предоставившего.",
            "4. Соглашение вступает в силу со дня подписания и действует три года.",
        ],
    )


def _round_table_programme() -> bytes:
    return samples.pdf_bytes(
        [
            "10:00 Открытие. Полоцкий государственный университет.",
            "10:15 Композиты в строительстве: арматура и профили из стеклопластика.",
            "11:00 Сырьё нефтехимических предприятий региона для полимерных композитов.",
            "11:45 Испытания и сертификация изделий: возможности лаборатории ПГУ.",
            "12:30 Обсуждение портфеля совместных проектов.",
            "13:30 Подведение итогов.",
        ],
        title="Программа круглого стола",
    )


def _participants_register() -> bytes:
    return samples.xlsx_bytes(
        [
            ["Организация", "Направление", "Контактное лицо"],
            ["Полоцкий государственный университет", "исследования, испытания", "Токар И."],
            ["ООО «КомпозитСтрой»", "строительные изделия", "Иванов И."],
            ["ОАО «Стеклопластик»", "стеклопластиковые профили", "—"],
        ],
        sheet="Участники",
        title="Реестр участников инициативы",
    )


def _meeting_minutes() -> bytes:
    return samples.docx_bytes(
        "Протокол рабочей встречи участников кластера «Полесье»",
        [
            "Присутствовали: представители Полесского государственного университета, "
            "ОАО «Пинский рыбхоз», Института экспериментальной ботаники НАН Беларуси.",
            "Слушали: о ходе проекта по кормам для аквакультуры на основе местного сырья.",
            "Решили: 1) провести испытания опытной партии кормов в прудах рыбхоза; "
            "2) подготовить совместную публикацию по результатам; 3) следующую встречу "
            "провести после испытаний.",
        ],
    )


def _joint_projects() -> bytes:
    return samples.xlsx_bytes(
        [
            ["Проект", "Участники", "Стадия", "Бюджет, тыс. руб."],
            ["Модифицирующие добавки для битумов", "ОАО «Нафтан», ПГУ", "опытная партия", 420],
            ["Мониторинг выбросов в реальном времени", "ООО «НефтеХимСервис», ПГУ", "идея", 150],
            ["Переработка отработанных катализаторов", "ОАО «Нафтан»", "ТЭО", 780],
            ["Подготовка кадров для нефтехимии", "ПГУ, горисполком", "реализуется", 95],
        ],
        sheet="Проекты",
        title="Перечень совместных проектов ИП ННК",
    )


# --- Posts every group has (about the cluster «{short}») -----------------------------------------


def _common_posts(short: str) -> list[DemoPost]:
    return [
        DemoPost(
            NEWS,
            "Государственный комитет по науке и технологиям объявил конкурс инновационных "
            f"проектов. Участники кластера «{short}» могут подать совместную заявку: поможем "
            "с оформлением и найдём партнёров внутри кластера. Пишите в комментариях, если "
            "у вас есть идея проекта.",
            75,
            comments=("У нас есть идея по переработке отходов производства, напишу в личку.",),
        ),
        DemoPost(
            PROPOSAL,
            "Коллеги, предлагаю раз в квартал проводить короткие онлайн-встречи участников: "
            "30 минут, каждый рассказывает о новостях и запросах своей организации. Кому "
            "удобно — отметьтесь в комментариях.",
            90,
            comments=("Удобно, лучше во второй половине дня.", "Поддерживаю.", "За!"),
        ),
        DemoPost(
            REPORT,
            "Прошла рабочая встреча с представителями местной власти по вопросам поддержки "
            "кластера. Договорились подготовить дорожную карту на два года; проект разошлём "
            "участникам для замечаний.",
            105,
        ),
        DemoPost(
            ANNOUNCEMENT,
            "Напоминаем: до 25 числа нужно направить администратору сведения для "
            "ежеквартального мониторинга показателей кластера — выручка, численность "
            "работников, объём инновационной продукции. Форма — во вложении.",
            120,
            author=ADMIN,
            files=(DemoFile("Форма мониторинга.xlsx", _monitoring_form),),
            comments=("Отправили.", "Можно ли сдать данные за квартал до 28-го?"),
        ),
        DemoPost(
            NEWS,
            "Опубликован обзор мер государственной поддержки кластеров на этот год: льготные "
            "кредиты, компенсация части затрат на сертификацию, гранты на НИОКР. Главное "
            "условие — совместный проект не менее трёх участников.",
            140,
        ),
        DemoPost(
            DOCUMENT,
            "Делюсь шаблоном соглашения о сотрудничестве участников кластера — можно взять "
            "за основу для совместных проектов.",
            160,
            files=(DemoFile("Соглашение о сотрудничестве.odt", _cooperation_agreement),),
            comments=("Спасибо, очень кстати.",),
        ),
    ]


# --- Each initiative's own posts -----------------------------------------------------------------

GORKI = [
    DemoPost(
        ANNOUNCEMENT,
        "Уважаемые участники кластера! В четверг в 10:00 в технопарке «Горки» состоится "
        "заседание рабочей группы. Повестка:\n"
        "1) итоги работы за прошлый год;\n"
        "2) план мероприятий на 2026 год (во вложении);\n"
        "3) подготовка совместной заявки на грант.\n"
        "Просим подтвердить участие в комментариях.",
        2,
        author=ADMIN,
        pinned=True,
        files=(DemoFile("План мероприятий 2026.xlsx", _plan_2026),),
        comments=(
            "Буду.",
            "Подтверждаю участие от ООО «БиоАгроТех», нас будет двое.",
            "Прошу добавить в повестку вопрос о центре коллективного пользования.",
        ),
    ),
    DemoPost(
        NEWS,
        "Первым шагом в формировании инновационно-промышленного кластера в области аграрных "
        "биотехнологий и «зеленой» экономики является создание ООО «Технопарк «Горки» как "
        "субъекта инновационной инфраструктуры — научно-технологический парк. Он основан в "
        "2017 году на базе крупнейшего аграрного многопрофильного вуза стран СНГ и Европы — "
        "Белорусской государственной сельскохозяйственной академии.",
        3,
        author=("Юрий", "Гуляев"),
        comments=(
            "Спасибо, Юрий! Добавлю, что резидентов у технопарка уже шесть.",
            "Хорошо бы разместить эту справку и на сайте кластера.",
        ),
    ),
    DemoPost(
        DOCUMENT,
        "Миссия технопарка – создание условий для развития наукоемких организаций "
        "(резидентов) и оказание помощи в осуществлении ими инновационной деятельности от "
        "разработки нововведения до его освоения и коммерциализации. В технопарке имеется "
        "ряд преференций и льгот: освобождение от налогов на землю и недвижимость, снижение "
        "налоговой ставки при общей системе налогообложения с 18 до 10% и другие льготы.",
        8,
        author=("Ждан", "Семенов"),
        files=(DemoFile("Document_park.docx", _document_park),),
        comments=(
            "Документ полезный, передам нашему юристу.",
            "А есть требования к резидентам по доле инновационной продукции?",
        ),
    ),
    DemoPost(
        REPORT,
        "Состоялся семинар «Биотехнологии в растениеводстве: от лаборатории до поля». "
        "Учёные БГСХА и специалисты хозяйств района обсудили микроклональное размножение "
        "картофеля и биопрепараты для защиты растений. Участвовали 34 человека из 11 "
        "организаций. Отчёт — во вложении.",
        20,
        files=(DemoFile("Отчёт о семинаре.pdf", _seminar_report),),
        comments=("Спасибо за организацию! Когда следующий?",),
    ),
    DemoPost(
        PROPOSAL,
        "Предлагаю создать на базе технопарка центр коллективного пользования "
        "оборудованием: у академии есть ПЦР-амплификатор и климатические камеры, у "
        "резидентов — потребность в испытаниях. Если идея интересна, соберу перечень "
        "оборудования и условия доступа.",
        30,
        comments=(
            "Поддерживаю. Нам климатические камеры нужны к весеннему сезону.",
            "Нужно продумать порядок оплаты — через договор с технопарком?",
        ),
    ),
    DemoPost(
        NEWS,
        "ООО «БиоАгроТех» получило статус резидента технопарка «Горки». Компания "
        "разрабатывает биоудобрения на основе местного сырья и планирует запустить опытное "
        "производство до конца года.",
        45,
    ),
    DemoPost(
        ANNOUNCEMENT,
        "Открыт приём заявок на общий стенд кластера на выставке «Белагро». Участники могут "
        "бесплатно разместить продукцию и материалы. Заявки — администратору кластера до "
        "конца месяца.",
        60,
        author=ADMIN,
        comments=("Заявку от академии отправили.",),
    ),
]

POLOTSK = [
    DemoPost(
        ANNOUNCEMENT,
        "Коллеги, в следующую среду в Полоцком государственном университете пройдёт круглый "
        "стол «Композиты в строительстве и ЖКХ». Программа — во вложении. Приглашаем "
        "выступить с короткими сообщениями о ваших изделиях и потребностях.",
        4,
        author=ADMIN,
        pinned=True,
        files=(DemoFile("Программа круглого стола.pdf", _round_table_programme),),
        comments=("Выступим с докладом о стеклопластиковой арматуре.", "Будем вдвоём."),
    ),
    DemoPost(
        DOCUMENT,
        "Обновили реестр участников инициативной группы. Проверьте, пожалуйста, данные "
        "своей организации и напишите, если нужно что-то поправить.",
        12,
        author=ADMIN,
        files=(DemoFile("Реестр участников.xlsx", _participants_register),),
    ),
    DemoPost(
        PROPOSAL,
        "Предлагаю собрать общую базу проблем, с которыми сталкиваются потребители "
        "композитных изделий: коррозия, вес конструкций, сроки монтажа. Это поможет "
        "сформировать портфель проектов под реальный спрос.",
        25,
        comments=("Добавлю от нас: нестабильное качество сырья.",),
    ),
    DemoPost(
        REPORT,
        "Провели испытания опытной партии композитной арматуры в лаборатории университета: "
        "прочность на растяжение выше нормативной на 12 %. Следующий шаг — испытания на "
        "объекте.",
        40,
        comments=("Отличный результат!", "Готовы предоставить объект для испытаний."),
    ),
    DemoPost(
        NEWS,
        "ОАО «Стеклопластик» присоединилось к инициативной группе композитного кластера. "
        "Добро пожаловать!",
        55,
    ),
]

POLESIE = [
    DemoPost(
        ANNOUNCEMENT,
        "Уважаемые участники! Приглашаем на семинар «Биотехнологии в аквакультуре» в "
        "Полесском государственном университете. Начало в 11:00, регистрация участников — "
        "в комментариях.",
        5,
        author=ADMIN,
        pinned=True,
        comments=("Зарегистрируйте, пожалуйста, двоих от рыбхоза.", "Буду."),
    ),
    DemoPost(
        DOCUMENT,
        "Протокол последней рабочей встречи по проекту кормов для аквакультуры — во вложении.",
        14,
        files=(DemoFile("Протокол рабочей встречи.docx", _meeting_minutes),),
    ),
    DemoPost(
        REPORT,
        "В прудах ОАО «Пинский рыбхоз» завершились испытания опытной партии кормов, "
        "разработанных в университете. Прирост массы рыбы — на уровне импортных аналогов "
        "при меньшей стоимости.",
        35,
        comments=("Когда можно будет заказать партию?",),
    ),
    DemoPost(
        PROPOSAL,
        "Предлагаю подать совместную заявку на проект по переработке отходов рыбного "
        "производства в удобрения. Нужны партнёры с опытом сертификации.",
        50,
        comments=("Институт экспериментальной ботаники готов участвовать.",),
    ),
    DemoPost(
        NEWS,
        "Студенты университета прошли летнюю практику на предприятиях кластера; шестеро "
        "получили приглашения на работу.",
        70,
    ),
]

NOVOPOLOTSK = [
    DemoPost(
        ANNOUNCEMENT,
        "Коллеги, напоминаем о круглом столе по портфелю совместных проектов. Актуальный "
        "перечень проектов — во вложении; предложения по новым проектам принимаем до "
        "пятницы.",
        3,
        author=ADMIN,
        pinned=True,
        files=(DemoFile("Перечень совместных проектов.xlsx", _joint_projects),),
        comments=("Добавьте, пожалуйста, наш проект по мониторингу выбросов.",),
    ),
    DemoPost(
        REPORT,
        "Участники ИП ННК представили кластер на Белорусском промышленном форуме: "
        "провели 15 деловых встреч, две из них — с потенциальными зарубежными партнёрами.",
        18,
        comments=("Спасибо всем, кто работал на стенде!",),
    ),
    DemoPost(
        PROPOSAL,
        "Предлагаю организовать на базе университета курсы повышения квалификации для "
        "операторов установок: программу составим вместе с технологами «Нафтана».",
        28,
        comments=("Поддерживаем, готовы выделить преподавателей-практиков.",),
    ),
    DemoPost(
        NEWS,
        "На интерактивной площадке кластера открыт раздел «Биржа идей»: можно разместить "
        "запрос, предложить свои возможности или найти партнёров для проекта.",
        42,
    ),
    DemoPost(
        REPORT,
        "Опытная партия модифицирующей добавки для битумов прошла лабораторные испытания. "
        "Готовим испытания на участке дороги.",
        65,
    ),
]

OWN_POSTS = {
    "gorki": GORKI,
    "polotsk-composites": POLOTSK,
    "polesie": POLESIE,
    "novopolotsk-petrochemical": NOVOPOLOTSK,
}


def demo_posts(slug: str, short_name: str) -> list[DemoPost]:
    """The hand-written posts of one initiative's feed, newest first."""
    posts = OWN_POSTS.get(slug, []) + _common_posts(short_name)
    return sorted(posts, key=lambda post: post.days_ago)


# --- Generated posts for --scale ----------------------------------------------------------------

# With --scale N (N > 1) each feed gets about N × 20 posts: 1,000 at --scale 50.
POSTS_PER_SCALE = 20

_GENERATED = [
    (NEWS, "Новости кластера «{short}», выпуск {n}: {topic}."),
    (
        ANNOUNCEMENT,
        "Анонс №{n}: встреча участников по теме «{topic}». Подробности у администратора.",
    ),
    (REPORT, "Отчёт №{n}: обсудили {topic}; решения разосланы участникам."),
    (PROPOSAL, "Предложение №{n}: вынести на ближайшее заседание вопрос «{topic}»."),
    (DOCUMENT, "Материалы №{n} по теме «{topic}» — в общей папке кластера."),
]
_TOPICS = [
    "совместная заявка на грант",
    "экспорт продукции участников",
    "подготовка кадров",
    "испытания опытной партии",
    "сертификация изделий",
    "энергосбережение на производстве",
    "участие в выставке",
    "обмен оборудованием",
    "цифровизация учёта",
    "поиск инвесторов",
]
_GENERATED_COMMENTS = ["Спасибо!", "Принято.", "Поддерживаю.", "Обсудим на встрече."]


# --- Seeding -------------------------------------------------------------------------------------


def seed(ctx: DemoContext) -> None:
    # Members join the initiatives in a deferred step of the members seeder: the feed's
    # authors exist only after it, so the feed is filled after it too.
    ctx.later(seed_feeds)


def seed_feeds(ctx: DemoContext) -> None:
    for initiative in ctx.objects.get("initiatives", {}).values():
        if not service_enabled(initiative, Service.FEED):
            continue
        _People(initiative, ctx).seed(ctx)
    if ctx.volumes is not None:
        ctx.bulk(seed_large_posts)


def _same_name(a: str, b: str) -> bool:
    return a.replace("ё", "е").lower() == b.replace("ё", "е").lower()


@dataclass
class _People:
    initiative: object
    ctx: DemoContext = field(default_factory=DemoContext)
    members: list = field(default_factory=list)
    admins: list = field(default_factory=list)
    turn: int = 0

    def __post_init__(self):
        rows = (
            Membership.objects.filter(initiative=self.initiative, status=Membership.Status.APPROVED)
            .select_related("user")
            .order_by("pk")
        )
        for membership in rows:
            if membership.role == Membership.Role.ADMIN:
                self.admins.append(membership.user)
            else:
                self.members.append(membership.user)
        if not self.members:
            self.members = list(self.admins)

    def _member_at(self, user, when) -> bool:
        since = self.ctx.member_since(user.pk, self.initiative.pk)
        return when is None or since is None or since <= when

    def next_member(self, *, besides=None, when=None):
        """The next member in turn (who was a member at ``when``, if anyone was)."""
        for strict in (True, False):
            for _ in range(len(self.members)):
                user = self.members[self.turn % len(self.members)]
                self.turn += 1
                if strict and not self._member_at(user, when):
                    continue
                if user != besides or len(self.members) == 1:
                    return user
        return self.members[0]

    def author_of(self, post: DemoPost, when=None):
        if post.author == ADMIN and self.admins:
            return self.admins[0]
        if isinstance(post.author, tuple):
            first, last = post.author
            for user in self.members + self.admins:
                if _same_name(user.first_name, first) and _same_name(user.last_name, last):
                    return user
        return self.next_member(when=when)

    def commenter(self, author, index: int, when=None):
        everyone = [u for u in self.members + self.admins if u != author] or [author]
        ready = [u for u in everyone if self._member_at(u, when)] or everyone
        return ready[(self.turn + index * 3) % len(ready)]

    # --- the posts ---

    def seed(self, ctx: DemoContext) -> None:
        if not self.members:
            return
        initiative = self.initiative
        existing = set(Post.objects.filter(initiative=initiative).values_list("text", flat=True))
        now = timezone.now()
        specs = demo_posts(initiative.slug, initiative.short_name or initiative.title)
        for spec in specs:
            when = now - timedelta(days=spec.days_ago, hours=3)
            author = self.author_of(spec, when)
            if clean_text(spec.text) in existing:
                continue
            self._create(ctx, spec, author, when)
        if ctx.scale > 1:
            self._generate(ctx, existing, now, target=POSTS_PER_SCALE * ctx.scale - len(specs))

    def _create(self, ctx: DemoContext, spec: DemoPost, author, when) -> None:
        uploads = [
            upload_check(SimpleUploadedFile(demo_file.name, demo_file.make()))
            for demo_file in spec.files
        ]
        post = services.post_create(
            initiative=self.initiative,
            author=author,
            kind=spec.kind,
            text=spec.text,
            uploads=uploads,
        )
        Post.objects.filter(pk=post.pk).update(created_at=when)
        Attachment.objects.filter(post=post).update(created_at=when)
        ctx.count("feed posts", True)
        for _ in uploads:
            ctx.count("feed files", True)
        if spec.pinned and self.admins:
            services.post_pin(post=post, by=self.admins[0])
            Post.objects.filter(pk=post.pk).update(pinned_at=when)
        for index, text in enumerate(spec.comments):
            written = when + timedelta(hours=2 + index * 5, minutes=17 * index)
            comment = services.comment_create(
                post=post, author=self.commenter(author, index, written), text=text
            )
            Comment.objects.filter(pk=comment.pk).update(created_at=written)
            ctx.count("feed comments", True)

    def _generate(self, ctx: DemoContext, existing: set, now, *, target: int) -> None:
        """``target`` simpler posts (for benchmarks), older than the hand-written ones;
        bulk-created without files, every fourth with a comment."""
        if target <= 0:
            return
        short = self.initiative.short_name or self.initiative.title
        new_posts = []
        for n in range(1, target + 1):
            kind, template = _GENERATED[n % len(_GENERATED)]
            text = template.format(short=short, n=n, topic=_TOPICS[n % len(_TOPICS)])
            if text in existing:
                continue
            when = now - timedelta(days=180, hours=7 * n)
            new_posts.append(
                Post(
                    initiative=self.initiative,
                    author=self.next_member(when=when),
                    kind=kind,
                    text=text,
                    created_at=when,
                )
            )
        created = Post.objects.bulk_create(new_posts, batch_size=500)
        comments = [
            Comment(
                post=post,
                author=self.commenter(post.author, index, post.created_at + timedelta(hours=1)),
                text=_GENERATED_COMMENTS[index % len(_GENERATED_COMMENTS)],
                created_at=post.created_at + timedelta(hours=1),
            )
            for index, post in enumerate(created)
            if index % 4 == 0
        ]
        Comment.objects.bulk_create(comments, batch_size=500)
        ctx.created["feed posts"] = ctx.created.get("feed posts", 0) + len(created)
        if comments:
            ctx.created["feed comments"] = ctx.created.get("feed comments", 0) + len(comments)


# --- --scale large ------------------------------------------------------------------------------

LARGE_TOPICS = [
    *_TOPICS,
    "биотехнологии в растениеводстве",
    "композитная арматура",
    "корма для аквакультуры",
    "переработка отходов",
    "совместная закупка сырья",
    "испытания в лаборатории университета",
]


def seed_large_posts(ctx: DemoContext) -> None:
    """``ctx.volumes.posts`` posts in the groups whose feed is on, dated over the preset's
    months (more of them lately, as the platform grows), each by someone who was a member of
    the group on its date; a third of them with one to three comments by other members of
    the time; bulk-created, no files. Made once: nothing when generated people have posted
    already."""
    roster = ctx.objects.get("large_roster")
    if roster is None or not roster.members:
        return
    if Post.objects.filter(author__email__endswith=f"@{LARGE_EMAIL_DOMAIN}").exists():
        return
    initiatives = {
        initiative.pk: initiative
        for initiative in ctx.objects.get("initiatives", {}).values()
        if service_enabled(initiative, Service.FEED)
    }
    pool = roster.pool(list(initiatives))
    if not len(pool):
        return
    rng = random.Random(5015)
    now = ctx.now
    first = max(pool.times[0], now - timedelta(days=ctx.volumes.days))
    kinds = [NEWS, ANNOUNCEMENT, REPORT, PROPOSAL, DOCUMENT]
    made_posts = made_comments = 0
    while made_posts < ctx.volumes.posts:
        batch = []
        while len(batch) < min(BATCH_SIZE, ctx.volumes.posts - made_posts):
            when = growing_moment(rng, first, now)
            row = pool.pick(rng, when)
            if row is None:
                continue
            user_id, initiative_id, _since = row
            kind = kinds[rng.randrange(len(kinds))]
            _, template = _GENERATED[kinds.index(kind)]
            topic = LARGE_TOPICS[rng.randrange(len(LARGE_TOPICS))]
            short = initiatives[initiative_id].short_name or initiatives[initiative_id].title
            batch.append(
                Post(
                    initiative_id=initiative_id,
                    author_id=user_id,
                    kind=kind,
                    text=template.format(short=short, n=made_posts + len(batch) + 1, topic=topic),
                    created_at=when,
                )
            )
        Post.objects.bulk_create(batch)
        made_posts += len(batch)
        comments = []
        for post in batch:
            if rng.random() >= 1 / 3:
                continue
            peers = roster.pool(post.initiative_id)
            written = post.created_at
            for _ in range(rng.randint(1, 3)):
                later = timedelta(minutes=10) + timedelta(days=rng.expovariate(1 / 2))
                written = min(now, written + later)
                row = peers.pick(rng, written, besides={post.author_id})
                if row is None:
                    continue
                comments.append(
                    Comment(
                        post_id=post.pk,
                        author_id=row[0],
                        text=_GENERATED_COMMENTS[rng.randrange(len(_GENERATED_COMMENTS))],
                        created_at=written,
                    )
                )
        Comment.objects.bulk_create(comments, batch_size=BATCH_SIZE)
        made_comments += len(comments)
    ctx.add("feed posts", made_posts)
    ctx.add("feed comments", made_comments)
