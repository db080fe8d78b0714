"""The feed's posts rendered once and reused (issue 15, part 2).

Rendering ``feed/_post.html`` cost about 3 ms a post (avatar, badges, comments), most of a
feed page. Each post's HTML is kept in Django's cache under a key made of **everything the
fragment shows, as this viewer sees it**: the post's own fields (text, kind, pin, dates, the
linked event and idea), its files, its comment count and shown comments, the people on it
(name, whether the viewer sees their photo and card, their profile's update time) and the
viewer's rights (edit, delete, pin, comment, per comment edit and delete), plus the language
and time zone. All of it is already loaded for the page (selectors.feed_page, the view's
``_decorate``), so the key costs no query; and since the key is the content, an edit, a new
or deleted comment, a changed file or a renamed author simply asks for another key — nothing
to invalidate, and one viewer's controls can never be served to a viewer without them (their
rights are part of the key).

Two things in the fragment differ per request and are left out of the cached HTML: the CSRF
token of its forms (pin, comment) and ``here``, the page the forms return to. The fragment is
rendered with placeholders for them, which are replaced after the cache lookup with this
request's token and path. The placeholders are derived from SECRET_KEY, so text someone typed
can never contain one.

One ``get_many`` reads the page's fragments; the missing ones are rendered and stored with
one ``set_many``.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.middleware.csrf import get_token
from django.template.loader import get_template
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.html import escape
from django.utils.safestring import mark_safe

from extranet.members.people import photo_url, profile_of

from .templatetags.feed_tags import person_name, person_url

POST_TEMPLATE = "feed/_post.html"
# Bump when feed/_post.html or what goes into the key changes, so old entries are not used.
SCHEMA = 1
# How long a rendered post stays in the cache; settings.FEED_FRAGMENT_CACHE_SECONDS overrides.
DEFAULT_TIMEOUT = 3600


def fragment_timeout() -> int:
    return int(getattr(settings, "FEED_FRAGMENT_CACHE_SECONDS", DEFAULT_TIMEOUT))


def _placeholder(name: str) -> str:
    # Hex only: HTML escaping leaves it as is, and nobody can type it without the secret.
    return "ph" + salted_hmac("extranet.feed.fragments", name).hexdigest()[:32]


def _person(user, visible, slug: str) -> tuple:
    """What the fragment shows of a person, as this viewer may see it."""
    if user is None:
        return (None, person_name(None))
    profile = profile_of(user)
    return (
        user.pk,
        person_name(user),
        photo_url(user, visible=visible),
        person_url(user, visible, slug),
        profile.updated_at.isoformat() if profile is not None and profile.updated_at else "",
    )


def _event(post, request) -> tuple:
    event = post.event if post.event_id else None
    if event is None:
        return ()
    return (event.pk, event.live, event.title, event.get_url(request=request) if event.live else "")


def post_key(post, *, request, initiative, visible) -> str:
    """The cache key of ``post`` as the viewer of ``request`` sees it (see the module's
    docstring: every input of the fragment, no query)."""
    parts = (
        SCHEMA,
        translation.get_language(),
        timezone.get_current_timezone_name(),
        initiative.slug,
        post.pk,
        post.kind,
        post.pinned,
        post.created_at.isoformat(),
        post.edited_at.isoformat() if post.edited_at else "",
        post.text,
        _event(post, request),
        tuple(post.idea_link) if post.idea_link else (),
        tuple((a.pk, a.name, a.size, a.content_type) for a in post.attachments.all()),
        _person(post.author, visible, initiative.slug),
        (post.may_edit, post.may_delete, post.may_pin, post.may_comment),
        post.comment_count,
        tuple(
            (
                c.pk,
                c.created_at.isoformat(),
                c.edited_at.isoformat() if c.edited_at else "",
                c.text,
                _person(c.author, visible, initiative.slug),
                c.may_edit,
                c.may_delete,
            )
            for c in post.recent_comments
        ),
    )
    digest = hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()
    return f"feed:post:{post.pk}:{digest}"


def post_fragments(*, request, posts, initiative, visible, here: str, comment_form) -> None:
    """Set ``post.fragment`` (safe HTML) on each of ``posts``, from the cache or rendered now.
    The posts carry what the view's ``_decorate`` set (rights, idea links)."""
    csrf_mark, here_mark = _placeholder("csrf"), _placeholder("here")
    keys = {
        post.pk: post_key(post, request=request, initiative=initiative, visible=visible)
        for post in posts
    }
    found = cache.get_many(list(keys.values())) if keys else {}
    missing = {}
    template = None
    for post in posts:
        key = keys[post.pk]
        html = found.get(key)
        if html is None:
            template = template or get_template(POST_TEMPLATE)
            # No request: the context processors (header, counters) are not needed here;
            # ``request`` is in the context for {% pageurl %}.
            html = template.render(
                {
                    "post": post,
                    "initiative": initiative,
                    "visible": visible,
                    "here": here_mark,
                    "comment_form": comment_form,
                    "csrf_token": csrf_mark,
                    "request": request,
                }
            )
            missing[key] = html
        post.fragment = html
    if missing:
        cache.set_many(missing, fragment_timeout())
    token = get_token(request)
    here_html = escape(here)
    for post in posts:
        post.fragment = mark_safe(  # noqa: S308 - rendered by our template; token and path escaped
            post.fragment.replace(csrf_mark, escape(token)).replace(here_mark, here_html)
        )
