"""Forms: the public intake and tracking, and one form per staff action."""

import time

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import Department, Platform, User
from portal import dates
from portal.forms import PortalForm, public_text
from portal.models import EXCLUDED_PERIODS
from portal.rules import clock_of
from portal.uploads import MAX_FILES, check_upload, limits_text
from portal.workdays import WorkingCalendar
from registry.models import ViolationCategory

from .lookups import category_by_pk, platform_by_pk, region_by_code, regions_below_national
from .models import Complaint, Evidence, Outcome
from .services.bulk import BULK_LIMIT
from .services.common import case_rule_set, decline_grounds
from .services.intake import store_evidence
from .services.workflow import EXCLUDING_CLOCKS

FORM_STAMP_SALT = "complaints.form-stamp"
PENDING_SALT = "complaints.pending-evidence"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field; each is checked by content and size."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget",
            MultipleFileInput(
                attrs={"accept": "image/*,application/pdf,video/mp4,video/quicktime"}
            ),
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        errors, cleaned = [], []
        for upload in files:
            upload = super().clean(upload, initial)
            try:
                check_upload(upload)
                cleaned.append(upload)
            except ValidationError as exc:
                errors.extend(exc.error_list)
        if errors:
            error = ValidationError(errors)
            error.valid_files = cleaned
            raise error
        return cleaned


def region_choices():
    return [
        (r.code, f"{'　' * max(r.level - 1, 0)}{r.code} {r.label}")
        for r in regions_below_national()
    ]


class RegionCodeField(forms.ChoiceField):
    """A region chosen by its code: checked against the kept reference rows, and its
    long list of choices built only when the form is shown."""

    def __init__(self, **kwargs):
        super().__init__(choices=lambda: [("", _("— choose —")), *region_choices()], **kwargs)

    def valid_value(self, value) -> bool:
        return region_by_code(str(value)) is not None


class ReferenceChoiceField(forms.ModelChoiceField):
    """A ``ModelChoiceField`` whose chosen row comes from the kept reference rows
    (``complaints.lookups``) rather than a query per submission."""

    def __init__(self, *args, lookup, **kwargs):
        self.lookup = lookup
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        row = self.lookup(value) if str(value).isdigit() else None
        if row is None:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return row


class ComplaintForm(PortalForm):
    """The one public form for a complaint or a report."""

    kind = forms.ChoiceField(
        label=_("What do you want to do?"),
        choices=Complaint.Kind.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "A complaint asks us to help settle a dispute between you and a seller; "
            "a report tells us of a violation and may be anonymous."
        ),
    )
    category = ReferenceChoiceField(
        label=_("What happened"),
        queryset=ViolationCategory.objects.filter(is_active=True),
        lookup=category_by_pk,
        empty_label=_("— choose —"),
    )
    platform = ReferenceChoiceField(
        label=_("Platform"),
        queryset=Platform.objects.filter(is_active=True),
        lookup=platform_by_pk,
        required=False,
        empty_label=_("— another platform —"),
    )
    platform_other = forms.CharField(
        label=_("Name of another platform"), max_length=100, required=False
    )
    live_room_account = forms.CharField(
        label=_("Live room account id"), max_length=128, required=False
    )
    live_room_name = forms.CharField(label=_("Live room name"), max_length=200, required=False)
    live_room_url = forms.URLField(
        label=_("Link to the live room"), required=False, assume_scheme="https"
    )
    marketer_name = forms.CharField(label=_("Marketer (host)"), max_length=100, required=False)
    occurred_on = forms.DateField(
        label=_("When it happened"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[dates.validate_past_day],
    )
    order_number = forms.CharField(label=_("Order number"), max_length=64, required=False)
    amount = forms.DecimalField(
        label=_("Amount paid (yuan)"), max_digits=12, decimal_places=2, min_value=0, required=False
    )
    description = forms.CharField(
        label=_("What happened, in your words"),
        max_length=5000,
        widget=forms.Textarea(
            attrs={"rows": 6, "data-counter": _("%(count)s of %(max)s characters")}
        ),
    )
    evidence = MultipleFileField(label=_("Evidence"), required=False, help_text=limits_text)
    consumer_region = RegionCodeField(label=_("Your region"))
    anonymous = forms.BooleanField(
        label=_("Report anonymously (reports only)"),
        required=False,
        help_text=_("You will get an access key instead of giving a contact."),
    )
    contact_name = forms.CharField(
        label=_("Your name"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    contact_phone = forms.CharField(
        label=_("Mobile phone"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "tel"}),
    )
    contact_email = forms.EmailField(
        label=_("Email"), required=False, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    # Abuse control: a field people never see, and the time the form was shown.
    website = forms.CharField(required=False, label=_("Leave this empty"))
    stamp = forms.CharField(widget=forms.HiddenInput)
    pending = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, min_fill_seconds: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["website"].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})
        if not self.is_bound:
            self.initial["stamp"] = signing.dumps(time.time(), salt=FORM_STAMP_SALT)
        self.min_fill_seconds = min_fill_seconds
        self.kept_evidence: list[Evidence] = []
        self.fields["description"].help_text = self._description_help()

    DESCRIPTION_HELP = {
        Complaint.Kind.COMPLAINT: _(
            "For a complaint: what was promised, what you got, and what you ask for."
        ),
        Complaint.Kind.REPORT: _(
            "For a report: what you saw, when and in which live room, and why it breaks the rules."
        ),
    }

    def _description_help(self):
        """Help that fits the kind chosen; before a choice, both (a script on the
        page then shows the one that fits)."""
        chosen = self.data.get(self.add_prefix("kind")) if self.is_bound else None
        parts = [
            format_html('<span data-for-kind="{}">{}</span>', kind, text)
            for kind, text in self.DESCRIPTION_HELP.items()
            if chosen not in self.DESCRIPTION_HELP or chosen == kind
        ]
        joined = format_html_join(" ", "{}", ((part,) for part in parts))
        return format_html("{} {}", _("Up to 5,000 characters."), joined)

    def clean_website(self):
        if self.cleaned_data.get("website"):
            raise ValidationError(
                _("This form looks like it was filled in by a program; it was not sent."),
                code="honeypot",
            )
        return ""

    def clean_stamp(self):
        try:
            shown = signing.loads(self.cleaned_data["stamp"], salt=FORM_STAMP_SALT, max_age=86400)
        except signing.BadSignature as exc:
            raise ValidationError(
                _("The form has expired or was altered. Please check your entries and send again."),
                code="stamp",
            ) from exc
        if time.time() - float(shown) < self.min_fill_seconds:
            raise ValidationError(
                _(
                    "The form was sent too quickly after it was opened. "
                    "Please check it and send again."
                ),
                code="too_fast",
            )
        return self.cleaned_data["stamp"]

    def clean_consumer_region(self):
        region = region_by_code(self.cleaned_data["consumer_region"])
        if region is None:
            raise ValidationError(_("Choose your region from the list."), code="region")
        return region

    def clean_occurred_on(self):
        day = self.cleaned_data.get("occurred_on")
        if day and day > timezone.localdate():
            raise ValidationError(_("The date cannot be in the future."), code="future")
        return day

    def clean_contact_phone(self):
        phone = self.cleaned_data.get("contact_phone", "").strip()
        digits = "".join(ch for ch in phone if ch.isdigit())
        if (
            phone
            and not (len(digits) == 11 and digits.startswith("1"))
            and not (len(digits) == 13 and digits.startswith("861"))
        ):
            raise ValidationError(_("Enter an 11-digit mobile number."), code="phone")
        return phone

    def clean_pending(self):
        """Files kept from an earlier, failed submit of this same form."""
        token = self.cleaned_data.get("pending")
        if not token:
            return []
        try:
            ids = signing.loads(token, salt=PENDING_SALT, max_age=86400)
        except signing.BadSignature:
            return []
        return list(Evidence.objects.filter(pk__in=ids, complaint__isnull=True))

    def full_clean(self):
        super().full_clean()
        # Keep the files that passed their checks, so a failed submit loses nothing.
        if self.is_bound and self.errors:
            self._keep_valid_uploads()

    def keep_uploads(self):
        """Keep the files of a valid form that is shown again unsent (the address's
        limit was reached), as a failed one keeps them."""
        if self.is_bound and not self.errors and not self.kept_evidence:
            self._keep_valid_uploads()

    ABUSE_CODES = frozenset({"honeypot", "stamp", "too_fast"})

    def refused_as_abuse(self) -> bool:
        """Whether the form was refused by its abuse controls, not for a mistake."""
        return any(
            error.code in self.ABUSE_CODES
            for name in ("website", "stamp")
            for error in self.errors.as_data().get(name, [])
        )

    def _keep_valid_uploads(self):
        kept = list(self.cleaned_data.get("pending") or [])
        if "evidence" in self.cleaned_data:
            uploads = self.cleaned_data["evidence"]
        else:
            uploads = []
            error = self.errors.get("evidence")
            if error is not None and self.files:
                for upload in self.files.getlist(self.add_prefix("evidence")):
                    try:
                        check_upload(upload)
                    except ValidationError:
                        continue
                    uploads.append(upload)
        kept += [store_evidence(upload=upload) for upload in uploads]
        self.kept_evidence = kept[:MAX_FILES]
        self.data = self.data.copy()
        self.data[self.add_prefix("pending")] = signing.dumps(
            [e.pk for e in self.kept_evidence], salt=PENDING_SALT
        )
        # A re-shown form gets a fresh stamp: the time limit is for the first fill only.
        self.data[self.add_prefix("stamp")] = signing.dumps(
            time.time() - self.min_fill_seconds, salt=FORM_STAMP_SALT
        )

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        anonymous = data.get("anonymous")
        if anonymous and kind == Complaint.Kind.COMPLAINT:
            self.add_error(
                "anonymous",
                _("A complaint cannot be anonymous: we need to reach you to settle it."),
            )
        contact_at_fault = "contact_phone" in self.errors or "contact_email" in self.errors
        if (
            not anonymous
            and not contact_at_fault
            and not (data.get("contact_phone") or data.get("contact_email"))
        ):
            self.add_error(
                "contact_phone",
                _(
                    "Give a mobile phone or an email, so that we can reach you "
                    "and you can follow the case."
                ),
            )
        if kind == Complaint.Kind.COMPLAINT and not data.get("contact_name"):
            self.add_error("contact_name", _("A complaint needs your name."))
        if not data.get("platform") and not data.get("platform_other"):
            self.add_error("platform_other", _("Choose the platform, or write its name."))
        files = (data.get("evidence") or []) + (data.get("pending") or [])
        if len(files) > MAX_FILES:
            self.add_error("evidence", _("At most %(n)s files.") % {"n": MAX_FILES})
        return data


class TrackForm(PortalForm):
    code = forms.CharField(label=_("Tracking code"), max_length=20)
    contact = forms.CharField(
        label=_("The mobile phone or email you gave (or your access key)"), max_length=254
    )


class MaterialAnswerForm(PortalForm):
    answer = forms.CharField(
        label=_("Your answer"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    evidence = MultipleFileField(label=_("Files"), required=False, help_text=limits_text)


class RatingForm(PortalForm):
    rating = forms.TypedChoiceField(
        label=_("How well was your case handled?"),
        choices=[(n, str(n)) for n in range(5, 0, -1)],
        coerce=int,
        widget=forms.RadioSelect,
        help_text=_("5 is best."),
    )
    comment = forms.CharField(
        label=_("Comment"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


# --- staff actions --------------------------------------------------------


class MessageForm(PortalForm):
    message = public_text(
        forms.CharField(
            label=_("Message to the consumer"),
            max_length=5000,
            required=False,
            widget=forms.Textarea(attrs={"rows": 3}),
        )
    )


class DeclineForm(PortalForm):
    """The grounds are those of the rule set the case is pinned to."""

    reason = forms.ChoiceField(
        label=_("Ground"),
        choices=(),
        error_messages={"required": _("Choose the ground on which the complaint is declined.")},
    )
    message = public_text(
        forms.CharField(
            label=_("Explanation to the consumer"),
            max_length=5000,
            widget=forms.Textarea(attrs={"rows": 3}),
        )
    )

    def __init__(self, *args, complaint=None, **kwargs):
        super().__init__(*args, **kwargs)
        if complaint is not None:
            # No ground is chosen for the handler: the decision is theirs to make.
            self.fields["reason"].choices = [
                ("", _("— choose —")),
                *[(g.code, g.label) for g in decline_grounds(complaint)],
            ]
            self.fields["reason"].label = _("Ground (%(rules)s)") % {
                "rules": case_rule_set(complaint).label
            }


class ExcludePeriodForm(PortalForm):
    """A testing, inspection, quarantine or appraisal period that does not count."""

    kind = forms.ChoiceField(label=_("Kind of period"), choices=())
    # It has begun (testing, an appraisal under way); it may end later.
    starts_on = forms.DateField(
        label=pgettext_lazy("start of a period", "From"),
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[dates.validate_past_day],
    )
    ends_on = forms.DateField(
        label=pgettext_lazy("end of a period", "To"),
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[dates.validate_day],
    )
    reason = forms.CharField(
        label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, complaint=None, **kwargs):
        super().__init__(*args, **kwargs)

        kinds = list(EXCLUDED_PERIODS)
        if complaint is not None:
            kinds = list(
                clock_of(case_rule_set(complaint), EXCLUDING_CLOCKS[complaint.kind]).excludes
            )
        self.fields["kind"].choices = [(k, EXCLUDED_PERIODS[k]) for k in kinds]

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The period must end on or after the day it starts."))
        return data


class MaterialRequestForm(PortalForm):
    message = public_text(
        forms.CharField(
            label=_("What material is needed"),
            max_length=5000,
            widget=forms.Textarea(attrs={"rows": 3}),
        )
    )


class TransferForm(PortalForm):
    to_department = forms.ModelChoiceField(
        label=_("To department"), queryset=Department.objects.none()
    )
    reason = forms.CharField(
        label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, complaint=None, **kwargs):
        super().__init__(*args, **kwargs)
        queryset = Department.objects.filter(is_active=True).select_related("region")
        if complaint is not None:
            queryset = queryset.exclude(pk=complaint.department_id)
        self.fields["to_department"].queryset = queryset.order_by("region__code", "type")


class ForwardForm(PortalForm):
    message = forms.CharField(
        label=_("What the platform is asked to do"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    working_days = forms.IntegerField(
        label=_("Answer within (working days)"),
        min_value=1,
        max_value=60,
        initial=10,
        help_text=_(
            "Set by the department; the rules set no time (Trial Art. 15; Order 117 Art. 20). "
            "Default 10 working days."
        ),
    )


class CloseForm(PortalForm):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[
            (c.value, c.label)
            for c in (
                Outcome.MEDIATED,
                Outcome.MEDIATION_TERMINATED,
                Outcome.PLATFORM_RESOLVED,
                Outcome.WITHDRAWN,
                Outcome.OTHER,
            )
        ],
    )
    outcome_text = public_text(
        forms.CharField(
            label=_("Outcome, as the consumer will read it"),
            max_length=5000,
            widget=forms.Textarea(attrs={"rows": 3}),
        )
    )


class NoteForm(PortalForm):
    message = forms.CharField(
        label=_("Note"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    public = forms.BooleanField(label=_("Visible to the consumer"), required=False)


class ExtensionRequestForm(PortalForm):
    reason = forms.CharField(
        label=_("Why more time is needed"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ExtensionDecisionForm(PortalForm):
    approve = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("1", _("Approve 15 more working days")), ("0", _("Refuse"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    message = public_text(forms.CharField(label=_("Message"), max_length=2000, required=False))


class ReportDecisionForm(PortalForm):
    open_case = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("1", _("Open a case")), ("0", _("Do not open a case"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    message = public_text(
        forms.CharField(
            label=_("Decision and reasons, as the reporter will read them"),
            max_length=5000,
            widget=forms.Textarea(attrs={"rows": 3}),
        )
    )


class StaffChoiceField(forms.ModelChoiceField):
    """A choice of colleagues, shown by name (the username where none is recorded)."""

    def label_from_instance(self, obj) -> str:
        return obj.get_full_name() or obj.username


def handlers_of(department_id):
    """The active handlers of a department: whom its cases may be assigned to."""
    return (
        User.objects.filter(
            department_id=department_id,
            is_active=True,
            groups__permissions__codename="handle_cases",
        )
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


class AssignForm(PortalForm):
    assignee = StaffChoiceField(label=_("Handler"), queryset=User.objects.none())

    def __init__(self, *args, complaint=None, **kwargs):
        super().__init__(*args, **kwargs)
        if complaint is not None:
            self.fields["assignee"].queryset = handlers_of(complaint.department_id)


class CaseIdsField(forms.Field):
    """The cases ticked in a queue: their ids, as many as a bulk action takes."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        values = value if isinstance(value, (list, tuple)) else [value] if value else []
        try:
            ids = [int(v) for v in values]
        except (TypeError, ValueError):
            raise forms.ValidationError(_("Tick the cases in the list."), code="invalid") from None
        return list(dict.fromkeys(i for i in ids if i > 0))

    def validate(self, value):
        if not value:
            raise forms.ValidationError(_("Tick at least one case."), code="required")
        if len(value) > BULK_LIMIT:
            raise forms.ValidationError(
                _("Tick at most %(n)s cases at a time.") % {"n": BULK_LIMIT}, code="too_many"
            )


class BulkForm(PortalForm):
    """Take, assign or export the cases ticked in a queue."""

    ACTIONS = (("take", _("Take")), ("assign", _("Assign")), ("export", _("Export CSV")))

    ids = CaseIdsField(label=_("Cases"))
    action = forms.ChoiceField(label=pgettext_lazy("bulk action", "Action"), choices=ACTIONS)
    assignee = StaffChoiceField(label=_("Assign to"), queryset=User.objects.none(), required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None and user.department_id:
            self.fields["assignee"].queryset = handlers_of(user.department_id)

    def clean(self):
        data = super().clean()
        if data.get("action") == "assign" and not data.get("assignee"):
            self.add_error("assignee", _("Choose the handler to assign the cases to."))
        return data


class SavedFilterForm(PortalForm):
    name = forms.CharField(label=_("Name for these filters"), max_length=60)
    query = forms.CharField(widget=forms.HiddenInput, max_length=1000, required=False)


class AnswerForwardForm(PortalForm):
    answer = public_text(
        forms.CharField(
            label=_("The platform's answer"),
            max_length=5000,
            widget=forms.Textarea(attrs={"rows": 5}),
        )
    )
    files = MultipleFileField(
        label=_("Files (records, refund receipts, screenshots)"),
        required=False,
        help_text=limits_text,
    )


def days_left(due, today=None) -> int:
    """Working days from today to ``due`` (negative when overdue)."""
    return WorkingCalendar().working_days_between(today or timezone.localdate(), due)
