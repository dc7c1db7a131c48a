from django.urls import path

from .views import documents, entries, jobs, screening

app_name = "blacklist"

urlpatterns = [
    path("", entries.entry_list, name="entries"),
    path("propose/", entries.entry_propose, name="propose"),
    path("platform/add/", entries.platform_entry_add, name="platform-add"),
    path("public/", documents.public_list, name="public"),
    path("screening/", screening.screening, name="screening"),
    path("screening/jobs/", jobs.screening_jobs, name="screening-jobs"),
    path("screening/jobs/<int:pk>/", jobs.screening_job, name="screening-job"),
    path(
        "screening/jobs/<int:pk>/result.csv",
        jobs.screening_job_result,
        name="screening-job-result",
    ),
    path("screenings/", screening.screenings, name="screenings"),
    path("screenings/<int:pk>/", screening.screening_hits, name="screening-hits"),
    path("<int:pk>/", entries.entry_detail, name="entry"),
    path("<int:pk>/notify/", entries.entry_notify, name="notify"),
    path("<int:pk>/statement/", entries.entry_statement, name="statement"),
    path("<int:pk>/decide/", entries.entry_decide, name="decide"),
    path("<int:pk>/repair/", entries.entry_repair_apply, name="repair-apply"),
    path("<int:pk>/repair/accept/", entries.entry_repair_accept, name="repair-accept"),
    path("<int:pk>/repair/decide/", entries.entry_repair_decide, name="repair-decide"),
    path("<int:pk>/revoke/", entries.entry_revoke, name="revoke"),
    path("<int:pk>/measures/", entries.entry_measures, name="measures"),
    path("<int:pk>/appeal/", entries.entry_appeal, name="appeal"),
    path("<int:pk>/notice.pdf", documents.entry_notice_pdf, name="notice-pdf"),
    path("<int:pk>/decision.pdf", documents.entry_decision_pdf, name="decision-pdf"),
    path(
        "<int:pk>/repair/<int:application>/decision.pdf",
        documents.repair_decision_pdf,
        name="repair-pdf",
    ),
    path("<int:pk>/penalty-decision/", documents.entry_decision_document, name="document"),
]
