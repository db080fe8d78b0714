"""Matching («Подходящие предложения», «Кому это нужно»): the best ideas of the opposite kind.

For a request the best offers, for an offer the best requests; a project has none. Only
approved, not closed ideas that the viewer may see (``permissions.visible_ideas``), never the
idea's own author's. Ranked by shared tags first, then by how alike the texts are:

- on PostgreSQL, full text: the idea's title and short text as an OR query against each
  candidate's title, short text and text (``SearchRank``, configuration «russian» when the
  server has it, else «simple»);
- elsewhere (SQLite), a simple word overlap on title and short text, over a bounded set of
  candidates (those sharing the most tags, then the newest).

An idea with neither a shared tag nor any similar word is not a match. Each result carries
``shared_tags`` (names, sorted) and ``match_score``. A constant number of queries whatever
the number of ideas.
"""

from __future__ import annotations

import re

from django.db import connection
from django.db.models import Count, F, FloatField, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from .models import Idea, TaggedIdea
from .permissions import visible_ideas

OPPOSITE = {Idea.Kind.REQUEST: Idea.Kind.OFFER, Idea.Kind.OFFER: Idea.Kind.REQUEST}
# The SQLite fallback scores this many candidates in Python.
CANDIDATES = 200
# At most this many words of the idea go into the full-text query.
QUERY_WORDS = 40
# A text rank below this (and no shared tag) is no match.
MIN_RANK = 0.001

_WORD = re.compile(r"\w+", re.UNICODE)
# Short words that say nothing about a need or an offer: without them «для» or «или» alone
# would make a biotech request "match" a fish-farming offer (PostgreSQL's «russian»
# configuration drops them itself; «simple» and the fallback need this list).
STOP_WORDS = frozenset(
    {
        "для",
        "при",
        "под",
        "над",
        "без",
        "из-за",
        "или",
        "что",
        "как",
        "это",
        "эти",
        "его",
        "её",
        "ещё",
        "еще",
        "уже",
        "так",
        "там",
        "где",
        "кто",
        "чем",
        "все",
        "всё",
        "наш",
        "наша",
        "наши",
        "нам",
        "нас",
        "вас",
        "ваш",
        "они",
        "она",
        "оно",
        "был",
        "была",
        "были",
        "будет",
        "быть",
        "также",
        "and",
        "for",
        "the",
        "with",
        "from",
        "",
    }
)
_search_config: str | None = None


def _words(text: str) -> list[str]:
    """Lower-case words of three letters or more, digits-only words, stop words and
    duplicates dropped."""
    seen: dict[str, None] = {}
    for word in _WORD.findall((text or "").lower()):
        word = word.replace("_", "")
        if len(word) >= 3 and not word.isdigit() and word not in STOP_WORDS:
            seen.setdefault(word, None)
    return list(seen)


def _stem(word: str) -> str:
    # A crude stem for the fallback: «оборудования» and «оборудование» meet at «оборуд».
    return word[:6] if len(word) > 6 else word


def search_config() -> str:
    """«russian» when the PostgreSQL server has that text search configuration, else
    «simple»; asked once per process."""
    global _search_config
    if _search_config is None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_ts_config WHERE cfgname = 'russian'")
            _search_config = "russian" if cursor.fetchone() else "simple"
    return _search_config


def _tag_names(idea: Idea) -> dict[int, str]:
    cache = getattr(idea, "_prefetched_objects_cache", {})
    tags = cache["tags"] if "tags" in cache else idea.tags.all()
    return {tag.pk: tag.name for tag in tags}


def candidates(*, idea: Idea, user):
    """The ideas that may match ``idea`` for ``user``, unranked."""
    opposite = OPPOSITE.get(idea.kind)
    if opposite is None:
        return Idea.objects.none()
    queryset = visible_ideas(user, Idea.objects.filter(kind=opposite))
    queryset = queryset.exclude(status=Idea.Status.CLOSED).exclude(pk=idea.pk)
    if idea.author_id is not None:
        queryset = queryset.exclude(author_id=idea.author_id)
    return queryset


def _with_shared(queryset, tag_ids):
    if not tag_ids:
        return queryset.annotate(shared=Value(0, output_field=IntegerField()))
    shared = (
        TaggedIdea.objects.filter(content_object_id=OuterRef("pk"), tag_id__in=list(tag_ids))
        .order_by()
        .values("content_object_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return queryset.annotate(
        shared=Coalesce(Subquery(shared, output_field=IntegerField()), Value(0))
    )


def _postgres(queryset, *, idea: Idea, tag_ids, limit: int) -> list[Idea]:
    from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

    config = search_config()
    words = _words(f"{idea.title} {idea.summary}")[:QUERY_WORDS]
    queryset = _with_shared(queryset, tag_ids)
    if words:
        vector = (
            SearchVector("title", weight="A", config=config)
            + SearchVector("summary", weight="B", config=config)
            + SearchVector("text", weight="C", config=config)
        )
        # Each word as its own lexeme(s), joined by OR: no operator typed by anyone reaches
        # to_tsquery, only \w characters.
        query = SearchQuery(words[0], config=config, search_type="plain")
        for word in words[1:]:
            query |= SearchQuery(word, config=config, search_type="plain")
        queryset = queryset.annotate(rank=SearchRank(vector, query))
        queryset = queryset.filter(Q(shared__gt=0) | Q(rank__gt=MIN_RANK))
    else:
        queryset = queryset.annotate(rank=Value(0.0, output_field=FloatField()))
        queryset = queryset.filter(shared__gt=0)
    found = list(
        queryset.defer("text")
        .order_by("-shared", F("rank").desc(), F("published_at").desc(nulls_last=True), "-pk")
        .prefetch_related("tags")[:limit]
    )
    for match in found:
        match.match_score = round(match.shared + float(match.rank), 4)
    return found


def _fallback(queryset, *, idea: Idea, tag_ids, limit: int) -> list[Idea]:
    stems = {_stem(word) for word in _words(f"{idea.title} {idea.summary}")}
    rows = list(
        _with_shared(queryset, tag_ids)
        .only("pk", "title", "summary", "published_at")
        .order_by("-shared", F("published_at").desc(nulls_last=True), "-pk")[:CANDIDATES]
    )
    scored = []
    for row in rows:
        theirs = {_stem(word) for word in _words(f"{row.title} {row.summary}")}
        overlap = len(stems & theirs)
        if not row.shared and not overlap:
            continue
        row.rank = overlap / max(len(stems | theirs), 1)
        scored.append(row)
    scored.sort(key=lambda row: (-row.shared, -row.rank))
    chosen = [row.pk for row in scored[:limit]]
    if not chosen:
        return []
    full = {
        match.pk: match
        for match in Idea.objects.filter(pk__in=chosen).defer("text").prefetch_related("tags")
    }
    found = []
    for row in scored[:limit]:
        match = full[row.pk]
        match.shared, match.rank = row.shared, row.rank
        match.match_score = round(row.shared + row.rank, 4)
        found.append(match)
    return found


def matches_for(*, idea: Idea, user, limit: int = 5) -> list[Idea]:
    """The best ``limit`` ideas of the opposite kind for ``idea``, as ``user`` may see them."""
    if idea.kind not in OPPOSITE or limit <= 0:
        return []
    names = _tag_names(idea)
    queryset = candidates(idea=idea, user=user)
    if connection.vendor == "postgresql":
        found = _postgres(queryset, idea=idea, tag_ids=names.keys(), limit=limit)
    else:
        found = _fallback(queryset, idea=idea, tag_ids=names.keys(), limit=limit)
    for match in found:
        match.shared_tags = sorted(tag.name for tag in match.tags.all() if tag.pk in names)
    return found
