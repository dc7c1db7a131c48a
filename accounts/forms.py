"""Forms of the accounts pages: a platform's API keys."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ApiKeyIssueForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the key is for, e.g. “disposal system (production)”."),
    )
    expires_on = forms.DateField(
        label=_("Expires on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Optional: the key stops working at the start of that day."),
    )

    def clean_expires_on(self):
        day = self.cleaned_data.get("expires_on")
        if day and day <= timezone.localdate():
            raise forms.ValidationError(_("Choose a day after today."))
        return day
