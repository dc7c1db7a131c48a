"""Admin: the checklist template is reference data site administrators edit;
inspections, transfers, consultations and interviews are read-only here (every
change goes through ``inspections.services``)."""

from django.contrib import admin

from .models import (
    Campaign,
    ChecklistTemplateItem,
    ClueTransfer,
    Consultation,
    Interview,
    PlatformInspection,
)


@admin.register(ChecklistTemplateItem)
class ChecklistTemplateItemAdmin(admin.ModelAdmin):
    """What every new platform inspection checks; an inspection copies the active items
    when it opens, so an edit here applies to inspections opened afterwards."""

    list_display = ["ordering", "code", "area", "text", "article", "is_active"]
    list_display_links = ["code"]
    list_editable = ["ordering", "is_active"]
    list_filter = ["area", "is_active"]
    search_fields = ["code", "text", "text_en", "article"]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Campaign)
class CampaignAdmin(ReadOnlyAdmin):
    list_display = ["theme", "lead_department", "period_start", "period_end", "status"]
    list_filter = ["status"]
    search_fields = ["theme"]


@admin.register(PlatformInspection)
class PlatformInspectionAdmin(ReadOnlyAdmin):
    list_display = ["campaign", "platform", "status", "opened_at", "closed_at"]
    list_filter = ["status"]


@admin.register(ClueTransfer)
class ClueTransferAdmin(ReadOnlyAdmin):
    list_display = [
        "sent_at",
        "from_department",
        "to_department",
        "suspected_crime",
        "status",
    ]
    list_filter = ["status", "suspected_crime"]


@admin.register(Consultation)
class ConsultationAdmin(ReadOnlyAdmin):
    list_display = ["subject", "convener", "held_on", "status"]
    list_filter = ["status"]


@admin.register(Interview)
class InterviewAdmin(ReadOnlyAdmin):
    list_display = ["scheduled_for", "department", "target_kind", "ground", "status"]
    list_filter = ["status", "ground", "target_kind"]
