from django.urls import path

from . import views

app_name = "complaints"

urlpatterns = [
    path("new/", views.complaint_new, name="new"),
    path("submitted/<str:code>/", views.complaint_submitted, name="submitted"),
    path("submitted/<str:code>/receipt.pdf", views.complaint_receipt, name="receipt"),
    path("track/", views.track, name="track"),
    path("track/<str:code>/", views.tracked, name="tracked"),
    path("track/<str:code>/notice.pdf", views.complaint_notice, name="tracked-notice"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence"),
    path("cases/", views.case_list, name="list"),
    path("cases/export.csv", views.case_export, name="export"),
    path("cases/bulk/", views.case_bulk, name="bulk"),
    path("cases/filters/", views.saved_filter_save, name="filter-save"),
    path("cases/filters/<int:pk>/delete/", views.saved_filter_delete, name="filter-delete"),
    path("cases/<int:pk>/", views.case_detail, name="detail"),
    path("cases/<int:pk>/do/<str:action>/", views.case_action, name="action"),
    path("cases/<int:pk>/<str:document>.pdf", views.case_document, name="document"),
    path("forwarded/", views.forward_list, name="forwards"),
    path("forwarded/<int:pk>/", views.forward_detail, name="forward"),
]
