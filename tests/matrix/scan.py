"""Which people's e-mails and phones a viewer may meet in a response, and the scan itself.

The rule is written here from DESIGN.md / docs/architecture.md («Privacy rule and
permissions») on the data of the world, not by calling ``extranet/members/permissions.py``,
so a slip in that module shows up as a leak:

- a person sees their own contacts; the portal admin sees everyone's;
- nobody else sees anything of a blocked account (consent withdrawn), except the portal
  admin, who keeps its login e-mail in «Все пользователи»; its phone nobody;
- an approved member of an initiative sees the data of its approved members, and an
  initiative admin also of its applicants (pending, approved, rejected);
- a phone shows beside that only where the common initiative's directory shows phones
  (``directory_shows_phone``; X hides them, Y shows them), and always to the person and
  the portal admin;
- guests, registered users, editors and members of other initiatives see nobody's.
"""

from __future__ import annotations

import html
import io
import re
import zipfile

APPLIED = ("pending", "approved", "rejected")


def memberships_of(world) -> dict[str, dict[int, tuple[str, str]]]:
    from extranet.members.models import Membership

    by_user = {}
    for key, person in world.persons.items():
        by_user[key] = {
            row.initiative_id: (row.status, row.role)
            for row in Membership.objects.filter(user=person.user)
        }
    return by_user


def allowed_contacts(world, viewer_key: str) -> tuple[set[str], set[str]]:
    """(e-mails, phones) of the world's people that ``viewer_key`` may see."""
    if viewer_key == "guest":
        return set(), set()
    memberships = memberships_of(world)
    shows_phone = {
        world.x.pk: world.x.directory_shows_phone,
        world.y.pk: world.y.directory_shows_phone,
    }
    viewer = world.persons[viewer_key]
    portal = viewer_key == "portal_admin"
    emails, phones = {viewer.email}, {viewer.phone}
    for key, subject in world.persons.items():
        if key == viewer_key:
            continue
        if not subject.user.is_active:
            if portal:
                emails.add(subject.email)
            continue
        if portal:
            emails.add(subject.email)
            phones.add(subject.phone)
            continue
        for initiative_id, (status, role) in memberships[viewer_key].items():
            if status != "approved":
                continue
            theirs = memberships[key].get(initiative_id)
            if theirs is None:
                continue
            if theirs[0] == "approved" or (role == "admin" and theirs[0] in APPLIED):
                emails.add(subject.email)
                if shows_phone.get(initiative_id):
                    phones.add(subject.phone)
    return emails, phones


def _phone_pattern(phone: str) -> re.Pattern:
    # The subscriber part (the last seven digits) in any grouping: «710 00 01», «710-00-01».
    digits = phone[-7:]
    return re.compile(r"[\s\-\u00a0]?".join(digits))


def body_text(response) -> str:
    """The response as text: HTML and JSON unescaped, an XLSX's sheets unzipped."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if content[:2] == b"PK":
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                content = b"\n".join(archive.read(name) for name in archive.namelist())
        except zipfile.BadZipFile:
            pass
    return html.unescape(content.decode("utf-8", errors="replace"))


def leaks(world, viewer_key: str, text: str, allowed) -> list[str]:
    emails, phones = allowed
    lowered = text.lower()
    found = [
        f"e-mail of {key} ({person.email})"
        for key, person in world.persons.items()
        if person.email not in emails and person.email.lower() in lowered
    ]
    hidden = {p.phone: key for key, p in world.persons.items() if p.phone not in phones}
    if hidden:
        # One pass over the text for all the hidden numbers.
        combined = re.compile("|".join(f"({_phone_pattern(phone).pattern})" for phone in hidden))
        for match in combined.finditer(text):
            phone = list(hidden)[match.lastindex - 1]
            found.append(f"phone of {hidden[phone]} ({phone})")
    return sorted(set(found))
