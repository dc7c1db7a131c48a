"""The roster upload form."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.uploads import data_file_policy, upload_validator

from .files import MAX_BYTES
from .services import roster_period_of

ROSTER_FILE = data_file_policy(limit=MAX_BYTES, xlsx=True)


def _years():
    this_year = timezone.localdate().year
    return [(y, str(y)) for y in range(this_year, 2020, -1)]


class RosterUploadForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, choices=_years)
    half = forms.TypedChoiceField(
        label=_("Half-year"),
        coerce=int,
        choices=[(1, _("first half (filed in January)")), (2, _("second half (filed in July)"))],
    )
    file = forms.FileField(
        label=_("Roster file (CSV or XLSX)"),
        help_text=_(
            "First line: the column names. CSV in UTF-8 or GB18030, or an XLSX workbook "
            "(first sheet); at most 10 MB."
        ),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".csv,.xlsx,text/csv,"
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
        validators=[upload_validator(ROSTER_FILE)],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        year, half = roster_period_of(timezone.localdate())
        self.fields["year"].initial = year
        self.fields["half"].initial = half


class RosterPeriodForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, choices=_years, required=False)
    half = forms.TypedChoiceField(
        label=_("Half-year"),
        coerce=int,
        choices=[(1, _("first half (filed in January)")), (2, _("second half (filed in July)"))],
        required=False,
    )
