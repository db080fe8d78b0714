"""The site's own audience counting: which requests are page views (robots, files, admin,
prefetches are not), that no IP address is stored or cached, that recording runs no query and
survives a broken cache, the flush (adds to rows, idempotent, one flusher at a time, late and
lost hits), the monthly salts, and the report's audience section counted by hand on a fixed
data set (Minsk days at month boundaries; constant queries at two data sizes)."""

from __future__ import annotations

import datetime
import logging
import pickle
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.http import HttpResponse, StreamingHttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from extranet.dashboard import audience
from extranet.dashboard.audience import (
    FLUSHED_KEY,
    LOCK_KEY,
    SALT_KEY,
    SEQ_KEY,
    AudienceMiddleware,
    audience_flush,
    audience_prune_salts,
    audience_record,
    audience_stats,
    hit_key,
    is_bot,
    is_page_view,
    month_salt,
    visitor_key,
)
from extranet.dashboard.indicators import Scope
from extranet.dashboard.indicators import audience as section_module
from extranet.dashboard.models import AudienceSalt, AudienceVisit
from extranet.dashboard.periods import Period, month_period, platform_today, quarter_period
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

MINSK = ZoneInfo("Europe/Minsk")
ADDRESS = "203.0.113.77"
CHROME = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)

PEOPLE = {
    "chrome": CHROME,
    "firefox": "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
    "safari_ios": (
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
        "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
    ),
    "yabrowser": (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/124.0.0.0 YaBrowser/24.6.0.0 Safari/537.36"
    ),
    "yandex_app": (
        "Mozilla/5.0 (Linux; Android 13; M2101K6G) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/122.0.6261.119 YaBrowser/24.4.4.119.00 SA/3 Mobile Safari/537.36"
    ),
    "telegram_webview": (
        "Mozilla/5.0 (Linux; Android 14; SM-A546B Build/UP1A.231005.007; wv) "
        "AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/131.0.6778.39 Mobile "
        "Safari/537.36 Telegram-Android/11.4.2 (Samsung SM-A546B; Android 14; SDK 34; AVERAGE)"
    ),
    "duckduckgo": (
        "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 "
        "Chrome/131.0.0.0 Mobile DuckDuckGo/5 Safari/537.36"
    ),
    "cubot_phone": (
        "Mozilla/5.0 (Linux; Android 10; CUBOT X30) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/120.0.0.0 Mobile Safari/537.36"
    ),
}

ROBOTS = {
    "googlebot": "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "bingbot": "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
    "yandexbot": "Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)",
    "yandex_metrika": "Mozilla/5.0 (compatible; YandexMetrika/2.0; +http://yandex.com/bots yabs01)",
    "telegrambot": "TelegramBot (like TwitterBot)",
    "facebook": "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
    "vkshare": "Mozilla/5.0 (compatible; vkShare; +http://vk.com/dev/Share)",
    "whatsapp": "WhatsApp/2.23.20.0 A",
    "gptbot": (
        "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2; "
        "+https://openai.com/gptbot)"
    ),
    "curl": "curl/8.5.0",
    "wget": "Wget/1.21.4",
    "python_requests": "python-requests/2.32.3",
    "httpx": "python-httpx/0.27.0",
    "headless": (
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "HeadlessChrome/131.0.0.0 Safari/537.36"
    ),
    "lighthouse": (
        "Mozilla/5.0 (Linux; Android 11; moto g power (2022)) AppleWebKit/537.36 (KHTML, like "
        "Gecko) Chrome/119.0.0.0 Mobile Safari/537.36 Chrome-Lighthouse"
    ),
    "empty": "",
    "blank": "   ",
}


def _minsk(text: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(text).replace(tzinfo=MINSK)


def _request(path="/", *, method="get", user=None, address=ADDRESS, ua=CHROME, **headers):
    factory = RequestFactory()
    request = getattr(factory, method)(
        path,
        REMOTE_ADDR=address,
        HTTP_USER_AGENT=ua,
        **{f"HTTP_{k}": v for k, v in headers.items()},
    )
    request.user = user or AnonymousUser()
    return request


def _html(status=200):
    return HttpResponse("<p>page</p>", status=status, content_type="text/html; charset=utf-8")


def _buffered() -> list:
    """The hits waiting in the cache, in order."""
    last = cache.get(SEQ_KEY) or 0
    found = cache.get_many([hit_key(seq) for seq in range(1, last + 1)])
    return [found[hit_key(seq)] for seq in range(1, last + 1) if hit_key(seq) in found]


def _all_cached_bytes() -> list[bytes]:
    """Every value in the cache as stored, whatever the backend (locmem or this worker's
    Redis database)."""
    backend = cache._cache if hasattr(cache, "_cache") else None
    if isinstance(backend, dict):  # LocMemCache: pickled values
        return list(backend.values())
    client = cache._cache.get_client()
    return [client.get(key) or b"" for key in client.scan_iter("*")]


# --- which requests are page views ---------------------------------------------------------


@pytest.mark.parametrize("name", sorted(PEOPLE))
def test_people_browsers_are_not_bots(name):
    """Browsers people read with are counted, in-app ones and Cubot phones included."""
    assert not is_bot(PEOPLE[name])
    assert is_page_view(_request(ua=PEOPLE[name]), _html())


@pytest.mark.parametrize("name", sorted(ROBOTS))
def test_robots_previews_and_libraries_are_not_counted(name):
    """Search robots, link-preview fetchers, HTTP libraries, headless browsers, audits and a
    missing user agent are no page view."""
    assert is_bot(ROBOTS[name])
    assert not is_page_view(_request(ua=ROBOTS[name]), _html())


@pytest.mark.parametrize(
    "path",
    [
        "/admin/pages/",
        "/django-admin/",
        "/static/css/site.css",
        "/media/images/x.png",
        "/files/photos/3/",
        "/documents/1/a.pdf",
        "/ws/chat/",
        "/healthz",
        "/jsi18n/",
        "/en/jsi18n/",
        "/i18n/setlang/",
        "/robots.txt",
        "/sitemap.xml",
        "/en/admin/",
        "/en/files/x/",
    ],
)
def test_admin_files_and_machine_addresses_are_not_counted(path):
    """Even answered 200 with HTML, the admin, files, sockets and machine addresses (also
    under /en/) are no page view."""
    assert not is_page_view(_request(path), _html())


def test_pages_in_both_languages_are_counted():
    """A page at the root and its English twin count."""
    assert is_page_view(_request("/"), _html())
    assert is_page_view(_request("/en/"), _html())
    assert is_page_view(_request("/events/"), _html())
    assert is_page_view(_request("/en/ideas/"), _html())


def test_only_whole_html_pages_answered_200_to_a_get():
    """POST, HEAD, a 404, a redirect, a streamed answer, JSON and script-fetched fragments
    are no page view."""
    assert not is_page_view(_request(method="post"), _html())
    assert not is_page_view(_request(method="head"), _html())
    assert not is_page_view(_request(), _html(404))
    assert not is_page_view(_request(), _html(302))
    streamed = StreamingHttpResponse(iter([b"<p>"]), content_type="text/html")
    assert not is_page_view(_request(), streamed)
    assert not is_page_view(_request(), HttpResponse("{}", content_type="application/json"))
    assert not is_page_view(_request(X_REQUESTED_WITH="XMLHttpRequest"), _html())


@pytest.mark.parametrize(
    "header,value",
    [("SEC_PURPOSE", "prefetch"), ("SEC_PURPOSE", "prefetch;prerender"), ("PURPOSE", "prefetch")],
)
def test_prefetches_are_not_counted(header, value):
    """A page the browser fetched ahead (speculation rules, link prefetch) is not a view."""
    assert not is_page_view(_request(**{header: value}), _html())


def test_switched_off(settings):
    """AUDIENCE_ENABLED off: nothing is a page view."""
    settings.AUDIENCE_ENABLED = False
    assert not is_page_view(_request(), _html())


# --- recording through the middleware ------------------------------------------------------


def test_a_page_view_is_buffered_not_written(client, home_page):
    """A person opening the home page leaves one hit in the cache (day, visitor, signed in)
    and no row: the database is written by the flush only."""
    response = client.get("/", HTTP_USER_AGENT=CHROME, REMOTE_ADDR=ADDRESS)
    assert response.status_code == 200
    ((day, visitor, signed_in),) = _buffered()
    assert day == platform_today().isoformat()
    assert len(visitor) == 32 and int(visitor, 16) >= 0
    assert signed_in is False
    assert not AudienceVisit.objects.exists()
    assert audience_flush() == 1
    row = AudienceVisit.objects.get()
    assert (row.day, row.visitor, row.views) == (platform_today(), visitor, 1)


def test_not_buffered_for_robots_missing_pages_and_posts(client, home_page):
    """A robot, an empty user agent, a 404, a POST and an admin page leave nothing."""
    client.get("/", HTTP_USER_AGENT=ROBOTS["googlebot"])
    client.get("/")  # the test client sends no user agent
    client.get("/no-such-page/", HTTP_USER_AGENT=CHROME)
    client.post("/", HTTP_USER_AGENT=CHROME)
    client.get("/admin/login/", HTTP_USER_AGENT=CHROME)
    client.get("/robots.txt", HTTP_USER_AGENT=CHROME)
    client.get("/", HTTP_USER_AGENT=CHROME, HTTP_SEC_PURPOSE="prefetch")
    assert _buffered() == []


def test_signed_in_visitor(client, home_page):
    """A signed-in person's view is marked signed in."""
    client.force_login(UserFactory())
    client.get("/", HTTP_USER_AGENT=CHROME)
    ((_day, _visitor, signed_in),) = _buffered()
    assert signed_in is True


def test_the_same_browser_is_one_visitor(client, home_page):
    """The same address and browser are one visitor; another browser or address another."""
    for ua, address in [(CHROME, ADDRESS), (CHROME, ADDRESS), (PEOPLE["firefox"], ADDRESS)]:
        client.get("/", HTTP_USER_AGENT=ua, REMOTE_ADDR=address)
    client.get("/", HTTP_USER_AGENT=CHROME, REMOTE_ADDR="198.51.100.5")
    visitors = [visitor for _day, visitor, _signed in _buffered()]
    assert visitors[0] == visitors[1]
    assert len(set(visitors)) == 3
    audience_flush()
    assert sorted(AudienceVisit.objects.values_list("views", flat=True)) == [1, 1, 2]


def test_behind_the_proxy_the_client_address_is_used(client, home_page, settings):
    """Behind the reverse proxy (ALLAUTH_TRUSTED_PROXY_COUNT, as allauth reads it) two people
    coming through the same proxy address are two visitors."""
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    for forwarded in ["192.0.2.10", "192.0.2.11", "192.0.2.10"]:
        client.get(
            "/", HTTP_USER_AGENT=CHROME, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded
        )
    visitors = [visitor for _day, visitor, _signed in _buffered()]
    assert visitors[0] == visitors[2] != visitors[1]


def test_no_ip_address_is_stored_or_cached(client, home_page):
    """The address is only hashed: neither the rows, the salts nor anything in the cache (the
    buffered hits included) contain it, before and after the flush."""
    client.get("/", HTTP_USER_AGENT=CHROME, REMOTE_ADDR=ADDRESS)
    client.get("/en/", HTTP_USER_AGENT=CHROME, REMOTE_ADDR=ADDRESS)
    hits = _buffered()
    assert len(hits) == 2
    assert ADDRESS not in repr(hits)
    stored = _all_cached_bytes()
    assert stored and not any(ADDRESS.encode() in value for value in stored)
    assert not any(pickle.dumps(ADDRESS) in value for value in stored)
    audience_flush()
    rows = list(AudienceVisit.objects.values_list("day", "visitor", "views", "signed_in"))
    assert rows and ADDRESS not in repr(rows)
    assert ADDRESS not in repr(list(AudienceSalt.objects.values_list("month", "salt")))
    assert not any(ADDRESS.encode() in value for value in _all_cached_bytes())


def test_recording_runs_no_query(django_assert_num_queries):
    """With the month's salt cached (the flush puts it there), recording a view and the whole
    middleware run no database query."""
    month_salt(platform_today())
    with django_assert_num_queries(0):
        audience_record(_request())
    middleware = AudienceMiddleware(lambda request: _html())
    with django_assert_num_queries(0):
        middleware(_request())
    assert len(_buffered()) == 2


def test_first_view_of_a_month_without_the_flush_creates_the_salt_but_no_visit():
    """Had the flush not created the month's salt, the first view creates it (once); no visit
    row is ever written on the request path."""
    with CaptureQueriesContext(connection) as queries:
        audience_record(_request())
        audience_record(_request())
    inserts = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("INSERT")]
    assert len(inserts) == 1 and "audiencesalt" in inserts[0]
    assert not AudienceVisit.objects.exists()


class _BrokenCache:
    def __getattr__(self, name):
        def fail(*args, **kwargs):
            raise ConnectionError("cache down")

        return fail


def test_a_failing_cache_does_not_break_the_page(client, home_page, monkeypatch, caplog):
    """The cache down: the page is served all the same and the failure is logged."""
    monkeypatch.setattr(audience, "cache", _BrokenCache())
    with caplog.at_level(logging.WARNING, logger="extranet.dashboard.audience"):
        response = client.get("/", HTTP_USER_AGENT=CHROME, REMOTE_ADDR=ADDRESS)
    assert response.status_code == 200
    assert "could not be counted" in caplog.text
    assert ADDRESS not in caplog.text


def test_the_day_is_minsk_and_the_salt_monthly():
    """A view at 23:30 on 31 January in Minsk is January's, at 00:30 on 1 February (21:30 UTC
    the day before) February's, under another month's salt: the same person is another key."""
    audience_record(_request(), now=_minsk("2026-01-31 23:30"))
    audience_record(_request(), now=datetime.datetime(2026, 1, 31, 21, 30, tzinfo=datetime.UTC))
    (jan_day, jan_visitor, _), (feb_day, feb_visitor, _) = _buffered()
    assert (jan_day, feb_day) == ("2026-01-31", "2026-02-01")
    assert jan_visitor != feb_visitor
    jan_salt = AudienceSalt.objects.get(month=datetime.date(2026, 1, 1)).salt
    feb_salt = AudienceSalt.objects.get(month=datetime.date(2026, 2, 1)).salt
    assert jan_salt != feb_salt and len(jan_salt) == 64
    assert jan_visitor == visitor_key(jan_salt, ADDRESS, CHROME)
    assert feb_visitor == visitor_key(feb_salt, ADDRESS, CHROME)


# --- the flush -----------------------------------------------------------------------------


def _hit(day: str, *, ua=CHROME, user=None):
    audience_record(_request(ua=ua, user=user), now=_minsk(f"{day} 12:00"))


@pytest.fixture
def feb_10(monkeypatch):
    """The flush runs on 10 February 2026 (it keeps only the current month's salt, so hits
    recorded for February need February to be now)."""
    monkeypatch.setattr(audience, "platform_today", lambda: datetime.date(2026, 2, 10))


@pytest.mark.usefixtures("feb_10")
def test_flush_adds_to_existing_rows_and_is_idempotent():
    """Views add to the row already there (signed in once is signed in), new visitors get a
    row; a second flush moves nothing and changes nothing."""
    _hit("2026-02-10")  # creates February's salt
    salt = AudienceSalt.objects.get(month=datetime.date(2026, 2, 1)).salt
    visitor = visitor_key(salt, ADDRESS, CHROME)
    assert audience_flush() == 1
    AudienceVisit.objects.filter(visitor=visitor).update(views=5)
    _hit("2026-02-10")
    _hit("2026-02-10", user=UserFactory())
    _hit("2026-02-10", ua=PEOPLE["firefox"])
    _hit("2026-02-11")
    assert audience_flush() == 4
    rows = {
        (r.day.isoformat(), r.visitor == visitor): (r.views, r.signed_in)
        for r in AudienceVisit.objects.all()
    }
    assert rows == {
        ("2026-02-10", True): (7, True),
        ("2026-02-10", False): (1, False),
        ("2026-02-11", True): (1, False),
    }
    assert audience_flush() == 0
    assert sum(AudienceVisit.objects.values_list("views", flat=True)) == 9
    assert _buffered() == []


@pytest.mark.usefixtures("feb_10")
def test_only_one_flusher_at_a_time():
    """While another flusher holds the lock, a flush moves nothing (so no hit is counted
    twice); once it is released the hits move, once."""
    _hit("2026-02-10")
    _hit("2026-02-10")
    assert cache.add(LOCK_KEY, "another flusher", 60)
    assert audience_flush() == 0
    assert not AudienceVisit.objects.exists()
    cache.delete(LOCK_KEY)
    assert audience_flush() == 2
    assert audience_flush() == 0
    assert AudienceVisit.objects.get().views == 2
    assert cache.get(LOCK_KEY) is None


@pytest.mark.usefixtures("feb_10")
def test_a_hit_numbered_but_not_yet_stored_is_not_skipped():
    """A hit whose number was taken but whose value is not in the cache yet (a request still
    writing it) is waited for at the tail, looked for once more in the middle, then given
    up; the hits around it are moved exactly once."""
    _hit("2026-02-10")
    late_tail = cache.incr(SEQ_KEY)  # taken, not stored yet
    assert audience_flush() == 1
    assert cache.get(FLUSHED_KEY) == 1  # waits before the missing newest number
    cache.set(hit_key(late_tail), ("2026-02-10", "a" * 32, False), 60)
    assert audience_flush() == 1
    middle = cache.incr(SEQ_KEY)  # taken, stored only after the next one
    _hit("2026-02-10")
    assert audience_flush() == 1
    cache.set(hit_key(middle), ("2026-02-10", "a" * 32, False), 60)
    assert audience_flush() == 1  # found at its second look
    lost = cache.incr(SEQ_KEY)
    _hit("2026-02-10")
    assert audience_flush() == 1
    assert audience_flush() == 0  # second look: given up
    cache.set(hit_key(lost), ("2026-02-10", "a" * 32, False), 60)
    assert audience_flush() == 0
    assert sum(AudienceVisit.objects.values_list("views", flat=True)) == 5


@pytest.mark.usefixtures("feb_10")
def test_the_counter_starting_again_is_noticed():
    """The cache lost the counter (a restart) after hits were flushed: new hits, numbered
    from 1 again, are still moved."""
    for _ in range(3):
        _hit("2026-02-10")
    assert audience_flush() == 3
    cache.delete(SEQ_KEY)
    _hit("2026-02-10")
    assert audience_flush() == 1
    assert AudienceVisit.objects.get().views == 4


@pytest.mark.usefixtures("feb_10")
def test_mangled_values_are_dropped():
    """A value that is not a hit is dropped, not written."""
    _hit("2026-02-10")
    seq = cache.incr(SEQ_KEY)
    cache.set(hit_key(seq), ("not a day", "x", True), 60)
    _hit("2026-02-10")
    assert audience_flush() == 2
    assert AudienceVisit.objects.get().views == 2


@pytest.mark.usefixtures("feb_10")
def test_many_hits_in_batches():
    """More hits than one batch are moved in several rounds, none twice."""
    for n in range(25):
        audience_record(_request(address=f"192.0.2.{n % 7}"), now=_minsk("2026-02-10 12:00"))
    assert audience_flush(batch_size=4) == 25
    assert AudienceVisit.objects.count() == 7
    assert sum(AudienceVisit.objects.values_list("views", flat=True)) == 25


@pytest.mark.usefixtures("feb_10")
def test_command_prints_the_count():
    """manage.py flush_audience moves the buffered hits and says how many."""
    from io import StringIO

    _hit("2026-02-10")
    out = StringIO()
    call_command("flush_audience", stdout=out)
    assert "flushed: 1 page views" in out.getvalue()
    assert AudienceVisit.objects.get().views == 1


# --- salts ---------------------------------------------------------------------------------


def test_salts_of_ended_months_are_deleted():
    """The previous month's salt is kept for the first two days of a month (late views of its
    last evening), then deleted with its cached copy; older ones go at once."""
    for month in (11, 12):
        month_salt(datetime.date(2025, month, 5))
    month_salt(datetime.date(2026, 1, 5))
    assert audience_prune_salts(today=datetime.date(2026, 1, 2)) == 1  # November
    assert set(AudienceSalt.objects.values_list("month", flat=True)) == {
        datetime.date(2025, 12, 1),
        datetime.date(2026, 1, 1),
    }
    assert cache.get(SALT_KEY.format(month="2025-11-01")) is None
    assert cache.get(SALT_KEY.format(month="2025-12-01"))
    assert audience_prune_salts(today=datetime.date(2026, 1, 3)) == 1  # December
    assert list(AudienceSalt.objects.values_list("month", flat=True)) == [datetime.date(2026, 1, 1)]
    assert cache.get(SALT_KEY.format(month="2025-12-01")) is None


def test_a_new_salt_after_the_old_was_deleted():
    """A month whose salt was deleted gets a new one: old keys can no longer be recomputed."""
    old = month_salt(datetime.date(2025, 11, 5))
    audience_prune_salts(today=datetime.date(2026, 1, 10))
    assert month_salt(datetime.date(2025, 11, 5)) != old


def test_flush_prunes_and_prepares_salts():
    """The flush deletes ended months' salts and creates today's, and on a month's last day
    tomorrow's, so the first view of a month runs no query either."""
    month_salt(datetime.date(2025, 10, 1))
    audience_flush(today=datetime.date(2026, 1, 31))
    assert set(AudienceSalt.objects.values_list("month", flat=True)) == {
        datetime.date(2026, 1, 1),
        datetime.date(2026, 2, 1),
    }


# --- the report's section, on a fixed data set counted by hand ----------------------------

FEB = month_period(2026, 2)  # Sunday 1 – Saturday 28 February 2026
Q1 = quarter_period(2026, 1)


def _v(name: str) -> str:
    return name.encode().hex().ljust(32, "0")[:32]


def _visits(rows):
    AudienceVisit.objects.bulk_create(
        AudienceVisit(day=datetime.date.fromisoformat(day), visitor=_v(v), views=n, signed_in=s)
        for day, v, n, s in rows
    )


@pytest.fixture
def data():
    """Keys differ by month (so 'a' in January and 'a2' in February are one person)."""
    _visits(
        [
            ("2026-01-31", "a", 2, False),  # last day of January
            ("2026-01-31", "b", 1, False),
            ("2026-02-01", "c", 4, True),  # first day of February (a Sunday)
            ("2026-02-01", "a2", 1, False),
            ("2026-02-02", "c", 2, False),
            ("2026-02-03", "d", 1, False),
            ("2026-02-10", "c", 3, False),
            ("2026-02-28", "e", 2, False),  # last day of February
            ("2026-03-01", "f", 7, False),  # first day of March
            ("2026-03-31", "g", 1, False),  # last day of the quarter
            ("2026-03-31", "e2", 1, False),
            ("2026-04-01", "h", 9, False),  # outside
        ]
    )


def test_section_for_a_month(data):
    """February by hand: 6 visits (day, visitor) in 28 days, 13 views, 4 distinct visitors;
    full weeks 2–8 (c, d), 9–15 (c), 16–22 (none): 3 / 3; January (the previous period):
    2 visits on its last day."""
    section = section_module.section(scope=Scope(), period=FEB)
    values = {f.key: (f.value, f.previous) for f in section.figures}
    assert values == {
        "visitors_daily": (0.2, 0.1),  # 6 / 28; 2 / 31
        "visitors_weekly": (1.0, 0.0),  # January's full weeks 5–25 had nobody
        "visitors_monthly": (4.0, 2.0),
        "visitors": (4, 2),
        "page_views": (13, 3),
        "pages_per_visit": (2.17, 1.5),
        "visitors_signed_in": (16.7, 0.0),
    }
    assert section.key == "audience"
    assert not section.figure("pages_per_visit").targetable
    assert section.figure("pages_per_visit").unit == "ratio"
    (chart,) = section.charts
    assert chart.key == "audience_daily" and len(chart.labels) == 28
    visitors, views = chart.series
    assert {i: n for i, n in enumerate(visitors.values) if n} == {0: 2, 1: 1, 2: 1, 9: 1, 27: 1}
    assert {i: n for i, n in enumerate(views.values) if n} == {0: 5, 1: 2, 2: 1, 9: 3, 27: 2}
    assert {i: n for i, n in enumerate(chart.previous.values) if n} == {30: 2}
    table = section.table("audience_by_month")
    assert [row[1:] for row in table.rows] == [[4, 13, 2.17]]
    assert table.totals is None


def test_section_for_a_quarter(data):
    """Q1 by hand: months January (a, b: 2 visitors, 3 views, 2 visits), February (4, 13, 6),
    March (f, g, e2: 3, 9, 3); visitors summed over months 9; 11 visits in 90 days; the 12
    full weeks (5 January – 29 March) had 4 (26 Jan – 1 Feb: a, b, c, a2 — across the month),
    2, 1 and 2 (23 Feb – 1 Mar: e, f) visitors: 9 / 12."""
    section = section_module.section(scope=Scope(), period=Q1)
    values = {f.key: f.value for f in section.figures}
    assert values == {
        "visitors_daily": 0.1,  # 11 / 90
        "visitors_weekly": 0.8,  # 0.75
        "visitors_monthly": 3.0,
        "visitors": 9,
        "page_views": 25,
        "pages_per_visit": 2.27,
        "visitors_signed_in": 9.1,  # 1 / 11
    }
    (chart,) = section.charts
    visitors, views = chart.series
    weeks = Q1.buckets()
    by_week = {weeks[i].isoformat(): n for i, n in enumerate(visitors.values) if n}
    assert by_week == {
        "2026-01-26": 4,
        "2026-02-02": 2,
        "2026-02-09": 1,
        "2026-02-23": 2,
        "2026-03-30": 2,
    }
    assert sum(views.values) == 25
    table = section.table("audience_by_month")
    assert [row[1:] for row in table.rows] == [[2, 3, 1.5], [4, 13, 2.17], [3, 9, 3.0]]
    assert table.totals[1:] == [9, 25, 2.27]


def test_a_period_still_running_is_averaged_over_its_part_so_far(data):
    """On 10 February: the daily average is over 1–9 February (4 visits / 9 days), the one
    full week over is 2–8 (2), no month is over yet, so February so far (c, a2, d: 3); the
    views of today count."""
    stats = audience_stats(FEB, today=datetime.date(2026, 2, 10))
    assert stats["visitors_daily"] == 0.4
    assert stats["visitors_weekly"] == 2.0
    assert stats["visitors_monthly"] == 3.0
    assert stats["visitors"] == 3
    assert stats["page_views"] == 11


def test_a_short_custom_period_without_a_full_week():
    """Three days, Thursday to Saturday: no full week, so the partial one is the average."""
    _visits([("2026-02-05", "x", 1, False), ("2026-02-07", "x", 1, False)])
    stats = audience_stats(Period("custom", datetime.date(2026, 2, 5), datetime.date(2026, 2, 7)))
    assert stats["visitors_weekly"] == 1.0
    assert stats["visitors_daily"] == 0.7  # 2 / 3
    assert stats["pages_per_visit"] == 1.0


def test_no_audience_for_an_initiative(gorki):
    """The audience is the platform's: an initiative's report has no such section."""
    assert section_module.section(scope=Scope(initiative=gorki), period=FEB) is None


def test_section_flushes_first():
    """Views of the last minutes are in the report even without the timer."""
    today = platform_today()
    audience_record(_request())
    audience_record(_request())
    section = section_module.section(scope=Scope(), period=month_period(today.year, today.month))
    assert section.figure("page_views").value == 2
    assert section.figure("visitors").value == 1


def _many(count: int):
    rows = []
    for n in range(count):
        day = datetime.date(2026, 1, 30) + datetime.timedelta(days=n % 40)
        rows.append((day.isoformat(), f"v{n}", 1 + n % 3, n % 2 == 0))
    _visits(rows)


@pytest.mark.parametrize("count", [5, 200])
def test_constant_queries(count, django_assert_max_num_queries, monkeypatch):
    """The same 11 queries for 5 and 200 rows: the flush's (old salts, today's salt made),
    three grouped reads for the period and three for the previous one."""
    monkeypatch.setattr(audience, "platform_today", lambda: datetime.date(2026, 3, 15))
    _many(count)
    with django_assert_max_num_queries(11):
        section = section_module.section(scope=Scope(), period=FEB)
    assert section.figure("page_views").value > 0


def test_settings_wire_the_middleware_after_authentication():
    """The middleware runs inside the authentication middleware, so it knows who is signed
    in."""
    middleware = settings.MIDDLEWARE
    auth = middleware.index("django.contrib.auth.middleware.AuthenticationMiddleware")
    assert middleware.index("extranet.dashboard.audience.AudienceMiddleware") > auth
