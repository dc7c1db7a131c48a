from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import (
    Agency,
    LiveRoom,
    Marketer,
    NegativeCatalogueItem,
    Operator,
    Roster,
    RosterRow,
    Supplier,
    ViolationCategory,
)


class IdentityNumberForm(forms.ModelForm):
    """Takes a resident ID number in clear, validates it and stores it encrypted.

    Left empty on change, the stored number stays; the clear number is never
    put back into the form.
    """

    id_number = forms.CharField(
        label=_("resident ID number"),
        required=False,
        max_length=18,
        help_text=_("18 characters, checked by its check digit. Stored encrypted; shown masked."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def clean_id_number(self):
        raw = self.cleaned_data.get("id_number", "").strip()
        if raw:
            # The model validates again when the number is set; this puts the
            # message beside the field.
            try:
                self.instance.set_id_number(raw)
            except ValidationError as exc:
                raise ValidationError(exc.messages) from exc
        return ""

    def add_error(self, field, error):
        # The model reports a missing number on ``id_number_masked``, which
        # this form shows as ``id_number``; one message for the field is enough.
        error_dict = getattr(error, "error_dict", None)
        if field is None and error_dict and "id_number_masked" in error_dict:
            messages = error_dict.pop("id_number_masked")
            if not self.has_error("id_number"):
                error_dict["id_number"] = messages
            if not error_dict:
                return
        super().add_error(field, error)


class IdentityAdmin(admin.ModelAdmin):
    form = IdentityNumberForm
    readonly_fields = ["id_number_masked"]


@admin.register(Operator)
class OperatorAdmin(IdentityAdmin):
    list_display = ["name", "kind", "uscc", "id_number_masked", "business_region", "domicile"]
    list_filter = ["kind"]
    search_fields = ["name", "uscc"]
    autocomplete_fields = ["domicile", "business_region"]
    readonly_fields = ["id_number_masked", "birth_date"]


@admin.register(Marketer)
class MarketerAdmin(IdentityAdmin):
    list_display = ["name", "id_number_masked", "birth_date", "guardian_consent", "agency"]
    search_fields = ["name"]
    autocomplete_fields = ["residence", "agency"]
    readonly_fields = ["id_number_masked", "birth_date"]


@admin.register(Supplier)
class SupplierAdmin(IdentityAdmin):
    list_display = ["name", "uscc", "id_number_masked"]
    search_fields = ["name", "uscc"]


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "uscc", "domicile"]
    search_fields = ["name", "name_en", "uscc"]
    autocomplete_fields = ["domicile"]


@admin.register(LiveRoom)
class LiveRoomAdmin(admin.ModelAdmin):
    list_display = ["name", "account_id", "platform", "operator"]
    list_filter = ["platform"]
    search_fields = ["name", "account_id"]
    autocomplete_fields = ["platform", "operator"]
    filter_horizontal = ["marketers"]


@admin.register(ViolationCategory)
class ViolationCategoryAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "name_en", "articles", "department_types", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["code", "name", "name_en", "articles"]


@admin.register(NegativeCatalogueItem)
class NegativeCatalogueItemAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "name_en", "basis", "is_active"]
    search_fields = ["code", "name", "name_en", "basis"]


class _RosterRecord(admin.ModelAdmin):
    """Rosters are filed by the platforms (Order 117 Art. 9) through the portal's
    pages and API; the admin only reads them, and never deletes what was filed."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Roster)
class RosterAdmin(_RosterRecord):
    list_display = [
        "platform",
        "period",
        "version",
        "status",
        "channel",
        "row_count",
        "error_count",
        "uploaded_at",
        "filed_at",
        "late",
    ]
    list_filter = ["status", "late", "year", "half", "channel"]
    search_fields = ["platform__name", "platform__uscc"]
    list_select_related = ["platform"]
    readonly_fields = ["row_link"]

    @admin.display(description=_("half-year"), ordering="year")
    def period(self, roster):
        return roster.period_label

    @admin.display(description=_("rows"))
    def row_link(self, roster):
        url = reverse("admin:registry_rosterrow_changelist") + f"?roster__id__exact={roster.pk}"
        return format_html('<a href="{}">{}</a>', url, roster.row_count)


@admin.register(RosterRow)
class RosterRowAdmin(_RosterRecord):
    """Rows as filed: the resident ID number only masked (the encrypted number and
    its keyed hash are neither shown nor decrypted here)."""

    list_display = [
        "roster",
        "row_number",
        "kind",
        "name",
        "id_number_masked",
        "uscc",
        "live_room_account",
        "business_region",
        "has_errors",
    ]
    list_filter = ["kind", "roster__status", "roster__year", "roster__half"]
    search_fields = ["name", "uscc", "live_room_account", "roster__platform__name"]
    list_select_related = ["roster__platform", "business_region"]
    fields = [
        "roster",
        "row_number",
        "kind",
        "name",
        "id_number_masked",
        "uscc",
        "live_room_account",
        "business_region",
        "home_region",
        "contact",
        "errors",
    ]
    readonly_fields = fields

    @admin.display(boolean=True, description=_("errors"))
    def has_errors(self, row):
        return bool(row.errors)
