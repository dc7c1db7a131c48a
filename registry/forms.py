from django import forms
from django.utils.translation import gettext_lazy as _


class RevealIdentityForm(forms.Form):
    purpose = forms.CharField(
        label=_("Why do you need the unmasked number?"),
        max_length=300,
        help_text=_("Recorded with your name and the time (audit of identity views)."),
    )
