"""The dependency rules of docs/architecture.md, read from the imports of every project module.

Each rule is checked on the parsed source (``ast``), so an import inside a function counts as
much as one at the top of a file. ``tests/`` and ``cms/`` (which wires the apps) are not
checked; migrations are, since they are code the apps ship.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent

PUBLIC_APPS = ("home", "initiatives", "events", "ideas_exchange")
# The notices serve every feature and know none: besides core, only the extranet's core
# (members: people, the header's registry) and themselves.
NOTICES_MAY_IMPORT = ("extranet.notices", "extranet.members")
# Feature apps of the extranet: each depends on members (and notices, initiatives), never on
# another feature, so one can be switched off or rewritten alone.
FEATURE_APPS = ("extranet.feed", "extranet.chat")

# (module, imported module) pairs that break a rule on purpose, each with a comment saying
# why. None today: home asks the extranet about the style guide through a hook.
ALLOWED: set[tuple[str, str]] = set()


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path, source: str | None = None) -> set[str]:
    """Absolute names of every module ``path`` (or ``source`` as if it were that file)
    imports, relative imports resolved."""
    if source is None:
        source = path.read_text(encoding="utf-8")
    tree = ast.parse(source, filename=str(path))
    package = _module_name(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                module = ".".join([*base, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            names.add(module)
            # ``from extranet import members`` imports the module extranet.members.
            names.update(f"{module}.{alias.name}" for alias in node.names)
    return names


def _project_modules() -> dict[str, set[str]]:
    """Every project app's modules (``settings.PROJECT_APPS``) and what each imports."""
    modules = {}
    for app in settings.PROJECT_APPS:
        for path in sorted((ROOT / app.replace(".", "/")).rglob("*.py")):
            modules[_module_name(path)] = _imports(path)
    return modules


def _is_within(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


def violations(modules: dict[str, set[str]]) -> list[str]:
    """The rules, as messages naming the module and what it must not import."""
    own_apps = [app for app in settings.PROJECT_APPS if app != "core"] + ["extranet"]
    found = []
    for module, imported in sorted(modules.items()):
        for name in sorted(imported):
            if (module, name) in ALLOWED or any(
                _is_within(name, allowed) for mod, allowed in ALLOWED if mod == module
            ):
                continue
            if _is_within(name, "cms"):
                found.append(f"{module} imports {name}: no app imports cms")
            elif _is_within(module, "core") and any(_is_within(name, a) for a in own_apps):
                found.append(f"{module} imports {name}: core imports no project app")
            elif (
                _is_within(module, "extranet.notices")
                and any(_is_within(name, a) for a in own_apps)
                and not any(_is_within(name, a) for a in NOTICES_MAY_IMPORT)
            ):
                found.append(
                    f"{module} imports {name}: notices knows no feature; sources call notify"
                )
            elif any(
                _is_within(module, app) and _is_within(name, other)
                for app in FEATURE_APPS
                for other in FEATURE_APPS
                if other != app
            ):
                found.append(f"{module} imports {name}: feature apps never import each other")
            elif any(_is_within(module, app) for app in PUBLIC_APPS) and _is_within(
                name, "extranet"
            ):
                found.append(
                    f"{module} imports {name}: public apps reach the extranet through hooks"
                )
            elif _is_within(module, "home") and any(
                _is_within(name, app) for app in PUBLIC_APPS if app != "home"
            ):
                found.append(
                    f"{module} imports {name}: home is what the other public apps build on"
                )
    return found


def test_the_dependency_rules_hold():
    """No app imports cms, core imports no project app, notices imports no feature app
    (sources register their kinds and call notify), feature apps (feed, chat) import no
    other feature, and the public apps (home,
    initiatives, events, ideas exchange) import no extranet module (exceptions only as
    listed in ALLOWED)."""
    assert violations(_project_modules()) == []


def test_every_allowed_exception_is_still_needed():
    """An exception whose import is gone is removed from ALLOWED (so the list cannot rot)."""
    modules = _project_modules()
    stale = [pair for pair in ALLOWED if pair[1] not in modules.get(pair[0], set())]
    assert stale == []


@pytest.mark.parametrize(
    ("module", "source", "rule"),
    [
        ("home.views", "from cms.settings import base", "no app imports cms"),
        ("extranet.feed.models", "import cms.demo", "no app imports cms"),
        ("core.email", "from extranet.members.models import User", "core imports no project"),
        ("core.paging", "from home import models", "core imports no project"),
        ("initiatives.views", "from extranet.feed import selectors", "public apps reach"),
        ("events.models", "import extranet.members.models", "public apps reach"),
        ("home.structured_data", "from events.permissions import x", "home is what"),
        ("home.views", "from extranet.members.people import person_card", "public apps reach"),
        ("extranet.notices.services", "from initiatives.models import InitiativePage", "notices"),
        ("extranet.notices.views", "from extranet.feed import models", "notices knows no"),
        ("extranet.chat.views", "from extranet.feed.templatetags import feed_tags", "feature"),
        ("extranet.feed.services", "import extranet.chat.services", "feature apps never"),
    ],
)
def test_a_forbidden_import_is_found(module, source, rule):
    """The check can fail: each kind of forbidden import, in a module of the right app, is
    reported (whether written as ``import x`` or ``from x import y``)."""
    path = ROOT / (module.replace(".", "/") + ".py")
    found = violations({module: _imports(path, source)})
    assert found and all(rule in message for message in found), found


def test_relative_imports_are_resolved():
    """``from ..members import x`` inside extranet/feed counts as extranet.members, and
    ``from . import x`` inside home counts as home."""
    feed = ROOT / "extranet" / "feed" / "models.py"
    assert "extranet.members.permissions" in _imports(feed, "from ..members.permissions import x")
    home = ROOT / "home" / "views.py"
    assert "home.permissions" in _imports(home, "from . import permissions")
