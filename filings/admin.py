"""Read-only admin of platform disposal filings and notices: they change only
through ``filings.services`` (filed by platforms, answered by platforms)."""

from django.contrib import admin
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from .models import DisposalFiling, PlatformNotice


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DisposalFiling)
class DisposalFilingAdmin(_ReadOnly):
    list_display = ["external_id", "platform", "party_name", "category", "acted_at", "received_at"]
    list_filter = ["channel", "party_kind", "platform"]
    search_fields = ["external_id", "party_name", "party_uscc", "live_room_account"]
    exclude = ["id_number_encrypted", "id_number_hash", "route"]
    readonly_fields = ["sent_to"]

    @admin.display(description=_("sent to"))
    def sent_to(self, obj):
        return format_html_join(
            "",
            "<div>{} — {}</div>",
            (
                (r.department.label, r.get_reason_display())
                for r in obj.route.recipients.select_related("department")
            ),
        )


@admin.register(PlatformNotice)
class PlatformNoticeAdmin(_ReadOnly):
    list_display = ["asked_at", "department", "platform", "kind", "answered_at"]
    list_filter = ["kind", "platform"]
    search_fields = ["party", "question"]
