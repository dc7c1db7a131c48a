from csp.decorators import csp_update
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from accounts import views as account_views
from accounts import views_help
from oversight import views as home_views
from oversight import views_approvals, views_search, views_stats
from portal import views_notifications, views_reveal, views_verify
from portal.health import healthz
from portal.rules_api import RuleSetListView

urlpatterns = [
    path("", home_views.home, name="home"),
    path("", include("accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("registry/search/", views_search.register_search_page, name="register-search"),
    path("registry/", include("registry.urls")),
    path("complaints/", include("complaints.urls")),
    path("blacklist/", include("blacklist.urls")),
    path("", include("filings.urls")),
    path("rosters/", include("registry.rosters.urls")),
    path("inspections/", include("inspections.urls")),
    path("platform/api-keys/", account_views.api_keys, name="api-keys"),
    path("platform/api-keys/<int:pk>/revoke/", account_views.api_key_revoke, name="api-key-revoke"),
    path("approvals/", views_approvals.approvals, name="approvals"),
    path("help/", views_help.help_page, name="help"),
    path("notifications/", views_notifications.notification_list, name="notifications"),
    path(
        "notifications/read/",
        views_notifications.notifications_mark_read,
        name="notifications-read",
    ),
    path(
        "notifications/<int:pk>/open/",
        views_notifications.notification_open,
        name="notification-open",
    ),
    path("statistics/", views_stats.statistics, name="statistics"),
    path("statistics/staff/", views_stats.statistics_staff, name="statistics-staff"),
    path("statistics/reports/", views_stats.report_list, name="statistics-reports"),
    path(
        "statistics/reports/<int:pk>/download/",
        views_stats.report_download,
        name="statistics-report-download",
    ),
    path(
        "free-text/<str:model>/<int:pk>/<str:field>/",
        views_reveal.free_text_page,
        name="free-text",
    ),
    path(
        "api/v1/free-text/reveal/",
        views_reveal.FreeTextRevealView.as_view(),
        name="free-text-reveal",
    ),
    path("healthz", healthz, name="healthz"),
    path("verify/<str:code>/", views_verify.verify, name="document-verify"),
    path("api/v1/rule-sets/", RuleSetListView.as_view(), name="rule-set-list"),
    path("api/v1/", include("complaints.api.urls")),
    path("api/v1/", include("filings.api.urls")),
    path("api/v1/", include("blacklist.api.urls")),
    path("api/v1/", include("registry.api.urls")),
    path("api/v1/", include("inspections.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # Swagger UI under the CSP: its init script is served by the same view
    # (?script), so no inline script; only its inline <style> needs style-src.
    path(
        "api/docs/",
        csp_update({"style-src": ["'unsafe-inline'"]})(
            SpectacularSwaggerSplitView.as_view(
                url_name="api-schema", title=_("Live Marketing Supervision Portal API")
            )
        ),
        name="api-docs",
    ),
    path("admin/", admin.site.urls),
]
handler404 = "portal.api.not_found"
