"""What parties and platforms file about an entry: statements, credit repair
applications, appeals, and the measures other departments implement."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal import dates
from portal.fields import (
    SealedTextField,
    SealedTextModel,
    SealField,
)

from .entries import Entry, Measure


class Statement(SealedTextModel, models.Model):
    """The party's statement or objection, heard before the listing decision."""

    entry = models.ForeignKey(
        Entry, verbose_name=_("entry"), on_delete=models.PROTECT, related_name="statements"
    )
    received_on = models.DateField(_("received on"), validators=[dates.validate_day])
    text = SealedTextField(_("statement"))
    text_sealed = SealField()
    hearing_requested = models.BooleanField(_("hearing requested"), default=False)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("statement")
        verbose_name_plural = _("statements")
        ordering = ["received_on", "id"]
        constraints = dates.range_constraints("statement", days=["received_on"])

    def __str__(self) -> str:
        return f"{self.entry} {self.received_on:%Y-%m-%d}"


class RepairApplication(SealedTextModel, models.Model):
    """A listed party's application for early removal (credit repair), and its decision."""

    class Outcome(models.TextChoices):
        PENDING = "pending", _("pending")
        GRANTED = "granted", _("granted: removed from the list")
        REFUSED = "refused", _("refused: stays listed")
        MOOT = "moot", _("moot: the entry left the list otherwise")

    entry = models.ForeignKey(
        Entry, verbose_name=_("entry"), on_delete=models.PROTECT, related_name="repairs"
    )
    applied_on = models.DateField(_("applied on"), validators=[dates.validate_day])
    accepted_on = models.DateField(
        _("accepted on"),
        validators=[dates.validate_day],
        null=True,
        blank=True,
        help_text=_("The decision clock runs from the day the application is accepted."),
    )
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("accepted by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # The credit repair rule set in force on the day of acceptance.
    rule_set = models.ForeignKey(
        "portal.RuleSet",
        verbose_name=_("rule set"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="repair_applications",
    )
    grounds = SealedTextField(
        _("what the party has done"),
        help_text=_(
            "Penalty performed, harm and bad influence removed, no further heavy penalty "
            "(SAMR serious-dishonesty list rules (2021) Art. 18)."
        ),
    )
    grounds_sealed = SealField()
    outcome = models.CharField(
        _("outcome"), max_length=16, choices=Outcome.choices, default=Outcome.PENDING
    )
    decided_on = models.DateField(
        _("decided on"), null=True, blank=True, validators=[dates.validate_day]
    )
    decision_reason = SealedTextField(_("reasons of the decision"), blank=True)
    decision_reason_sealed = SealField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("credit repair application")
        verbose_name_plural = _("credit repair applications")
        ordering = ["applied_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["entry"],
                condition=Q(outcome="pending"),
                name="repair_one_pending_per_entry",
            ),
            *dates.range_constraints("repair", days=["applied_on", "accepted_on", "decided_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.entry} {self.applied_on:%Y-%m-%d}"

    def clean(self):
        if self.accepted_on and self.accepted_on < self.applied_on:
            raise ValidationError(
                {"accepted_on": _("An application is accepted on or after the day it was made.")}
            )

    @property
    def is_accepted(self) -> bool:
        return self.accepted_on is not None


class PlatformAppeal(SealedTextModel, models.Model):
    """A listed party's appeal against a platform's listing, as the platform decided it
    (Order 117 Art. 14)."""

    entry = models.ForeignKey(
        Entry, verbose_name=_("entry"), on_delete=models.PROTECT, related_name="appeals"
    )
    received_on = models.DateField(_("received on"), validators=[dates.validate_day])
    grounds = SealedTextField(_("grounds of the appeal"))
    grounds_sealed = SealField()
    upheld = models.BooleanField(_("appeal upheld (entry removed)"))
    reason = SealedTextField(_("reasons of the decision"))
    reason_sealed = SealField()
    decided_on = models.DateField(_("decided on"), validators=[dates.validate_day])
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_by_label = models.CharField(_("recorded by"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("platform appeal")
        verbose_name_plural = _("platform appeals")
        ordering = ["decided_on", "id"]
        constraints = dates.range_constraints("appeal", days=["received_on", "decided_on"])

    def __str__(self) -> str:
        return f"{self.entry} {self.decided_on:%Y-%m-%d}"


class MeasureImplementation(SealedTextModel, models.Model):
    """A department's feedback: it applied this measure to this entry on this day (Trial
    Art. 29)."""

    entry = models.ForeignKey(
        Entry, verbose_name=_("entry"), on_delete=models.PROTECT, related_name="implementations"
    )
    department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    measure = models.ForeignKey(Measure, verbose_name=_("measure"), on_delete=models.PROTECT)
    applied_on = models.DateField(_("applied on"), validators=[dates.validate_day])
    note = SealedTextField(_("note"), blank=True)
    note_sealed = SealField()
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("measure applied")
        verbose_name_plural = _("measures applied")
        ordering = ["applied_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "department", "measure"], name="measure_once_per_department"
            ),
            *dates.range_constraints("implementation", days=["applied_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.entry} · {self.measure} · {self.department}"
