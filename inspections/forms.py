"""Forms of the inspection, transfer, consultation and interview pages: they parse
input; the services decide."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Department, Platform
from accounts.selectors import platforms_visible_to
from blacklist.picker import PartyPickerField
from complaints.forms import MultipleFileField
from portal import dates
from portal.errors import DomainError
from portal.models import Certainty
from portal.services import clock_rule_for
from portal.uploads import limits_text

from .links import LINK_KINDS, find_linkable
from .models import (
    InspectionItem,
    ItemResult,
    Verification,
)

DEFAULT_LEGAL_BASIS = _(
    "Online Live Marketing Management Measures (Trial) Art. 26; Live E-commerce Supervision "
    "Measures (Order 117) Art. 21, 46, 49"
)


def _date_input():
    return forms.DateInput(attrs={"type": "date"})


def _textarea(rows=4):
    return forms.Textarea(attrs={"rows": rows})


class DepartmentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.region.label} · {obj.label} ({obj.get_type_display()})"


class DepartmentsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.region.label} · {obj.label} ({obj.get_type_display()})"


def _other_departments(user):
    queryset = Department.objects.filter(is_active=True).select_related("region")
    if getattr(user, "department_id", None):
        queryset = queryset.exclude(pk=user.department_id)
    return queryset.order_by("region__code", "type")


def _clock(code: str, department):
    """The clock of the rule set in force today, with the department's own length
    where the rules leave it to the department (``portal.rules``)."""
    try:
        return clock_rule_for(code, department)
    except DomainError:
        return None


def clocks_in_force(codes, department) -> list:
    """The clocks ``codes`` of the rule sets in force today, for a page to list."""
    return [clock for code in codes if (clock := _clock(code, department)) is not None]


def _clock_days(code: str, department) -> int | None:
    clock = _clock(code, department)
    return clock.days if clock else None


def _clock_help(code: str, department=None) -> str:
    """Where the clock's default comes from; a local one says that the rules set no time."""
    clock = _clock(code, department)
    if clock is None:
        return ""
    if clock.is_local:
        return f"{clock.source_label} — {Certainty.LOCAL.label}"
    return clock.source_label


# --- campaigns and inspections -----------------------------------------------------


class CampaignForm(forms.Form):
    theme = forms.CharField(label=_("Theme"), max_length=200)
    legal_basis = forms.CharField(
        label=_("Legal basis"), max_length=300, initial=DEFAULT_LEGAL_BASIS
    )
    period_start = forms.DateField(
        label=_("Period from"), widget=_date_input(), validators=[dates.validate_day]
    )
    period_end = forms.DateField(
        label=_("Period to"), widget=_date_input(), validators=[dates.validate_day]
    )
    participants = DepartmentsField(
        label=_("Departments taking part"),
        queryset=Department.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Joint inspection with other departments (Trial Art. 4; Order 117 Art. 46)."),
    )
    platforms = forms.ModelMultipleChoiceField(
        label=_("Platforms inspected"),
        queryset=Platform.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The risk view helps choose them; more can be added later."),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)

        self.fields["participants"].queryset = _other_departments(user).exclude(type="judicial")
        self.fields["platforms"].queryset = platforms_visible_to(user).filter(is_active=True)

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The period cannot end before it starts."))
        return data


class AddPlatformForm(forms.Form):
    platform = forms.ModelChoiceField(label=_("Platform"), queryset=Platform.objects.none())

    def __init__(self, *args, user=None, campaign=None, **kwargs):
        super().__init__(*args, **kwargs)

        queryset = platforms_visible_to(user).filter(is_active=True)
        if campaign is not None:
            queryset = queryset.exclude(inspections__campaign=campaign)
        self.fields["platform"].queryset = queryset


class DocumentRequestForm(forms.Form):
    requested = forms.CharField(
        label=_("What is requested"),
        max_length=5000,
        widget=_textarea(),
        help_text=_("Data, records, rules or technical material, item by item."),
    )
    working_days = forms.IntegerField(
        label=_("Answer within (working days)"), min_value=1, max_value=60
    )

    def __init__(self, *args, department=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["working_days"].initial = _clock_days("document-request", department) or 10
        self.fields["working_days"].help_text = _clock_help("document-request", department)


class FindingForm(forms.Form):
    result = forms.ChoiceField(
        label=_("Finding"),
        choices=[(c.value, c.label) for c in ItemResult if c != ItemResult.PENDING],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Finding and evidence"),
        max_length=5000,
        required=False,
        widget=_textarea(3),
        help_text=_("Required for a non-compliant finding."),
    )
    files = MultipleFileField(label=_("Evidence files"), required=False, help_text=limits_text)


class RectificationOrderForm(forms.Form):
    items = forms.ModelMultipleChoiceField(
        label=_("Findings concerned"),
        queryset=InspectionItem.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    requirements = forms.CharField(
        label=_("What must be rectified"), max_length=10000, widget=_textarea(5)
    )
    due_on = forms.DateField(
        label=_("Rectify by"), widget=_date_input(), validators=[dates.validate_day]
    )

    def __init__(self, *args, inspection=None, **kwargs):
        super().__init__(*args, **kwargs)
        if inspection is not None:
            wanting = inspection.items.filter(result=ItemResult.NON_COMPLIANT)
            self.fields["items"].queryset = wanting
            self.fields["items"].initial = list(wanting.values_list("pk", flat=True))
            self.fields["items"].label_from_instance = lambda i: f"{i.text_label} ({i.article})"

    def clean_due_on(self):
        due = self.cleaned_data["due_on"]
        if due <= timezone.localdate():
            raise ValidationError(_("The rectification date must be in the future."))
        return due


class VerificationForm(forms.Form):
    method = forms.ChoiceField(label=_("How it was checked"), choices=Verification.Method.choices)
    passed = forms.TypedChoiceField(
        label=_("Result"),
        choices=[("1", _("Rectification done")), ("0", _("Not done: order it again"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("What was found"), max_length=5000, widget=_textarea(3))
    new_due_on = forms.DateField(
        label=_("New date to rectify by"),
        required=False,
        widget=_date_input(),
        validators=[dates.validate_day],
        help_text=_("When the rectification is not done."),
    )
    new_requirements = forms.CharField(
        label=_("What must still be rectified"),
        max_length=10000,
        required=False,
        widget=_textarea(3),
    )

    def clean(self):
        data = super().clean()
        if data.get("passed") is False and not data.get("new_due_on"):
            self.add_error("new_due_on", _("Give the new date by which it must be done."))
        return data


class CloseForm(forms.Form):
    conclusion = forms.CharField(label=_("Conclusion"), max_length=10000, widget=_textarea(4))


class AnswerRequestForm(forms.Form):
    answer = forms.CharField(
        label=_("Your answer"), max_length=5000, required=False, widget=_textarea(5)
    )
    files = MultipleFileField(label=_("Files"), required=False, help_text=limits_text)

    def clean(self):
        data = super().clean()
        if not (data.get("answer") or "").strip() and not data.get("files"):
            raise ValidationError(_("Write the answer or attach files."))
        return data


class RectificationReportForm(forms.Form):
    text = forms.CharField(label=_("What was rectified"), max_length=10000, widget=_textarea(6))
    files = MultipleFileField(label=_("Supporting files"), required=False, help_text=limits_text)


# --- links (the evidence package) ----------------------------------------------------------


def _references(value: str) -> list[str]:
    return [ref for ref in re.split(r"[\s,，、;；]+", value or "") if ref]


class LinksMixin(forms.Form):
    """Complaints, filings and findings to link, by reference, each found in the
    user's own scope (``inspections.links``)."""

    link_complaints = forms.CharField(
        label=_("Complaints or reports (tracking codes)"),
        required=False,
        max_length=2000,
        help_text=_("Separated by spaces or commas."),
    )
    link_filings = forms.CharField(
        label=_("Disposal filings (numbers)"), required=False, max_length=2000
    )
    link_findings = forms.CharField(
        label=_("Inspection findings (numbers)"), required=False, max_length=2000
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self):
        data = super().clean()
        found = []
        for field, kind in (
            ("link_complaints", "complaint"),
            ("link_filings", "filing"),
            ("link_findings", "finding"),
        ):
            if field not in self.fields:
                continue
            missing = []
            for reference in _references(data.get(field, "")):
                linked = find_linkable(self.user, kind, reference)
                if linked is None:
                    missing.append(reference)
                elif linked.obj not in [x.obj for x in found]:
                    found.append(linked)
            if missing:
                self.add_error(
                    field,
                    _("Not found among the %(kind)s you may see: %(refs)s")
                    % {"kind": LINK_KINDS[kind][0], "refs": ", ".join(missing)},
                )
        data["links"] = found
        return data


# --- clue transfers --------------------------------------------------------------------------


class ClueTransferForm(LinksMixin):
    to_department = DepartmentChoiceField(
        label=_("To department"),
        queryset=Department.objects.none(),
        help_text=_(
            "A suspected crime goes to a judicial organ, a department of type “judicial organ” "
            "(Order 117 Art. 67)."
        ),
    )
    suspected_crime = forms.BooleanField(label=_("Suspected crime"), required=False)
    facts = forms.CharField(label=_("Facts"), max_length=10000, widget=_textarea(6))
    reason = forms.CharField(
        label=_("Reason for the transfer"), max_length=5000, widget=_textarea(3)
    )
    acknowledge_days = forms.IntegerField(
        label=_("Acknowledge within (working days)"), min_value=1, max_value=120
    )
    outcome_days = forms.IntegerField(
        label=_("Outcome within (working days) of acceptance"), min_value=1, max_value=120
    )
    files = MultipleFileField(label=_("Evidence files"), required=False, help_text=limits_text)

    field_order = [
        "to_department",
        "suspected_crime",
        "facts",
        "reason",
        "link_complaints",
        "link_filings",
        "link_findings",
        "files",
        "acknowledge_days",
        "outcome_days",
    ]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        department = getattr(user, "department", None)
        self.fields["to_department"].queryset = _other_departments(user)
        self.fields["acknowledge_days"].initial = _clock_days("clue-acknowledge", department) or 5
        self.fields["acknowledge_days"].help_text = _clock_help("clue-acknowledge", department)
        self.fields["outcome_days"].initial = _clock_days("clue-outcome", department) or 30
        self.fields["outcome_days"].help_text = _clock_help("clue-outcome", department)

    def clean(self):
        data = super().clean()
        department = data.get("to_department")
        crime = data.get("suspected_crime")
        if department is not None:
            judicial = department.type == "judicial"
            if crime and not judicial:
                self.add_error(
                    "to_department",
                    _("A suspected crime goes to a judicial organ (Order 117 Art. 67)."),
                )
            if judicial and not crime:
                self.add_error(
                    "suspected_crime",
                    _(
                        "A judicial organ receives clues of suspected crimes only "
                        "(Order 117 Art. 67)."
                    ),
                )
        return data


class AcknowledgeForm(forms.Form):
    confirm = forms.BooleanField(label=_("We have received the clue and its evidence"))


class AcceptForm(forms.Form):
    note = forms.CharField(label=_("Note"), max_length=2000, required=False, widget=_textarea(2))


class ReturnForm(forms.Form):
    reason = forms.CharField(label=_("Why it is sent back"), max_length=5000, widget=_textarea(3))


class OutcomeForm(forms.Form):
    outcome = forms.CharField(label=_("Outcome"), max_length=10000, widget=_textarea(4))


# --- consultations ------------------------------------------------------------------------------


class ConsultationForm(LinksMixin):
    subject = forms.CharField(label=_("Subject"), max_length=200)
    background = forms.CharField(label=_("Background"), max_length=10000, widget=_textarea(5))
    held_on = forms.DateField(
        label=_("Held on"), widget=_date_input(), validators=[dates.validate_day]
    )
    participants = DepartmentsField(
        label=_("Departments taking part"),
        queryset=Department.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )

    field_order = ["subject", "background", "held_on", "participants"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["participants"].queryset = _other_departments(user)


class OpinionForm(forms.Form):
    opinion = forms.CharField(
        label=_("Your department's opinion"), max_length=10000, widget=_textarea(4)
    )


class ConcludeForm(forms.Form):
    conclusion = forms.CharField(label=_("Conclusion"), max_length=10000, widget=_textarea(4))


class FollowUpForm(forms.Form):
    owner = DepartmentChoiceField(label=_("Owner department"), queryset=Department.objects.none())
    text = forms.CharField(label=_("Action"), max_length=5000, widget=_textarea(2))
    due_on = forms.DateField(
        label=_("Due on"), widget=_date_input(), validators=[dates.validate_day]
    )

    def __init__(self, *args, consultation=None, **kwargs):
        super().__init__(*args, **kwargs)
        if consultation is not None:
            ids = [
                consultation.convener_id,
                *consultation.participants.values_list("pk", flat=True),
            ]
            self.fields["owner"].queryset = Department.objects.filter(pk__in=ids).select_related(
                "region"
            )


class FollowUpDoneForm(forms.Form):
    result = forms.CharField(label=_("What was done"), max_length=5000, widget=_textarea(2))


# --- interviews -----------------------------------------------------------------------------------


class InterviewForm(forms.Form):
    """A platform is chosen from the short list of platforms; an agency, operator or
    marketer by searching the register (``blacklist.picker``), never from a list of all."""

    target_kind = forms.ChoiceField(
        label=_("Who is interviewed"),
        choices=[
            ("platform", _("a platform")),
            ("party", _("an agency, a live room operator or a live marketer of the register")),
        ],
        widget=forms.RadioSelect,
    )
    platform = forms.ModelChoiceField(
        label=_("Platform"), queryset=Platform.objects.none(), required=False
    )
    party = PartyPickerField(
        label=_("Agency, live room operator or live marketer"),
        kinds=("agency", "operator", "marketer"),
        required=False,
        help_text=_(
            "Type a name, a unified social credit code, or a live room's name or account, "
            "search, then choose."
        ),
    )
    ground = forms.ChoiceField(label=_("Ground (Order 117 Art. 52)"), choices=())
    ground_detail = forms.CharField(
        label=_("The facts behind the ground"), max_length=5000, widget=_textarea(4)
    )
    scheduled_for = forms.DateTimeField(
        label=_("Date and time"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        validators=[dates.validate_moment],
    )
    place = forms.CharField(label=_("Place"), max_length=200)
    responsible_persons = forms.CharField(
        label=_("Responsible persons summoned"),
        max_length=2000,
        widget=_textarea(3),
        help_text=_("Name and position of each, one a line."),
    )

    def __init__(self, *args, user=None, party_query: str = "", **kwargs):
        super().__init__(*args, **kwargs)

        from .services.meetings import interview_grounds

        self.fields["platform"].queryset = platforms_visible_to(user).filter(is_active=True)
        self.fields["party"].bind(user=user, query=party_query)
        self.fields["ground"].choices = [
            (g.code, g.label) for g in interview_grounds(timezone.localdate())
        ]

    def clean(self):
        data = super().clean()
        kind = data.get("target_kind")
        if kind == "platform" and not data.get("platform"):
            self.add_error("platform", _("Name the party interviewed."))
        elif kind == "party":
            party = data.get("party")
            if party is None:
                if "party" not in self.errors:
                    self.add_error("party", _("Search the register and choose the party."))
            else:
                # The service names the party in the field of its kind.
                data["target_kind"] = self.fields["party"].kind_of(party)
                data[data["target_kind"]] = party
        return data


class MinutesForm(forms.Form):
    attendees = forms.CharField(
        label=_("Attending for the department(s)"), max_length=2000, widget=_textarea(2)
    )
    issues_raised = forms.CharField(label=_("Issues raised"), max_length=10000, widget=_textarea(5))
    commitments = forms.CharField(
        label=_("Commitments made"), max_length=10000, widget=_textarea(5)
    )
    follow_up_on = forms.DateField(
        label=_("Follow-up check on"), widget=_date_input(), validators=[dates.validate_day]
    )


class CheckForm(forms.Form):
    result = forms.CharField(
        label=_("What the follow-up check found"), max_length=5000, widget=_textarea(3)
    )
