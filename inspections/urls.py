"""Pages of special inspections, clue transfers, consultations, interviews and the
risk view (mounted at ``/inspections/``)."""

from django.urls import path

from . import views

app_name = "inspections"

urlpatterns = [
    path("", views.campaign_list, name="campaigns"),
    path("new/", views.campaign_new, name="campaign-new"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="campaign"),
    path("platform/", views.platform_home, name="platform"),
    path("<int:pk>/", views.inspection_detail, name="inspection"),
    path("<int:pk>/do/<str:action>/", views.inspection_action, name="inspection-action"),
    path("<int:pk>/items/<int:item>/", views.item_finding, name="item-finding"),
    path("<int:pk>/requests/<int:request_pk>/answer/", views.request_answer, name="request-answer"),
    path("<int:pk>/rectification-report/", views.rectification_report, name="rectification-report"),
    path("<int:pk>/report.pdf", views.inspection_report_pdf, name="report-pdf"),
    path("orders/<int:pk>.pdf", views.rectification_order_pdf, name="order-pdf"),
    path("files/<int:pk>/", views.attachment_download, name="file"),
    path("clues/", views.clue_list, name="clues"),
    path("clues/new/", views.clue_new, name="clue-new"),
    path("clues/<int:pk>/", views.clue_detail, name="clue"),
    path("clues/<int:pk>/do/<str:action>/", views.clue_action, name="clue-action"),
    path("clues/<int:pk>/letter.pdf", views.clue_letter_pdf, name="clue-letter"),
    path("consultations/", views.consultation_list, name="consultations"),
    path("consultations/new/", views.consultation_new, name="consultation-new"),
    path("consultations/<int:pk>/", views.consultation_detail, name="consultation"),
    path(
        "consultations/<int:pk>/do/<str:action>/",
        views.consultation_action,
        name="consultation-action",
    ),
    path(
        "consultations/<int:pk>/actions/<int:action_pk>/done/",
        views.follow_up_done,
        name="follow-up-done",
    ),
    path("interviews/", views.interview_list, name="interviews"),
    path("interviews/new/", views.interview_new, name="interview-new"),
    path("interviews/<int:pk>/", views.interview_detail, name="interview"),
    path("interviews/<int:pk>/do/<str:action>/", views.interview_action, name="interview-action"),
    path("interviews/<int:pk>/minutes.pdf", views.interview_minutes_pdf, name="interview-minutes"),
    path("risk/", views.risk_view, name="risk"),
    path("risk/export.csv", views.risk_export, name="risk-export"),
]
