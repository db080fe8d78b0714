"""core's file helpers shared by the feed and the chat: the icons tag library and the
extension/family a stored upload model gets from StoredFileMixin."""

import pytest
from django.template import Context, Template

from core.uploads import FAMILIES, StoredFileMixin


def _render(source: str, **context) -> str:
    return Template("{% load file_tags %}" + source).render(Context(context))


@pytest.mark.parametrize("family", sorted(set(FAMILIES.values())))
def test_every_family_has_its_own_icon(family):
    """Each family core.uploads knows is drawn with its own modifier class."""
    assert f'class="file-icon file-icon--{family}"' in _render("{% file_icon f %}", f=family)


def test_an_unknown_family_is_drawn_as_a_plain_file_and_never_echoed():
    """A family the tags do not know gets the plain file's icon; what was passed in is not
    written into the markup."""
    html = _render("{% file_icon f %}", f='"><script>x</script>')
    assert "file-icon--file" in html
    assert "script" not in html


def test_file_icons_hold_one_icon_per_family_for_scripts():
    """``{% file_icons %}`` holds a ``data-family`` span with the icon for every family and
    the plain file (chat.js falls back to it)."""
    html = _render("{% file_icons %}")
    for family in {*FAMILIES.values(), "file"}:
        assert f'<span data-family="{family}"><svg class="file-icon file-icon--{family}"' in html


class _Stored(StoredFileMixin):
    def __init__(self, name):
        self.name = name


@pytest.mark.parametrize(
    ("name", "extension", "family"),
    [
        ("Отчёт.PDF", "pdf", "pdf"),
        ("план.2026.xlsx", "xlsx", "spreadsheet"),
        ("README", "", "file"),
        ("архив.tar.gz", "gz", "file"),
    ],
)
def test_stored_file_mixin_reads_extension_and_family_from_the_name(name, extension, family):
    """The extension is the last dotted part, lower-cased ("" without a dot); the family is
    core.uploads.file_family's ("file" for what it does not know)."""
    stored = _Stored(name)
    assert (stored.extension, stored.family) == (extension, family)
