"""Clue transfers between departments (Trial Art. 26; Order 117 Art. 46) and the
links of a clue to the cases, filings and entries it concerns."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import DepartmentType
from portal.fields import SealedTextField, SealedTextModel, SealField


class ClueStatus(models.TextChoices):
    SENT = "sent", _("sent, awaiting acknowledgement")
    ACKNOWLEDGED = "acknowledged", _("acknowledged, awaiting a decision")
    ACCEPTED = "accepted", _("accepted, being handled")
    RETURNED = "returned", _("sent back")
    HANDLED = "handled", _("handled, outcome recorded")


class ClueTransfer(SealedTextModel, models.Model):
    """A clue (线索) transferred from one department to another, or to a judicial
    organ for a suspected crime (Order 117 Art. 67)."""

    from_department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("sending department"),
        on_delete=models.PROTECT,
        related_name="clues_sent",
    )
    to_department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("receiving department"),
        on_delete=models.PROTECT,
        related_name="clues_received",
    )
    suspected_crime = models.BooleanField(
        _("suspected crime"),
        default=False,
        help_text=_("A suspected crime goes to a judicial organ (Order 117 Art. 67)."),
    )
    facts = SealedTextField(_("facts"), max_length=10000)
    facts_sealed = SealField()
    reason = SealedTextField(_("reason for the transfer"), max_length=5000)
    reason_sealed = SealField()
    status = models.CharField(
        _("status"), max_length=16, choices=ClueStatus.choices, default=ClueStatus.SENT
    )
    acknowledge_days = models.PositiveSmallIntegerField(_("acknowledge within (working days)"))
    outcome_days = models.PositiveSmallIntegerField(
        _("outcome within (working days)"),
        help_text=_(
            "Set by the sending department: the rules set no time for the outcome "
            "(Trial Art. 4; Order 117 Art. 46)."
        ),
    )
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now, db_index=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("acknowledged by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("accepted or returned at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("accepted or returned by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    return_reason = SealedTextField(_("why it was sent back"), blank=True)
    return_reason_sealed = SealField()
    handled_at = models.DateTimeField(_("outcome recorded at"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("outcome recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    outcome = SealedTextField(_("outcome"), blank=True)
    outcome_sealed = SealField()

    deadlines = GenericRelation("portal.Deadline")

    class Meta:
        verbose_name = _("clue transfer")
        verbose_name_plural = _("clue transfers")
        ordering = ["-sent_at", "-id"]
        permissions = [
            ("transfer_clues", _("Can transfer clues to other departments")),
            (
                "decide_clues",
                _("Can acknowledge, accept or send back received clues and record their outcome"),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_department=models.F("to_department")),
                name="clue_to_another_department",
                violation_error_message=_("A clue goes to another department."),
            )
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self):
        return reverse("inspections:clue", args=[self.pk])

    def clean(self):
        if not (self.from_department_id and self.to_department_id):
            return
        if self.from_department_id == self.to_department_id:
            raise ValidationError({"to_department": _("A clue goes to another department.")})
        judicial = self.to_department.type == DepartmentType.JUDICIAL
        if self.suspected_crime and not judicial:
            raise ValidationError(
                {
                    "to_department": _(
                        "A suspected crime goes to a judicial organ (Order 117 Art. 67)."
                    )
                }
            )
        if judicial and not self.suspected_crime:
            raise ValidationError(
                {
                    "suspected_crime": _(
                        "A judicial organ receives clues of suspected crimes only "
                        "(Order 117 Art. 67)."
                    )
                }
            )

    @property
    def number(self) -> str:
        return f"XS{timezone.localtime(self.sent_at):%Y}-{self.pk:05d}"


class ClueLink(SealedTextModel, models.Model):
    """A piece of the evidence package: a complaint, a platform's disposal filing or
    an inspection finding linked to a transfer or a consultation.

    Generic, so that it can point at any model (filings live in another app); the
    label and summary are copied when linked so that the receiver reads them even
    where the linked record itself lies outside their scope.
    """

    transfer = models.ForeignKey(
        ClueTransfer, on_delete=models.PROTECT, null=True, blank=True, related_name="links"
    )
    consultation = models.ForeignKey(
        "Consultation", on_delete=models.PROTECT, null=True, blank=True, related_name="links"
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    label = models.CharField(_("linked record"), max_length=200)
    summary = SealedTextField(_("summary"), blank=True)
    summary_sealed = SealField()
    linked_at = models.DateTimeField(_("linked at"), default=timezone.now)

    class Meta:
        verbose_name = _("linked record")
        verbose_name_plural = _("linked records")
        ordering = ["linked_at", "id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(transfer__isnull=False, consultation__isnull=True)
                | Q(transfer__isnull=True, consultation__isnull=False),
                name="clue_link_one_owner",
            ),
            models.UniqueConstraint(
                fields=["transfer", "content_type", "object_id"], name="clue_link_once_transfer"
            ),
            models.UniqueConstraint(
                fields=["consultation", "content_type", "object_id"],
                name="clue_link_once_consultation",
            ),
        ]

    def __str__(self) -> str:
        return self.label
