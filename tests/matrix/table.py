"""The expected answer of every URL pattern of the site, per role.

Each key is a URL pattern as the resolver spells it (the language prefix of
``i18n_patterns`` left out: the same pattern also answers under ``/en/``), or
``page:<app.Model>:<route>`` for a sub-route of a routable Wagtail page (served by the
catch-all). Each value lists the concrete requests made for it: for objects of X
(«gorki», where the member, the pending applicant and the initiative admin are) and of Y
(«polotsk», where ``other_member`` is), with the answer per role:

- ``OK`` 200, ``LOGIN`` a redirect to the login page, ``REDIRECT`` any other redirect
  (a POST that did its work, a page that sends one elsewhere), ``ANY`` 200 or a redirect
  that is not to the login page, and the status codes 400, 403, 404, 405, 410.

A POST case also says how to read the state it could change (``state``): for every role
whose answer is a refusal, the state must be the same afterwards.

``PREFIXES`` cover the big third-party trees (Wagtail admin, Django admin, allauth,
Wagtail's documents and private-page login) as a whole; the project's own patterns each
have an entry of their own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from tests.conftest import EXTRANET_ROLES as ROLES

OK, LOGIN, REDIRECT, ANY = 200, "login", "redirect", "any"
BAD, FORBIDDEN, NOT_FOUND, NOT_ALLOWED, GONE = 400, 403, 404, 405, 410
REFUSALS = {LOGIN, BAD, FORBIDDEN, NOT_FOUND, NOT_ALLOWED, GONE}

X_READERS = {"member", "initiative_admin", "portal_admin"}
Y_READERS = {"other_member", "portal_admin"}
X_MANAGERS = {"initiative_admin", "portal_admin"}
Y_MANAGERS = {"portal_admin"}
PORTAL = {"portal_admin"}
SIGNED = set(ROLES) - {"guest"}
# Who sees a members-only idea: its author, its initiative's admins, editors and the portal
# admin (moderators), and its initiative's members (ideas_exchange/permissions.py).
IDEA_X = {"member", "initiative_admin", "editor", "portal_admin"}
IDEA_Y = {"other_member", "editor", "portal_admin"}


def only(allowed, ok=OK, other=FORBIDDEN, guest=LOGIN, **exceptions) -> dict[str, object]:
    """``ok`` for the roles in ``allowed``, ``guest`` for the guest, ``other`` for the rest;
    ``exceptions`` name single roles."""
    table = {role: ok if role in allowed else guest if role == "guest" else other for role in ROLES}
    table.update(exceptions)
    return table


PUBLIC = only(ROLES)
SIGNED_IN = only(SIGNED)
# A GET on an idea's POST-only route goes back to the idea, for who may see it.
IDEA_X_GET = only(IDEA_X, ok=REDIRECT, other=NOT_FOUND, guest=NOT_FOUND)
IDEA_Y_NOT_AUTHOR = {"editor": FORBIDDEN, "portal_admin": FORBIDDEN}


@dataclass
class Case:
    """One request: ``url(world)``; ``expect`` per role; POST ``data(world)``; ``state``
    reads what an unauthorised POST must leave alone; ``last`` runs it after the others (it
    changes the viewer's own standing)."""

    label: str
    url: Callable
    expect: dict
    method: str = "GET"
    data: Callable | None = None
    state: Callable | None = None
    last: bool = False
    query: str = ""
    extra: dict = field(default_factory=dict)


def get(label, url, expect, **kw) -> Case:
    return Case(label, url, expect, **kw)


def post(label, url, expect, data=None, state=None, **kw) -> Case:
    return Case(label, url, expect, method="POST", data=data, state=state, **kw)


def _g(w, suffix=""):
    return f"/cabinet/groups/{w.x.slug}/{suffix}"


def _gy(w, suffix=""):
    return f"/cabinet/groups/{w.y.slug}/{suffix}"


def _status(model_obj):
    def read(w):
        model_obj_ = model_obj(w)
        return type(model_obj_).objects.filter(pk=model_obj_.pk).values().first()

    return read


def _idea(w, idea, suffix=""):
    return f"{w.o.ideas_url}{idea.pk}/{suffix}"


def _count(model_path):
    def read(w):
        from django.apps import apps

        return apps.get_model(model_path).objects.count()

    return read


# Contacts a page shows beyond the privacy rule of tests/matrix/scan.py, by design:
# - a registration's own page (the link from its e-mails is the key) and the event's
#   attendance list for its organisers show the name and e-mail given at registration;
# - the applications queue shows applicants' phones to the initiative's admins even where
#   the directory hides phones (directory_shows_phone governs the directory and cards).
SHOWS_REGISTRANT = {"shows": lambda w: ({w.o.registration_x.email}, set())}
SHOWS_APPLICANT_PHONES = {
    "shows": lambda w: (set(), {w.persons["pending"].phone, w.persons["applicant_x"].phone})
}


def _pair(label_x, label_y, url_x, url_y, expect_x, expect_y, **kw):
    make = post if kw.pop("method", "GET") == "POST" else get
    return [make(label_x, url_x, expect_x, **kw), make(label_y, url_y, expect_y, **kw)]


# Who gets into Wagtail admin: editors, initiative admins (their initiative's Wagtail
# group) and the portal admin; everyone else is sent to the login page.
WAGTAIL_ADMINS = {"editor", "initiative_admin", "portal_admin"}

TABLE: dict[str, list[Case]] = {
    # --- cms (language-neutral) ------------------------------------------------------------
    "healthz": [get("", lambda w: "/healthz", PUBLIC)],
    "ping": [get("", lambda w: "/ping", PUBLIC)],
    "csrf-token": [get("", lambda w: "/csrf-token", PUBLIC)],
    "robots.txt": [get("", lambda w: "/robots.txt", PUBLIC)],
    "sitemap.xml": [get("", lambda w: "/sitemap.xml", PUBLIC)],
    "i18n/setlang/": [
        # Django's view: a GET changes nothing and goes back.
        get("GET", lambda w: "/i18n/setlang/", only(ROLES, ok=REDIRECT)),
        post(
            "POST",
            lambda w: "/i18n/setlang/",
            only(ROLES, ok=REDIRECT),
            data=lambda w: {"language": "ru", "next": "/"},
        ),
    ],
    # Guests go to allauth's login; a signed-in person without access is refused (no loop).
    "django-admin/login/": [get("", lambda w: "/django-admin/login/", only(set()))],
    "admin/login/": [get("", lambda w: "/admin/login/", only(set()))],
    "^admin/password_reset/": [
        get("", lambda w: "/admin/password_reset/", only(ROLES, ok=REDIRECT))
    ],
    # --- home -------------------------------------------------------------------------------
    "jsi18n/": [get("", lambda w: "/jsi18n/", PUBLIC)],
    "search/": [get("", lambda w: "/search/?q=Идея", PUBLIC)],
    "styleguide/": [
        get("", lambda w: "/styleguide/", only(PORTAL, other=NOT_FOUND, guest=NOT_FOUND))
    ],
    # --- the page tree (Wagtail's catch-all serves the project's pages) ---------------------
    r"^((?:[\w\-]+/)*)$": [
        get("home", lambda w: "/", PUBLIC),
        get("home en", lambda w: "/en/", PUBLIC),
        get("initiatives", lambda w: "/initiatives/", PUBLIC),
        get("X page", lambda w: f"/initiatives/{w.x.slug}/", PUBLIC),
        get("Y page", lambda w: f"/initiatives/{w.y.slug}/", PUBLIC),
        get("X page en", lambda w: f"/en/initiatives/{w.x.slug}/", PUBLIC),
        get("missing", lambda w: "/no-such-page/", only(ROLES, ok=NOT_FOUND)),
    ],
    # --- extranet.dashboard -----------------------------------------------------------------
    "cabinet/admin/initiatives/": [
        get("", lambda w: "/cabinet/admin/initiatives/", only(PORTAL, guest=FORBIDDEN))
    ],
    "cabinet/admin/users/": [
        get("html", lambda w: "/cabinet/admin/users/", only(PORTAL, guest=FORBIDDEN)),
        get("csv", lambda w: "/cabinet/admin/users/?format=csv", only(PORTAL, guest=FORBIDDEN)),
        get("xlsx", lambda w: "/cabinet/admin/users/?format=xlsx", only(PORTAL, guest=FORBIDDEN)),
    ],
    "cabinet/admin/memberships/<int:pk>/role/": [
        get(
            "GET",
            lambda w: f"/cabinet/admin/memberships/{w.o.member_membership.pk}/role/",
            only(ROLES, ok=NOT_ALLOWED),
        ),
        post(
            "POST X",
            lambda w: f"/cabinet/admin/memberships/{w.o.member_membership.pk}/role/",
            only(PORTAL, ok=REDIRECT, guest=FORBIDDEN),
            data=lambda w: {"role": "admin"},
            state=_status(lambda w: w.o.member_membership),
        ),
    ],
    "cabinet/admin/organisations/merge/": [
        get("", lambda w: "/cabinet/admin/organisations/merge/", only(PORTAL, guest=FORBIDDEN))
    ],
    "cabinet/admin/emails/": [get("", lambda w: "/cabinet/admin/emails/", only(PORTAL))],
    "cabinet/admin/emails/<int:pk>/resend/": [
        get(
            "GET",
            lambda w: f"/cabinet/admin/emails/{w.o.outgoing.pk}/resend/",
            only(ROLES, ok=NOT_ALLOWED),
        ),
        post(
            "POST",
            lambda w: f"/cabinet/admin/emails/{w.o.outgoing.pk}/resend/",
            only(PORTAL, ok=REDIRECT),
            state=_count("core.OutgoingEmail"),
        ),
    ],
    "cabinet/admin/indicators/": [
        get("platform", lambda w: "/cabinet/admin/indicators/", only(PORTAL)),
        get("X", lambda w: f"/cabinet/admin/indicators/?initiative={w.x.slug}", only(PORTAL)),
    ],
    "cabinet/admin/indicators/export/<slug:table>.<slug:fmt>": [
        get(
            "csv",
            lambda w: "/cabinet/admin/indicators/export/members_per_initiative.csv",
            only(PORTAL),
        ),
        get(
            "xlsx",
            lambda w: "/cabinet/admin/indicators/export/members_per_initiative.xlsx",
            only(PORTAL),
        ),
    ],
    "cabinet/admin/indicators/report.xlsx": [
        get("", lambda w: "/cabinet/admin/indicators/report.xlsx", only(PORTAL))
    ],
    "cabinet/admin/indicators/targets/": [
        get("", lambda w: "/cabinet/admin/indicators/targets/", only(PORTAL))
    ],
    "cabinet/groups/<slug:slug>/indicators/": _pair(
        "X",
        "Y",
        lambda w: _g(w, "indicators/"),
        lambda w: _gy(w, "indicators/"),
        only(X_MANAGERS),
        only(Y_MANAGERS),
    ),
    "cabinet/groups/<slug:slug>/indicators/export/<slug:table>.<slug:fmt>": _pair(
        "X",
        "Y",
        lambda w: _g(w, "indicators/export/members_per_initiative.csv"),
        lambda w: _gy(w, "indicators/export/members_per_initiative.csv"),
        only(X_MANAGERS),
        only(Y_MANAGERS),
    ),
    "cabinet/groups/<slug:slug>/indicators/report.xlsx": _pair(
        "X",
        "Y",
        lambda w: _g(w, "indicators/report.xlsx"),
        lambda w: _gy(w, "indicators/report.xlsx"),
        only(X_MANAGERS),
        only(Y_MANAGERS),
    ),
    # --- extranet.chat ----------------------------------------------------------------------
    "cabinet/admin/broadcast/": [get("", lambda w: "/cabinet/admin/broadcast/", only(PORTAL))],
    "cabinet/admin/broadcast/<int:pk>/": [
        get("", lambda w: f"/cabinet/admin/broadcast/{w.o.broadcast.pk}/", only(PORTAL))
    ],
    "cabinet/messages/": [get("", lambda w: "/cabinet/messages/", SIGNED_IN)],
    "cabinet/messages/with/<int:user_id>/": [
        # Members of X write to each other, anyone to the portal admin and back.
        # (an existing conversation is opened: a redirect; else the new one's page)
        get(
            "X member",
            lambda w: f"/cabinet/messages/with/{w.people['member'].pk}/",
            only({"portal_admin"}, other=NOT_FOUND, initiative_admin=REDIRECT),
        ),
        get(
            "Y member",
            lambda w: f"/cabinet/messages/with/{w.people['other_member'].pk}/",
            only(set(), other=NOT_FOUND, portal_admin=REDIRECT),
        ),
        get(
            "portal admin",
            lambda w: f"/cabinet/messages/with/{w.people['portal_admin'].pk}/",
            only(SIGNED, portal_admin=NOT_FOUND, other_member=REDIRECT),
        ),
    ],
    "cabinet/messages/<int:pk>/": _pair(
        "X",
        "Y",
        lambda w: f"/cabinet/messages/{w.o.conv_x.pk}/",
        lambda w: f"/cabinet/messages/{w.o.conv_y.pk}/",
        only({"member", "initiative_admin"}, other=NOT_FOUND),
        only({"other_member", "portal_admin"}, other=NOT_FOUND),
    ),
    "cabinet/messages/<int:pk>/files/": _pair(
        "X",
        "Y",
        lambda w: f"/cabinet/messages/{w.o.conv_x.pk}/files/",
        lambda w: f"/cabinet/messages/{w.o.conv_y.pk}/files/",
        only({"member", "initiative_admin"}, other=NOT_FOUND),
        only({"other_member", "portal_admin"}, other=NOT_FOUND),
    ),
    "cabinet/messages/<int:pk>/block/": [
        get(
            "GET X",
            lambda w: f"/cabinet/messages/{w.o.conv_x.pk}/block/",
            only(SIGNED, ok=NOT_ALLOWED),
        ),
        post(
            "POST X",
            lambda w: f"/cabinet/messages/{w.o.conv_x.pk}/block/",
            only({"member", "initiative_admin"}, ok=REDIRECT, other=NOT_FOUND),
            state=_count("chat.Block"),
            last=True,
        ),
        post(
            "POST Y",
            lambda w: f"/cabinet/messages/{w.o.conv_y.pk}/block/",
            only({"other_member", "portal_admin"}, ok=REDIRECT, other=NOT_FOUND),
            state=_count("chat.Block"),
            last=True,
        ),
    ],
    "cabinet/messages/<int:pk>/unblock/": [
        get(
            "GET X",
            lambda w: f"/cabinet/messages/{w.o.conv_x.pk}/unblock/",
            only(SIGNED, ok=NOT_ALLOWED),
        ),
        post(
            "POST X",
            lambda w: f"/cabinet/messages/{w.o.conv_x.pk}/unblock/",
            only({"member", "initiative_admin"}, ok=REDIRECT, other=NOT_FOUND),
            state=_count("chat.Block"),
        ),
    ],
    "files/chat/<int:pk>/": _pair(
        "X",
        "Y",
        lambda w: f"/files/chat/{w.o.chat_file_x.pk}/",
        lambda w: f"/files/chat/{w.o.chat_file_y.pk}/",
        only({"member", "initiative_admin"}, other=NOT_FOUND, guest=NOT_FOUND),
        only({"other_member", "portal_admin"}, other=NOT_FOUND, guest=NOT_FOUND),
    ),
    # --- extranet.feed ----------------------------------------------------------------------
    "cabinet/groups/<slug:slug>/": _pair(
        "X", "Y", lambda w: _g(w), lambda w: _gy(w), only(X_READERS), only(Y_READERS)
    ),
    "cabinet/groups/<slug:slug>/documents/": _pair(
        "X",
        "Y",
        lambda w: _g(w, "documents/"),
        lambda w: _gy(w, "documents/"),
        only(X_READERS),
        only(Y_READERS),
    ),
    "cabinet/groups/<slug:slug>/posts/new/": _pair(
        "X",
        "Y",
        lambda w: _g(w, "posts/new/"),
        lambda w: _gy(w, "posts/new/"),
        only(X_READERS),
        only(Y_READERS),
    ),
    "cabinet/groups/<slug:slug>/posts/<int:post_id>/": _pair(
        "X",
        "Y",
        lambda w: _g(w, f"posts/{w.o.post_x.pk}/"),
        lambda w: _gy(w, f"posts/{w.o.post_y.pk}/"),
        only(X_READERS),
        only(Y_READERS),
    ),
    "cabinet/groups/<slug:slug>/posts/<int:post_id>/edit/": _pair(
        "X",
        "Y",
        lambda w: _g(w, f"posts/{w.o.post_x.pk}/edit/"),
        lambda w: _gy(w, f"posts/{w.o.post_y.pk}/edit/"),
        # only the author edits (admins pin and delete)
        only({"member"}),
        only({"other_member"}),
    ),
    "cabinet/groups/<slug:slug>/posts/<int:post_id>/delete/": [
        get("GET X", lambda w: _g(w, f"posts/{w.o.post_x_del.pk}/delete/"), only(X_READERS)),
        post(
            "POST X",
            lambda w: _g(w, f"posts/{w.o.post_x_del.pk}/delete/"),
            only({"member", "initiative_admin", "portal_admin"}, ok=REDIRECT),
            state=_count("feed.Post"),
        ),
        post(
            "POST Y",
            lambda w: _gy(w, f"posts/{w.o.post_y_del.pk}/delete/"),
            only({"other_member", "portal_admin"}, ok=REDIRECT),
            state=_count("feed.Post"),
        ),
    ],
    "cabinet/groups/<slug:slug>/posts/<int:post_id>/pin/": [
        get("GET X", lambda w: _g(w, f"posts/{w.o.post_x.pk}/pin/"), only(SIGNED, ok=NOT_ALLOWED)),
        post(
            "POST X",
            lambda w: _g(w, f"posts/{w.o.post_x.pk}/pin/"),
            only(X_MANAGERS, ok=REDIRECT),
            state=_status(lambda w: w.o.post_x),
        ),
        post(
            "POST Y",
            lambda w: _gy(w, f"posts/{w.o.post_y.pk}/pin/"),
            only(Y_MANAGERS, ok=REDIRECT),
            state=_status(lambda w: w.o.post_y),
        ),
    ],
    "cabinet/groups/<slug:slug>/posts/<int:post_id>/comments/": [
        get(
            "GET X",
            lambda w: _g(w, f"posts/{w.o.post_x.pk}/comments/"),
            only(SIGNED, ok=NOT_ALLOWED),
        ),
        post(
            "POST X",
            lambda w: _g(w, f"posts/{w.o.post_x.pk}/comments/"),
            only(X_READERS, ok=REDIRECT),
            data=lambda w: {"text": "Комментарий матрицы"},
            state=_count("feed.Comment"),
        ),
        post(
            "POST Y",
            lambda w: _gy(w, f"posts/{w.o.post_y.pk}/comments/"),
            only(Y_READERS, ok=REDIRECT),
            data=lambda w: {"text": "Комментарий матрицы"},
            state=_count("feed.Comment"),
        ),
    ],
    "cabinet/groups/<slug:slug>/comments/<int:comment_id>/edit/": _pair(
        "X",
        "Y",
        lambda w: _g(w, f"comments/{w.o.comment_x.pk}/edit/"),
        lambda w: _gy(w, f"comments/{w.o.comment_y.pk}/edit/"),
        only({"member"}),
        only({"other_member"}),
    ),
    "cabinet/groups/<slug:slug>/comments/<int:comment_id>/delete/": [
        get("GET X", lambda w: _g(w, f"comments/{w.o.comment_x.pk}/delete/"), only(X_READERS)),
        post(
            "POST Y",
            lambda w: _gy(w, f"comments/{w.o.comment_y.pk}/delete/"),
            only({"other_member", "portal_admin"}, ok=REDIRECT),
            state=_count("feed.Comment"),
        ),
    ],
    "files/<int:attachment_id>/": _pair(
        "X",
        "Y",
        lambda w: f"/files/{w.o.file_x.pk}/",
        lambda w: f"/files/{w.o.file_y.pk}/",
        only(X_READERS, other=NOT_FOUND, guest=NOT_FOUND),
        only(Y_READERS, other=NOT_FOUND, guest=NOT_FOUND),
    ),
    # --- extranet.members -------------------------------------------------------------------
    "cabinet/groups/<slug:slug>/members/": _pair(
        "X",
        "Y",
        lambda w: _g(w, "members/"),
        lambda w: _gy(w, "members/"),
        only(X_READERS),
        only(Y_READERS),
    ),
    "cabinet/groups/<slug:slug>/admins/": _pair(
        "X",
        "Y",
        lambda w: _g(w, "admins/"),
        lambda w: _gy(w, "admins/"),
        only(PORTAL),
        only(PORTAL),
    ),
    "cabinet/groups/<slug:slug>/applications/": _pair(
        "X",
        "Y",
        lambda w: _g(w, "applications/"),
        lambda w: _gy(w, "applications/"),
        only(X_MANAGERS),
        only(Y_MANAGERS),
        extra=SHOWS_APPLICANT_PHONES,
    ),
    "cabinet/groups/<slug:slug>/applications/<int:membership_id>/approve/": [
        get(
            "GET X",
            lambda w: _g(w, f"applications/{w.o.approve_x.pk}/approve/"),
            only(ROLES, ok=NOT_ALLOWED),
        ),
        post(
            "POST X",
            lambda w: _g(w, f"applications/{w.o.approve_x.pk}/approve/"),
            only(X_MANAGERS, ok=REDIRECT),
            state=_status(lambda w: w.o.approve_x),
        ),
        post(
            "POST Y",
            lambda w: _gy(w, f"applications/{w.o.approve_y.pk}/approve/"),
            only(Y_MANAGERS, ok=REDIRECT),
            state=_status(lambda w: w.o.approve_y),
        ),
    ],
    "cabinet/groups/<slug:slug>/applications/<int:membership_id>/reject/": [
        # a GET shows the form for the reason
        get("GET X", lambda w: _g(w, f"applications/{w.o.reject_x.pk}/reject/"), only(X_MANAGERS)),
        post(
            "POST X",
            lambda w: _g(w, f"applications/{w.o.reject_x.pk}/reject/"),
            only(X_MANAGERS, ok=REDIRECT),
            state=_status(lambda w: w.o.reject_x),
        ),
        post(
            "POST Y",
            lambda w: _gy(w, f"applications/{w.o.reject_y.pk}/reject/"),
            only(Y_MANAGERS, ok=REDIRECT),
            state=_status(lambda w: w.o.reject_y),
        ),
    ],
    "cabinet/groups/<slug:slug>/invite/": _pair(
        "X",
        "Y",
        lambda w: _g(w, "invite/"),
        lambda w: _gy(w, "invite/"),
        only(X_MANAGERS),
        only(Y_MANAGERS),
    ),
    "cabinet/groups/<slug:slug>/invitations/<int:invitation_id>/revoke/": [
        get(
            "GET X",
            lambda w: _g(w, f"invitations/{w.o.revoke_x.pk}/revoke/"),
            only(ROLES, ok=NOT_ALLOWED),
        ),
        post(
            "POST X",
            lambda w: _g(w, f"invitations/{w.o.revoke_x.pk}/revoke/"),
            only(X_MANAGERS, ok=REDIRECT),
            state=_status(lambda w: w.o.revoke_x),
        ),
        post(
            "POST Y",
            lambda w: _gy(w, f"invitations/{w.o.revoke_y.pk}/revoke/"),
            only(Y_MANAGERS, ok=REDIRECT),
            state=_status(lambda w: w.o.revoke_y),
        ),
    ],
    "cabinet/": [
        get("ru", lambda w: "/cabinet/", SIGNED_IN),
        get("en", lambda w: "/en/cabinet/", SIGNED_IN),
    ],
    "cabinet/memberships/<int:pk>/withdraw/": [
        get(
            "GET",
            lambda w: f"/cabinet/memberships/{w.o.pending_membership.pk}/withdraw/",
            only(SIGNED, ok=NOT_ALLOWED),
        ),
        post(
            "POST",
            lambda w: f"/cabinet/memberships/{w.o.pending_membership.pk}/withdraw/",
            only({"pending"}, ok=REDIRECT, other=NOT_FOUND),
            state=_status(lambda w: w.o.pending_membership),
            last=True,
        ),
    ],
    "cabinet/memberships/<int:pk>/leave/": [
        get(
            "GET",
            lambda w: f"/cabinet/memberships/{w.o.other_membership.pk}/leave/",
            only({"other_member"}, other=NOT_FOUND),
        ),  # the confirmation page
        post(
            "POST",
            lambda w: f"/cabinet/memberships/{w.o.other_membership.pk}/leave/",
            only({"other_member"}, ok=REDIRECT, other=NOT_FOUND),
            state=_status(lambda w: w.o.other_membership),
            last=True,
        ),
    ],
    "cabinet/data.json": [get("", lambda w: "/cabinet/data.json", SIGNED_IN)],
    "cabinet/delete/": [get("", lambda w: "/cabinet/delete/", SIGNED_IN)],
    "cabinet/consent/withdraw/": [get("", lambda w: "/cabinet/consent/withdraw/", SIGNED_IN)],
    "cabinet/organisations/suggest/": [
        get("", lambda w: "/cabinet/organisations/suggest/?q=Орган", SIGNED_IN)
    ],
    "cabinet/groups/": [
        get("", lambda w: "/cabinet/groups/", SIGNED_IN)  # (empty for non-members)
    ],
    "cabinet/people/<int:user_id>/": [
        get(
            "X member",
            lambda w: f"/cabinet/people/{w.people['member'].pk}/",
            only(X_READERS, other=NOT_FOUND),
        ),
        get(
            "X applicant",
            lambda w: f"/cabinet/people/{w.people['pending'].pk}/",
            only(X_MANAGERS | {"pending"}, other=NOT_FOUND),
        ),
        get(
            "Y member",
            lambda w: f"/cabinet/people/{w.people['other_member'].pk}/",
            only(Y_READERS, other=NOT_FOUND),
        ),
        get(
            "blocked", lambda w: f"/cabinet/people/{w.o.blocked.pk}/", only(set(), other=NOT_FOUND)
        ),
    ],
    "invitations/<str:token>/": _pair(
        "X",
        "Y",
        lambda w: f"/invitations/{w.o.token_x}/",
        lambda w: f"/invitations/{w.o.token_y}/",
        PUBLIC,
        PUBLIC,
    ),
    "files/photos/<int:user_id>/": [
        get(
            "X member",
            lambda w: f"/files/photos/{w.people['member'].pk}/",
            only(X_READERS, other=NOT_FOUND, guest=NOT_FOUND),
        ),
        get(
            "X applicant",
            lambda w: f"/files/photos/{w.people['pending'].pk}/",
            only(X_MANAGERS | {"pending"}, other=NOT_FOUND, guest=NOT_FOUND),
        ),
        get(
            "Y member",
            lambda w: f"/files/photos/{w.people['other_member'].pk}/",
            only(Y_READERS, other=NOT_FOUND, guest=NOT_FOUND),
        ),
    ],
    # --- extranet.notices -------------------------------------------------------------------
    "cabinet/notifications/": [get("", lambda w: "/cabinet/notifications/", SIGNED_IN)],
    "cabinet/notifications/<int:pk>/open/": _pair(
        "X",
        "Y",
        lambda w: f"/cabinet/notifications/{w.o.notification_x.pk}/open/",
        lambda w: f"/cabinet/notifications/{w.o.notification_y.pk}/open/",
        only({"member"}, ok=REDIRECT, other=NOT_FOUND),
        only({"other_member"}, ok=REDIRECT, other=NOT_FOUND),
    ),
    "cabinet/notifications/<int:pk>/read/": [
        get(
            "GET X",
            lambda w: f"/cabinet/notifications/{w.o.notification_x.pk}/read/",
            only(SIGNED, ok=NOT_ALLOWED),
        ),
        post(
            "POST Y",
            lambda w: f"/cabinet/notifications/{w.o.notification_y.pk}/read/",
            only({"other_member"}, ok=REDIRECT, other=NOT_FOUND),
            state=_status(lambda w: w.o.notification_y),
        ),
    ],
    "cabinet/notifications/read-all/": [
        get("GET", lambda w: "/cabinet/notifications/read-all/", only(SIGNED, ok=NOT_ALLOWED)),
        post("POST", lambda w: "/cabinet/notifications/read-all/", only(SIGNED, ok=REDIRECT)),
    ],
    "cabinet/notifications/settings/": [
        get("", lambda w: "/cabinet/notifications/settings/", SIGNED_IN)
    ],
    "unsubscribe/<str:token>/": [
        get("valid", lambda w: f"/unsubscribe/{w.o.unsubscribe}/", PUBLIC),
        get("forged", lambda w: "/unsubscribe/forged-token/", only(ROLES, ok=BAD)),
    ],
    # --- events -----------------------------------------------------------------------------
    "events/calendar.ics": [get("", lambda w: "/events/calendar.ics", PUBLIC)],
    "events/plan.xlsx": [get("", lambda w: "/events/plan.xlsx", PUBLIC)],
    "events/<slug:slug>/event.ics": [
        get("X", lambda w: f"/events/{w.o.event_x.slug}/event.ics", PUBLIC)
    ],
    "events/<slug:slug>/registration/<str:token>/": [
        get(
            "X",
            lambda w: f"/events/{w.o.event_x.slug}/registration/{w.o.registration_token}/",
            PUBLIC,
            extra=SHOWS_REGISTRANT,
        ),
        get(
            "forged",
            lambda w: f"/events/{w.o.event_x.slug}/registration/forged-token-1/",
            only(ROLES, ok=BAD),
        ),
    ],
    "page:events.EventIndexPage:": [get("", lambda w: "/events/", PUBLIC)],
    "page:events.EventIndexPage:calendar.ics": [
        get("", lambda w: f"/events/calendar.ics?initiative={w.x.slug}", PUBLIC)
    ],
    "page:events.EventIndexPage:plan/": [get("", lambda w: "/events/plan/", PUBLIC)],
    "page:events.EventIndexPage:plan.xlsx": [
        get("", lambda w: f"/events/plan.xlsx?initiative={w.x.slug}", PUBLIC)
    ],
    "page:events.EventPage:": [
        get("X", lambda w: w.o.event_paths["x"], PUBLIC),
        get("Y", lambda w: w.o.event_paths["y"], PUBLIC),
        get("open", lambda w: w.o.event_paths["open"], PUBLIC),
    ],
    "page:events.EventPage:event.ics": [
        get("Y", lambda w: f"/events/{w.o.event_y.slug}/event.ics", PUBLIC)
    ],
    "page:events.EventPage:register/": [
        get("GET X", lambda w: w.o.event_paths["x"] + "register/", only(ROLES, ok=NOT_ALLOWED)),
        # members and organisers (the event's initiative's admins, editors, the portal
        # admin) register; the rest are told why not (400); the member already has a seat
        post(
            "POST X",
            lambda w: w.o.event_paths["x"] + "register/",
            only({"initiative_admin", "editor", "portal_admin"}, ok=REDIRECT, other=BAD, guest=BAD),
            state=_count("events.Registration"),
        ),
        post(
            "POST Y",
            lambda w: w.o.event_paths["y"] + "register/",
            only({"other_member", "editor", "portal_admin"}, ok=REDIRECT, other=BAD, guest=BAD),
            state=_count("events.Registration"),
        ),
    ],
    "page:events.EventPage:cancel/": [
        get("GET X", lambda w: w.o.event_paths["x"] + "cancel/", only(ROLES, ok=NOT_ALLOWED)),
    ],
    "page:events.EventPage:feedback/": [
        get("GET X", lambda w: w.o.event_paths["x"] + "feedback/", only(ROLES, ok=NOT_ALLOWED)),
    ],
    "page:events.EventPage:^registration/(?P<token>[-:\\w]{10,200})/$": [
        get(
            "X",
            lambda w: w.o.event_paths["x"] + f"registration/{w.o.registration_token}/",
            PUBLIC,
            extra=SHOWS_REGISTRANT,
        ),
    ],
    # --- ideas_exchange ---------------------------------------------------------------------
    "page:ideas_exchange.IdeasExchangePage:": [
        get("board", lambda w: w.o.ideas_url, PUBLIC),
        get("mine", lambda w: w.o.ideas_url + "?mine=1", PUBLIC),
    ],
    "page:ideas_exchange.IdeasExchangePage:rss/": [
        get("", lambda w: w.o.ideas_url + "rss/", PUBLIC)
    ],
    "page:ideas_exchange.IdeasExchangePage:new/": [
        get("", lambda w: w.o.ideas_url + "new/", SIGNED_IN)
    ],
    "page:ideas_exchange.IdeasExchangePage:subscriptions/": [
        get("", lambda w: w.o.ideas_url + "subscriptions/", SIGNED_IN)
    ],
    "page:ideas_exchange.IdeasExchangePage:<int:idea_id>/": [
        get("X", lambda w: _idea(w, w.o.idea_x), only(IDEA_X, other=NOT_FOUND, guest=NOT_FOUND)),
        get("Y", lambda w: _idea(w, w.o.idea_y), only(IDEA_Y, other=NOT_FOUND, guest=NOT_FOUND)),
        get("public", lambda w: _idea(w, w.o.idea_public), PUBLIC),
        get(
            "project X",
            lambda w: _idea(w, w.o.project_x),
            only(IDEA_X, other=NOT_FOUND, guest=NOT_FOUND),
        ),
    ],
    "page:ideas_exchange.IdeasExchangePage:<int:idea_id>/edit/": [
        # the author edits; who else may see it is refused, the rest do not learn of it
        get(
            "X",
            lambda w: _idea(w, w.o.idea_x, "edit/"),
            only(
                {"member"},
                other=NOT_FOUND,
                initiative_admin=FORBIDDEN,
                editor=FORBIDDEN,
                portal_admin=FORBIDDEN,
            ),
        ),
        get(
            "public",
            lambda w: _idea(w, w.o.idea_public, "edit/"),
            only({"registered"}, other=FORBIDDEN),
        ),
    ],
    "page:ideas_exchange.IdeasExchangePage:<int:idea_id>/comment/": [
        get("GET X", lambda w: _idea(w, w.o.idea_x, "comment/"), IDEA_X_GET),
        post(
            "POST X",
            lambda w: _idea(w, w.o.idea_x, "comment/"),
            only(IDEA_X, ok=REDIRECT, other=NOT_FOUND),
            data=lambda w: {"text": "Комментарий матрицы"},
            state=_count("ideas_exchange.IdeaComment"),
        ),
        post(
            "POST Y",
            lambda w: _idea(w, w.o.idea_y, "comment/"),
            only(IDEA_Y, ok=REDIRECT, other=NOT_FOUND),
            data=lambda w: {"text": "Комментарий матрицы"},
            state=_count("ideas_exchange.IdeaComment"),
        ),
    ],
    "page:ideas_exchange.IdeasExchangePage:<int:idea_id>/respond/": [
        get("GET X", lambda w: _idea(w, w.o.idea_x, "respond/"), IDEA_X_GET),
        post(
            "POST Y",
            lambda w: _idea(w, w.o.idea_y, "respond/"),
            # the author cannot answer their own idea
            only(IDEA_Y - {"other_member"}, ok=REDIRECT, other=NOT_FOUND, other_member=FORBIDDEN),
            data=lambda w: {"text": "Отклик матрицы"},
            state=_count("chat.Message"),
        ),
    ],
    "page:ideas_exchange.IdeasExchangePage:<int:idea_id>/partner/": [
        get("GET X", lambda w: _idea(w, w.o.project_x, "partner/"), IDEA_X_GET),
        post(
            "POST Y",
            lambda w: _idea(w, w.o.project_y, "partner/"),
            only(IDEA_Y - {"other_member"}, ok=REDIRECT, other=NOT_FOUND, other_member=FORBIDDEN),
            data=lambda w: {
                "organisation_name": "ООО «Матрица»",
                "role": "partner",
                "note": "Готовы",
            },
            state=_count("ideas_exchange.Partnership"),
        ),
    ],
    "page:ideas_exchange.IdeasExchangePage:<int:idea_id>/partners/<int:partnership_id>/": [
        get(
            "GET X",
            lambda w: _idea(w, w.o.project_x, f"partners/{w.o.partnership_x.pk}/"),
            IDEA_X_GET,
        ),
        post(
            "POST Y",
            lambda w: _idea(w, w.o.project_y, f"partners/{w.o.partnership_y.pk}/"),
            only({"other_member"}, ok=REDIRECT, other=NOT_FOUND, **IDEA_Y_NOT_AUTHOR),
            data=lambda w: {"decision": "accept"},
            state=_status(lambda w: w.o.partnership_y),
        ),
    ],
    "page:ideas_exchange.IdeasExchangePage:<int:idea_id>/stage/": [
        get("GET X", lambda w: _idea(w, w.o.project_x, "stage/"), IDEA_X_GET),
        post(
            "POST Y",
            lambda w: _idea(w, w.o.project_y, "stage/"),
            only({"other_member"}, ok=REDIRECT, other=NOT_FOUND, **IDEA_Y_NOT_AUTHOR),
            data=lambda w: {"stage": "consortium"},
            state=_status(lambda w: w.o.project_y),
        ),
    ],
    "page:ideas_exchange.IdeasExchangePage:<int:idea_id>/files/<int:attachment_id>/": [
        get(
            "X",
            lambda w: _idea(w, w.o.idea_x, f"files/{w.o.idea_file_x.pk}/"),
            only(IDEA_X, other=NOT_FOUND, guest=NOT_FOUND),
        ),
        get(
            "Y",
            lambda w: _idea(w, w.o.idea_y, f"files/{w.o.idea_file_y.pk}/"),
            only(IDEA_Y, other=NOT_FOUND, guest=NOT_FOUND),
        ),
        get(
            "public",
            lambda w: _idea(w, w.o.idea_public, f"files/{w.o.idea_file_public.pk}/"),
            PUBLIC,
        ),
    ],
    # Their own views inside Wagtail admin: moderation of an idea (its moderators: editors,
    # the portal admin, the idea's initiative's admins) and an event's attendance (whoever
    # may edit the event: its initiative's admins, editors, the portal admin).
    "admin/ideas_exchange/idea/moderate/<int:idea_id>/": [
        get(
            "X",
            lambda w: f"/admin/ideas_exchange/idea/moderate/{w.o.idea_x.pk}/",
            only(WAGTAIL_ADMINS, other=LOGIN),
        ),
        get(
            "Y",
            lambda w: f"/admin/ideas_exchange/idea/moderate/{w.o.idea_y.pk}/",
            only({"editor", "portal_admin"}, other=LOGIN, initiative_admin=FORBIDDEN),
        ),
    ],
    "admin/events/registration/attendance/<int:event_id>/": [
        get(
            "X",
            lambda w: f"/admin/events/registration/attendance/{w.o.event_x.pk}/",
            only(WAGTAIL_ADMINS, other=LOGIN),
            extra=SHOWS_REGISTRANT,
        ),
        get(
            "Y",
            lambda w: f"/admin/events/registration/attendance/{w.o.event_y.pk}/",
            only({"editor", "portal_admin"}, other=LOGIN, initiative_admin=FORBIDDEN),
        ),
    ],
    # --- initiatives (the news index's routes) ----------------------------------------------
    "page:initiatives.NewsIndexPage:": [get("", lambda w: "/news/", PUBLIC)],
    "page:initiatives.NewsIndexPage:feed/": [get("", lambda w: "/news/feed/", PUBLIC)],
    "page:initiatives.NewsIndexPage:feed/atom/": [get("", lambda w: "/news/feed/atom/", PUBLIC)],
}

PREFIXES: dict[str, list[Case]] = {
    "admin/": [
        get("dashboard", lambda w: "/admin/", only(WAGTAIL_ADMINS, other=LOGIN)),
        # (an initiative admin is sent on to the pages they may explore)
        get(
            "pages",
            lambda w: "/admin/pages/",
            only(WAGTAIL_ADMINS, other=LOGIN, initiative_admin=REDIRECT),
        ),
    ],
    "django-admin/": [
        # Nobody of the roles is staff: even the portal admin signs in as staff elsewhere.
        get("index", lambda w: "/django-admin/", only(set(), other=LOGIN)),
        get(
            "tasks",
            lambda w: "/django-admin/django_tasks_database/dbtaskresult/",
            only(set(), other=LOGIN),
        ),
    ],
    # allauth, with the MFA and sessions pages siblings are adding: guests may sign in and
    # up; pages of an account ask for a login; signed-in people get the page or a redirect.
    "accounts/": [
        get("login", lambda w: "/accounts/login/", only({"guest"}, other=REDIRECT)),
        get("signup", lambda w: "/accounts/signup/", only({"guest"}, other=REDIRECT)),
        get("email", lambda w: "/accounts/email/", only(SIGNED, ok=ANY)),
        get("password change", lambda w: "/accounts/password/change/", only(SIGNED, ok=ANY)),
        get("2fa", lambda w: "/accounts/2fa/", only(SIGNED, ok=ANY), extra={"if_resolves": True}),
        get(
            "sessions",
            lambda w: "/accounts/sessions/",
            only(SIGNED, ok=ANY),
            extra={"if_resolves": True},
        ),
    ],
    "documents/": [
        get("public", lambda w: w.o.document.url, PUBLIC),
    ],
    # Wagtail's login for private pages: allauth's for guests, refused when signed in.
    "_util/": [get("login", lambda w: "/_util/login/", only(set()))],
}
