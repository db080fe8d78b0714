from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.generic import RedirectView
from django.views.i18n import JavaScriptCatalog
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from extranet.chat import urls as chat_urls
from extranet.dashboard import urls_groups as dashboard_group_urls
from extranet.feed import urls as feed_urls
from extranet.members import urls_groups
from extranet.notices import urls as notices_urls
from home import translation as home_translation
from home import views as home_views
from home.sitemap import SITEMAPS

from . import views

handler400 = "cms.views.bad_request"
handler500 = "cms.views.server_error"

# Addresses that are the same in every language.
urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("ping", views.ping, name="ping"),
    path("csrf-token", views.csrf_token, name="csrf_token"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("i18n/setlang/", views.set_language, name="set_language"),
    # Every login and password-reset form goes through allauth, so its rate limits and
    # e-mail verification apply: the Django admin's and Wagtail admin's own forms only redirect.
    # (The Django admin stays for the task queue; its other pages need a signed-in staff user.)
    path(
        "django-admin/login/",
        views.AdminLoginRedirectView.as_view(),
        name="django_admin_login_redirect",
    ),
    path("django-admin/", admin.site.urls),
    path(
        "admin/login/",
        views.AdminLoginRedirectView.as_view(),
        name="wagtailadmin_login_redirect",
    ),
    # Wagtail's reset form, its done/complete pages and its (Django-token) confirm links.
    re_path(
        r"^admin/password_reset/",
        RedirectView.as_view(pattern_name="account_reset_password"),
        name="wagtailadmin_password_reset_redirect",
    ),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Wagtail's own routes besides its page view (the password form of a restricted page, its login).
wagtail_util_urls = [p for p in wagtail_urls.urlpatterns if p.name != "wagtail_serve"]

# Russian at the root, English under /en/ (DESIGN.md: Russian first, English second).
urlpatterns += i18n_patterns(
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("search/", home_views.search, name="search"),
    path("accounts/", include("allauth.urls")),
    path(
        "cabinet/admin/broadcast/",
        include((chat_urls.broadcast_urlpatterns, chat_urls.app_name), namespace="chat_admin"),
    ),
    path("cabinet/admin/", include("extranet.dashboard.urls")),
    # One «groups» namespace for a group's pages: the feed (extranet.feed), the directory,
    # applications and invitations (extranet.members) and the initiative's indicators
    # (extranet.dashboard), which know nothing of each other.
    path(
        "cabinet/groups/<slug:slug>/",
        include(
            (
                feed_urls.urlpatterns + urls_groups.urlpatterns + dashboard_group_urls.urlpatterns,
                urls_groups.app_name,
            )
        ),
    ),
    path("cabinet/notifications/", include(notices_urls.urlpatterns)),
    path("cabinet/messages/", include((chat_urls.urlpatterns, chat_urls.app_name))),
    path("cabinet/", include("extranet.members.urls")),
    path("unsubscribe/", include(notices_urls.unsubscribe_urlpatterns)),
    path("invitations/", include("extranet.members.urls_invitations")),
    path("files/", include("extranet.members.urls_files")),
    path("files/", include("extranet.feed.urls_files")),
    path(
        "files/",
        include((chat_urls.file_urlpatterns, chat_urls.app_name), namespace="chat_files"),
    ),
    path("styleguide/", home_views.styleguide, name="styleguide"),
    # The events' downloads with a dot in their names (calendar.ics, plan.xlsx, event.ics),
    # which Wagtail's catch-all cannot serve.
    path("events/", include("events.urls")),
    # Wagtail serves every other address from the page tree; it must come last. Its page view
    # is wrapped so /en/ falls back to the Russian page where no English version exists.
    *wagtail_util_urls,
    re_path(wagtail_urls.serve_pattern, home_translation.serve, name="wagtail_serve"),
    prefix_default_language=False,
)
