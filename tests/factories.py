"""factory_boy factories shared by every test package."""

from __future__ import annotations

import datetime
from io import BytesIO

import factory
from django.contrib.auth.models import Group
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.models import Collection, Locale, Page, Site

from extranet.members.models import User
from extranet.members.permissions import EDITORS_GROUP, PORTAL_ADMINS_GROUP
from extranet.members.services import role_groups_ensure
from home.models import HomePage, StandardPage

PASSWORD = "correct-horse-battery"


def _groups_declaration(*default: str):
    """Put the user in ``groups=[...]`` names given to the factory, else in ``default``."""

    def add(obj, create, extracted, **kwargs):
        names = default if extracted is None else extracted
        if create and names:
            obj.groups.add(*Group.objects.filter(name__in=names))

    return factory.PostGeneration(add)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    class Params:
        female = factory.Faker("boolean")

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    # First and last name of one gender (Faker's unisex draws give «Ковалёв Марина»).
    first_name = factory.Maybe(
        "female",
        factory.Faker("first_name_female", locale="ru_RU"),
        factory.Faker("first_name_male", locale="ru_RU"),
    )
    last_name = factory.Maybe(
        "female",
        factory.Faker("last_name_female", locale="ru_RU"),
        factory.Faker("last_name_male", locale="ru_RU"),
    )
    password = factory.django.Password(PASSWORD)
    is_active = True

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        """Users get a verified primary e-mail (allauth) unless ``verified=False``."""
        if not create or extracted is False:
            return
        from allauth.account.models import EmailAddress

        EmailAddress.objects.get_or_create(
            user=obj, email=obj.email, defaults={"verified": True, "primary": True}
        )

    groups = _groups_declaration()


class EditorFactory(UserFactory):
    groups = _groups_declaration(EDITORS_GROUP)


class PortalAdminFactory(UserFactory):
    groups = _groups_declaration(PORTAL_ADMINS_GROUP)


class SuperuserFactory(UserFactory):
    is_superuser = True
    is_staff = True


class PageFactory(factory.django.DjangoModelFactory):
    """Pages are added under ``parent`` through the tree API and published."""

    class Meta:
        abstract = True

    title = factory.Sequence(lambda n: f"Страница {n}")
    slug = factory.Sequence(lambda n: f"page-{n}")

    @classmethod
    def _create(cls, model_class, *args, parent=None, publish=True, **kwargs):
        if parent is None:
            parent = ensure_home_page()
        page = model_class(*args, **kwargs)
        parent.add_child(instance=page)
        if publish:
            page.save_revision().publish()
        return page


class StandardPageFactory(PageFactory):
    class Meta:
        model = StandardPage

    intro = factory.Faker("sentence", locale="ru_RU")
    body = factory.LazyFunction(
        lambda: [{"type": "paragraph", "value": "<p>Текст страницы о кластерах.</p>"}]
    )


def ensure_home_page() -> HomePage:
    """The site's home page, rebuilt if a transactional test flushed the migrations' rows."""
    home = HomePage.objects.first()
    if home is not None:
        return home
    Locale.objects.get_or_create(language_code="ru")
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
    root = Page.get_first_root_node() or Page.add_root(
        instance=Page(title="Root", slug="root", live=True)
    )
    home = HomePage(
        title="Кластерная ИТ-платформа",
        slug="home",
        purpose_label="Основная задача",
        purpose_text="Организовать возможность создания новых форматов общения и развития",
    )
    root.add_child(instance=home)
    home.save_revision().publish()
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "port": 80, "root_page": home},
    )
    # The role groups hang page permissions on the root, so they could not be rebuilt earlier.
    role_groups_ensure()
    return home


# --- Initiatives ---------------------------------------------------------------------------


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "initiatives.Region"
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Область {n}")
    slug = factory.Sequence(lambda n: f"region-{n}")


class IndustryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "initiatives.Industry"
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Отрасль {n}")
    slug = factory.Sequence(lambda n: f"industry-{n}")


def _child_of_home(model_label: str, slug: str, title: str):
    """The home page's child of that type, created once (index pages are singletons)."""
    from django.apps import apps

    model = apps.get_model(model_label)
    existing = model.objects.first()
    if existing is not None:
        return existing
    page = model(title=title, slug=slug)
    home = ensure_home_page()
    home.add_child(instance=page)
    page.save_revision().publish()
    return page


def initiative_index():
    return _child_of_home("initiatives.InitiativeIndexPage", "initiatives", "Кластерные инициативы")


def news_index():
    return _child_of_home("initiatives.NewsIndexPage", "news", "Новости")


class InitiativePageFactory(PageFactory):
    class Meta:
        model = "initiatives.InitiativePage"

    title = factory.Sequence(lambda n: f"Инновационно-промышленный кластер №{n}")
    slug = factory.Sequence(lambda n: f"cluster-{n}")
    short_name = factory.Sequence(lambda n: f"Кластер {n}")
    summary = "Объединение предприятий, университетов и научных организаций региона."
    body = factory.LazyFunction(
        lambda: [{"type": "paragraph", "value": "<p>О кластере и его участниках.</p>"}]
    )
    region = factory.SubFactory(RegionFactory)
    website = "https://cluster.example.org/"
    contact_name = "Тимаев Андрей"
    contact_role = "Администратор кластерной инициативы"
    contact_email = "contact@cluster.example.org"
    contact_phone = "+375 29 527 8510"

    @classmethod
    def _create(cls, model_class, *args, parent=None, industries=(), **kwargs):
        page = model_class(*args, **kwargs)
        page.industries = list(industries)
        (parent or initiative_index()).add_child(instance=page)
        if kwargs.get("live", True):
            page.save_revision().publish()
        return page


class NewsPageFactory(PageFactory):
    class Meta:
        model = "initiatives.NewsPage"

    title = factory.Sequence(lambda n: f"Новость {n}")
    slug = factory.Sequence(lambda n: f"news-{n}")
    intro = "Короткий анонс новости."
    date = factory.Sequence(lambda n: datetime.date(2026, 1, 1) + datetime.timedelta(days=n))

    @classmethod
    def _create(cls, model_class, *args, parent=None, tags=(), publish=True, **kwargs):
        page = model_class(*args, **kwargs)
        (parent or news_index()).add_child(instance=page)
        if tags:
            page.tags.add(*tags)
            page.save()
        if publish:
            page.save_revision().publish()
        return page


def _png_bytes(colour=(13, 92, 99)) -> bytes:
    buffer = BytesIO()
    PILImage.new("RGB", (64, 64), colour).save(buffer, "PNG")
    return buffer.getvalue()


class ImageFactory(factory.django.DjangoModelFactory):
    """A real (tiny) Wagtail image, so renditions are generated as on the site."""

    class Meta:
        model = "wagtailimages.Image"

    title = factory.Sequence(lambda n: f"Изображение {n}")
    file = factory.LazyAttribute(
        lambda o: ImageFile(BytesIO(_png_bytes()), name=f"image-{abs(hash(o.title))}.png")
    )


# --- Members ---------------------------------------------------------------------------------


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "members.Organisation"

    name = factory.Sequence(lambda n: f"ООО «Организация {n}»")
    kind = "company"


class ProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "members.Profile"
        django_get_or_create = ("user",)

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    position = "Инженер"
    phone = factory.Sequence(lambda n: f"+37529{1000000 + n:07d}")


class MembershipFactory(factory.django.DjangoModelFactory):
    """A membership; ``status``/``role`` as given (default: an approved member)."""

    class Meta:
        model = "members.Membership"

    user = factory.LazyFunction(lambda: ProfileFactory().user)
    initiative = factory.SubFactory(InitiativePageFactory)
    status = "approved"
    role = "member"


# --- Feed ------------------------------------------------------------------------------------

# The smallest file every PDF reader opens: what attachments hold unless a test says otherwise.
MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


class PostFactory(factory.django.DjangoModelFactory):
    """A post by an approved member of ``initiative`` (made one when no author is given)."""

    class Meta:
        model = "feed.Post"

    initiative = factory.SubFactory(InitiativePageFactory)
    author = factory.LazyAttribute(lambda o: MembershipFactory(initiative=o.initiative).user)
    kind = "news"
    text = factory.Sequence(lambda n: f"Сообщение {n} в общей группе")


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "feed.Comment"

    post = factory.SubFactory(PostFactory)
    author = factory.LazyAttribute(lambda o: o.post.author)
    text = factory.Sequence(lambda n: f"Комментарий {n}")


class AttachmentFactory(factory.django.DjangoModelFactory):
    """A stored attachment (a small real PDF unless ``file__data``/``name`` say otherwise)."""

    class Meta:
        model = "feed.Attachment"

    post = factory.SubFactory(PostFactory)
    name = factory.Sequence(lambda n: f"Документ {n}.pdf")
    content_type = "application/pdf"
    file = factory.django.FileField(filename="document.pdf", data=MINIMAL_PDF)
    size = factory.LazyAttribute(lambda o: o.file.size)


def signup_form_data(**overrides) -> dict[str, str]:
    """What a person types into the sign-up form, valid as it is; ``None`` leaves a field out."""
    data = {
        "email": "new@example.com",
        "first_name": "Анна",
        "last_name": "Смирнова",
        "password1": "a-long-and-unusual-pass-42",
        "password2": "a-long-and-unusual-pass-42",
        "consent": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def translate_page(page, *, language: str = "en", publish: bool = True, **fields):
    """The English (or ``language``) version of ``page`` as wagtail-localize makes it: a copy in
    that locale (its untranslated parents become aliases), with ``fields`` set, published."""
    locale = Locale.objects.get(language_code=language)
    translation = page.specific.copy_for_translation(locale, copy_parents=True)
    for name, value in fields.items():
        setattr(translation, name, value)
    translation.save()
    if publish:
        translation.save_revision().publish()
    return translation
