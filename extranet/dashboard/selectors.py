"""Reads for the portal administrator's cabinet."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import phonenumbers
from django.urls import reverse

from core.locales import originals
from core.text import clean_line
from extranet.members.people import profile_of
from extranet.members.permissions import people_with_visible_data
from extranet.members.selectors import PERSON_SEARCH_FIELDS, contains_q
from initiatives.models import InitiativeIndexPage, InitiativePage


@dataclass(frozen=True)
class RegistryRow:
    page: InitiativePage
    edit_url: str
    delete_url: str
    admins: list = field(default_factory=list)


def initiatives_registry() -> list[RegistryRow]:
    """Every initiative, published or not, with its administrators and admin links.

    The «Администратор» column shows the initiative's admins (name, phone, e-mail: the portal
    admin may see everyone's data); the public contact card fills in while there are none.
    Two queries however many initiatives and admins.
    """
    from django.db.models import Prefetch

    from extranet.members.models import Membership

    admins = (
        Membership.objects.filter(status=Membership.Status.APPROVED, role=Membership.Role.ADMIN)
        .select_related("user", "user__profile")
        .order_by("user__last_name", "user__first_name")
    )
    pages = (
        originals(InitiativePage.objects.select_related("logo"))
        .prefetch_related(Prefetch("memberships", queryset=admins, to_attr="admin_memberships"))
        .order_by("title")
    )
    return [
        RegistryRow(
            page=page,
            edit_url=reverse("wagtailadmin_pages:edit", args=[page.pk]),
            delete_url=reverse("wagtailadmin_pages:delete", args=[page.pk]),
            admins=[m.user for m in page.admin_memberships],
        )
        for page in pages
    ]


def initiative_add_url() -> str | None:
    """Wagtail's «add an initiative» form under the index page, if the index exists."""
    index = InitiativeIndexPage.objects.first()
    if index is None:
        return None
    return reverse("wagtailadmin_pages:add", args=["initiatives", "initiativepage", index.pk])


# --- All users («Все пользователи») ------------------------------------------------------------

# The statuses the «All users» list shows and filters by: the membership statuses; "none"
# means no open (pending) or current (approved) membership; "blocked" is the account's (consent
# withdrawn), whose memberships the list does not show, so the others never match it.
USER_STATUS_FILTERS = ("approved", "pending", "rejected", "none", "blocked")
_SHOWN_STATUSES = ("pending", "approved", "rejected")


@dataclass(frozen=True)
class UserFilters:
    """The «All users» filters as read from the query string (invalid values are dropped)."""

    initiative_id: int | None = None
    status: str = ""
    q: str = ""

    @classmethod
    def from_query(cls, params) -> UserFilters:
        try:
            initiative_id = int(params.get("initiative") or 0) or None
        except (TypeError, ValueError):
            initiative_id = None
        status = params.get("status") or ""
        if status not in USER_STATUS_FILTERS:
            status = ""
        return cls(
            initiative_id=initiative_id, status=status, q=clean_line(params.get("q") or "")[:200]
        )

    @property
    def active(self) -> bool:
        return bool(self.initiative_id or self.status or self.q)


@dataclass(frozen=True)
class MembershipRow:
    membership: object  # extranet.members.models.Membership
    initiative_title: str
    status: str
    status_label: str
    is_admin: bool
    is_approved: bool
    is_pending: bool


@dataclass(frozen=True)
class UserRow:
    """One person of «All users». A blocked account (consent withdrawn) keeps only its
    identity (name, login e-mail) and ``is_blocked``: the privacy rule refuses its profile data
    and memberships to the portal admin too."""

    user: object  # extranet.members.models.User
    name: str
    email: str
    phone: str
    organisation: str
    position: str
    memberships: list[MembershipRow]
    is_blocked: bool = False

    @property
    def is_admin(self) -> bool:
        return any(m.is_admin for m in self.memberships)


def users_search(users, *, viewer, q: str):
    """``users`` whose name, e-mail or organisation holds every word of ``q``. The
    organisation finds only people whose organisation ``viewer`` may see (not a blocked
    account's), else the search would reveal it: two queries more however many words."""
    from django.db.models import Q

    from extranet.members.models import User

    terms = q.split()
    if not terms:
        return users
    organisation = "profile__organisation__name"
    in_organisation = Q()
    for term in terms:
        in_organisation |= contains_q(term, organisation)
    found = User.objects.filter(in_organisation).values_list("pk", flat=True)
    by_organisation = Q(pk__in=people_with_visible_data(viewer, list(found)))
    for term in terms:
        users = users.filter(
            contains_q(term, *PERSON_SEARCH_FIELDS)
            | (contains_q(term, organisation) & by_organisation)
        )
    return users


def all_users(*, viewer, filters: UserFilters | None = None):
    """Every registered user matching ``filters``, with profile and memberships prefetched.

    The queryset costs three queries however long it is (users, memberships, initiatives
    joined in), two more with a search (``users_search``); turn it into rows with
    ``user_rows``.
    """
    from django.db.models import Prefetch, Q

    from extranet.members.models import Membership, User

    filters = filters or UserFilters()
    users = User.objects.select_related("profile__organisation").prefetch_related(
        Prefetch(
            "memberships",
            queryset=Membership.objects.filter(status__in=_SHOWN_STATUSES)
            .select_related("initiative")
            .order_by("initiative__title"),
            to_attr="shown_memberships",
        )
    )
    users = users_search(users, viewer=viewer, q=filters.q)
    if filters.status == "blocked":
        return users.filter(is_active=False).order_by("last_name", "first_name", "email")
    scope = Q()
    if filters.initiative_id:
        scope &= Q(initiative_id=filters.initiative_id)
    if filters.initiative_id or filters.status:
        users = users.filter(is_active=True)
    if filters.status == "none":
        active = Membership.objects.filter(scope, status__in=Membership.ACTIVE_STATUSES)
        users = users.exclude(pk__in=active.values("user_id"))
    elif filters.status or filters.initiative_id:
        statuses = [filters.status] if filters.status else list(_SHOWN_STATUSES)
        chosen = Membership.objects.filter(scope, status__in=statuses)
        users = users.filter(pk__in=chosen.values("user_id"))
    return users.order_by("last_name", "first_name", "email")


def user_row(user, *, shows_data: bool) -> UserRow:
    """One user of ``all_users`` with everything the list and the exports show; without
    ``shows_data`` (the privacy rule's answer) only the account's name and login e-mail."""
    from extranet.members.models import Membership

    if not shows_data:
        return UserRow(
            user=user,
            name=user.get_full_name() or user.email,
            email=user.email,
            phone="",
            organisation="",
            position="",
            memberships=[],
            is_blocked=not user.is_active,
        )
    profile = profile_of(user)
    memberships = [
        MembershipRow(
            membership=m,
            initiative_title=m.initiative.title,
            status=m.status,
            status_label=str(m.get_status_display()),
            is_admin=m.is_admin,
            is_approved=m.status == Membership.Status.APPROVED,
            is_pending=m.status == Membership.Status.PENDING,
        )
        for m in getattr(user, "shown_memberships", [])
    ]
    return UserRow(
        user=user,
        name=user.get_full_name() or user.email,
        email=user.email,
        phone=phone_text(profile.phone) if profile else "",
        organisation=profile.organisation.name if profile and profile.organisation else "",
        position=profile.position if profile else "",
        memberships=memberships,
        is_blocked=not user.is_active,
    )


def user_rows(users, *, viewer) -> list[UserRow]:
    """``users`` as rows for ``viewer``, the privacy rule asked once for all of them."""
    users = list(users)
    visible = people_with_visible_data(viewer, [user.pk for user in users])
    return [user_row(user, shows_data=user.pk in visible) for user in users]


def account_status(user) -> str:
    """The account's state as the lists and exports name it."""
    from django.utils.translation import gettext as _

    return _("Blocked (consent withdrawn)") if not user.is_active else _("Active")


def initiative_choices() -> list[tuple[int, str]]:
    """(id, title) of every initiative, for the «All users» initiative filter."""
    return list(originals(InitiativePage.objects.order_by("title")).values_list("pk", "title"))


def phone_text(phone) -> str:
    """A profile's phone as people read it; a stored value that is no valid number (written
    past the form) is shown as stored rather than as «None»."""
    if not phone:
        return ""
    return phone.as_international if phone.is_valid() else str(phone.raw_input or "")


_PHONE_CHARACTERS = re.compile(r"\+[\d\s()\-]+")


def _is_phone_number(value: str) -> bool:
    # The characters test keeps out text that phonenumbers would find a number inside of.
    if not _PHONE_CHARACTERS.fullmatch(value):
        return False
    try:
        return phonenumbers.is_valid_number(phonenumbers.parse(value, None))
    except phonenumbers.NumberParseException:
        return False


def spreadsheet_safe(value: str, *, is_phone: bool = False) -> str:
    """Text a spreadsheet will not run as a formula (CSV/formula injection): a leading
    ``= @ + -`` (or tab, carriage return) gets a quote. Only a phone column may keep the
    leading «+» of a valid international (E.164) number."""
    if is_phone and _is_phone_number(value):
        return value
    if value[:1] in ("=", "@", "+", "-", "\t", "\r"):
        return "'" + value
    return value


def user_export_table(users, *, viewer) -> tuple[list[str], list[list[str]]]:
    """Headings and rows of the «All users» CSV/XLSX export (the same columns for both)."""
    from django.utils.translation import gettext as _

    headings = [
        _("Name"),
        _("E-mail"),
        _("Phone"),
        _("Organisation"),
        _("Position"),
        _("Initiatives"),
        _("Registered"),
        _("Status"),
    ]
    rows = []
    for row in user_rows(users, viewer=viewer):
        user = row.user
        initiatives = "; ".join(
            f"{m.initiative_title} ({m.status_label}"
            + (f", {_('Administrator')}" if m.is_admin else "")
            + ")"
            for m in row.memberships
        )
        rows.append(
            [
                spreadsheet_safe(row.name),
                spreadsheet_safe(row.email),
                spreadsheet_safe(row.phone, is_phone=True),
                spreadsheet_safe(row.organisation),
                spreadsheet_safe(row.position),
                spreadsheet_safe(initiatives),
                user.date_joined.strftime("%Y-%m-%d"),
                account_status(user),
            ]
        )
    return headings, rows


# --- Outgoing e-mails («Письма») ------------------------------------------------------------

# The statuses the e-mail log filters by, the failed ones first (what the admin comes for).
EMAIL_STATUS_FILTERS = ("failed", "queued", "sending", "sent")
# The header's «Письма (N ошибок)» is counted at most this often (not once per page).
FAILED_EMAILS_CACHE_KEY = "dashboard:failed-emails"
FAILED_EMAILS_CACHE_SECONDS = 60


@dataclass(frozen=True)
class EmailFilters:
    """The e-mail log's filters as read from the query string; ``errors`` says which given
    values were not understood (they are dropped, and the list shows everything)."""

    status: str = ""
    kind: str = ""
    errors: tuple[str, ...] = ()

    @classmethod
    def from_query(cls, params, *, kinds: list[str]) -> EmailFilters:
        from django.utils.translation import gettext as _

        errors = []
        status = (params.get("status") or "").strip()
        if status and status not in EMAIL_STATUS_FILTERS:
            errors.append(
                _("There is no status «%(value)s»: all e-mails are shown.") % {"value": status[:50]}
            )
            status = ""
        kind = (params.get("kind") or "").strip()
        if kind and kind not in kinds:
            errors.append(
                _("There are no e-mails of the kind «%(value)s»: all e-mails are shown.")
                % {"value": kind[:100]}
            )
            kind = ""
        return cls(status=status, kind=kind, errors=tuple(errors))

    @property
    def active(self) -> bool:
        return bool(self.status or self.kind)


def email_kinds() -> list[str]:
    """The kinds of e-mail the outbox holds («notice:feed.post_new», «invitation»), sorted."""
    from core.models import OutgoingEmail

    return sorted(
        OutgoingEmail.objects.exclude(kind="").values_list("kind", flat=True).distinct().order_by()
    )


def outgoing_emails(*, filters: EmailFilters):
    """The outbox newest first, without the message bodies (the log shows none)."""
    from core.models import OutgoingEmail

    emails = OutgoingEmail.objects.defer("body", "html", "headers").order_by("-created_at", "-id")
    if filters.status:
        emails = emails.filter(status=filters.status)
    if filters.kind:
        emails = emails.filter(kind=filters.kind)
    return emails


def failed_email_count(*, fresh: bool = False) -> int:
    """How many e-mails failed for good, counted at most once a minute (the header asks on
    every page of the portal admin); ``fresh`` counts now (the log itself)."""
    from django.core.cache import cache

    from core.models import OutgoingEmail

    count = None if fresh else cache.get(FAILED_EMAILS_CACHE_KEY)
    if count is None:
        count = OutgoingEmail.objects.filter(status=OutgoingEmail.Status.FAILED).count()
        cache.set(FAILED_EMAILS_CACHE_KEY, count, FAILED_EMAILS_CACHE_SECONDS)
    return count
