from django.contrib import admin

from portal.admin import ReadOnlyAdmin

from .models import StatisticalReport


@admin.register(StatisticalReport)
class StatisticalReportAdmin(ReadOnlyAdmin):
    list_display = [
        "requested_at",
        "department",
        "period_kind",
        "period_start",
        "language",
        "status",
        "progress",
    ]
    list_filter = ["status", "period_kind", "language"]
