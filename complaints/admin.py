"""Read-only admin of platform disposal filings and notices: they change only
through ``complaints.services`` (filed by platforms, answered by platforms)."""

from django.contrib import admin

from .models import DisposalFiling, FilingRecipient, PlatformNotice


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class FilingRecipientInline(admin.TabularInline):
    model = FilingRecipient
    extra = 0
    can_delete = False
    readonly_fields = ["department", "reason"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(DisposalFiling)
class DisposalFilingAdmin(_ReadOnly):
    list_display = ["external_id", "platform", "party_name", "category", "acted_at", "received_at"]
    list_filter = ["channel", "party_kind", "platform"]
    search_fields = ["external_id", "party_name", "party_uscc", "live_room_account"]
    exclude = ["id_number_encrypted", "id_number_hash"]
    inlines = [FilingRecipientInline]


@admin.register(PlatformNotice)
class PlatformNoticeAdmin(_ReadOnly):
    list_display = ["sent_at", "department", "platform", "kind", "replied_at"]
    list_filter = ["kind", "platform"]
    search_fields = ["party", "message"]
