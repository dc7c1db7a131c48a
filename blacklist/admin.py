"""Admin: the measures catalogue is reference data; entries and their history are
read-only here (every change goes through ``blacklist.services``)."""

from django.contrib import admin

from .models import (
    Entry,
    EntryState,
    Measure,
    MeasureImplementation,
    PlatformAppeal,
    RepairApplication,
    ScreeningLog,
)


@admin.register(Measure)
class MeasureAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "basis", "for_departments", "for_platforms", "is_active"]
    list_filter = ["for_departments", "for_platforms", "is_active"]
    search_fields = ["code", "name", "name_en", "basis"]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class EntryStateInline(admin.TabularInline):
    model = EntryState
    fields = ["at", "status", "actor_label", "reason"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Entry)
class EntryAdmin(ReadOnlyAdmin):
    list_display = ["reference", "name_masked", "list", "category", "listed_on", "term_ends_on"]
    list_filter = ["list", "current__status"]
    search_fields = ["reference", "name", "uscc"]
    exclude = ["id_number_hash", "name"]
    inlines = [EntryStateInline]


@admin.register(MeasureImplementation)
class MeasureImplementationAdmin(ReadOnlyAdmin):
    list_display = ["entry", "department", "measure", "applied_on"]


@admin.register(RepairApplication)
class RepairApplicationAdmin(ReadOnlyAdmin):
    list_display = ["entry", "applied_on", "outcome", "decided_on"]
    list_filter = ["outcome"]


@admin.register(PlatformAppeal)
class PlatformAppealAdmin(ReadOnlyAdmin):
    list_display = ["entry", "received_on", "upheld", "decided_on"]


@admin.register(ScreeningLog)
class ScreeningLogAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor_label", "channel", "queries", "queries_with_hits", "hits"]
    list_filter = ["channel"]
