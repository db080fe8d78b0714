"""Russian first, English second: the default language, the switch, and a complete catalogue."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent
CATALOGUES = sorted((ROOT / "locale" / "ru" / "LC_MESSAGES").glob("*.po"))

pytestmark = pytest.mark.django_db


def test_russian_is_the_default_and_english_lives_under_en(client, home_page):
    """/ is Russian (html lang, Russian labels); /en/ is the same page with English labels."""
    ru = client.get("/").content.decode()
    en = client.get("/en/").content.decode()
    assert '<html lang="ru"' in ru and "Регистрация" in ru
    assert '<html lang="en"' in en and "Sign up" in en and "Регистрация" not in en


def test_language_switch_goes_to_the_other_language_and_persists(client, home_page):
    """The switch redirects to the same page in the chosen language and remembers the choice."""
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/search/?q=x"})
    assert response.status_code == 302
    assert response["Location"] == "/en/search/?q=x"
    assert response.cookies["django_language"].value == "en"
    # Links on English pages keep the prefix, so the choice holds while browsing.
    html = client.get("/en/").content.decode()
    assert 'href="/en/search/' in html or 'action="/en/search/' in html

    back = client.post("/i18n/setlang/", {"language": "ru", "next": "/en/search/?q=x"})
    assert back["Location"] == "/search/?q=x"


def test_chosen_language_holds_on_unprefixed_addresses(client, home_page):
    """After choosing English, an unprefixed address redirects to its /en/ version;
    after choosing Russian again it is served as is. Admin and health stay put."""
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    response = client.get("/search/?q=x")
    assert response.status_code == 302
    assert response["Location"] == "/en/search/?q=x"
    assert client.get("/healthz").status_code == 200
    assert client.get("/robots.txt").status_code == 200
    client.post("/i18n/setlang/", {"language": "ru", "next": "/"})
    assert client.get("/search/?q=x").status_code == 200


def test_language_switch_rejects_foreign_redirects_and_unknown_languages(client, home_page):
    """`next` pointing to another site is ignored; an unknown language changes nothing."""
    response = client.post("/i18n/setlang/", {"language": "en", "next": "https://evil.example/"})
    assert response.status_code == 302
    assert "evil.example" not in response["Location"]
    response = client.post("/i18n/setlang/", {"language": "xx", "next": "/"})
    assert "django_language" not in response.cookies


def test_wagtail_admin_is_russian_for_editors(client, editor):
    """An editor with no language preference gets Wagtail admin in Russian."""
    client.force_login(editor)
    html = client.get("/admin/").content.decode()
    assert '<html lang="ru"' in html
    assert "Панель управления" in html or "Страницы" in html


def test_catalogue_is_complete():
    """Every message in the Russian catalogue is translated and none is fuzzy."""
    assert CATALOGUES, "locale/ru/LC_MESSAGES/django.po is missing"
    for path in CATALOGUES:
        catalogue = polib.pofile(str(path))
        assert not catalogue.untranslated_entries(), [
            e.msgid for e in catalogue.untranslated_entries()
        ]
        assert not catalogue.fuzzy_entries(), [e.msgid for e in catalogue.fuzzy_entries()]


def test_compiled_catalogue_matches_source():
    """The committed .mo files are compiled from the current .po files."""
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import compile_messages
    finally:
        sys.path.pop(0)
    assert compile_messages.main(["--check"]) == 0


def test_every_marked_string_is_in_the_catalogue(tmp_path):
    """makemessages over a copy of the code finds no msgid the catalogue lacks."""
    if shutil.which("xgettext") is None:
        pytest.skip("GNU gettext (xgettext) is not installed; CI installs it and runs this")
    copy = tmp_path / "src"
    shutil.copytree(
        ROOT,
        copy,
        ignore=shutil.ignore_patterns(
            ".venv", ".git", "media", "private-media", "staticfiles", "*.sqlite3", "test-artifacts"
        ),
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "cms.settings.test", "CMS_READ_DOTENV": "0"}
    for domain in ("django", "djangojs"):
        subprocess.run(
            [
                sys.executable,
                "manage.py",
                "makemessages",
                "-l",
                "ru",
                "-d",
                domain,
                "--ignore",
                "tests/*",
            ],
            cwd=copy,
            env=env,
            check=True,
            capture_output=True,
            timeout=300,
        )
    for path in CATALOGUES:
        ours = {(e.msgctxt, e.msgid) for e in polib.pofile(str(path))}
        fresh_path = copy / path.relative_to(ROOT)
        fresh = {(e.msgctxt, e.msgid) for e in polib.pofile(str(fresh_path)) if not e.obsolete}
        missing = sorted(m for _c, m in fresh - ours)
        assert not missing, f"run `make messages`; not in {path.name}: {missing[:20]}"
