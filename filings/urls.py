"""Pages of platform disposal filings and notices to platforms (included at the root)."""

from django.urls import path

from . import views

app_name = "filings"

urlpatterns = [
    path("filings/", views.filing_list, name="list"),
    path("filings/export.csv", views.filing_export, name="export"),
    path("filings/new/", views.filing_new, name="new"),
    path("filings/upload/", views.filing_upload, name="upload"),
    path("filings/upload/report.csv", views.filing_upload_report, name="upload-report"),
    path("filings/template.csv", views.filing_template, name="template"),
    path("filings/<int:pk>/", views.filing_detail, name="detail"),
    path("notices/", views.notice_list, name="notices"),
    path("notices/new/", views.notice_new, name="notice-new"),
    path("notices/<int:pk>/", views.notice_detail, name="notice"),
]
