"""Demo page tree: home page content, «О платформе», privacy policy, contacts, site settings.

Texts are drawn from the seed documents (seed 000 «Основная задача» and «Основные
возможности»; seed 002 on the platform's actors; seed 001 on what guests and members get).
"""

from __future__ import annotations

from wagtail.models import Site

from core.demo import DemoContext

from .models import HomePage, SiteSettings, StandardPage

PURPOSE = (
    "Организовать возможность создания новых форматов общения и развития, которая "
    "автоматизирует процесс взаимодействия участников кластера"
)

FEATURES = [
    (
        "Личный кабинет участника кластерной ИТ-платформы",
        "Регистрация по email или через социальные сети, профиль участника и заявка на "
        "вступление в кластерную инициативу.",
    ),
    (
        "Общение участников платформы",
        "Онлайн-чат участников между собой, с администраторами кластерных инициатив и "
        "администратором платформы.",
    ),
    (
        "Взаимодействие в общей группе инициативы",
        "Анонсы мероприятий, отчёты о прошедших, новости, предложения и общие документы.",
    ),
    (
        "Email-рассылка",
        "Оповещения о действиях других участников кластера.",
    ),
]


def _p(*paragraphs: str) -> dict:
    return {"type": "paragraph", "value": "".join(f"<p>{text}</p>" for text in paragraphs)}


def _h(text: str) -> dict:
    return {"type": "heading", "value": {"text": text, "level": "h2"}}


def home_sections() -> list[dict]:
    return [
        {
            "type": "features",
            "value": {
                "heading": "Основные возможности",
                "features": [{"title": t, "text": x} for t, x in FEATURES],
            },
        },
        {"type": "initiatives", "value": {"heading": "Кластерные инициативы", "count": 4}},
        {"type": "events", "value": {"heading": "Ближайшие мероприятия", "count": 3}},
        {"type": "news", "value": {"heading": "Новости", "count": 3}},
        {"type": "ideas", "value": {"heading": "Биржа идей", "count": 3}},
        {
            "type": "call_to_action",
            "value": {
                "title": "Станьте участником кластера",
                "text": (
                    "Зарегистрируйтесь, заполните профиль в личном кабинете и оставьте заявку "
                    "на вступление в кластерную инициативу. После подтверждения "
                    "администратором вам откроются общая группа, список участников и чат."
                ),
                "page": None,
                "url": "/accounts/signup/",
                "button_label": "Зарегистрироваться",
            },
        },
    ]


ABOUT_INTRO = (
    "Кластерная ИТ-платформа — цифровая площадка взаимодействия участников "
    "инновационно-промышленных кластеров Беларуси и России."
)
ABOUT_BODY = [
    _p(
        "Инновационно-промышленный кластер — объединение субъектов хозяйствования с целью "
        "их эффективного взаимодействия и совместного устойчивого развития на основе "
        "кооперации крупных научно-исследовательских и опытно-экспериментальных центров и "
        "учреждений образования, обеспечивающих создание, производство и вывод на рынок "
        "инновационного продукта.",
        "Платформа поддерживает деятельность кластера на всех этапах его жизненного цикла: "
        "от инициативной группы до действующего кластера. Одна платформа обслуживает "
        "несколько кластеров, и для каждого настраивается свой набор сервисов.",
    ),
    _h("Кто пользуется платформой"),
    _p(
        "Центр кластерного развития — владелец платформы: регистрирует кластерные "
        "инициативы, назначает их администраторов и обеспечивает работу сервисов.",
        "Организации кластерного развития и администраторы кластерных инициатив "
        "принимают заявки на вступление, приглашают новых участников и ведут общую группу.",
        "Участники кластера — компании, университеты, научные организации и органы "
        "управления — общаются между собой, делятся документами и новостями, участвуют в "
        "мероприятиях и в биржe идей.",
    ),
    _h("Что доступно гостям и участникам"),
    _p(
        "Гость может узнать общую информацию о кластерных инициативах и их участниках, "
        "прочитать новости, посмотреть ближайшие мероприятия и биржу идей.",
        "Регистрация даёт больше возможностей и нужна, чтобы подать заявку на вступление в "
        "кластерную инициативу. Максимальный функционал — общая группа, список участников и "
        "чат — доступен тем, кто уже имеет статус участника кластера.",
    ),
    {
        "type": "quote",
        "value": {
            "text": (
                "Задача сайта даже не столько обеспечить информационную поддержку, сколько "
                "стать платформой взаимодействия и между участниками кластера, и с внешним "
                "миром."
            ),
            "attribution": "Из выступления на презентации платформы Новополоцкого кластера",
        },
    },
]

PRIVACY_INTRO = "Как платформа обрабатывает персональные данные пользователей и кто их видит."
PRIVACY_BODY = [
    _h("Какие данные мы обрабатываем"),
    _p(
        "Адрес электронной почты, имя и фамилия, название организации, должность, контактный "
        "номер телефона, фотография — то, что пользователь сам указывает в личном кабинете, — "
        "а также сведения о членстве в кластерных инициативах, сообщения и материалы, "
        "размещённые пользователем на платформе."
    ),
    _h("Для чего"),
    _p(
        "Для регистрации и входа на платформу, рассмотрения заявки на вступление в кластерную "
        "инициативу, взаимодействия участников в общей группе и в чате, а также для "
        "email-рассылки об действиях других участников, если пользователь на неё подписан."
    ),
    _h("Кто видит ваши данные"),
    _p(
        "До подтверждения заявки персональные данные пользователя (email, телефон, фото, "
        "организация, должность) не доступны никому, кроме самого пользователя, "
        "администратора портала и администраторов кластерной инициативы, в которую подана "
        "заявка.",
        "После подтверждения они видны участникам той же кластерной инициативы. Гости сайта "
        "персональные данные не видят никогда.",
    ),
    _h("Согласие и его отзыв"),
    _p(
        "Обработка персональных данных ведётся на основании согласия пользователя, которое он "
        "даёт при регистрации, в соответствии с Законом Республики Беларусь «О защите "
        "персональных данных». Пользователь может в любой момент скачать свои данные, "
        "отозвать согласие или удалить учётную запись в личном кабинете.",
    ),
    _h("Что остаётся после удаления учётной записи"),
    _p(
        "Вместе с учётной записью удаляются профиль, фотография, членство в кластерных "
        "инициативах, согласия, приглашения, отправленные на адрес пользователя, и название "
        "организации, если в ней больше никто не состоит. В приглашениях, которые "
        "пользователь отправил как администратор, ссылка на него стирается.",
        "Остаются только сообщения и комментарии, которые пользователь написал в общих "
        "группах, вместе с приложенными файлами: они показываются без автора, с подписью "
        "«Удалённый пользователь». Больше ничего о пользователе не хранится.",
    ),
]

CONTACTS_INTRO = "Центр кластерного развития — владелец и администратор платформы."
CONTACTS_BODY = [
    _p(
        "По вопросам работы платформы, регистрации кластерной инициативы и подключения "
        "сервисов обращайтесь к администратору портала.",
        "По вопросам вступления в кластерную инициативу пишите её администратору: контакты "
        "указаны на странице инициативы.",
    ),
]


def seed(ctx: DemoContext) -> None:
    home = HomePage.objects.first()
    if home is None:
        raise RuntimeError("The home page is missing: run `manage.py migrate` first.")
    if not home.sections.raw_data:
        # The migration made a bare home page; fill its sections once.
        home.purpose_text = home.purpose_text or PURPOSE
        home.sections = home_sections()
        home.save_revision().publish()
        ctx.count("pages", True)
    ctx.objects["home_page"] = home

    about = ctx.ensure_page(
        home, StandardPage(title="О платформе", slug="about", intro=ABOUT_INTRO, body=ABOUT_BODY)
    )
    privacy = ctx.ensure_page(
        home,
        StandardPage(
            title="Политика обработки персональных данных",
            slug="privacy",
            intro=PRIVACY_INTRO,
            body=PRIVACY_BODY,
        ),
    )
    contacts = ctx.ensure_page(
        home,
        StandardPage(title="Контакты", slug="contacts", intro=CONTACTS_INTRO, body=CONTACTS_BODY),
    )
    ctx.objects.update(about_page=about, privacy_page=privacy, contacts_page=contacts)

    site = Site.objects.get(is_default_site=True)
    site_settings = SiteSettings.for_site(site)
    if not site_settings.organisation_name:
        site_settings.organisation_name = "Центр кластерного развития"
        site_settings.contact_email = "platform@example.org"
        site_settings.contact_phone = "+375 17 000-00-00"
        site_settings.address = "Республика Беларусь"
        site_settings.privacy_policy_page = privacy
        site_settings.save()
    # Apart from the block above, so sites seeded before the footer had these fields get them.
    if site_settings.about_page_id is None or site_settings.contacts_page_id is None:
        site_settings.about_page_id = site_settings.about_page_id or about.pk
        site_settings.contacts_page_id = site_settings.contacts_page_id or contacts.pk
        site_settings.save()
    # The pages it promotes are made by later seeders (ideas exchange, events).
    ctx.later(seed_search_promotions)


# Wagtail's search promotions (home/promotions.py): query → (slug of a child of the home page,
# why it is promoted). «Вступить» leads to the initiatives' list: one joins an initiative from
# its page («Вступить в инициативу»), and the sign-up is asked for on the way.
SEARCH_PROMOTIONS = [
    ("Биржа идей", "ideas", "Запросы, предложения и проекты участников кластерных инициатив."),
    ("Мероприятия", "events", "Ближайшие и прошедшие мероприятия, календарь и план."),
    (
        "Вступить",
        "initiatives",
        "Выберите кластерную инициативу и подайте заявку на вступление на её странице.",
    ),
]


def seed_search_promotions(ctx: DemoContext) -> None:
    """Each query's promotion, once: a query that exists already (an editor may have changed
    or removed its promotions since) is left alone."""
    from wagtail.contrib.search_promotions.models import Query, SearchPromotion
    from wagtail.models import Page
    from wagtail.search.utils import normalise_query_string

    home = ctx.objects.get("home_page") or HomePage.objects.first()
    for text, slug, description in SEARCH_PROMOTIONS:
        # child_of, not get_children: that trusts the instance's numchild, which later
        # seeders' pages left stale.
        page = Page.objects.child_of(home).filter(slug=slug).first()
        if page is None:
            continue
        query, created = Query.objects.get_or_create(query_string=normalise_query_string(text))
        if created:
            SearchPromotion.objects.create(
                query=query, page=page, description=description, sort_order=0
            )
            ctx.count("search promotions", True)
