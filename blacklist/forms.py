"""Forms of the blacklist pages: parse and validate input; the services act."""

import csv
import io

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal import dates
from portal.identity import validate_ric, validate_uscc
from portal.uploads import DECISION_DOCUMENT, check_upload, data_file_policy, upload_validator
from registry.models import PartyKind, ViolationCategory

from .models import Entry, Measure, ShareScope
from .picker import PartyPickerField
from .screening.matching import ScreeningQuery
from .services.common import DEFAULT_TERM_MONTHS

MAX_SCREENING_ROWS = 1000
SCREENING_FILE = data_file_policy(limit=2 * 1024 * 1024, xlsx=False)

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def validate_upload(upload) -> None:
    """A PDF, PNG or JPEG of at most 10 MB, checked by the kernel's one checker
    (by its content, not its name: a PDF is parsed, an image decoded)."""
    check_upload(upload, DECISION_DOCUMENT)


def validate_screening_identifiers(name: str, id_number: str, uscc: str) -> dict:
    """Clean one screening query; raise ValidationError with field messages (the
    validators' own errors, so a roster job keeps their msgids and parameters)."""
    errors: dict[str, list] = {}
    cleaned = {"name": (name or "").strip()[:200], "id_number": "", "uscc": ""}
    if (id_number or "").strip():
        try:
            cleaned["id_number"] = validate_ric(id_number)
        except ValidationError as exc:
            errors["id_number"] = exc.error_list
    if (uscc or "").strip():
        try:
            cleaned["uscc"] = validate_uscc(uscc)
        except ValidationError as exc:
            errors["uscc"] = exc.error_list
    if not errors and not any(cleaned.values()):
        errors["name"] = [_("Give a name, a resident ID number or a USCC.")]
    if errors:
        raise ValidationError(errors)
    return cleaned


class PartyChoiceMixin(forms.Form):
    """Choose a party of the register the user may see, by the register search
    (``blacklist.picker``): marketers, operators, agencies and suppliers."""

    party = PartyPickerField(
        label=_("Party of the register"),
        help_text=_(
            "Type a name (张伟, 張偉 or Zhang Wei), a unified social credit code, or a live "
            "room's name or account, search, then choose the party. Or open the party's page "
            "in the register and propose from there."
        ),
    )

    def __init__(self, *args, user, party_query: str = "", **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        self.fields["party"].bind(user=user, query=party_query)


class ProposeForm(PartyChoiceMixin):
    category = forms.ModelChoiceField(
        label=_("Grounds (violation category)"),
        queryset=ViolationCategory.objects.filter(is_active=True),
    )
    facts = forms.CharField(label=_("Facts"), widget=forms.Textarea(attrs={"rows": 5}))
    legal_basis = forms.CharField(
        label=_("Legal basis (article)"),
        max_length=300,
        help_text=_("The article the listing rests on, e.g. Trial Art. 29; Order 117 Art. 51."),
    )
    decision_number = forms.CharField(label=_("Number of the penalty decision"), max_length=100)
    decision_date = forms.DateField(
        label=_("Date of the penalty decision"),
        widget=DATE_WIDGET,
        validators=[dates.validate_past_day],
    )
    decision_document = forms.FileField(
        label=_("Copy of the penalty decision"),
        required=False,
        validators=[validate_upload],
        help_text=_("PDF, PNG or JPEG, at most 10 MB."),
    )
    term_months = forms.IntegerField(
        label=_("Term (months)"),
        min_value=1,
        max_value=120,
        initial=DEFAULT_TERM_MONTHS,
        help_text=Entry._meta.get_field("term_months").help_text,
    )
    measures = forms.ModelMultipleChoiceField(
        label=_("Joint-punishment measures proposed"),
        queryset=Measure.objects.filter(is_active=True, for_departments=True),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    share_scope = forms.ChoiceField(
        label=_("Shared with"), choices=ShareScope.choices, initial=ShareScope.ALL
    )

    def clean_decision_date(self):
        day = self.cleaned_data["decision_date"]
        if day > timezone.localdate():
            raise ValidationError(_("The decision cannot be dated in the future."))
        return day


class NotifyForm(forms.Form):
    notified_on = forms.DateField(
        label=_("Notice served on"),
        widget=DATE_WIDGET,
        initial=timezone.localdate,
        validators=[dates.validate_past_day],
    )
    working_days = forms.IntegerField(
        label=_("Statement window (working days)"),
        min_value=1,
        max_value=60,
        required=False,
        help_text=_(
            "Leave empty for the default shown above: the rules set no time, your "
            "department sets it."
        ),
    )


class StatementForm(forms.Form):
    received_on = forms.DateField(
        label=_("Statement received on"),
        widget=DATE_WIDGET,
        initial=timezone.localdate,
        validators=[dates.validate_past_day],
    )
    text = forms.CharField(
        label=_("The party's statement"), widget=forms.Textarea(attrs={"rows": 5})
    )
    hearing_requested = forms.BooleanField(label=_("The party asks for a hearing"), required=False)


class DecideForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("list", _("List the party")), ("drop", _("Do not list (drop)"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reasons (answer to the party's statement)"),
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class RepairApplyForm(forms.Form):
    applied_on = forms.DateField(
        label=_("Application received on"),
        widget=DATE_WIDGET,
        initial=timezone.localdate,
        validators=[dates.validate_past_day],
    )
    grounds = forms.CharField(
        label=_("What the party has done"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Penalty performed, harm and bad influence removed, no further heavy penalty "
            "(SAMR serious-dishonesty list rules (2021) Art. 18)."
        ),
    )


class RepairAcceptForm(forms.Form):
    accepted_on = forms.DateField(
        label=_("Application accepted on"),
        widget=DATE_WIDGET,
        initial=timezone.localdate,
        help_text=_(
            "The decision clock starts on this day, under the credit repair rules in force on it."
        ),
    )

    def clean_accepted_on(self):
        day = self.cleaned_data["accepted_on"]
        if day > timezone.localdate():
            raise ValidationError(_("The application cannot be accepted on a future day."))
        return day


class RepairDecideForm(forms.Form):
    granted = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("yes", _("Grant: remove from the list")), ("no", _("Refuse: stays listed"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 4}))


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the listing is revoked"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("E.g. the penalty decision was set aside on reconsideration or in court."),
    )


class MeasureForm(forms.Form):
    measures = forms.ModelMultipleChoiceField(
        label=_("Measures your department applied"),
        queryset=Measure.objects.filter(is_active=True, for_departments=True),
        widget=forms.CheckboxSelectMultiple,
    )
    applied_on = forms.DateField(
        label=_("Applied on"),
        widget=DATE_WIDGET,
        initial=timezone.localdate,
        validators=[dates.validate_past_day],
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class PlatformEntryForm(forms.Form):
    """A platform's own blacklisting (Order 117 Art. 14)."""

    name = forms.CharField(label=_("Name"), max_length=200)
    party_kind = forms.ChoiceField(label=_("Kind of party"), choices=PartyKind.choices)
    id_number = forms.CharField(
        label=_("Resident ID number"),
        required=False,
        max_length=18,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        help_text=_("Stored only as a keyed hash and a masked form."),
    )
    uscc = forms.CharField(label=_("Unified social credit code"), required=False, max_length=18)
    category = forms.ModelChoiceField(
        label=_("Grounds (violation category)"),
        queryset=ViolationCategory.objects.filter(is_active=True),
    )
    facts = forms.CharField(label=_("Facts"), widget=forms.Textarea(attrs={"rows": 4}))
    legal_basis = forms.CharField(
        label=_("Legal basis (article)"),
        max_length=300,
        required=False,
        help_text=_("Leave empty for the articles of the category."),
    )
    term_ends_on = forms.DateField(
        label=_("Term ends on"), widget=DATE_WIDGET, validators=[dates.validate_day]
    )
    appeal_route = forms.CharField(
        label=_("How to appeal"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Told to the party with the facts, grounds and term (Order 117 Art. 14)."),
    )
    measures = forms.ModelMultipleChoiceField(
        label=_("Measures taken"),
        queryset=Measure.objects.filter(is_active=True, for_platforms=True),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def clean(self):
        cleaned = super().clean()
        if not (cleaned.get("id_number", "").strip() or cleaned.get("uscc", "").strip()):
            raise ValidationError(_("Give the party's resident ID number or USCC."))
        return cleaned


class AppealForm(forms.Form):
    received_on = forms.DateField(
        label=_("Appeal received on"), widget=DATE_WIDGET, validators=[dates.validate_past_day]
    )
    grounds = forms.CharField(
        label=_("Grounds of the appeal"), widget=forms.Textarea(attrs={"rows": 3})
    )
    upheld = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[
            ("yes", _("Upheld: remove the entry")),
            ("no", _("Rejected: the entry stays")),
        ],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 3}))


class ScreeningForm(forms.Form):
    """Paste lines of ``name,ID number,USCC`` or upload the same as CSV (a header is optional)."""

    text = forms.CharField(
        label=_("Parties to screen"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "autocomplete": "off"}),
        help_text=_(
            "One party a line: name, resident ID number, USCC (comma-separated; leave "
            "unknown ones empty). At most 1,000."
        ),
    )
    file = forms.FileField(
        label=_("Or upload a CSV file"),
        required=False,
        help_text=_("Columns name, id_number, uscc (UTF-8), at most 1,000 rows."),
        validators=[upload_validator(SCREENING_FILE)],
    )

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        upload = cleaned.get("file")
        if upload:
            try:
                text = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError as exc:
                raise ValidationError(_("The file is not UTF-8 text.")) from exc
        else:
            text = cleaned.get("text", "")
        rows = [row for row in csv.reader(io.StringIO(text)) if any(c.strip() for c in row)]
        if rows and [c.strip().lower() for c in rows[0][:1]] == ["name"]:
            rows = rows[1:]
        if not rows:
            raise ValidationError(_("Give at least one party to screen."))
        if len(rows) > MAX_SCREENING_ROWS:
            raise ValidationError(_("At most 1,000 parties at a time."))
        self.queries, self.row_errors = [], []
        for number, row in enumerate(rows, start=1):
            name, id_number, uscc = ([*row, "", "", ""])[:3]
            try:
                cleaned_row = validate_screening_identifiers(name, id_number, uscc)
            except ValidationError as exc:
                messages = [m for ms in exc.message_dict.values() for m in ms]
                self.row_errors.append((number, name.strip(), messages))
                continue
            self.queries.append(ScreeningQuery(ref=str(number), **cleaned_row))
        return cleaned


class ScreeningJobForm(forms.Form):
    """A whole roster to screen as a job: a CSV file or JSON lines."""

    file = forms.FileField(
        label=_("Roster file"),
        help_text=_(
            "A CSV file (UTF-8 or GB18030) whose first line names the columns name, "
            "id_number, uscc and reference, or JSON lines (one object a line with the same "
            "fields). At most 1,000,000 rows and 256 MB."
        ),
    )
