"""Pages of the identity rosters (Order 117 Art. 9, 48), under ``/rosters/``."""

from django.urls import path

from . import views

app_name = "rosters"

urlpatterns = [
    path("", views.roster_list, name="list"),
    path("template.csv", views.roster_template, name="template"),
    path("cross-province/", views.cross_province, name="cross-province"),
    path("<int:pk>/", views.roster_detail, name="detail"),
    path("<int:pk>/errors.csv", views.roster_errors_csv, name="errors"),
    path("<int:pk>/confirm/", views.roster_confirm_view, name="confirm"),
]
