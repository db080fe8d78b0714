"""English versions of demo pages (issue 17): the home page, two initiatives and three news.

They are made the way an editor makes them in Wagtail admin: wagtail-localize's translation
of the Russian page, with its strings translated and published. The English texts below are
keyed on the Russian strings; a string with no English text here stays untranslated (the
editor sees it in the translation's progress, and the page shows the Russian string), as the
Polotsk initiative's body does on purpose.

Idempotent: a page that already has an English version is left as it is (an editor may have
changed it).
"""

from __future__ import annotations

from wagtail.models import Locale
from wagtail_localize.models import StringSegment, StringTranslation, Translation, TranslationSource

from core.demo import DemoContext
from core.locales import originals
from home.models import HomePage

from .demo import GORKI, POLOTSK

# Russian string → English. Paragraphs of rich text are segments of their own.
ENGLISH: dict[str, str] = {
    # The home page.
    "Кластерная ИТ-платформа": "Cluster IT platform",
    "Основная задача": "Our purpose",
    (
        "Организовать возможность создания новых форматов общения и развития, которая "
        "автоматизирует процесс взаимодействия участников кластера"
    ): (
        "New ways for cluster members to meet and grow together, with the routine of "
        "working together automated"
    ),
    "Основные возможности": "What the platform offers",
    "Личный кабинет участника кластерной ИТ-платформы": "A personal account for every member",
    (
        "Регистрация по email или через социальные сети, профиль участника и заявка на "
        "вступление в кластерную инициативу."
    ): (
        "Sign up with an e-mail address or a social network, fill in your profile and apply "
        "to join a cluster initiative."
    ),
    "Общение участников платформы": "Members talk to each other",
    (
        "Онлайн-чат участников между собой, с администраторами кластерных инициатив и "
        "администратором платформы."
    ): (
        "Real-time chat between members, with the initiatives' administrators and with the "
        "platform's administrator."
    ),
    "Взаимодействие в общей группе инициативы": "The initiative's common group",
    "Анонсы мероприятий, отчёты о прошедших, новости, предложения и общие документы.": (
        "Event announcements and reports, news, proposals and shared documents."
    ),
    "Email-рассылка": "E-mail notifications",
    "Оповещения о действиях других участников кластера.": (
        "Notices about what other members of the cluster do."
    ),
    "Кластерные инициативы": "Cluster initiatives",
    "Ближайшие мероприятия": "Upcoming events",
    "Новости": "News",
    "Биржа идей": "Ideas exchange",
    "Станьте участником кластера": "Join a cluster",
    (
        "Зарегистрируйтесь, заполните профиль в личном кабинете и оставьте заявку "
        "на вступление в кластерную инициативу. После подтверждения "
        "администратором вам откроются общая группа, список участников и чат."
    ): (
        "Sign up, fill in your profile and apply to a cluster initiative. Once its "
        "administrator approves you, its common group, member directory and chat open to you."
    ),
    "Зарегистрироваться": "Sign up",
    # Горки.
    GORKI.title: (
        "Innovation and industrial cluster of agricultural biotechnology and the green economy "
        "of the Gorki district, based at the Belarusian State Agricultural Academy and "
        "Technopark Gorki"
    ),
    GORKI.short_name: "Gorki",
    GORKI.contact_name: "Andrei Timaev",
    GORKI.contact_role: "Administrator of the cluster initiative",
    GORKI.contact_phone: GORKI.contact_phone,
    POLOTSK.contact_name: "Ivan Ivanov",
    POLOTSK.contact_phone: POLOTSK.contact_phone,
    GORKI.summary: (
        "The cluster brings together the Belarusian State Agricultural Academy, Technopark "
        "Gorki and its residents around agricultural biotechnology and the green economy. The "
        "technopark helps research-based companies go from development to market and gives its "
        "residents tax benefits."
    ),
    "Первый шаг — технопарк": "The first step: a technopark",
    (
        "Первым шагом в формировании инновационно-промышленного кластера в области "
        "аграрных биотехнологий и «зелёной» экономики стало создание ООО «Технопарк "
        "«Горки» как субъекта инновационной инфраструктуры — научно-технологического "
        "парка. Он основан в 2017 году на базе крупнейшего аграрного многопрофильного "
        "вуза стран СНГ и Европы — Белорусской государственной сельскохозяйственной "
        "академии."
    ): (
        "The first step in forming the cluster was Technopark Gorki, a science and technology "
        "park founded in 2017 at the Belarusian State Agricultural Academy, the largest "
        "agricultural university of the CIS and Europe."
    ),
    (
        "Вокруг технопарка складывается цепочка создания ценности: учёные академии "
        "ведут исследования, резиденты превращают их в продукты, а сельскохозяйственные "
        "организации Горецкого района и Могилёвской области становятся первыми "
        "потребителями."
    ): (
        "A value chain is growing around the technopark: the academy's scientists do the "
        "research, residents turn it into products, and the farms of the Gorki district and "
        "the Mogilev region are the first customers."
    ),
    (
        "Миссия технопарка — создание условий для развития наукоёмких организаций "
        "(резидентов) и оказание помощи в осуществлении ими инновационной деятельности "
        "от разработки нововведения до его освоения и коммерциализации."
    ): (
        "The technopark's mission is to help research-based companies (its residents) grow "
        "and innovate, from developing a new product to bringing it to market."
    ),
    "Миссия ООО «Технопарк «Горки»": "The mission of Technopark Gorki",
    "Преференции для резидентов": "Benefits for residents",
    (
        "Резиденты технопарка освобождаются от налогов на землю и недвижимость, а при "
        "общей системе налогообложения платят налог на прибыль по ставке 10 % вместо "
        "18 %. Кроме того, действуют и другие льготы, предусмотренные для резидентов "
        "научно-технологических парков."
    ): (
        "Residents pay no land or property tax and, under the general tax system, pay 10 % "
        "profit tax instead of 18 %, besides the other benefits of science and technology "
        "park residents."
    ),
    "Кластер в цифрах": "The cluster in figures",
    "2017": "2017",
    "год основания Технопарка «Горки»": "Technopark Gorki founded",
    "10 %": "10 %",
    "налог на прибыль для резидентов вместо 18 %": "profit tax for residents instead of 18 %",
    "12": "12",
    "участников общей группы кластера": "members in the cluster's common group",
    # Полоцк: the card only; its body stays untranslated.
    POLOTSK.title: "Innovation and industrial composites cluster in Polotsk",
    POLOTSK.short_name: "Polotsk Composites",
    POLOTSK.summary: (
        "Companies, universities and research institutes of Polotsk are preparing a cluster "
        "that makes and uses composite materials. They are agreeing on its members, its value "
        "chain and the first joint projects."
    ),
    # Three news of Горки.
    "Технопарк «Горки» на выставке «Белагро»": "Technopark Gorki at the Belagro exhibition",
    (
        "Резиденты технопарка и учёные академии представили на международной "
        "выставке «Белагро» в Минске разработки в области аграрных биотехнологий."
    ): (
        "The technopark's residents and the academy's scientists showed their agricultural "
        "biotechnology at the international Belagro exhibition in Minsk."
    ),
    (
        "На объединённом стенде кластера посетители увидели биологические "
        "препараты для защиты растений, оздоровленный посадочный материал, "
        "полученный методом микроклонального размножения, и технологию "
        "переработки отходов животноводства в органические удобрения."
    ): (
        "At the cluster's joint stand visitors saw biological crop protection, healthy "
        "planting stock grown by micropropagation, and a process that turns livestock waste "
        "into organic fertiliser."
    ),
    (
        "За дни выставки участники кластера провели более тридцати переговоров "
        "с сельскохозяйственными организациями и перерабатывающими предприятиями; "
        "с тремя из них договорились об опытных поставках в новом сезоне."
    ): (
        "Over the exhibition the members held more than thirty meetings with farms and "
        "processors, and agreed trial deliveries for the new season with three of them."
    ),
    (
        "Контакты, собранные на выставке, администратор кластерной инициативы "
        "разместил в общей группе, чтобы каждый участник мог продолжить "
        "переговоры по своему направлению."
    ): (
        "The initiative's administrator posted the contacts made at the exhibition in the "
        "common group, so every member can follow up in their own field."
    ),
    "Круглый стол о «зелёной» экономике в аграрном секторе": (
        "Round table on the green economy in agriculture"
    ),
    (
        "В академии обсудили, как превратить отходы сельскохозяйственного "
        "производства в сырьё для новых продуктов и какие совместные проекты может "
        "взять на себя кластер."
    ): (
        "At the academy, participants discussed turning farm waste into raw material for new "
        "products, and which joint projects the cluster could take on."
    ),
    (
        "В круглом столе приняли участие преподаватели и научные сотрудники "
        "академии, резиденты технопарка, руководители сельскохозяйственных "
        "организаций Горецкого района и представители районного исполнительного "
        "комитета."
    ): (
        "Lecturers and researchers of the academy, technopark residents, heads of farms of "
        "the Gorki district and the district executive committee took part."
    ),
    (
        "Участники обсудили получение биогаза и органических удобрений из "
        "отходов животноводства, переработку соломы и сокращение применения "
        "химических средств защиты растений за счёт биопрепаратов."
    ): (
        "They discussed biogas and organic fertiliser from livestock waste, processing straw, "
        "and using biological products instead of chemical crop protection."
    ),
    (
        "По итогам круглого стола в портфель проектов кластера включены две "
        "новые идеи; их авторы приглашены представить проекты на следующей "
        "рабочей встрече."
    ): (
        "Two new ideas joined the cluster's project portfolio; their authors will present "
        "them at the next working meeting."
    ),
    "Новый резидент Технопарка «Горки»": "A new resident of Technopark Gorki",
    (
        "Статус резидента технопарка получила компания, которая разрабатывает "
        "биопрепараты для защиты растений на основе местных штаммов микроорганизмов."
    ): (
        "A company developing biological crop protection from local strains of "
        "microorganisms has become a technopark resident."
    ),
    (
        "Компанию создали выпускники и сотрудники Белорусской государственной "
        "сельскохозяйственной академии. Она разрабатывает биологические препараты "
        "для защиты растений и стимуляторы роста на основе штаммов "
        "микроорганизмов, выделенных из почв Могилёвской области."
    ): (
        "Graduates and staff of the Belarusian State Agricultural Academy founded the company. "
        "It develops crop protection and growth stimulants from strains of microorganisms "
        "found in the soils of the Mogilev region."
    ),
    (
        "Как резидент научно-технологического парка компания освобождается от "
        "налогов на землю и недвижимость и платит налог на прибыль по ставке 10 % "
        "вместо 18 %. Технопарк предоставит ей офис и доступ к лабораториям "
        "академии и поможет найти первых покупателей."
    ): (
        "As a resident it pays no land or property tax and 10 % profit tax instead of 18 %. "
        "The technopark gives it an office, access to the academy's laboratories and help "
        "finding its first customers."
    ),
    (
        "Полевые испытания первых препаратов пройдут весной на опытных полях "
        "академии. Участники кластера, заинтересованные в сотрудничестве, могут "
        "написать администратору кластерной инициативы через платформу."
    ): (
        "Field trials of the first products take place in spring on the academy's trial "
        "fields. Members who would like to work with the company can write to the "
        "initiative's administrator on the platform."
    ),
}
# The tag names stay Russian (tags are shared by both languages).

TRANSLATED_NEWS = [news.slug for news in GORKI.news]


def seed(ctx: DemoContext) -> None:
    english = Locale.objects.filter(language_code="en").first()
    if english is None:
        return
    home = originals(HomePage.objects.all()).first()
    initiatives = ctx.objects.get("initiatives", {})
    pages = [home]
    for spec in (GORKI, POLOTSK):
        initiative = initiatives.get(spec.slug)
        if initiative is None:
            continue
        pages.append(initiative)
        if spec is GORKI:
            pages += list(
                initiative.get_children().filter(slug__in=TRANSLATED_NEWS).order_by("path")
            )
    for page in pages:
        if page is not None:
            english_version(ctx, page.specific, english)


def english_version(ctx: DemoContext, page, locale: Locale):
    """The published English version of ``page`` with the strings ENGLISH knows; the existing
    one if there is one (an alias made for a child is converted into a translation)."""
    existing = page.get_translations().filter(locale=locale, alias_of__isnull=True).first()
    if existing is not None:
        return existing
    source, _created = TranslationSource.get_or_create_from_instance(page)
    Translation.objects.get_or_create(source=source, target_locale=locale)
    for segment in StringSegment.objects.filter(source=source).select_related("string", "context"):
        # The English address keeps the Russian one's slug: /en/ + the same path.
        path = segment.context.path if segment.context_id else ""
        text = segment.string.data if path == "slug" else ENGLISH.get(segment.string.data)
        if text:
            StringTranslation.objects.get_or_create(
                translation_of=segment.string,
                locale=locale,
                context_id=segment.context_id,
                defaults={"data": text},
            )
    # Not wagtail-localize's publish, which waits for the transaction's commit: the demo's
    # pages are published at once, like every other seeder's.
    translated, _created = source.create_or_update_translation(
        locale, publish=False, fallback=True, copy_parent_pages=True
    )
    translated.get_latest_revision().publish()
    ctx.count("pages", True)
    return translated
