from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .calendar_notice import parse_notice
from .documents import document_revoke
from .errors import DomainError
from .models import (
    AuditEvent,
    CalendarDay,
    CalendarYear,
    ClockRule,
    Deadline,
    DocumentKind,
    DocumentPrefix,
    IdentityView,
    IssuedDocument,
    Notification,
    RuleCitation,
    RuleClock,
    RuleGround,
    RuleSet,
    rule_set_in_use,
)
from .rules import rule_set_new_version
from .services import calendar_day_save, calendar_days_from_package, calendar_load_year


class CalendarYearForm(forms.ModelForm):
    """Load a year: paste the State Council's notice, or leave it empty to take
    the schedule the chinesecalendar package records."""

    class Meta:
        model = CalendarYear
        fields = ["year", "notice_text"]
        help_texts = {
            "notice_text": _(
                "Paste the numbered lines of the State Council General Office's notice on "
                "public holiday arrangements (一、元旦：…). Leave empty to use the "
                "chinesecalendar package's schedule for that year."
            )
        }

    def clean(self):
        cleaned = super().clean()
        year, text = cleaned.get("year"), cleaned.get("notice_text", "").strip()
        if not year:
            return cleaned
        try:
            if text:
                self.days = parse_notice(text, year)
                self.source = _("State Council notice (pasted in the admin)")
            else:
                self.days = calendar_days_from_package(year)
                self.source = _("chinesecalendar package")
        except DomainError as exc:
            raise ValidationError({"notice_text": exc.message}) from exc
        except ValidationError as exc:
            raise ValidationError({"notice_text": exc.messages}) from exc
        return cleaned

    def validate_unique(self):
        # Loading a year again replaces it: that is what the service does.
        pass


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    form = CalendarYearForm
    list_display = ["year", "source", "loaded_at", "loaded_by"]
    readonly_fields = ["source", "loaded_at", "loaded_by"]

    def save_model(self, request, obj, form, change):
        result = calendar_load_year(
            year=obj.year,
            days=form.days,
            source=str(form.source),
            actor=request.user,
            notice_text=obj.notice_text,
        )
        messages.info(
            request,
            _(
                "%(year)s loaded: %(off)s days off, %(on)s adjusted working days; "
                "%(moved)s due dates of open cases recomputed."
            )
            % {
                "year": result.year,
                "off": result.days_off,
                "on": result.working_weekends,
                "moved": result.recomputed,
            },
        )


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ["date", "is_workday", "name"]
    list_filter = ["is_workday"]
    date_hierarchy = "date"
    search_fields = ["name"]

    def save_model(self, request, obj, form, change):
        moved = calendar_day_save(day=obj, actor=request.user)
        if moved:
            messages.info(request, _("%(n)s due dates recomputed.") % {"n": moved})

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ClockRule)
class ClockRuleAdmin(admin.ModelAdmin):
    """A department's own length of a clock the rules leave to it."""

    list_display = ["code", "working_days", "department"]
    list_filter = ["code"]
    search_fields = ["code", "department__name"]
    autocomplete_fields = ["department"]
    fields = ["code", "department", "working_days"]


class _RuleInline(admin.StackedInline):
    """The rules of a set; none can change once a matter is pinned to the set."""

    extra = 0

    def _locked(self, obj) -> bool:
        return obj is not None and rule_set_in_use(obj)

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and not self._locked(obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not self._locked(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not self._locked(obj)


class RuleClockInline(_RuleInline):
    model = RuleClock
    fields = [
        ("code", "days", "unit", "starts_on"),
        ("name", "name_en"),
        ("pauses_in", "excludes"),
        ("extensions", "extension_days", "extension_approver"),
        ("source", "source_en"),
        ("certainty", "note"),
    ]


class RuleGroundInline(_RuleInline):
    model = RuleGround
    fields = [
        ("list", "code", "ordering"),
        ("label_zh", "label_en"),
        ("source", "source_en"),
        ("certainty", "note"),
    ]


class RuleCitationInline(_RuleInline):
    model = RuleCitation
    fields = [("document", "certainty"), ("source", "source_en"), "note"]


@admin.register(RuleSet)
class RuleSetAdmin(admin.ModelAdmin):
    """Instruments as data. A new instrument is a new set with its in-force date; a set
    that governs matters already is changed by making a new version of it."""

    list_display = ["code", "version", "title", "matter", "in_force_from", "in_force_until"]
    list_filter = ["matter"]
    search_fields = ["code", "title", "title_en", "order_number"]
    inlines = [RuleClockInline, RuleGroundInline, RuleCitationInline]
    actions = ["make_new_version"]
    readonly_fields = ["version", "created_at"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and rule_set_in_use(obj):
            return [f.name for f in RuleSet._meta.concrete_fields if f.name != "id"]
        return self.readonly_fields

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        if obj is not None and rule_set_in_use(obj) and request.method == "GET":
            messages.info(
                request,
                _(
                    "This rule set governs matters already and cannot be changed. To correct "
                    "it, select it in the list and make a new version: the new version "
                    "governs the matters that start from then on."
                ),
            )
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.action(description=_("Make a new version of the selected rule sets"))
    def make_new_version(self, request, queryset):
        for rule_set in queryset:
            copy = rule_set_new_version(rule_set=rule_set, actor=request.user)
            messages.success(
                request,
                _("Version %(version)s of %(code)s made; edit it now.")
                % {"version": copy.version, "code": copy.code},
            )


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Deadline)
class DeadlineAdmin(ReadOnlyAdmin):
    list_display = [
        "clock",
        "content_type",
        "object_id",
        "started_on",
        "due_on",
        "provisional",
        "state",
    ]
    list_filter = ["state", "provisional", "clock"]


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor", "action", "object_repr", "reason"]
    list_filter = ["action"]
    search_fields = ["object_repr", "reason", "action"]


@admin.register(IdentityView)
class IdentityViewAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor", "object_repr", "purpose"]
    search_fields = ["object_repr", "purpose"]


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    """Outbound emails: what was owed, when it went out, how many attempts it took."""

    list_display = [
        "created_at",
        "kind",
        "recipient",
        "recipient_user",
        "sent_at",
        "attempts",
        "last_error",
        "read_at",
    ]
    list_select_related = ["recipient_user"]
    list_filter = ["kind", ("sent_at", admin.EmptyFieldListFilter)]
    search_fields = ["recipient", "key"]
    date_hierarchy = "created_at"


@admin.register(DocumentKind)
class DocumentKindAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "name_en", "character"]
    readonly_fields = ["code"]

    def has_add_permission(self, request):
        return False  # the types are the documents the portal prints

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DocumentPrefix)
class DocumentPrefixAdmin(admin.ModelAdmin):
    list_display = ["department", "prefix"]
    autocomplete_fields = ["department"]


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("Reason for revocation"), widget=forms.Textarea)


@admin.register(IssuedDocument)
class IssuedDocumentAdmin(ReadOnlyAdmin):
    list_display = ["number", "kind", "issuer", "issued_at", "signed_by", "revoked_at"]
    list_filter = ["kind", "revoked_at"]
    search_fields = ["number", "code"]
    actions = ["revoke"]

    @admin.action(description=_("Revoke the selected documents"), permissions=["revoke"])
    def revoke(self, request, queryset):
        form = RevokeForm(request.POST if "reason" in request.POST else None)
        if form.is_bound and form.is_valid():
            for document in queryset:
                document_revoke(
                    document=document, actor=request.user, reason=form.cleaned_data["reason"]
                )
            messages.success(request, _("The documents were revoked."))
            return None
        from django.template.response import TemplateResponse

        return TemplateResponse(
            request,
            "admin/portal/issueddocument/revoke.html",
            {**self.admin_site.each_context(request), "documents": queryset, "form": form},
        )

    def has_revoke_permission(self, request):
        return request.user.has_perm("portal.change_issueddocument")
