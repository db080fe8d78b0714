"""Demo cluster initiatives, their news, and the platform-wide news.

The four initiatives are those of the seed documents: Горки, the Polotsk composite cluster and
Полесье from the mock-ups of seed 000 (contact cards as the portal admin's registry shows them),
and the Novopolotsk petrochemical cluster of seed 001. News topics follow the event types of
seeds 003 and 004 (seminars, round tables, working meetings, exhibitions, project defences).

Idempotent like every seeder: snippets are found by slug, pages by slug under their parent,
logos by title; what exists is left as it is, tags are added only to pages made in this run.

``--scale large`` adds generated initiatives up to ``ctx.volumes.initiatives`` in all
(:func:`seed_large_initiatives`): clusters of other industries in towns of Belarus and of
Russia's border regions, with the fields the public pages show (no logo: the pages draw the
initials), each with its Wagtail administrators' group; the members seeder then spreads the
generated people over them.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from io import BytesIO

from django.core.files.images import ImageFile
from PIL import Image, ImageDraw, ImageFont
from wagtail.images import get_image_model
from wagtail.models import Page

from core.demo import DemoContext

from .models import Industry, InitiativeIndexPage, InitiativePage, NewsIndexPage, NewsPage, Region

# --- StreamField values -------------------------------------------------------------------


def _p(*paragraphs: str) -> dict:
    return {"type": "paragraph", "value": "".join(f"<p>{text}</p>" for text in paragraphs)}


def _html(html: str) -> dict:
    return {"type": "paragraph", "value": html}


def _h(text: str) -> dict:
    return {"type": "heading", "value": {"text": text, "level": "h2"}}


def _quote(text: str, attribution: str) -> dict:
    return {"type": "quote", "value": {"text": text, "attribution": attribution}}


def _figures(heading: str, *figures: tuple[str, str]) -> dict:
    return {
        "type": "key_figures",
        "value": {
            "heading": heading,
            "figures": [{"value": value, "label": label} for value, label in figures],
        },
    }


# --- Regions and industries ---------------------------------------------------------------

REGIONS = {
    "mogilev-region": "Могилёвская область",
    "vitebsk-region": "Витебская область",
    "brest-region": "Брестская область",
}

INDUSTRIES = {
    "agro-biotech": "Аграрные биотехнологии",
    "green-economy": "«Зелёная» экономика",
    "composites": "Композитные материалы",
    "petrochemistry": "Нефтехимия",
    "biotech": "Биотехнологии",
}


# --- Initiatives --------------------------------------------------------------------------


@dataclass
class NewsSpec:
    slug: str
    title: str
    date: datetime.date
    intro: str
    body: list[dict]
    tags: tuple[str, ...]


@dataclass
class InitiativeSpec:
    slug: str
    title: str
    short_name: str
    monogram: str  # Cyrillic initials for the logo
    monogram_latin: str  # the same when no Cyrillic font is installed
    colour: tuple[int, int, int]
    summary: str
    body: list[dict]
    region: str
    industries: tuple[str, ...]
    stage: str
    website: str = ""
    contact_name: str = ""
    contact_role: str = ""
    contact_email: str = ""
    contact_phone: str = ""
    news: list[NewsSpec] = field(default_factory=list)


ADMIN_ROLE = "Администратор кластерной инициативы"

GORKI = InitiativeSpec(
    slug="gorki",
    title=(
        "Инновационно-промышленный кластер в области аграрных биотехнологий и «зеленой» "
        "экономики Горецкого района на базе УО «Белорусская государственная "
        "сельскохозяйственная академия» и ООО «Технопарк Горки»"
    ),
    short_name="Горки",
    monogram="Г",
    monogram_latin="G",
    colour=(46, 125, 50),
    summary=(
        "Кластер объединяет Белорусскую государственную сельскохозяйственную академию, "
        "Технопарк «Горки» и его резидентов вокруг аграрных биотехнологий и «зелёной» "
        "экономики. Технопарк помогает наукоёмким организациям пройти путь от разработки "
        "до коммерциализации и даёт резидентам налоговые льготы."
    ),
    body=[
        _h("Первый шаг — технопарк"),
        _p(
            "Первым шагом в формировании инновационно-промышленного кластера в области "
            "аграрных биотехнологий и «зелёной» экономики стало создание ООО «Технопарк "
            "«Горки» как субъекта инновационной инфраструктуры — научно-технологического "
            "парка. Он основан в 2017 году на базе крупнейшего аграрного многопрофильного "
            "вуза стран СНГ и Европы — Белорусской государственной сельскохозяйственной "
            "академии.",
            "Вокруг технопарка складывается цепочка создания ценности: учёные академии "
            "ведут исследования, резиденты превращают их в продукты, а сельскохозяйственные "
            "организации Горецкого района и Могилёвской области становятся первыми "
            "потребителями.",
        ),
        _quote(
            "Миссия технопарка — создание условий для развития наукоёмких организаций "
            "(резидентов) и оказание помощи в осуществлении ими инновационной деятельности "
            "от разработки нововведения до его освоения и коммерциализации.",
            "Миссия ООО «Технопарк «Горки»",
        ),
        _h("Преференции для резидентов"),
        _p(
            "Резиденты технопарка освобождаются от налогов на землю и недвижимость, а при "
            "общей системе налогообложения платят налог на прибыль по ставке 10 % вместо "
            "18 %. Кроме того, действуют и другие льготы, предусмотренные для резидентов "
            "научно-технологических парков."
        ),
        _figures(
            "Кластер в цифрах",
            ("2017", "год основания Технопарка «Горки»"),
            ("10 %", "налог на прибыль для резидентов вместо 18 %"),
            ("12", "участников общей группы кластера"),
        ),
    ],
    region="mogilev-region",
    industries=("agro-biotech", "green-economy"),
    stage=InitiativePage.Stage.ACTIVE,
    website="http://technoparkgorki.by/",
    contact_name="Тимаев Андрей",
    contact_role=ADMIN_ROLE,
    contact_email="technoparkgorki@gmail.com",
    contact_phone="+375 29 527 8510",
    news=[
        NewsSpec(
            slug="gorki-belagro-exhibition",
            title="Технопарк «Горки» на выставке «Белагро»",
            date=datetime.date(2025, 6, 5),
            intro=(
                "Резиденты технопарка и учёные академии представили на международной "
                "выставке «Белагро» в Минске разработки в области аграрных биотехнологий."
            ),
            body=[
                _p(
                    "На объединённом стенде кластера посетители увидели биологические "
                    "препараты для защиты растений, оздоровленный посадочный материал, "
                    "полученный методом микроклонального размножения, и технологию "
                    "переработки отходов животноводства в органические удобрения.",
                    "За дни выставки участники кластера провели более тридцати переговоров "
                    "с сельскохозяйственными организациями и перерабатывающими предприятиями; "
                    "с тремя из них договорились об опытных поставках в новом сезоне.",
                    "Контакты, собранные на выставке, администратор кластерной инициативы "
                    "разместил в общей группе, чтобы каждый участник мог продолжить "
                    "переговоры по своему направлению.",
                )
            ],
            tags=("выставка",),
        ),
        NewsSpec(
            slug="gorki-green-economy-round-table",
            title="Круглый стол о «зелёной» экономике в аграрном секторе",
            date=datetime.date(2025, 10, 14),
            intro=(
                "В академии обсудили, как превратить отходы сельскохозяйственного "
                "производства в сырьё для новых продуктов и какие совместные проекты может "
                "взять на себя кластер."
            ),
            body=[
                _p(
                    "В круглом столе приняли участие преподаватели и научные сотрудники "
                    "академии, резиденты технопарка, руководители сельскохозяйственных "
                    "организаций Горецкого района и представители районного исполнительного "
                    "комитета.",
                    "Участники обсудили получение биогаза и органических удобрений из "
                    "отходов животноводства, переработку соломы и сокращение применения "
                    "химических средств защиты растений за счёт биопрепаратов.",
                    "По итогам круглого стола в портфель проектов кластера включены две "
                    "новые идеи; их авторы приглашены представить проекты на следующей "
                    "рабочей встрече.",
                )
            ],
            tags=("круглый стол",),
        ),
        NewsSpec(
            slug="gorki-new-resident",
            title="Новый резидент Технопарка «Горки»",
            date=datetime.date(2026, 2, 17),
            intro=(
                "Статус резидента технопарка получила компания, которая разрабатывает "
                "биопрепараты для защиты растений на основе местных штаммов микроорганизмов."
            ),
            body=[
                _p(
                    "Компанию создали выпускники и сотрудники Белорусской государственной "
                    "сельскохозяйственной академии. Она разрабатывает биологические препараты "
                    "для защиты растений и стимуляторы роста на основе штаммов "
                    "микроорганизмов, выделенных из почв Могилёвской области.",
                    "Как резидент научно-технологического парка компания освобождается от "
                    "налогов на землю и недвижимость и платит налог на прибыль по ставке 10 % "
                    "вместо 18 %. Технопарк предоставит ей офис и доступ к лабораториям "
                    "академии и поможет найти первых покупателей.",
                    "Полевые испытания первых препаратов пройдут весной на опытных полях "
                    "академии. Участники кластера, заинтересованные в сотрудничестве, могут "
                    "написать администратору кластерной инициативы через платформу.",
                )
            ],
            tags=("резиденты",),
        ),
    ],
)

POLOTSK = InitiativeSpec(
    slug="polotsk-composites",
    title="Инновационно-промышленный композитный кластер в г. Полоцк",
    short_name="Полоцк-композит",
    monogram="ПК",
    monogram_latin="PC",
    colour=(21, 101, 192),
    summary=(
        "Инициативная группа предприятий, учреждений образования и науки Полоцка готовит "
        "создание кластера по производству и применению композитных материалов. Участники "
        "согласуют состав кластера, цепочку создания ценности и первые совместные проекты."
    ),
    body=[
        _h("О кластерной инициативе"),
        _p(
            "Кластерная инициатива объединяет организации, которые разрабатывают, производят "
            "и применяют полимерные композиционные материалы: от сырья нефтехимических "
            "предприятий региона до готовых изделий для строительства, машиностроения и "
            "коммунального хозяйства. Научную основу дают исследователи Полоцкого "
            "государственного университета."
        ),
        _h("Стадия формирования"),
        _p(
            "Кластер находится на стадии формирования: инициативная группа проводит рабочие "
            "встречи, собирает базу актуальных проблем, обозначенных участниками, формирует "
            "портфель проектов и готовит соглашение о сотрудничестве.",
            "Присоединиться к инициативе можно, оставив заявку на платформе: её рассмотрит "
            "администратор кластерной инициативы.",
        ),
        _figures(
            "Инициатива сегодня",
            ("8", "организаций в инициативной группе"),
            ("3", "отрасли-потребителя: строительство, машиностроение, ЖКХ"),
            ("5", "проектов в портфеле"),
        ),
    ],
    region="vitebsk-region",
    industries=("composites", "petrochemistry"),
    stage=InitiativePage.Stage.FORMING,
    contact_name="Иван Иванов",
    contact_role=ADMIN_ROLE,
    contact_email="emailivan@gmail.com",
    contact_phone="+375 29 123-45-67",
    news=[
        NewsSpec(
            slug="polotsk-composites-working-meeting",
            title="Рабочая встреча инициативной группы композитного кластера",
            date=datetime.date(2025, 9, 23),
            intro=(
                "Участники инициативной группы обсудили портфель совместных проектов и "
                "подготовку заявки на софинансирование первого из них."
            ),
            body=[
                _p(
                    "На встрече представители предприятий и университета рассмотрели пять "
                    "проектных идей — от композитной арматуры для строительства до "
                    "облегчённых деталей для машиностроения — и выбрали проект, с которого "
                    "кластер начнёт совместную работу.",
                    "Университет возьмёт на себя испытания материалов и подготовку "
                    "технико-экономического обоснования, предприятия — опытное производство "
                    "и поиск первых заказчиков. Заявку на софинансирование проекта "
                    "планируется подать в начале следующего года.",
                )
            ],
            tags=("гранты",),
        ),
        NewsSpec(
            slug="polotsk-composites-on-platform",
            title="Композитный кластер Полоцка — на кластерной ИТ-платформе",
            date=datetime.date(2026, 3, 10),
            intro=(
                "У инициативной группы появились своя страница и общая группа на платформе: "
                "здесь можно подать заявку на вступление и следить за формированием кластера."
            ),
            body=[
                _p(
                    "Администратор кластерной инициативы перенёс в общую группу протоколы "
                    "рабочих встреч, перечень проектных идей и проект соглашения о "
                    "сотрудничестве, чтобы участники могли обсуждать их между встречами.",
                    "Организации, которые хотят присоединиться к кластеру, регистрируются на "
                    "платформе и оставляют заявку в личном кабинете. После подтверждения "
                    "администратором им становятся доступны новостная лента, список "
                    "участников и чат.",
                )
            ],
            tags=("платформа",),
        ),
        NewsSpec(
            slug="polotsk-composites-seminar",
            title="Семинар о композитах в строительстве",
            date=datetime.date(2026, 5, 20),
            intro=(
                "Учёные университета и технологи предприятий рассказали проектировщикам и "
                "строителям, где композитные материалы уже выгоднее металла."
            ),
            body=[
                _p(
                    "Обучающий семинар собрал проектировщиков, строителей и представителей "
                    "организаций жилищно-коммунального хозяйства Витебской области. Спикеры "
                    "рассказали о композитной арматуре, сетках и профилях, о нормативных "
                    "требованиях к ним и об опыте применения в мостостроении и при ремонте "
                    "инженерных сетей.",
                    "Участники оценили организацию семинара и попросили провести следующий "
                    "на площадке одного из предприятий, с демонстрацией производства.",
                )
            ],
            tags=("семинар",),
        ),
    ],
)

POLESIE = InitiativeSpec(
    slug="polesie",
    title="Инновационно-промышленный кластер биотехнологий и зеленой экономики «Полесье»",
    short_name="Полесье",
    monogram="П",
    monogram_latin="P",
    colour=(0, 121, 107),
    summary=(
        "Кластер в Пинске объединяет Полесский государственный университет, предприятия "
        "пищевой и перерабатывающей промышленности и сельскохозяйственных производителей "
        "Брестской области. Участники вместе разрабатывают биотехнологии и проекты "
        "«зелёной» экономики для Полесского региона."
    ),
    body=[
        _h("Ядро кластера — университет"),
        _p(
            "Ядром кластера выступает Полесский государственный университет в Пинске. Его "
            "лаборатории проводят исследования по запросам участников, предоставляют им "
            "научное оборудование и готовят специалистов для предприятий региона."
        ),
        _h("Направления работы"),
        _html(
            "<ul>"
            "<li>биотехнологии для растениеводства и животноводства;</li>"
            "<li>аквакультура и переработка рыбы;</li>"
            "<li>глубокая переработка сельскохозяйственного сырья и отходов;</li>"
            "<li>энергосбережение и возобновляемая энергетика.</li>"
            "</ul>"
        ),
        _figures(
            "Кластер в цифрах",
            ("20+", "участников кластера"),
            ("4", "направления работы"),
            ("6", "совместных проектов в работе"),
        ),
    ],
    region="brest-region",
    industries=("biotech", "green-economy"),
    stage=InitiativePage.Stage.ACTIVE,
    website="https://cluster.polessu.by/",
    contact_name="Козырь Алексей",
    contact_role=ADMIN_ROLE,
    contact_email="cluster.polessu@gmail.com",
    contact_phone="+375 165 312160",
    news=[
        NewsSpec(
            slug="polesie-aquaculture-seminar",
            title="Семинар о биотехнологиях в аквакультуре",
            date=datetime.date(2025, 4, 16),
            intro=(
                "В Полесском государственном университете рыбоводы и переработчики узнали о "
                "новых кормах, пробиотиках и технологиях замкнутого водоснабжения."
            ),
            body=[
                _p(
                    "Обучающий семинар кластера собрал представителей рыбоводческих хозяйств "
                    "и перерабатывающих предприятий Брестской области. Учёные университета "
                    "рассказали о результатах испытаний пробиотических добавок к кормам и об "
                    "опыте выращивания рыбы в установках замкнутого водоснабжения.",
                    "Во второй части семинара участники обсудили, какие исследования "
                    "университет может провести по их заявкам, и договорились собрать "
                    "перечень задач для совместных проектов.",
                )
            ],
            tags=("семинар",),
        ),
        NewsSpec(
            slug="polesie-project-defence",
            title="Участники кластера «Полесье» защитили совместные проекты",
            date=datetime.date(2026, 2, 26),
            intro=(
                "Экспертная комиссия рассмотрела кластерные проекты, претендующие на "
                "софинансирование в текущем году."
            ),
            body=[
                _p(
                    "На защиту вынесены три проекта: производство биоудобрений из отходов "
                    "переработки, опытный участок установки замкнутого водоснабжения и "
                    "цифровой учёт энергопотребления на предприятиях участников.",
                    "Комиссия оценила готовность команд, вклад каждого участника и ожидаемый "
                    "эффект для региона. Решение о распределении софинансирования будет "
                    "опубликовано в общей группе кластера.",
                )
            ],
            tags=("гранты",),
        ),
    ],
)

NOVOPOLOTSK = InitiativeSpec(
    slug="novopolotsk-petrochemical",
    title="Инновационно-промышленный Новополоцкий нефтехимический кластер (ИП ННК)",
    short_name="ИП ННК",
    monogram="ННК",
    monogram_latin="NNK",
    colour=(230, 81, 0),
    summary=(
        "Кластер, начало которому положили Новополоцкий горисполком, ОАО «Нафтан» и "
        "Полоцкий государственный университет, объединяет нефтехимические предприятия, "
        "региональный бизнес и зарубежных партнёров. Интерактивная площадка ipnnk.by — "
        "место взаимодействия участников между собой и с внешним миром."
    ),
    body=[
        _h("Интерактивная площадка кластера"),
        _p(
            "Сайт ipnnk.by — не просто сайт-презентация, а многофункциональный программный "
            "продукт. Проект разработан Полоцким государственным университетом и выиграл "
            "грант Подляского фонда регионального развития (Польша).",
            "Гость может узнать общую информацию об инициативе и её участниках. Регистрация "
            "даёт доступ к дополнительным данным и нужна, чтобы подать заявку на вступление в "
            "ИП ННК; максимальный функционал доступен участникам кластера. В разделе «Биржа "
            "идей» можно оставить заявку, предложить свои возможности или обсудить "
            "предложения партнёров.",
        ),
        _quote(
            "Мы рассчитываем, что сайт будет своеобразной социальной сетью, которая "
            "поспособствует развитию тех самых горизонтальных связей, что очень важны и "
            "составляют сущность кластерного подхода.",
            "Юрий Голубев, проректор по научной работе ПГУ",
        ),
        _h("Логотип и учредители"),
        _p(
            "Вместе с сайтом кластер обрёл собственный логотип. В аллюзии на бензольное "
            "кольцо и нефтяные капли зашифрована основа отрасли, объединяющей партнёров, и "
            "единство трёх организаций — Новополоцкого горисполкома, ОАО «Нафтан» и "
            "Полоцкого государственного университета, — которые положили начало "
            "сотрудничеству."
        ),
        _figures(
            "Кластер в цифрах",
            ("3", "организации-учредителя"),
            ("40+", "участников презентации платформы офлайн"),
            ("≈50", "участников презентации онлайн"),
        ),
    ],
    region="vitebsk-region",
    industries=("petrochemistry",),
    stage=InitiativePage.Stage.ACTIVE,
    website="https://ipnnk.by/",
    contact_name="Алексей Станевич",
    contact_role="Координатор кластера",
    news=[
        NewsSpec(
            slug="ipnnk-industrial-forum",
            title="Участники ИП ННК на Белорусском промышленном форуме",
            date=datetime.date(2026, 5, 28),
            intro=(
                "ОАО «Нафтан», Полоцкий государственный университет и предприятия-участники "
                "кластера представили совместную экспозицию на выставке форума в Минске."
            ),
            body=[
                _p(
                    "На стенде кластера показали проекты портфеля ИП ННК: новые марки "
                    "продукции нефтехимии, разработки университета в области переработки "
                    "нефтяных остатков и услуги инжиниринговых компаний-участников.",
                    "Представители кластера провели переговоры с потенциальными участниками "
                    "и партнёрами; двое из них уже зарегистрировались на интерактивной "
                    "площадке и подали заявки на вступление.",
                )
            ],
            tags=("выставка",),
        ),
        NewsSpec(
            slug="ipnnk-round-table-projects",
            title="Круглый стол ИП ННК о портфеле совместных проектов",
            date=datetime.date(2026, 10, 15),
            intro=(
                "Представители ОАО «Нафтан», университета и предприятий региона обсудили "
                "проблемы, которые участники кластера готовы решать вместе."
            ),
            body=[
                _p(
                    "Участники круглого стола пополнили базу актуальных проблем кластера: "
                    "энергоэффективность установок, утилизация отходов производства, "
                    "подготовка кадров среднего звена.",
                    "Университет предложил включить эти темы в научно-исследовательские "
                    "работы студентов, дипломные работы и магистерские диссертации, а "
                    "предприятия — выделить наставников из числа своих специалистов.",
                    "Процент выполнения портфеля проектов и новые проектные идеи будут "
                    "обсуждаться на рабочих встречах; материалы круглого стола доступны "
                    "участникам в общей группе.",
                )
            ],
            tags=("круглый стол",),
        ),
        NewsSpec(
            slug="ipnnk-platform-presentation",
            title="Интерактивную площадку ИП ННК представили на семинаре в ПГУ",
            date=datetime.date(2026, 11, 23),
            intro=(
                "Семинар 23 ноября на базе Полоцкого государственного университета собрал "
                "более 40 участников офлайн и около 50 онлайн."
            ),
            body=[
                _p(
                    "Встреча была посвящена презентации интерактивной площадки "
                    "инновационно-промышленного Новополоцкого нефтехимического кластера. В "
                    "число её участников вошли действующие члены кластерной инициативы, "
                    "представители регионального бизнеса, белорусских и зарубежных "
                    "организаций-партнёров, сотрудники университета.",
                    "«Сегодня не быть представленным в цифровом информационном пространстве "
                    "нельзя», — отметил проректор по научной работе ПГУ Юрий Голубев. Проект "
                    "площадки, разработанный университетом, в этом году выиграл грант "
                    "Подляского фонда регионального развития (Польша).",
                    "Координатор кластера Алексей Станевич рассказал о разделе «Биржа идей»: "
                    "в нём желающие могут оставить заявку, предложить свои возможности или "
                    "принять участие в обсуждении предложений. Участники встречи отметили, что "
                    "площадка может стать примером для других кластерных инициатив страны.",
                )
            ],
            tags=("семинар", "платформа", "гранты"),
        ),
    ],
)

INITIATIVES = [GORKI, POLOTSK, POLESIE, NOVOPOLOTSK]

PLATFORM_NEWS = [
    NewsSpec(
        slug="platform-launch",
        title="Запуск кластерной ИТ-платформы",
        date=datetime.date(2026, 1, 20),
        intro=(
            "Кластерные инициативы получили общую цифровую площадку: личный кабинет "
            "участника, общая группа инициативы, чат и email-рассылка."
        ),
        body=[
            _p(
                "Платформа автоматизирует взаимодействие участников кластера. После "
                "регистрации пользователь заполняет профиль в личном кабинете и подаёт заявку "
                "на вступление в кластерную инициативу; его персональные данные не видны "
                "никому, пока заявку не подтвердит администратор.",
                "Участники общей группы публикуют анонсы мероприятий и отчёты о прошедших, "
                "новости и предложения, делятся документами и переписываются в чате с "
                "коллегами, администраторами кластерных инициатив и администратором портала.",
                "Одна платформа обслуживает несколько кластеров на любой стадии жизненного "
                "цикла — от инициативной группы до действующего кластера, и для каждого "
                "настраивается свой набор сервисов.",
            )
        ],
        tags=("платформа",),
    ),
    NewsSpec(
        slug="cluster-meeting-2026",
        title="Собрание участников кластеров подвело итоги 2025 года",
        date=datetime.date(2026, 2, 5),
        intro=(
            "Центр кластерного развития и советы кластеров подвели итоги года, обсудили план "
            "мероприятий на 2026 год и открыли приём кластерных проектов на софинансирование."
        ),
        body=[
            _p(
                "На собрании подвели результаты деятельности кластеров и центра кластерного "
                "развития за 2025 год и оценили, какие мероприятия стоит повторить: обучающие "
                "семинары, круглые столы, рабочие встречи и участие в выставках.",
                "Кластерные проекты будут защищаться перед экспертной комиссией, которая "
                "распределит бюджет софинансирования на текущий год. Консультации об услугах "
                "центра и мерах государственной поддержки доступны участникам кластеров "
                "круглый год.",
            )
        ],
        tags=("гранты",),
    ),
]

INITIATIVES_INTRO = (
    "Инновационно-промышленные кластеры и кластерные инициативы на платформе: чем они "
    "занимаются, на какой стадии жизненного цикла находятся и как с ними связаться."
)
NEWS_INTRO = (
    "Новости кластерных инициатив и платформы: семинары, круглые столы, выставки, новые "
    "резиденты и совместные проекты."
)


# --- Helpers ------------------------------------------------------------------------------


def _child(parent: Page, slug: str) -> Page | None:
    found = parent.get_children().filter(slug=slug).first()
    return found.specific if found is not None else None


def _snippet(ctx: DemoContext, model, kind: str, slug: str, name: str):
    # By slug, then by name (both are unique), so an editor's own slug is never clashed with.
    found = model.objects.filter(slug=slug).first() or model.objects.filter(name=name).first()
    if found is None:
        found = model.objects.create(slug=slug, name=name)
        ctx.count(kind, True)
    return found


def _font(size: int, *, cyrillic: bool):
    if cyrillic:
        try:
            return ImageFont.truetype("DejaVuSans-Bold.ttf", size)
        except OSError:
            return None
    return ImageFont.load_default(size=size)


def _logo_png(spec: InitiativeSpec) -> bytes:
    """A coloured rounded square with the initiative's initials (and short name) in white."""
    size = 256
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((0, 0, size - 1, size - 1), radius=48, fill=spec.colour)
    # Pillow's built-in font has no Cyrillic; use a system DejaVu when there is one.
    big = _font(112 if len(spec.monogram) < 3 else 84, cyrillic=True)
    if big is not None:
        monogram, caption_font = spec.monogram, _font(24, cyrillic=True)
        caption = spec.short_name
    else:
        big = _font(112 if len(spec.monogram_latin) < 3 else 84, cyrillic=False)
        monogram, caption_font, caption = spec.monogram_latin, None, ""
    draw.text((size / 2, 112), monogram, font=big, fill="white", anchor="mm")
    if caption_font is not None:
        draw.text((size / 2, 208), caption, font=caption_font, fill="white", anchor="mm")
    out = BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _logo(ctx: DemoContext, spec: InitiativeSpec):
    Image_ = get_image_model()
    title = f"Логотип: {spec.short_name}"
    logo = Image_.objects.filter(title=title).first()
    if logo is None:
        logo = Image_(
            title=title,
            description=f"Логотип кластерной инициативы «{spec.short_name}»",
            file=ImageFile(BytesIO(_logo_png(spec)), name=f"logo-{spec.slug}.png"),
        )
        logo.save()
        ctx.count("images", True)
    return logo


def _news(ctx: DemoContext, parent: Page, spec: NewsSpec) -> NewsPage:
    existing = _child(parent, spec.slug)
    if existing is not None:
        return existing
    page = NewsPage(
        title=spec.title, slug=spec.slug, date=spec.date, intro=spec.intro, body=spec.body
    )
    # ClusterTaggableManager keeps tags on the unsaved page; they are saved with it and go
    # into its first revision.
    page.tags.add(*spec.tags)
    return ctx.ensure_page(parent, page)


def _initiative(ctx: DemoContext, index: Page, spec: InitiativeSpec, regions, industries):
    existing = _child(index, spec.slug)
    if existing is not None:
        return existing
    page = InitiativePage(
        title=spec.title,
        slug=spec.slug,
        short_name=spec.short_name,
        summary=spec.summary,
        body=spec.body,
        logo=_logo(ctx, spec),
        region=regions[spec.region],
        stage=spec.stage,
        website=spec.website,
        contact_name=spec.contact_name,
        contact_role=spec.contact_role,
        contact_email=spec.contact_email,
        contact_phone=spec.contact_phone,
    )
    # A ParentalManyToManyField: held on the instance, saved by add_child with the page.
    page.industries = [industries[slug] for slug in spec.industries]
    return ctx.ensure_page(index, page)


# --- Seeder -------------------------------------------------------------------------------


def seed(ctx: DemoContext) -> None:
    home = ctx.objects["home_page"]
    index = ctx.ensure_page(
        home,
        InitiativeIndexPage(
            title="Кластерные инициативы", slug="initiatives", intro=INITIATIVES_INTRO
        ),
    )
    news_index = ctx.ensure_page(
        home, NewsIndexPage(title="Новости", slug="news", intro=NEWS_INTRO)
    )
    ctx.objects["initiative_index"] = index
    ctx.objects["news_index"] = news_index

    regions = {slug: _snippet(ctx, Region, "regions", slug, name) for slug, name in REGIONS.items()}
    industries = {
        slug: _snippet(ctx, Industry, "industries", slug, name) for slug, name in INDUSTRIES.items()
    }

    initiatives = {}
    for spec in INITIATIVES:
        page = _initiative(ctx, index, spec, regions, industries)
        for news in spec.news:
            _news(ctx, page, news)
        initiatives[spec.slug] = page
    ctx.objects["initiatives"] = initiatives

    for news in PLATFORM_NEWS:
        _news(ctx, news_index, news)
    # After the members' seeder has made the initiative's admins.
    ctx.later(seed_moderation)
    if ctx.volumes is not None:
        # Registered now, so it runs before the members' bulk step that fills these groups.
        ctx.bulk(seed_large_initiatives)


# --- Moderation (initiatives/moderation.py) ------------------------------------------------

# The demo's initiative whose news and events need the editors' approval, and its news item
# its admin submitted: it waits in the editors' «Ожидает вашей проверки» on the dashboard.
MODERATED_INITIATIVE = "polotsk-composites"
WAITING_NEWS = NewsSpec(
    slug="polotsk-composites-rebar-tests",
    title="Испытания композитной арматуры для дорожного строительства",
    date=datetime.date(2026, 11, 24),
    intro=(
        "Участники кластера передали образцы стеклопластиковой арматуры на испытания для "
        "строительства мостовых переходов."
    ),
    body=[
        _p(
            "Образцы трёх производителей кластера проходят испытания на прочность и "
            "морозостойкость. По их итогам участники подготовят общие технические условия "
            "для дорожно-строительных организаций области."
        )
    ],
    tags=("испытания", "композиты"),
)


def seed_moderation(ctx: DemoContext) -> None:
    """Moderation on for «Полоцк-композит» and one of its news items submitted by its first
    admin, once: when the item exists (an editor may have decided it, or switched moderation
    off, since) nothing changes."""
    initiative = ctx.objects.get("initiatives", {}).get(MODERATED_INITIATIVE)
    if initiative is None:
        return
    initiative = InitiativePage.objects.get(pk=initiative.pk)  # its numchild as stored now
    if _child(initiative, WAITING_NEWS.slug) is not None:
        return
    if not initiative.moderation_required:
        initiative.moderation_required = True
        initiative.save_revision().publish()  # the admins' group loses publish
    author = (
        initiative.admin_group.user_set.order_by("pk").first() if initiative.admin_group else None
    )
    spec = WAITING_NEWS
    page = NewsPage(
        title=spec.title,
        slug=spec.slug,
        date=spec.date,
        intro=spec.intro,
        body=spec.body,
        live=False,
        owner=author,
    )
    page.tags.add(*spec.tags)
    initiative.add_child(instance=page)
    page.save_revision(user=author)
    page.get_workflow().start(page, author)
    ctx.count("pages", True)


# --- --scale large: generated initiatives --------------------------------------------------

LARGE_SLUG_PREFIX = "load-"
LARGE_REGIONS = {
    "minsk-region": "Минская область",
    "gomel-region": "Гомельская область",
    "grodno-region": "Гродненская область",
    "smolensk-region": "Смоленская область",
    "pskov-region": "Псковская область",
    "bryansk-region": "Брянская область",
    "kaluga-region": "Калужская область",
    "yaroslavl-region": "Ярославская область",
}
LARGE_INDUSTRIES = {
    "woodworking": "Деревообработка",
    "food-industry": "Пищевая промышленность",
    "it": "Информационные технологии",
    "machine-building": "Машиностроение",
    "light-industry": "Лёгкая промышленность",
    "tourism": "Туризм",
    "logistics": "Транспорт и логистика",
    "pharma": "Фармацевтика",
    "energy": "Энергетика",
    "building-materials": "Строительные материалы",
}
# (town, its slug, region slug, Russian?)
LARGE_TOWNS = (
    ("Борисов", "borisov", "minsk-region", False),
    ("Гомель", "gomel", "gomel-region", False),
    ("Гродно", "grodno", "grodno-region", False),
    ("Брест", "brest", "brest-region", False),
    ("Витебск", "vitebsk", "vitebsk-region", False),
    ("Могилёв", "mogilev", "mogilev-region", False),
    ("Смоленск", "smolensk", "smolensk-region", True),
    ("Солигорск", "soligorsk", "minsk-region", False),
    ("Мозырь", "mozyr", "gomel-region", False),
    ("Лида", "lida", "grodno-region", False),
    ("Пинск", "pinsk", "brest-region", False),
    ("Орша", "orsha", "vitebsk-region", False),
    ("Бобруйск", "bobruisk", "mogilev-region", False),
    ("Псков", "pskov", "pskov-region", True),
    ("Молодечно", "molodechno", "minsk-region", False),
    ("Жлобин", "zhlobin", "gomel-region", False),
    ("Волковыск", "volkovysk", "grodno-region", False),
    ("Барановичи", "baranovichi", "brest-region", False),
    ("Глубокое", "glubokoe", "vitebsk-region", False),
    ("Осиповичи", "osipovichi", "mogilev-region", False),
    ("Брянск", "bryansk", "bryansk-region", True),
    ("Жодино", "zhodino", "minsk-region", False),
    ("Речица", "rechitsa", "gomel-region", False),
    ("Сморгонь", "smorgon", "grodno-region", False),
    ("Кобрин", "kobrin", "brest-region", False),
    ("Кричев", "krichev", "mogilev-region", False),
    ("Калуга", "kaluga", "kaluga-region", True),
    ("Обнинск", "obninsk", "kaluga-region", True),
    ("Слуцк", "slutsk", "minsk-region", False),
    ("Светлогорск", "svetlogorsk", "gomel-region", False),
    ("Великие Луки", "velikie-luki", "pskov-region", True),
    ("Ярославль", "yaroslavl", "yaroslavl-region", True),
    ("Рыбинск", "rybinsk", "yaroslavl-region", True),
    ("Клинцы", "klintsy", "bryansk-region", True),
    ("Рославль", "roslavl", "smolensk-region", True),
)
# (slug, industries, «кластер …» in the genitive, short name's ending, what they do)
LARGE_THEMES = (
    (
        "wood",
        ("woodworking",),
        "деревообработки и мебельного производства",
        "Древ",
        "глубокая переработка древесины, мебель и деревянное домостроение",
    ),
    (
        "food",
        ("food-industry", "agro-biotech"),
        "пищевой промышленности",
        "Агропрод",
        "переработка молока, мяса и овощей, новые продукты и общие каналы сбыта",
    ),
    (
        "it",
        ("it",),
        "информационных технологий",
        "ИТ",
        "заказная разработка, цифровизация предприятий региона и подготовка программистов",
    ),
    (
        "machinery",
        ("machine-building",),
        "машиностроения и металлообработки",
        "Маш",
        "кооперация по узлам и деталям, общий инжиниринговый центр и испытания",
    ),
    (
        "textile",
        ("light-industry",),
        "лёгкой промышленности",
        "Текстиль",
        "льноводство, ткани и одежда, общий дизайн-центр и выход на маркетплейсы",
    ),
    (
        "tourism",
        ("tourism",),
        "туризма и гостеприимства",
        "Тур",
        "агроусадьбы, маршруты выходного дня и событийный туризм",
    ),
    (
        "logistics",
        ("logistics",),
        "транспорта и логистики",
        "Лог",
        "складская логистика, перевозки и таможенное оформление для участников",
    ),
    (
        "pharma",
        ("pharma", "biotech"),
        "фармацевтики и медицинских изделий",
        "Фарм",
        "лекарственные растения, субстанции и изделия медицинского назначения",
    ),
    (
        "energy",
        ("energy", "green-economy"),
        "энергосбережения и возобновляемой энергетики",
        "Энерго",
        "биогаз, солнечные станции и энергоаудит предприятий",
    ),
    (
        "building",
        ("building-materials", "composites"),
        "строительных материалов",
        "Строй",
        "бетон, стеновые материалы и композитная арматура для региональных строек",
    ),
)
LARGE_STAGES = (
    InitiativePage.Stage.ACTIVE,
    InitiativePage.Stage.ACTIVE,
    InitiativePage.Stage.FORMING,
    InitiativePage.Stage.INITIATIVE_GROUP,
    InitiativePage.Stage.ACTIVE,
    InitiativePage.Stage.FORMING,
    InitiativePage.Stage.ACTIVE,
    InitiativePage.Stage.CLOSING,
)
LARGE_CONTACTS = (
    "Сергей Ковалёв",
    "Ольга Миронова",
    "Дмитрий Лукашевич",
    "Наталья Гусева",
    "Павел Жуковский",
    "Елена Сидоренко",
    "Андрей Климович",
    "Ирина Шевчук",
    "Виктор Малиновский",
    "Татьяна Бондаренко",
    "Максим Левчук",
)


def _large_spec(n: int) -> dict:
    """The fields of the n-th generated initiative (distinct slugs: the number is in it)."""
    town, town_slug, region, russian = LARGE_TOWNS[n % len(LARGE_TOWNS)]
    theme_slug, industries, of_what, ending, doing = LARGE_THEMES[
        (n + n // len(LARGE_TOWNS) * 3) % len(LARGE_THEMES)
    ]
    stage = LARGE_STAGES[n % len(LARGE_STAGES)]
    founded = 2015 + n % 10
    if stage in (InitiativePage.Stage.ACTIVE, InitiativePage.Stage.CLOSING):
        title = f"Инновационно-промышленный кластер {of_what} в г. {town}"
    else:
        title = f"Кластерная инициатива в сфере {of_what} в г. {town}"
    short_name = f"{town}-{ending}"
    members = 12 + (n * 7) % 40
    projects = 2 + n % 9
    summary = (
        f"Предприятия, научные организации и учреждения образования г. {town} и региона "
        f"вместе развивают направление: {doing}. Участники готовят совместные проекты, "
        "делятся оборудованием и ищут партнёров на платформе."
    )
    body = [
        _h("О кластере"),
        _p(
            f"Кластер {of_what} объединяет организации г. {town} и соседних районов. "
            f"Основные направления работы: {doing}.",
            "Участники встречаются на рабочих встречах и семинарах, обсуждают проекты в "
            "общей группе и подают совместные заявки на софинансирование.",
        ),
        _figures(
            "Кластер в цифрах",
            (str(founded), "год создания"),
            (str(members), "организаций-участников"),
            (str(projects), "проектов в портфеле"),
        ),
    ]
    code = "+7 9" if russian else "+375 29 "
    return {
        "slug": f"{LARGE_SLUG_PREFIX}{n + 1:02d}-{town_slug}-{theme_slug}",
        "title": title,
        "short_name": short_name,
        "summary": summary,
        "body": body,
        "region": region,
        "industries": industries,
        "stage": stage,
        "website": f"https://{town_slug}-{theme_slug}.example.org/" if n % 3 else "",
        "contact_name": LARGE_CONTACTS[n % len(LARGE_CONTACTS)],
        "contact_role": ADMIN_ROLE,
        "contact_email": f"cluster{n + 1:02d}@example.org",
        "contact_phone": f"{code}{100 + n:03d} {10 + n % 90:02d} {20 + n % 70:02d}",
    }


def seed_large_initiatives(ctx: DemoContext) -> None:
    """Generated initiatives under /initiatives/ until there are ``ctx.volumes.initiatives``
    with the demo's own, added live one by one without revisions (a few dozen pages:
    ``add_child`` takes seconds in all, indexes them for search, and its post_save signal
    makes each one's Wagtail group as an editor's would); public since the start of the
    preset's months.
    ``ctx.objects["initiatives"]`` then holds them too (for the later bulk steps, never the
    hand-written demo, which has run), and ``ctx.objects["large_initiatives"]`` only them.
    Made once: nothing when a generated initiative exists."""
    index = ctx.objects.get("initiative_index")
    if index is None:
        return
    existing = list(
        InitiativePage.objects.child_of(index)
        .filter(slug__startswith=LARGE_SLUG_PREFIX)
        .order_by("path")
    )
    if not existing:
        wanted = ctx.volumes.initiatives - len(ctx.objects.get("initiatives", {}))
        if wanted <= 0:
            return
        regions = {
            slug: _snippet(ctx, Region, "regions", slug, name)
            for slug, name in {**REGIONS, **LARGE_REGIONS}.items()
        }
        industries = {
            slug: _snippet(ctx, Industry, "industries", slug, name)
            for slug, name in {**INDUSTRIES, **LARGE_INDUSTRIES}.items()
        }
        opened = ctx.now - datetime.timedelta(days=ctx.volumes.days + 30)
        for n in range(wanted):
            spec = _large_spec(n)
            page = InitiativePage(
                **{k: v for k, v in spec.items() if k not in ("region", "industries")},
                region=regions[spec["region"]],
            )
            page.industries = [industries[slug] for slug in spec["industries"]]
            # Live without a revision: a revision and its publication saved each page twice
            # more (search index, signals), 0.6 s a page on a busy machine.
            page.live = True
            page.first_published_at = page.last_published_at = opened
            index.add_child(instance=page)
            existing.append(page)
        ctx.add("initiatives", len(existing))
    generated = {page.slug: page for page in existing}
    ctx.objects["initiatives"] = {**ctx.objects.get("initiatives", {}), **generated}
    ctx.objects["large_initiatives"] = list(generated.values())
