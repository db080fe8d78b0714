"""Demo accounts: the portal administrator and an editor (later issues add members)."""

from cms.demo import DemoContext

from .permissions import EDITORS_GROUP, PORTAL_ADMINS_GROUP

PORTAL_ADMIN_EMAIL = "admin@example.com"
EDITOR_EMAIL = "editor@example.com"
DEMO_PASSWORD = "demo-password-2026"  # noqa: S105 - printed by seed_demo, DEBUG only


def seed(ctx: DemoContext) -> None:
    ctx.objects["portal_admin"] = ctx.ensure_user(
        email=PORTAL_ADMIN_EMAIL,
        password=DEMO_PASSWORD,
        first_name="Татьяна",
        last_name="Алексеева",
        role="Администратор портала",
        groups=(PORTAL_ADMINS_GROUP,),
        is_superuser=True,
    )
    ctx.objects["editor"] = ctx.ensure_user(
        email=EDITOR_EMAIL,
        password=DEMO_PASSWORD,
        first_name="Анастасия",
        last_name="Александрова",
        role="Редактор",
        groups=(EDITORS_GROUP,),
    )
