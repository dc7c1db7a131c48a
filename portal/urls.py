from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from accounts import views as account_views

from . import views_stats
from .health import healthz

urlpatterns = [
    path("", account_views.home, name="home"),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("registry/", include("registry.urls")),
    path("complaints/", include("complaints.urls")),
    path("blacklist/", include("blacklist.urls")),
    path("", include("complaints.filing_urls")),
    path("rosters/", include("registry.roster_urls")),
    path("inspections/", include("inspections.urls")),
    path("platform/api-keys/", account_views.api_keys, name="api-keys"),
    path("platform/api-keys/<int:pk>/revoke/", account_views.api_key_revoke, name="api-key-revoke"),
    path("statistics/", views_stats.statistics, name="statistics"),
    path("statistics/staff/", views_stats.statistics_staff, name="statistics-staff"),
    path("statistics/reports/", views_stats.report_list, name="statistics-reports"),
    path(
        "statistics/reports/<int:pk>/download/",
        views_stats.report_download,
        name="statistics-report-download",
    ),
    path("healthz", healthz, name="healthz"),
    path("api/v1/", include("complaints.api.urls")),
    path("api/v1/", include("blacklist.api.urls")),
    path("api/v1/", include("registry.api.urls")),
    path("api/v1/", include("inspections.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("admin/", admin.site.urls),
]
