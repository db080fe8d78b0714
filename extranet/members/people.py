"""How a person is shown: one place builds the person cards of the directory, the feed's
contacts and, later, the chat, and decides what of a person's data each card carries.

What a viewer may see is :mod:`.permissions`' answer (the privacy rule, the phone rule); this
module only asks it once per page and puts the answers on cards. Buttons such as «написать»
come from the feature apps through the Wagtail hook ``register_person_action``: members knows
no feature's URL names.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ObjectDoesNotExist
from django.urls import reverse
from django.utils.translation import gettext
from wagtail import hooks

from . import permissions

# ``fn(viewer, subject) -> tuple[str, str] | None``: a (label, url) button on the subject's
# cards (the chat's «написать»), or None when the viewer may not use it. Never asked for the
# viewer's own card.
PERSON_ACTION_HOOK = "register_person_action"
# ``fn(viewer, subject_ids)``: told beforehand which people a page of cards shows, so that a
# provider answers for all of them with one query about those people only (not, say, every
# one of 50,000 accounts the viewer might write to).
PERSON_ACTIONS_PREPARE_HOOK = "register_person_actions_prepare"


@dataclass(frozen=True)
class PersonAction:
    label: str
    url: str


@dataclass(frozen=True)
class PersonCard:
    """What components/person_card.html shows for one person. Contact data is empty unless
    the viewer may see it."""

    name: str
    url: str
    photo_url: str
    initiative: str
    email: str
    phone: str
    badge: str
    actions: tuple[PersonAction, ...] = ()


def profile_of(user):
    """The user's profile as loaded with them (``select_related``), or None without one."""
    try:
        return user.profile
    except ObjectDoesNotExist:
        return None


def photo_url(user, *, visible) -> str:
    """The URL of ``user``'s photo when the viewer may see it (``visible``: the ids
    :func:`.permissions.people_with_visible_data` gave for the page) and there is one."""
    if user is None or user.pk not in (visible or ()):
        return ""
    profile = profile_of(user)
    if profile is None or not profile.photo:
        return ""
    return reverse("profile_photo", args=[user.pk])


def prepare_person_actions(viewer, subject_ids: Iterable[int]) -> None:
    """Let the providers of :data:`PERSON_ACTION_HOOK` look up ``subject_ids`` at once."""
    ids = frozenset(pk for pk in subject_ids if pk is not None and pk != viewer.pk)
    if not ids or not viewer.is_authenticated:
        return
    for prepare in hooks.get_hooks(PERSON_ACTIONS_PREPARE_HOOK):
        prepare(viewer, ids)


def person_actions(viewer, subject) -> tuple[PersonAction, ...]:
    """The registered buttons for ``subject``'s card as ``viewer`` sees it; none on one's own."""
    if subject is None or not viewer.is_authenticated or viewer.pk == subject.pk:
        return ()
    actions = []
    for provider in hooks.get_hooks(PERSON_ACTION_HOOK):
        action = provider(viewer, subject)
        if action:
            label, url = action
            actions.append(PersonAction(label=str(label), url=url))
    return tuple(actions)


def person_cards(
    *,
    viewer,
    users: Iterable,
    initiative=None,
    admin_ids: Iterable[int] = (),
    visible: Iterable[int] | None = None,
) -> list[PersonCard]:
    """Cards for a page of people, in the order given, without a query per person: the
    users come with their profiles (``select_related("profile")``), and the privacy rule is
    asked once for all of them unless the page already did (``visible``).

    ``initiative`` is the group the cards are shown in: its title is on the card, the member
    card links back to it, and its directory setting decides phones. ``admin_ids`` get the
    «Administrator» badge."""
    users = list(users)
    if visible is None:
        visible = permissions.people_with_visible_data(viewer, [u.pk for u in users])
    admin_ids = frozenset(admin_ids)
    prepare_person_actions(viewer, [u.pk for u in users if u.pk in visible])
    shown_in = [initiative] if initiative is not None else []
    cards = []
    for user in users:
        sees_data = user.pk in visible
        profile = profile_of(user)
        url = ""
        if sees_data:
            url = reverse("person", kwargs={"user_id": user.pk})
            if initiative is not None:
                url = f"{url}?group={initiative.slug}"
        show_phone = sees_data and permissions.can_view_phone(viewer, user, initiatives=shown_in)
        cards.append(
            PersonCard(
                name=user.get_full_name() or (user.email if sees_data else gettext("Member")),
                url=url,
                photo_url=photo_url(user, visible=visible),
                initiative=initiative.title if initiative is not None else "",
                email=user.email if sees_data else "",
                phone=(
                    profile.phone.as_international
                    if show_phone and profile is not None and profile.phone
                    else ""
                ),
                badge=gettext("Administrator") if user.pk in admin_ids else "",
                actions=person_actions(viewer, user) if sees_data else (),
            )
        )
    return cards
