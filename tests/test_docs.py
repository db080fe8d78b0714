"""docs/architecture.md and README.md stay true where a machine can tell.

The architecture document names the apps, the URL map and the websocket routes with a status
(``exists`` or ``planned``). These tests read those tables and hold them against
``settings.PROJECT_APPS``, the folders on disk, the project's URL resolver and its websocket
routes, both ways: what the document says exists must exist, what exists must be in the
document, and what it calls planned must not exist yet (so the document is updated the day
the later issue lands).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import LocalePrefixPattern, URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404

from cms.routing import websocket_urlpatterns

ROOT = Path(settings.BASE_DIR)
ARCHITECTURE = ROOT / "docs" / "architecture.md"
README = ROOT / "README.md"

# The view Wagtail serves every page of the tree with (its catch-all URL, last in cms/urls.py).
PAGE_VIEW = "wagtail_serve"


def _section(heading: str) -> str:
    """The text of ``## heading`` up to the next ``## `` heading."""
    text = ARCHITECTURE.read_text(encoding="utf-8")
    match = re.search(rf"^## {re.escape(heading)}\n(.*?)(?=^## |\Z)", text, re.M | re.S)
    assert match, f"docs/architecture.md has no '## {heading}' section"
    return match.group(1)


def _rows(heading: str) -> list[tuple[list[str], str]]:
    """(backticked names of the first cell, status cell) for each row of the section's tables."""
    rows = []
    for line in _section(heading).splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if not line.startswith("|") or len(cells) < 2 or set(cells[0]) <= {"-", " ", ":"}:
            continue
        names = re.findall(r"`([^`]+)`", cells[0])
        if names:
            rows.append((names, cells[1]))
    return rows


def _paths(heading: str, status: str) -> list[str]:
    return [
        name
        for names, row_status in _rows(heading)
        if row_status.startswith(status)
        for name in names
        if name.startswith("/")
    ]


def _sample(path: str) -> str:
    """A concrete address for a path with ``<placeholders>``."""
    return re.sub(r"<[^>]+>", "1", path)


# --- Apps -------------------------------------------------------------------------------------


def _app_rows(status: str) -> list[str]:
    return [names[0] for names, row_status in _rows("Apps") if row_status.startswith(status)]


def test_every_project_app_is_described():
    """Each app of settings.PROJECT_APPS has an ``exists`` row (its folder) in the Apps table."""
    described = _app_rows("exists")
    missing = [app for app in settings.PROJECT_APPS if f"{app.replace('.', '/')}/" not in described]
    assert not missing, f"apps missing from docs/architecture.md's Apps table: {missing}"


def test_apps_said_to_exist_exist_and_planned_ones_do_not_yet():
    """An ``exists`` row names a folder that is there and installed; a ``planned`` row names
    one that is not there yet (when it lands, its row must say ``exists``)."""
    installed = {f"{app.replace('.', '/')}/" for app in settings.PROJECT_APPS}
    for folder in _app_rows("exists"):
        if folder == "cms/":  # the project package wires the apps; it is not one of them
            assert (ROOT / folder).is_dir()
            continue
        assert (ROOT / folder).is_dir(), f"{folder} is described as existing but is not there"
        assert folder in installed, f"{folder} is described as an app but is not in PROJECT_APPS"
    # Every app of the brief has a folder now (events and the ideas exchange as empty shells),
    # so no row is planned; a later app would start as one.
    for folder in _app_rows("planned"):
        assert not (ROOT / folder).exists(), f"{folder} exists now: mark it «exists» in the doc"


# --- URL map ----------------------------------------------------------------------------------


def test_existing_addresses_resolve_to_their_own_views():
    """Every ``exists`` path of the URL map resolves, and not to the page tree's catch-all."""
    paths = _paths("URL map", "exists")
    assert len(paths) > 20
    for path in paths:
        match = resolve(_sample(path))
        assert match.url_name != PAGE_VIEW, f"{path} is listed as a route but Wagtail serves it"


def test_page_tree_addresses_are_served_by_wagtail():
    """``page tree`` paths are pages, served by Wagtail's catch-all (not a route of their own)."""
    paths = _paths("URL map", "page tree")
    assert "/initiatives/" in paths
    assert "/events/plan/" in paths
    assert "/ideas/new/" in paths
    for path in paths:
        assert resolve(_sample(path)).url_name == PAGE_VIEW, path


def test_planned_addresses_have_no_route_yet():
    """A ``planned`` path has no view of its own yet; the day it gets one, the doc must say
    ``exists``."""
    paths = _paths("URL map", "planned")
    for path in paths:
        try:
            match = resolve(_sample(path))
        except Resolver404:
            continue
        assert match.url_name == PAGE_VIEW, f"{path} resolves now: mark it «exists» in the doc"


def _top_level_prefixes() -> set[str]:
    """The first path segment of every URL of the project's resolver (language prefix and
    Wagtail's include looked through; the page catch-all itself left out)."""
    prefixes = set()

    def walk(patterns):
        for pattern in patterns:
            route = str(pattern.pattern).lstrip("^")
            if isinstance(pattern, URLResolver) and (
                isinstance(pattern.pattern, LocalePrefixPattern) or route == ""
            ):
                walk(pattern.url_patterns)
            elif isinstance(pattern, URLPattern) and pattern.name == PAGE_VIEW:
                continue
            else:
                prefixes.add(route.split("/", 1)[0] + ("/" if "/" in route else ""))

    walk(get_resolver().url_patterns)
    return prefixes


def test_every_top_level_prefix_is_in_the_url_map():
    """Each top-level address of the resolver (``/cabinet/``, ``/healthz``, ...) begins at
    least one path of the URL map, so no part of the site is left undocumented."""
    listed = [path for names, _status in _rows("URL map") for path in names]
    prefixes = _top_level_prefixes()
    assert {"cabinet/", "healthz", "admin/"} <= prefixes
    missing = sorted(p for p in prefixes if not any(x.startswith(f"/{p}") for x in listed))
    assert not missing, f"top-level addresses missing from the URL map: {missing}"


def test_websocket_routes_match_the_doc():
    """The ``exists`` websocket routes are exactly cms.routing's; planned ones are not there."""
    routes = {f"/{p.pattern}" for p in websocket_urlpatterns}
    assert set(_paths("Websocket routes", "exists")) == routes
    # Every socket of the brief exists since issue 11; a later one would start as planned.
    planned = set(_paths("Websocket routes", "planned"))
    assert not planned & routes, "a planned websocket route exists now: mark it «exists»"


# --- Links and file names ---------------------------------------------------------------------


def test_files_the_doc_names_exist():
    """Every repository file the document names (``path/to/file.py``) or links to is there."""
    text = ARCHITECTURE.read_text(encoding="utf-8")
    named = set(re.findall(r"`((?:[\w.-]+/)+[\w.-]+\.(?:py|html|md|conf|service))`", text))
    linked = {
        link.split("#")[0]
        for link in re.findall(r"\]\(([^)]+)\)", text)
        if not re.match(r"[a-z]+:", link)
    }
    assert named
    missing = sorted(
        name
        for name in named | {str(Path("docs") / link) for link in linked}
        if not (ROOT / name).resolve().exists()
    )
    assert not missing, f"docs/architecture.md names files that are not there: {missing}"


def test_readme_links_the_architecture_and_not_design_md():
    """README links docs/architecture.md and no longer points at a DESIGN.md that the
    repository does not hold."""
    text = README.read_text(encoding="utf-8")
    assert "](docs/architecture.md)" in text
    assert not (ROOT / "DESIGN.md").exists()
    assert "DESIGN.md" not in text


@pytest.mark.parametrize("role", ["guest", "registered", "member", "portal admin"])
def test_readme_role_table_marks_what_is_planned(role):
    """The README's role table says what exists today: removing members appears only in its
    «coming» column (the chat, events, the ideas exchange and the indicators exist since
    issues 11-14, so they may be in «can today»)."""
    table = re.search(r"^\| role \|.*?\n((?:\|.*\n)+)", README.read_text(encoding="utf-8"), re.M)
    assert table, "README has no role table"
    header = [c.strip() for c in table.group(0).splitlines()[0].strip("|").split("|")]
    assert header[:3] == ["role", "can today", "coming"], header
    for line in table.group(1).splitlines()[1:]:
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if cells[0].startswith(role):
            today = cells[1].lower()
            for word in ("removing members",):
                assert word not in today, f"README promises «{word}» to {role} today"
            return
    pytest.fail(f"README's role table has no row for {role}")


# --- Plug-in points ---------------------------------------------------------------------------


def _project_source() -> str:
    return "\n".join(
        path.read_text(encoding="utf-8")
        for folder in ("cms", "home", "initiatives", "events", "ideas_exchange", "extranet")
        for path in (ROOT / folder).rglob("*.py")
        if "migrations" not in path.parts
    )


def test_hooks_and_signals_match_the_doc():
    """Every Wagtail hook name the apps define (``…HOOK… = "name"``) and every signal
    (``name = Signal()``) is in the Plug-in points table, and the table names no hook or
    signal that the code does not define."""
    source = _project_source()
    hooks = set(re.findall(r'^\s*\w*HOOK\w*\s*=\s*"([^"]+)"', source, re.M))
    signals = set(re.findall(r"^(\w+)\s*=\s*Signal\(\)", source, re.M))
    assert {"register_home_section_source", "initiative_delete_guard"} <= hooks
    assert "membership_approved" in signals
    documented_hooks, documented_signals = set(), set()
    for line in _section("Plug-in points").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) < 2:
            continue
        names = re.findall(r"`([^`]+)`", cells[0])
        if cells[1] == "Wagtail hook":
            documented_hooks.add(names[0])
        elif cells[1] == "Django signals":
            documented_signals.update(names)
    assert documented_hooks == hooks
    assert documented_signals == signals
