"""Forms of the filings and notices pages, and the filings CSV format.

The filing form only parses what the browser sends; the rules of a filing are
checked by ``services.filings.validate_filing_item`` (one place for the form,
the CSV upload and the API) and its messages put back beside each field.
"""

import csv
import io

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Platform
from portal import csv as portal_csv
from portal import dates
from portal.uploads import data_file_policy, upload_validator
from registry.models import ViolationCategory

from .models import FilingParty, Measure, NoticeKind
from .services.validation import ITEM_FIELDS

MAX_CSV_ROWS = 10_000
MAX_CSV_BYTES = 20 * 1024 * 1024


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class DateInput(forms.DateInput):
    input_type = "date"


class FilingForm(forms.Form):
    external_id = forms.CharField(
        label=gettext_lazy("Your id for this filing"),
        max_length=128,
        help_text=gettext_lazy(
            "Your platform's own reference: 1–128 letters, digits, “_” or “-”. Sending the "
            "same id again never files twice."
        ),
    )
    party_kind = forms.ChoiceField(label=gettext_lazy("Party"), choices=FilingParty.choices)
    party_name = forms.CharField(label=gettext_lazy("Party's name"), max_length=200)
    party_uscc = forms.CharField(
        label=gettext_lazy("Unified social credit code"), max_length=32, required=False
    )
    party_id_number = forms.CharField(
        label=gettext_lazy("Resident ID number"),
        max_length=32,
        required=False,
        help_text=gettext_lazy("Stored encrypted and shown masked."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    live_room_account = forms.CharField(
        label=gettext_lazy("Live room account id"), max_length=128, required=False
    )
    category = forms.ChoiceField(label=gettext_lazy("Violation"))
    measures = forms.MultipleChoiceField(
        label=gettext_lazy("Measures taken (Order 117 Art. 12 ¶3)"),
        choices=Measure.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    suspended_until = forms.DateField(
        label=gettext_lazy("Suspended until"),
        required=False,
        validators=[dates.validate_day],
        widget=DateInput,
        help_text=gettext_lazy("For a suspension for a term."),
    )
    blacklisted_until = forms.DateField(
        label=gettext_lazy("Blacklisted until"),
        required=False,
        validators=[dates.validate_day],
        widget=DateInput,
        help_text=gettext_lazy(
            "For blacklisting: the day the party leaves the list (Order 117 Art. 14)."
        ),
    )
    appeal_route = forms.CharField(
        label=gettext_lazy("How the party appeals the blacklisting"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    conduct_at = forms.DateTimeField(
        label=gettext_lazy("When the conduct happened"),
        widget=DateTimeLocalInput,
        validators=[dates.validate_past_moment],
    )
    acted_at = forms.DateTimeField(
        label=gettext_lazy("When your platform acted"),
        widget=DateTimeLocalInput,
        validators=[dates.validate_past_moment],
    )
    facts = forms.CharField(
        label=gettext_lazy("Facts"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6})
    )
    evidence_links = forms.CharField(
        label=gettext_lazy("Evidence links"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("One http(s) address a line; at most 20."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", _("— choose —"))] + [
            (c.code, c.label) for c in ViolationCategory.objects.filter(is_active=True)
        ]

    def item(self) -> dict:
        """The cleaned form as one filing item, for the service to check."""
        return {name: self.cleaned_data.get(name) for name in ITEM_FIELDS}

    def add_item_errors(self, errors: dict) -> None:
        for name, messages in errors.items():
            for message in messages:
                self.add_error(name if name in self.fields else None, message)


class FilingUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("CSV file"),
        help_text=gettext_lazy(
            "UTF-8 (or GB18030), first line naming the columns; at most 10,000 rows. "
            "Lists (measures, evidence links) are separated by “;”."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
        validators=[upload_validator(data_file_policy(limit=MAX_CSV_BYTES, xlsx=False))],
    )


def read_filing_csv(upload) -> list[dict]:
    """The rows of a filings CSV as items, each with its line number as ``row``."""
    if upload.size > MAX_CSV_BYTES:
        raise ValidationError(_("The file may be at most 20 MB."))
    data = upload.read()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ValidationError(_("This is not a CSV file in UTF-8 or GB18030."))
    reader = csv.reader(io.StringIO(text))
    header = [h.strip().lstrip("\ufeff").lower() for h in next(reader, [])]
    if "external_id" not in header:
        raise ValidationError(
            _("The first line must name the columns: %(columns)s.")
            % {"columns": ", ".join(ITEM_FIELDS)}
        )
    rows = []
    for line, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        row = {name: cells[i] if i < len(cells) else "" for i, name in enumerate(header)}
        row["row"] = line
        rows.append(row)
    if len(rows) > MAX_CSV_ROWS:
        raise ValidationError(_("At most %(n)s rows in one file.") % {"n": MAX_CSV_ROWS})
    if not rows:
        raise ValidationError(_("The file has no rows."))
    return rows


def filing_csv_template() -> str:
    out = io.StringIO()
    writer = portal_csv.Writer(out)
    writer.writerow(ITEM_FIELDS)
    writer.writerow(
        [
            "XH-2026-000123",
            "live_room",
            "西子优选直播间",
            "",
            "",
            "xh-10086",
            "false-information",
            "warning;traffic_limit",
            "",
            "",
            "",
            "2026-03-01T20:15:00+08:00",
            "2026-03-02T10:00:00+08:00",
            "直播中宣称普通食品具有治疗功效。",
            "https://evidence.example.com/1.mp4",
        ]
    )
    return "\ufeff" + out.getvalue()


class NoticeForm(forms.Form):
    platform = forms.ModelChoiceField(
        label=gettext_lazy("Platform"), queryset=Platform.objects.filter(is_active=True)
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind"), choices=NoticeKind.choices, widget=forms.RadioSelect
    )
    party = forms.CharField(
        label=gettext_lazy("Party concerned"),
        max_length=300,
        help_text=gettext_lazy(
            "Live room account, operator or marketer, as the platform knows them."
        ),
    )
    message = forms.CharField(
        label=gettext_lazy("What the platform is asked to do"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    working_days = forms.IntegerField(
        label=gettext_lazy("Working days to reply"),
        min_value=1,
        max_value=60,
        required=False,
        help_text=gettext_lazy(
            "For a violation: your time, default 10 working days (Order 117 Art. 12 ¶2, 50). "
            "A reminder to an unreachable operator is always due in 5 working days "
            "(Order 117 Art. 22)."
        ),
    )


class NoticeReplyForm(forms.Form):
    reply = forms.CharField(
        label=gettext_lazy("Your reply: what the platform did"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
