"""The editor's English version of a page with wagtail-localize (issue 17): «Перевести» makes it
from the Russian page, the editor sees what is untranslated, translates, publishes, and syncs
the changes of the Russian page. Who may do it: editors and portal admins only.
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from wagtail.models import Locale
from wagtail_localize.models import StringSegment, StringTranslation, Translation

from tests.conftest import EXTRANET_ROLES
from tests.factories import NewsPageFactory

pytestmark = pytest.mark.django_db

# The people who make English versions: they hold wagtail_localize.submit_translation.
TRANSLATORS = {"editor", "portal_admin"}


@pytest.fixture
def item(gorki):
    return NewsPageFactory(
        parent=gorki, title="Открыта лаборатория семян", intro="Горки открыли лабораторию."
    )


def _submit(client, page):
    english = Locale.objects.get(language_code="en")
    url = reverse("wagtail_localize:submit_page_translation", args=[page.pk])
    return client.post(url, {"locales": [english.pk]})


def _translation(page) -> Translation:
    return Translation.objects.get(
        source__object_id=page.translation_key, target_locale__language_code="en"
    )


@pytest.mark.parametrize("role", EXTRANET_ROLES)
def test_only_editors_may_start_an_english_version(role, people, client_for, item):
    """The «Перевести» form answers editors and portal admins; everyone else is refused (guests
    to the login, the rest 403 or sent away from the admin) and no English page appears."""
    client = client_for(people[role])
    url = reverse("wagtail_localize:submit_page_translation", args=[item.pk])
    response = client.get(url)
    if role in TRANSLATORS:
        assert response.status_code == 200
    else:
        assert response.status_code in (302, 403)
        _submit(client, item)
        assert not item.get_translations().exists()


def test_editor_translates_sees_progress_publishes_and_syncs(
    people, client_for, item, django_capture_on_commit_callbacks
):
    """The whole round: the editor starts the English version (a draft in Russian), the
    translation shows every string untranslated, the editor translates them and publishes;
    then the Russian page changes, «Синхронизировать» brings the new string in untranslated,
    and the English page keeps the translated ones."""
    client = client_for(people["editor"])
    assert _submit(client, item).status_code == 302
    translation = _translation(item)
    total, done = translation.get_progress()
    assert total >= 2 and done == 0  # title and intro at least, none translated yet

    # The translation editor opens on the English page's edit view.
    english_page = item.get_translation(Locale.objects.get(language_code="en"))
    assert client.get(reverse("wagtailadmin_pages:edit", args=[english_page.pk])).status_code == 200

    english_texts = {
        "Открыта лаборатория семян": "Seed laboratory opens",
        "Горки открыли лабораторию.": "Gorki opened a laboratory.",
    }
    for segment in StringSegment.objects.filter(source=translation.source).select_related("string"):
        text = english_texts.get(segment.string.data, f"EN {segment.string.data}")
        StringTranslation.objects.create(
            translation_of=segment.string,
            locale=translation.target_locale,
            context=segment.context,
            data=text,
        )
    assert translation.get_progress()[1] == translation.get_progress()[0]
    with django_capture_on_commit_callbacks(execute=True):  # wagtail-localize publishes on commit
        translation.save_target(user=people["editor"], publish=True)
    english_page.refresh_from_db()
    assert english_page.live and english_page.title == "Seed laboratory opens"
    assert "Seed laboratory opens" in client.get(english_page.url).content.decode()

    # The Russian page changes: the sync view reads it again; the new lead is untranslated.
    item.intro = "Новый анонс."
    item.save_revision().publish()
    sync = reverse("wagtail_localize:update_translations", args=[translation.source.pk])
    assert client.get(sync).status_code == 200
    assert client.post(sync, {}).status_code == 302
    total, done = _translation(item).get_progress()
    assert done == total - 1
    english_page.refresh_from_db()
    assert english_page.title == "Seed laboratory opens"


def test_a_translation_keeps_the_original_initiative(people, client_for, gorki):
    """An English news item made under the English version of its initiative still belongs to
    the original initiative (lists by initiative, notices and permissions key on it)."""
    item = NewsPageFactory(parent=gorki, title="Новость")
    client = client_for(people["editor"])
    _submit(client, item)
    english_page = item.get_translation(Locale.objects.get(language_code="en")).specific
    assert english_page.get_parent().locale.language_code == "en"
    assert english_page.initiative_id == gorki.pk


@pytest.mark.parametrize("role", EXTRANET_ROLES)
def test_only_editors_may_sync_or_edit_a_translations_strings(
    role, people, client_for, item, django_capture_on_commit_callbacks
):
    """Once an editor started the English version, «Синхронизировать» and the translation
    editor's string endpoint answer editors and portal admins only; for everyone else the
    string stays untranslated."""
    _submit(client_for(people["editor"]), item)
    translation = _translation(item)
    segment = StringSegment.objects.filter(source=translation.source).first()
    client = client_for(people[role])
    sync = client.get(reverse("wagtail_localize:update_translations", args=[translation.source.pk]))
    edit = client.put(
        reverse("wagtail_localize:edit_string_translation", args=[translation.pk, segment.pk]),
        "value=Hacked",
        content_type="application/x-www-form-urlencoded",
    )
    translated = StringTranslation.objects.filter(translation_of=segment.string, data="Hacked")
    if role in TRANSLATORS:
        assert sync.status_code == 200
        assert edit.status_code in (200, 201) and translated.exists()
    else:
        assert sync.status_code in (302, 403) and edit.status_code in (302, 403)
        assert not translated.exists()
