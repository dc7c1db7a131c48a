"""Forms of the accounts pages: a platform's API keys, two-factor codes, staff."""

from django import forms
from django.contrib.auth.forms import SetPasswordForm
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal import dates


class ApiKeyIssueForm(forms.Form):
    name = forms.CharField(
        label=pgettext_lazy("API key", "Name"),
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


# --- a department's staff ------------------------------------------------------


def _staff_role_choices():
    from .services import STAFF_ROLES

    return [(role.value, role.label) for role in STAFF_ROLES]


class StaffInviteForm(forms.Form):
    """Who is invited, to which role; a site administrator also names the department."""

    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        help_text=_("What they sign in with: letters, digits and @ . + - _ only."),
    )
    last_name = forms.CharField(label=_("Family name"), max_length=150, required=False)
    first_name = forms.CharField(label=_("Given name"), max_length=150, required=False)
    email = forms.EmailField(
        label=_("Email"),
        help_text=_("The invitation with the link to set a password goes here."),
        error_messages={
            "required": _("Enter the email address the invitation goes to."),
            "invalid": _("Enter a valid email address."),
        },
    )
    role = forms.ChoiceField(label=_("Role"), choices=_staff_role_choices)
    department = forms.ModelChoiceField(
        label=_("Department"), queryset=None, required=False, empty_label=None
    )

    def __init__(self, *args, departments=None, **kwargs):
        super().__init__(*args, **kwargs)
        if departments is None:
            del self.fields["department"]
        else:
            self.fields["department"].queryset = departments
            self.fields["department"].required = True


class ApiKeyRevokeForm(forms.Form):
    """What is asked on the page confirming a key's revocation."""

    reason = forms.CharField(
        label=_("Reason (kept in the audit trail)"), max_length=200, required=False
    )


class StaffConfirmForm(forms.Form):
    """The confirmation step of an action on a staff account (no script needed)."""

    reason = forms.CharField(
        label=_("Reason (kept in the audit trail)"), max_length=200, required=False
    )
    confirm = forms.BooleanField(
        label=_("I confirm this action."),
        error_messages={"required": _("Tick the box to confirm.")},
    )


class StaffRoleForm(StaffConfirmForm):
    role = forms.ChoiceField(label=_("New role"), choices=_staff_role_choices)
    field_order = ["role", "reason", "confirm"]


class InviteSetPasswordForm(SetPasswordForm):
    """Django's form for a new password, in the portal's own words."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = _("Password")
        self.fields["new_password1"].help_text = _(
            "At least 8 characters, not too like your username, not a common password "
            "and not digits only."
        )
        self.fields["new_password2"].label = _("Password again")
        self.fields["new_password2"].help_text = ""
        self.error_messages = {
            **self.error_messages,
            "password_mismatch": _("The two passwords differ."),
        }
