"""English becomes a content language (issue 17): pages may have English versions.

Wagtail made the Russian locale (LANGUAGE_CODE) when it was installed; this adds English so
editors can translate into it from the first deploy, without a step in the languages' admin.
"""

from django.db import migrations


def add_english(apps, schema_editor):
    Locale = apps.get_model("wagtailcore", "Locale")
    Locale.objects.get_or_create(language_code="en")


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0004_share_fields"),
        ("wagtailcore", "0054_initial_locale"),
    ]

    operations = [migrations.RunPython(add_english, migrations.RunPython.noop)]
