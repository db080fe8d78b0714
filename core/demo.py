"""The demo-data framework behind ``manage.py seed_demo``.

Each project app may have a ``demo.py`` with ``seed(ctx: DemoContext) -> None``; the command
calls them in the explicit order of ``settings.DEMO_SEEDERS`` (dotted paths), not in the order
apps are installed, so a seeder runs after those whose objects it uses (initiatives after the
home page, the feed after members and initiatives); steps that need a later seeder's objects
go through ``ctx.later``. Seeders must be idempotent: find by a natural key,
create what is missing, and never overwrite what an editor may have changed since.
``ctx.scale`` multiplies generated volumes (members, posts) for benchmarks.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from importlib.util import find_spec
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string
from wagtail.models import Page


@dataclass
class DemoLogin:
    role: str
    email: str
    password: str


@dataclass
class DemoContext:
    scale: int = 1
    stdout: Any = None
    rng: random.Random = field(default_factory=lambda: random.Random(20191010))
    logins: list[DemoLogin] = field(default_factory=list)
    # Objects earlier seeders made, by name, for later ones (e.g. "home_page").
    objects: dict[str, Any] = field(default_factory=dict)
    created: dict[str, int] = field(default_factory=dict)
    # Steps that need what later seeders make (members joining initiatives), run at the end.
    deferred: list = field(default_factory=list)

    def later(self, step) -> None:
        """Run ``step(ctx)`` after every app's seeder."""
        self.deferred.append(step)

    def log(self, message: str) -> None:
        if self.stdout is not None:
            self.stdout.write(message)

    def count(self, kind: str, created: bool) -> None:
        if created:
            self.created[kind] = self.created.get(kind, 0) + 1

    # --- idempotent helpers ---------------------------------------------------------------

    def ensure_user(
        self,
        *,
        email: str,
        password: str,
        first_name: str,
        last_name: str,
        role: str | None = None,
        groups: tuple[str, ...] = (),
        is_superuser: bool = False,
    ):
        """A user with a verified e-mail; the password is set only when the user is new."""
        from allauth.account.models import EmailAddress

        User = get_user_model()
        user, created = User.objects.get_or_create(
            email=email,
            defaults={
                "first_name": first_name,
                "last_name": last_name,
                "is_superuser": is_superuser,
                "is_staff": is_superuser,
            },
        )
        if created:
            user.set_password(password)
            user.save(update_fields=["password"])
        self.count("users", created)
        for name in groups:
            user.groups.add(Group.objects.get(name=name))
        EmailAddress.objects.get_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        if role:
            self.logins.append(DemoLogin(role, email, password))
        return user

    def ensure_page(self, parent: Page, page: Page) -> Page:
        """The child of ``parent`` with ``page.slug``; ``page`` is added and published if new."""
        existing = parent.get_children().filter(slug=page.slug).first()
        if existing is not None:
            return existing.specific
        parent.add_child(instance=page)
        page.save_revision().publish()
        self.count("pages", True)
        return page


def project_seeders():
    """(module, seed function) for every entry of ``settings.DEMO_SEEDERS``, in that order.

    A project app whose ``demo`` module is missing from the list is a configuration error,
    not a silently skipped seeder.
    """
    listed = list(settings.DEMO_SEEDERS)
    modules = [path.rpartition(".")[0] for path in listed]
    for app in settings.PROJECT_APPS:
        module_name = f"{app}.demo"
        if module_name in (__name__, *modules):
            continue  # this framework, or listed
        if find_spec(module_name) is not None:
            raise ImproperlyConfigured(
                f"{module_name} has demo data but is not listed in settings.DEMO_SEEDERS."
            )
    for path, module_name in zip(listed, modules, strict=True):
        yield module_name, import_string(path)
