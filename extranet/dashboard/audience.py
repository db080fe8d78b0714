"""The site's own audience counting (issue 14, «аудитория сайта»): no third-party tracker, no
cookie, no IP address kept.

How a page view is counted:

1. ``AudienceMiddleware`` looks at each finished response. A page view is a GET answered 200
   with a whole (not streamed) HTML page, outside the admin, static and private files, the
   websockets and the machine addresses (``/healthz``, robots, sitemap, the JavaScript
   catalogue), not a browser's prefetch and not a robot (``BOT_RE``, and no user agent at
   all).
2. The visitor is ``HMAC-SHA256(month's salt, address + "\\n" + user agent)``, hex, cut to 32
   characters. The address is read the way allauth reads it behind the proxy
   (``ALLAUTH_TRUSTED_PROXY_COUNT``) and used only for this hash: it is not stored, not
   cached, not logged. The salt (``AudienceSalt``) lives for one calendar month and is
   deleted two days after it, so a month's visitors can no longer be linked to an address,
   nor to the next month's.
3. Off the request path: the middleware only appends ``(day, visitor, signed in)`` to the
   cache (a counter and one key per hit). It writes no row; with the month's salt cached (the
   flush creates it ahead) it runs no query at all. A cache failure is logged and the page
   is served as if nothing happened.
4. ``audience_flush()`` (``manage.py flush_audience`` every five minutes, and the indicators
   page before it reads) moves the buffered hits into ``AudienceVisit``, one row per
   (Minsk day, visitor), adding to the row's views in one upsert. A cache lock keeps two
   flushers from counting a hit twice; a pointer says how far the hits were moved.

``audience_stats(period)`` reads the numbers the indicators' audience section shows.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import logging
import re
import secrets
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth, TruncWeek
from django.utils import timezone

from .models import AudienceSalt, AudienceVisit
from .periods import Period, _add_months, platform_today, platform_zone

logger = logging.getLogger(__name__)

# --- cache keys ----------------------------------------------------------------------------

SEQ_KEY = "audience:seq"  # the number of the last hit appended
FLUSHED_KEY = "audience:flushed"  # hits up to this number were moved to the database
GAPS_KEY = "audience:gaps"  # numbers missing at the last flush, looked for once more
LOCK_KEY = "audience:flush-lock"
SALT_KEY = "audience:salt:{month}"

# A hit waits this long in the cache for a flush (the timer runs every five minutes; two days
# cover a stopped timer over a weekend).
HIT_TIMEOUT = 2 * 24 * 3600
# A flusher that died lets go of the lock after this long.
LOCK_TIMEOUT = 10 * 60
# Keys read from the cache per round trip, and rows per INSERT.
FLUSH_BATCH = 1000
UPSERT_ROWS = 200
# A salt stays in the cache at most this long (the flush puts it back every five minutes).
SALT_CACHE_SECONDS = 6 * 3600
# The previous month's salt is kept for the first days of a month.
SALT_GRACE_DAYS = 2
MAX_GAPS = 1000


def hit_key(seq: int) -> str:
    return f"audience:hit:{seq}"


# --- what is a page view -------------------------------------------------------------------

# Robots, crawlers, link-preview fetchers, HTTP libraries, monitoring and headless browsers
# (most robots also put a "+http://…" address in theirs). Not the in-app browsers people read
# with (Telegram-Android, DuckDuckGo, Yandex's app: "YaBrowser", "YaSearchBrowser"); «bot»
# alone would also match the Cubot phones' user agent, hence the look-behind.
BOT_RE = re.compile(
    r"(?<!cu)bot|crawl|spider|slurp|scrap|curl|wget|fetch|python|httpx|aiohttp|okhttp"
    r"|go-http-client|java/|libwww|perl/|ruby/|php/|axios|undici|http-client|\+https?://"
    r"|headless|phantomjs|selenium|puppeteer|playwright|lighthouse|pagespeed|gtmetrix"
    r"|facebookexternalhit|facebookcatalog|meta-externalagent|vkshare|telegrambot|whatsapp"
    r"|skypeuripreview|preview|embedly|compatible; yandex|yandex\.(?:com|ru)/bots"
    r"|google-|googleother|feedburner|feedly|rss|validator|archiver|uptime|monitor|pingdom"
    r"|statuscake|zabbix|nagios|check_http|ahrefs|semrush|mj12|petalbot|bytespider"
    r"|chatgpt|claude|anthropic|perplexity|ccbot|qwantify",
    re.IGNORECASE,
)

# Not pages people read: admin, files, sockets, machine addresses.
EXCLUDED_PREFIXES = (
    "/admin/",
    "/django-admin/",
    "/static/",
    "/media/",
    "/files/",
    "/documents/",
    "/ws/",
    "/healthz",
    "/jsi18n/",
    "/i18n/",
    "/robots.txt",
    "/sitemap.xml",
    "/favicon.ico",
)


def _unprefixed(path: str) -> str:
    """The path without a language prefix (``/en/…`` → ``/…``): the excluded addresses are
    excluded in every language."""
    for code, _name in settings.LANGUAGES:
        if code == settings.LANGUAGE_CODE:
            continue
        prefix = f"/{code}"
        if path == prefix:
            return "/"
        if path.startswith(prefix + "/"):
            return path[len(prefix) :]
    return path


def is_bot(user_agent: str) -> bool:
    """A robot, a preview fetcher, an HTTP library, a headless browser, or no user agent."""
    return not user_agent.strip() or BOT_RE.search(user_agent) is not None


def is_page_view(request, response) -> bool:
    """Whether this request and its response count as one page view (see the module)."""
    if not settings.AUDIENCE_ENABLED or request.method != "GET":
        return False
    if response.status_code != 200 or getattr(response, "streaming", False):
        return False
    if not response.get("Content-Type", "").lower().startswith("text/html"):
        return False
    path = _unprefixed(request.path_info or request.path)
    if path.startswith(EXCLUDED_PREFIXES):
        return False
    headers = request.headers
    purpose = f"{headers.get('Sec-Purpose', '')} {headers.get('Purpose', '')}"
    purpose += f" {headers.get('X-Moz', '')} {headers.get('X-Purpose', '')}"
    if "prefetch" in purpose.lower() or "preview" in purpose.lower():
        return False
    # Script-fetched fragments are part of a page already counted.
    if headers.get("X-Requested-With") or headers.get("HX-Request"):
        return False
    return not is_bot(headers.get("User-Agent", ""))


# --- the visitor ---------------------------------------------------------------------------


def _client_address(request) -> str:
    """The client's address as allauth reads it behind the proxy (its rate limits use the same,
    ``ALLAUTH_TRUSTED_PROXY_COUNT``); only ever fed to the hash."""
    from allauth.account.adapter import get_adapter

    try:
        return get_adapter(request).get_client_ip(request) or ""
    except Exception:  # noqa: BLE001 - a forged X-Forwarded-For must not fail the page
        return request.META.get("REMOTE_ADDR") or ""


def _month_of(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def _salt_deleted_on(month: datetime.date) -> datetime.date:
    """The first day on which ``month``'s salt is no longer kept."""
    return _add_months(month, 1) + datetime.timedelta(days=SALT_GRACE_DAYS)


def _salt_cache_seconds(month: datetime.date) -> int:
    """A cached salt never outlives the row (the prune deletes both, but a lost delete must
    not keep a month's secret in the cache)."""
    until = datetime.datetime.combine(
        _salt_deleted_on(month), datetime.time.min, tzinfo=platform_zone()
    )
    left = int((until - timezone.now()).total_seconds())
    return max(60, min(SALT_CACHE_SECONDS, left))


def month_salt(day: datetime.date) -> str:
    """The secret of ``day``'s month: from the cache, else from ``AudienceSalt`` (created the
    first time; the flush creates it ahead, so a page seldom does)."""
    month = _month_of(day)
    key = SALT_KEY.format(month=month.isoformat())
    salt = cache.get(key)
    if salt:
        return salt
    row, _created = AudienceSalt.objects.get_or_create(
        month=month, defaults={"salt": secrets.token_hex(32)}
    )
    cache.set(key, row.salt, _salt_cache_seconds(month))
    return row.salt


def visitor_key(salt: str, address: str, user_agent: str) -> str:
    """The visitor of one month: a keyed hash (HMAC-SHA256) of address and browser, 32 hex."""
    message = f"{address}\n{user_agent}".encode()
    return hmac.new(salt.encode(), message, hashlib.sha256).hexdigest()[:32]


def _signed_in(request) -> bool:
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


def audience_record(request, *, now: datetime.datetime | None = None) -> None:
    """Append this request's page view to the cache: ``(Minsk day, visitor, signed in)``
    under the next hit number. No database write; no query when the salt is cached."""
    day = timezone.localtime(now or timezone.now(), platform_zone()).date()
    visitor = visitor_key(
        month_salt(day), _client_address(request), request.headers.get("User-Agent", "")
    )
    try:
        seq = cache.incr(SEQ_KEY)
    except ValueError:  # the counter's first hit (or the cache lost it)
        cache.add(SEQ_KEY, 0, timeout=None)
        seq = cache.incr(SEQ_KEY)
    cache.set(hit_key(seq), (day.isoformat(), visitor, _signed_in(request)), HIT_TIMEOUT)


class AudienceMiddleware:
    """Counts page views (``is_page_view``) into the cache after the response is made.
    Placed after the authentication middleware: whether the visitor is signed in is
    counted. Counting never fails a page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        try:
            if is_page_view(request, response):
                audience_record(request)
        except Exception:  # counting must never break a page: logged, swallowed
            logger.warning("audience: a page view could not be counted", exc_info=True)
        return response


# --- the flush -----------------------------------------------------------------------------


def _valid_hit(value) -> tuple[datetime.date, str, bool] | None:
    """A buffered hit, checked: a value the cache mangled is dropped, not written."""
    try:
        day_iso, visitor, signed_in = value
        day = datetime.date.fromisoformat(day_iso)
    except (TypeError, ValueError):
        return None
    if not isinstance(visitor, str) or not re.fullmatch(r"[0-9a-f]{32}", visitor):
        return None
    return day, visitor, bool(signed_in)


def _upsert(visits: dict[tuple[datetime.date, str], list]) -> None:
    """Add each (day, visitor)'s views to its row, creating it: one INSERT … ON CONFLICT DO
    UPDATE per ``UPSERT_ROWS`` rows (PostgreSQL and SQLite speak the same), so the addition
    happens in the database and a concurrent writer could not lose an update."""
    table = connection.ops.quote_name(AudienceVisit._meta.db_table)
    items = list(visits.items())
    with transaction.atomic(), connection.cursor() as cursor:
        for start in range(0, len(items), UPSERT_ROWS):
            chunk = items[start : start + UPSERT_ROWS]
            params: list = []
            for (day, visitor), (views, signed_in) in chunk:
                params += [connection.ops.adapt_datefield_value(day), visitor, views, signed_in]
            values = ", ".join(["(%s, %s, %s, %s)"] * len(chunk))
            # Only the model's table name and placeholders are formatted in; values are
            # parameters.
            sql = (
                f"INSERT INTO {table} (day, visitor, views, signed_in) VALUES {values} "  # noqa: S608
                f"ON CONFLICT (day, visitor) DO UPDATE SET "
                f"views = {table}.views + EXCLUDED.views, "
                f"signed_in = ({table}.signed_in OR EXCLUDED.signed_in)"
            )
            cursor.execute(sql, params)


def _move(found: dict[str, object]) -> int:
    """Aggregate buffered hits per (day, visitor) and add them to the table; returns how many
    hits were moved."""
    visits: dict[tuple[datetime.date, str], list] = {}
    moved = 0
    for value in found.values():
        hit = _valid_hit(value)
        if hit is None:
            continue
        day, visitor, signed_in = hit
        row = visits.setdefault((day, visitor), [0, False])
        row[0] += 1
        row[1] = row[1] or signed_in
        moved += 1
    if visits:
        _upsert(visits)
    return moved


def _flush_locked(batch_size: int) -> int:
    last = cache.get(SEQ_KEY) or 0
    pointer = cache.get(FLUSHED_KEY) or 0
    if last < pointer:
        # The counter started again (the cache lost it): the new hits are numbered from 1.
        pointer = 0
    moved = 0
    # Hits missing last time, whose number was taken before a later hit's but stored after
    # it: looked for once more, then given up (a failed or expired write).
    old_gaps = cache.get(GAPS_KEY) or []
    if old_gaps:
        keys = [hit_key(seq) for seq in old_gaps]
        found = cache.get_many(keys)
        moved += _move(found)
        cache.delete_many(list(found))
        cache.delete(GAPS_KEY)
    gaps: list[int] = []
    while pointer < last:
        upto = min(last, pointer + batch_size)
        seqs = range(pointer + 1, upto + 1)
        found = cache.get_many([hit_key(seq) for seq in seqs])
        present = [seq for seq in seqs if hit_key(seq) in found]
        advance = upto
        if upto == last:
            # The newest numbers may be taken but not written yet: wait for them.
            advance = present[-1] if present else pointer
        gaps += [seq for seq in seqs if seq <= advance and hit_key(seq) not in found]
        moved += _move(found)
        # Written, then marked: a crash in between would count this batch again, never lose it.
        cache.set(FLUSHED_KEY, advance, None)
        cache.delete_many(list(found))
        if advance == pointer:
            break
        pointer = advance
        cache.touch(LOCK_KEY, LOCK_TIMEOUT)
    if gaps:
        cache.set(GAPS_KEY, gaps[-MAX_GAPS:], HIT_TIMEOUT)
    return moved


def audience_prune_salts(*, today: datetime.date | None = None) -> int:
    """Delete the salts of months that are over (the previous month's is kept for its first
    ``SALT_GRACE_DAYS`` days), rows and cached copies; returns how many went."""
    today = today or platform_today()
    keep_from = _month_of(today)
    if today.day <= SALT_GRACE_DAYS:
        keep_from = _add_months(keep_from, -1)
    months = list(AudienceSalt.objects.filter(month__lt=keep_from).values_list("month", flat=True))
    if not months:
        return 0
    AudienceSalt.objects.filter(month__in=months).delete()
    cache.delete_many([SALT_KEY.format(month=month.isoformat()) for month in months])
    return len(months)


def audience_flush(*, batch_size: int = FLUSH_BATCH, today: datetime.date | None = None) -> int:
    """Move the buffered hits into ``AudienceVisit``; returns how many were moved (0 when
    another flusher holds the lock). Then deletes old salts and makes sure today's (and, on
    a month's last day, tomorrow's) exists, so pages never have to create it."""
    token = secrets.token_hex(8)
    if not cache.add(LOCK_KEY, token, LOCK_TIMEOUT):
        return 0
    try:
        moved = _flush_locked(batch_size)
        today = today or platform_today()
        audience_prune_salts(today=today)
        if not settings.AUDIENCE_ENABLED:
            return moved
        month_salt(today)
        tomorrow = today + datetime.timedelta(days=1)
        if tomorrow.month != today.month:
            month_salt(tomorrow)
        return moved
    finally:
        if cache.get(LOCK_KEY) == token:
            cache.delete(LOCK_KEY)


# --- reading -------------------------------------------------------------------------------


@dataclass
class _Stats:
    """One period's audience, as ``audience_stats`` builds it."""

    visitors_daily: float | None = None
    visitors_weekly: float | None = None
    visitors_monthly: float | None = None
    visitors: int = 0
    page_views: int = 0
    visits: int = 0
    visits_signed_in: int = 0
    pages_per_visit: float | None = None
    visitors_signed_in: float | None = None  # percent of visits
    by_day: dict[datetime.date, tuple[int, int]] = field(default_factory=dict)  # visitors, views
    by_week: dict[datetime.date, int] = field(default_factory=dict)  # Monday: visitors
    # month: visitors, views, visits
    by_month: dict[datetime.date, tuple[int, int, int]] = field(default_factory=dict)


def _average(values: dict, units: Iterable[tuple[datetime.date, bool]]) -> float | None:
    """The mean of ``values`` over the complete units (``(start, complete)``), or over all of
    them when none is complete yet (the period began in the current week or month)."""
    units = list(units)
    if not units:
        return None
    chosen = [start for start, complete in units if complete] or [start for start, _ in units]
    return round(sum(values.get(start, 0) for start in chosen) / len(chosen), 1)


def _as_date(value) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    return value


def audience_stats(period: Period, *, today: datetime.date | None = None) -> dict:
    """The audience of ``period`` in three grouped queries (per day, per ISO week, per
    month), whatever the number of rows. A dict of:

    - ``visitors_daily``: (day, visitor) rows per day, averaged over the period's days before
      today (today only, when the period began today);
    - ``visitors_weekly``: distinct visitors per Monday-to-Sunday week, averaged over the weeks
      wholly inside the period and over (else over its partial weeks); a week across the
      start of a month counts a returning visitor twice: the salt, hence the key, is monthly;
    - ``visitors_monthly``: distinct visitors per calendar month, averaged the same way;
    - ``visitors``: distinct visitors of each month in the period, summed (exact within one
      month: the same person in two months has two keys);
    - ``page_views``, ``visits`` ((day, visitor) rows), ``pages_per_visit`` (views per visit)
      and ``visitors_signed_in`` (percent of visits with a signed-in page);
    - ``by_day`` (day: visitors, views), ``by_week`` (Monday: distinct visitors) and
      ``by_month`` (1st: distinct visitors, views, visits), for the chart and the table.

    Nothing is counted after today: averages of a period still running are over its part
    so far.
    """
    today = today or platform_today()
    stats = _Stats()
    first, last = period.first, min(period.last, today)
    if last < first:
        return asdict(stats)
    rows = AudienceVisit.objects.filter(day__gte=first, day__lte=last).order_by()
    for day, visitors, views, signed in (
        rows.values("day")
        .annotate(n=Count("pk"), v=Sum("views"), s=Count("pk", filter=Q(signed_in=True)))
        .values_list("day", "n", "v", "s")
    ):
        stats.by_day[day] = (visitors, views or 0)
        stats.visits += visitors
        stats.page_views += views or 0
        stats.visits_signed_in += signed
    for week, visitors in (
        rows.annotate(week=TruncWeek("day"))
        .values("week")
        .annotate(n=Count("visitor", distinct=True))
        .values_list("week", "n")
    ):
        stats.by_week[_as_date(week)] = visitors
    for month, visitors, views, visits in (
        rows.annotate(month=TruncMonth("day"))
        .values("month")
        .annotate(n=Count("visitor", distinct=True), v=Sum("views"), c=Count("pk"))
        .values_list("month", "n", "v", "c")
    ):
        stats.by_month[_as_date(month)] = (visitors, views or 0, visits)
        stats.visitors += visitors

    days = [first + datetime.timedelta(days=n) for n in range((last - first).days + 1)]
    daily = {day: visitors for day, (visitors, _views) in stats.by_day.items()}
    stats.visitors_daily = _average(daily, ((day, day < today) for day in days))

    monday = first - datetime.timedelta(days=first.weekday())
    weeks = []
    while monday <= last:
        sunday = monday + datetime.timedelta(days=6)
        weeks.append((monday, monday >= first and sunday <= last and sunday < today))
        monday += datetime.timedelta(days=7)
    stats.visitors_weekly = _average(stats.by_week, weeks)

    months = []
    month = _month_of(first)
    while month <= last:
        month_last = _add_months(month, 1) - datetime.timedelta(days=1)
        months.append((month, month >= first and month_last <= last and month_last < today))
        month = _add_months(month, 1)
    monthly = {start: values[0] for start, values in stats.by_month.items()}
    stats.visitors_monthly = _average(monthly, months)

    if stats.visits:
        stats.pages_per_visit = round(stats.page_views / stats.visits, 2)
        stats.visitors_signed_in = round(stats.visits_signed_in * 100 / stats.visits, 1)
    return asdict(stats)


def months_of(period: Period, *, today: datetime.date | None = None) -> list[datetime.date]:
    """The first days of the calendar months the period touches, up to today."""
    today = today or platform_today()
    last = min(period.last, today)
    out, month = [], _month_of(period.first)
    while month <= last:
        out.append(month)
        month = _add_months(month, 1)
    return out


def visitors_by_bucket(period: Period, stats: dict) -> tuple[list[int], list[int]]:
    """(unique visitors, page views) per bucket of ``period.buckets()``: per day, the day's
    visitors; per week, the week's distinct visitors; per month, the month's."""
    buckets = period.buckets()
    step = period.granularity
    views: dict[datetime.date, int] = {}
    for day, (_visitors, day_views) in stats["by_day"].items():
        if step == "day":
            start = day
        elif step == "week":
            start = day - datetime.timedelta(days=day.weekday())
        else:
            start = _month_of(day)
        views[start] = views.get(start, 0) + day_views
    if step == "day":
        visitors = {day: n for day, (n, _v) in stats["by_day"].items()}
    elif step == "week":
        visitors = stats["by_week"]
    else:
        visitors = {month: values[0] for month, values in stats["by_month"].items()}
    return [visitors.get(b, 0) for b in buckets], [views.get(b, 0) for b in buckets]
