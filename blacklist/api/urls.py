"""Routes of the blacklist API, included by config/urls.py under ``/api/v1/``."""

from django.urls import path

from . import exports, views

urlpatterns = [
    path("blacklist/entries/", views.EntryListView.as_view(), name="blacklist-api-entries"),
    path(
        "blacklist/entries/<int:pk>/",
        views.EntryDetailView.as_view(),
        name="blacklist-api-entry",
    ),
    path(
        "blacklist/entries/<int:pk>/measures/",
        views.MeasureRecordView.as_view(),
        name="blacklist-api-measures",
    ),
    path(
        "blacklist/entries/<int:pk>/appeals/",
        views.AppealDecideView.as_view(),
        name="blacklist-api-appeals",
    ),
    path(
        "blacklist/platform-entries/",
        views.PlatformEntryCreateView.as_view(),
        name="blacklist-api-platform-entries",
    ),
    path(
        "blacklist/export.ftm.json",
        exports.FtMExportView.as_view(),
        name="blacklist-api-export-ftm",
    ),
    path(
        "blacklist/export.json",
        exports.ExportView.as_view(),
        {"format": "json"},
        name="blacklist-api-export-json",
    ),
    path(
        "blacklist/export.csv",
        exports.ExportView.as_view(),
        {"format": "csv"},
        name="blacklist-api-export-csv",
    ),
    path("blacklist/export/", exports.ExportView.as_view(), name="blacklist-api-export"),
    path("blacklist/changes/", exports.ChangesView.as_view(), name="blacklist-api-changes"),
    path("screening/", views.ScreeningView.as_view(), name="screening-api"),
    path("screening/batch/", views.ScreeningBatchView.as_view(), name="screening-api-batch"),
    path(
        "screening/<int:pk>/matches/",
        views.ScreeningMatchesView.as_view(),
        name="screening-api-matches",
    ),
    path("screening/jobs/", views.ScreeningJobCreateView.as_view(), name="screening-api-jobs"),
    path(
        "screening/jobs/<int:pk>/", views.ScreeningJobDetailView.as_view(), name="screening-api-job"
    ),
    path(
        "screening/jobs/<int:pk>/errors/",
        views.ScreeningJobErrorsView.as_view(),
        name="screening-api-job-errors",
    ),
    path(
        "screening/jobs/<int:pk>/result.csv",
        views.ScreeningJobResultView.as_view(),
        {"kind": "csv"},
        name="screening-api-job-result-csv",
    ),
    path(
        "screening/jobs/<int:pk>/result.json",
        views.ScreeningJobResultView.as_view(),
        {"kind": "json"},
        name="screening-api-job-result-json",
    ),
]
