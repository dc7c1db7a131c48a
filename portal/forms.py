"""The portal's own wording for the messages forms show, instead of Django's
defaults ("Ensure this value has at most…", "Enter a valid URL.")."""

from django import forms
from django.utils.translation import gettext_lazy as _

COMMON = {
    "required": _("Fill in this field."),
    "max_length": _("At most %(limit_value)d characters (this has %(show_value)d)."),
    "min_length": _("At least %(limit_value)d characters (this has %(show_value)d)."),
    "invalid_choice": _("Choose one of the options in the list."),
    "invalid_list": _("Choose from the options in the list."),
    "min_value": _("Enter %(limit_value)s or more."),
    "max_value": _("Enter %(limit_value)s or less."),
    "max_digits": _("At most %(max)s digits in all."),
    "max_decimal_places": _("At most %(max)s digits after the decimal point."),
    "max_whole_digits": _("At most %(max)s digits before the decimal point."),
    "empty": _("The file is empty."),
    "missing": _("No file was sent. Choose the file again."),
    "contradiction": _("Either choose a file or remove the current one, not both."),
}

# ``invalid`` means something else for each kind of field: the most specific wins.
INVALID = [
    (forms.URLField, _("Enter a web address, such as https://live.example.com/room/123.")),
    (forms.EmailField, _("Enter an email address, such as name@example.com.")),
    (forms.DateTimeField, _("Enter a date and time, such as 2026-03-01 20:15.")),
    (forms.DateField, _("Enter a date as year-month-day, such as 2026-03-01.")),
    (forms.TimeField, _("Enter a time, such as 20:15.")),
    (forms.DecimalField, _("Enter a number, such as 199.00.")),
    (forms.IntegerField, _("Enter a whole number, such as 3.")),
    (forms.FloatField, _("Enter a number, such as 2.5.")),
    (forms.FileField, _("The file could not be read. Choose it again.")),
]


def public_text(field: forms.Field) -> forms.Field:
    """Mark a field whose text the person who filed the case will read (an answer, a
    decision, a closing message): every form shows the mark beside it."""
    field.public_text = True
    return field


def portal_messages(form: forms.BaseForm) -> None:
    """Give every field of ``form`` the portal's wording for the errors it can show,
    keeping any message a field sets for itself."""
    for field in form.fields.values():
        own = getattr(field, "_own_error_messages", None)
        if own is None:
            # What the field was given explicitly (not Django's class defaults).
            defaults = {}
            for cls in reversed(type(field).__mro__):
                defaults.update(getattr(cls, "default_error_messages", {}))
            own = {k: v for k, v in field.error_messages.items() if defaults.get(k) is not v}
            field._own_error_messages = own
        # Validators' messages (max_length, min_value, max_digits…) give way to the
        # field's messages of the same code (``Field.run_validators``).
        codes = set(field.error_messages) | {getattr(v, "code", None) for v in field.validators}
        messages = {code: COMMON[code] for code in codes if code in COMMON}
        if "invalid" in field.error_messages:
            for kind, message in INVALID:
                if isinstance(field, kind):
                    messages["invalid"] = message
                    break
        field.error_messages.update({**messages, **own})


class PortalForm(forms.Form):
    """A form whose fields speak in the portal's words."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        portal_messages(self)


class PortalModelForm(forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        portal_messages(self)


class RevealForm(PortalForm):
    """Why an unmasked identity number is needed: recorded with the view."""

    purpose = forms.CharField(
        label=_("Why do you need the unmasked number?"),
        max_length=300,
        help_text=_("Recorded with your name and the time (audit of identity views)."),
    )
