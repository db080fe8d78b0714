"""Replace Wagtail's placeholder «Welcome» page with the platform's home page.

The page is created with the purpose text of seed 000 so a fresh installation has a working
site before any demo data; ``seed_demo`` fills in the rest.
"""

import uuid

from django.db import migrations

PURPOSE = (
    "Организовать возможность создания новых форматов общения и развития, которая "
    "автоматизирует процесс взаимодействия участников кластера"
)


def create_homepage(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    Site = apps.get_model("wagtailcore.Site")
    Locale = apps.get_model("wagtailcore.Locale")
    HomePage = apps.get_model("home.HomePage")

    if HomePage.objects.exists():
        return
    page_type = ContentType.objects.get(model="page", app_label="wagtailcore")
    Page.objects.filter(content_type=page_type, slug="home", depth=2).delete()

    locale = Locale.objects.order_by("pk").first() or Locale.objects.create(language_code="ru")
    homepage_type, _ = ContentType.objects.get_or_create(model="homepage", app_label="home")
    root = Page.objects.get(depth=1)
    # The tree is built by hand here (migrations have no treebeard API): the placeholder was
    # the root's only child, so the new page takes its path.
    homepage = HomePage.objects.create(
        title="Кластерная ИТ-платформа",
        draft_title="Кластерная ИТ-платформа",
        slug="home",
        content_type=homepage_type,
        path=f"{root.path}0001",
        depth=2,
        numchild=0,
        url_path="/home/",
        locale=locale,
        translation_key=uuid.uuid4(),
        live=True,
        purpose_label="Основная задача",
        purpose_text=PURPOSE,
    )
    Page.objects.filter(pk=root.pk).update(numchild=1)
    Site.objects.all().delete()
    Site.objects.create(
        hostname="localhost", port=80, root_page_id=homepage.pk, is_default_site=True,
        site_name="Кластерная ИТ-платформа",
    )


def remove_homepage(apps, schema_editor):
    HomePage = apps.get_model("home.HomePage")
    HomePage.objects.filter(slug="home", depth=2).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(create_homepage, remove_homepage),
    ]
