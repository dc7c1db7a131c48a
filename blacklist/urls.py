from django.urls import path

from . import views

app_name = "blacklist"

urlpatterns = [
    path("", views.entry_list, name="entries"),
    path("propose/", views.entry_propose, name="propose"),
    path("platform/add/", views.platform_entry_add, name="platform-add"),
    path("public/", views.public_list, name="public"),
    path("screening/", views.screening, name="screening"),
    path("screenings/", views.screenings, name="screenings"),
    path("<int:pk>/", views.entry_detail, name="entry"),
    path("<int:pk>/notify/", views.entry_notify, name="notify"),
    path("<int:pk>/statement/", views.entry_statement, name="statement"),
    path("<int:pk>/decide/", views.entry_decide, name="decide"),
    path("<int:pk>/repair/", views.entry_repair_apply, name="repair-apply"),
    path("<int:pk>/repair/accept/", views.entry_repair_accept, name="repair-accept"),
    path("<int:pk>/repair/decide/", views.entry_repair_decide, name="repair-decide"),
    path("<int:pk>/revoke/", views.entry_revoke, name="revoke"),
    path("<int:pk>/measures/", views.entry_measures, name="measures"),
    path("<int:pk>/appeal/", views.entry_appeal, name="appeal"),
    path("<int:pk>/notice.pdf", views.entry_notice_pdf, name="notice-pdf"),
    path("<int:pk>/decision.pdf", views.entry_decision_pdf, name="decision-pdf"),
    path(
        "<int:pk>/repair/<int:application>/decision.pdf",
        views.repair_decision_pdf,
        name="repair-pdf",
    ),
    path("<int:pk>/penalty-decision/", views.entry_decision_document, name="document"),
]
