"""Forms of the accounts pages: a platform's API keys."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal import dates


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
        validators=[dates.validate_day],
    )

    def clean_expires_on(self):
        day = self.cleaned_data.get("expires_on")
        if day and day <= timezone.localdate():
            raise forms.ValidationError(_("Choose a day after today."))
        return day


class TotpCodeForm(forms.Form):
    """The six-digit code an authenticator app shows (RFC 6238, 30-second steps)."""

    code = forms.CharField(
        label=_("Verification code"),
        max_length=6,
        min_length=6,
        help_text=_("The six digits your authenticator app shows now."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9]*"}
        ),
        error_messages={
            "required": _("Enter the six-digit code."),
            "min_length": _("Enter the six-digit code."),
            "max_length": _("Enter the six-digit code."),
        },
    )

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        if not code.isdigit():
            raise forms.ValidationError(_("The code has digits only."))
        return code
