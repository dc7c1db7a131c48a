"""Joint consultations, their opinions and follow-up actions, and interviews
(约谈) of platforms and parties (Order 117 Art. 52, 67)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal import dates
from portal.fields import SealedTextField, SealedTextModel, SealField
from portal.rules import ground_of, rule_set_get

from .inspections import PlatformInspection


class Consultation(SealedTextModel, models.Model):
    """A joint consultation and judgment: the convening department, the
    departments taking part, linked cases, opinions and the conclusion."""

    class Status(models.TextChoices):
        OPEN = "open", _("collecting opinions")
        CONCLUDED = "concluded", _("concluded")

    convener = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("convening department"),
        on_delete=models.PROTECT,
        related_name="consultations_convened",
    )
    participants = models.ManyToManyField(
        "accounts.Department",
        verbose_name=_("departments taking part"),
        related_name="consultations_joined",
    )
    subject = models.CharField(_("subject"), max_length=200)
    background = SealedTextField(_("background"), max_length=10000)
    background_sealed = SealField()
    held_on = models.DateField(_("held on"), validators=[dates.validate_day])
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.OPEN
    )
    conclusion = SealedTextField(_("conclusion"), blank=True)
    conclusion_sealed = SealField()
    concluded_at = models.DateTimeField(_("concluded at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("joint consultation")
        verbose_name_plural = _("joint consultations")
        ordering = ["-held_on", "-id"]
        constraints = dates.range_constraints("consultation", days=["held_on"])
        permissions = [
            (
                "hold_consultations",
                _("Can convene joint consultations, give opinions and track follow-up actions"),
            ),
        ]

    def __str__(self) -> str:
        return self.subject

    def get_absolute_url(self):
        return reverse("inspections:consultation", args=[self.pk])


class ConsultationOpinion(SealedTextModel, models.Model):
    """One participating department's opinion."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.PROTECT, related_name="opinions"
    )
    department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    opinion = SealedTextField(_("opinion"), max_length=10000)
    opinion_sealed = SealField()
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("opinion")
        verbose_name_plural = _("opinions")
        ordering = ["recorded_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "department"], name="opinion_once_per_department"
            )
        ]

    def __str__(self) -> str:
        return f"{self.consultation} · {self.department}"


class FollowUpAction(SealedTextModel, models.Model):
    """An action agreed at a consultation, owned by one department, due on a date the
    periodic sweep watches (``overdue_since`` is set once, when it passes)."""

    consultation = models.ForeignKey(Consultation, on_delete=models.PROTECT, related_name="actions")
    owner = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("owner department"),
        on_delete=models.PROTECT,
        related_name="follow_up_actions",
    )
    text = SealedTextField(_("action"), max_length=5000)
    text_sealed = SealField()
    due_on = models.DateField(_("due on"), db_index=True, validators=[dates.validate_day])
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("done by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    result = SealedTextField(_("what was done"), blank=True)
    result_sealed = SealField()
    overdue_since = models.DateField(_("overdue since"), null=True, blank=True)

    class Meta:
        verbose_name = _("follow-up action")
        verbose_name_plural = _("follow-up actions")
        ordering = ["due_on", "id"]
        constraints = dates.range_constraints("follow_up", days=["due_on"])

    def __str__(self) -> str:
        return f"{self.owner} · {self.due_on:%Y-%m-%d}"

    @property
    def is_done(self) -> bool:
        return self.done_at is not None

    @property
    def is_overdue(self) -> bool:
        return self.done_at is None and self.due_on < timezone.localdate()

    @property
    def done_late(self) -> bool:
        return self.done_at is not None and timezone.localdate(self.done_at) > self.due_on


class InterviewGround:
    """The codes of the interview grounds of Order 117 Art. 52 (1)-(5) as seeded in
    the rule set ``order-117`` (its ``interview`` list: the texts and articles are
    data there, ``portal.RuleGround``)."""

    DUTIES = "duties"  # (1) legal duties not fully performed
    PUBLIC_OPINION = "public_opinion"  # (2) a major negative public-opinion event
    SUPERVISION = "supervision"  # (3) problems found in day-to-day supervision
    CONSUMERS = "consumers"  # (4) consumers' and others' lawful rights not protected
    OTHER = "other"  # (5) other circumstances


INTERVIEW_GROUNDS_SET = "order-117"


class InterviewTarget(models.TextChoices):
    PLATFORM = "platform", _("platform")
    AGENCY = "agency", _("marketer service agency (MCN)")
    OPERATOR = "operator", _("live room operator")
    MARKETER = "marketer", _("live marketer")


# The party field each kind of interviewed party is named in.
INTERVIEW_TARGET_FIELDS = {
    InterviewTarget.PLATFORM: "platform",
    InterviewTarget.AGENCY: "agency",
    InterviewTarget.OPERATOR: "operator",
    InterviewTarget.MARKETER: "marketer",
}


def _one_target_condition() -> Q:
    """Exactly the party field of ``target_kind`` is filled."""
    condition = Q()
    for kind, field in INTERVIEW_TARGET_FIELDS.items():
        condition |= Q(
            target_kind=kind,
            **{f"{other}__isnull": other != field for other in INTERVIEW_TARGET_FIELDS.values()},
        )
    return condition


class Interview(SealedTextModel, models.Model):
    """An interview (约谈) of the responsible persons of a platform, an agency, a live
    room operator or a live marketer (Order 117 Art. 52), and its minutes (约谈纪要).

    Its ground is a code of the ``interview`` grounds list of the rule set it is
    pinned to (``rule_set``): the set in force on the day it was scheduled that has
    such a list, else the ``order-117`` set (the Trial Measures have no list)."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("scheduled")
        HELD = "held", _("held, minutes recorded")
        CHECKED = "checked", _("follow-up check done")

    department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("interviewing department"),
        on_delete=models.PROTECT,
        related_name="interviews",
    )
    target_kind = models.CharField(
        _("who is interviewed"), max_length=12, choices=InterviewTarget.choices
    )
    platform = models.ForeignKey(
        "accounts.Platform",
        verbose_name=_("platform"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="interviews",
    )
    agency = models.ForeignKey(
        "registry.Agency",
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    operator = models.ForeignKey(
        "registry.Operator",
        verbose_name=_("operator"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    marketer = models.ForeignKey(
        "registry.Marketer",
        verbose_name=_("live marketer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    inspection = models.ForeignKey(
        PlatformInspection,
        verbose_name=_("inspection it follows"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="interviews",
    )
    rule_set = models.ForeignKey(
        "portal.RuleSet",
        verbose_name=_("rule set"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="interviews",
    )
    ground = models.CharField(
        _("ground"),
        max_length=40,
        help_text=_("A code of the interview grounds list of the rule set."),
    )
    ground_detail = SealedTextField(_("the facts behind the ground"), max_length=5000)
    ground_detail_sealed = SealField()
    scheduled_for = models.DateTimeField(_("date and time"))
    place = models.CharField(_("place"), max_length=200)
    responsible_persons = SealedTextField(
        _("responsible persons interviewed"),
        max_length=2000,
        help_text=_("Name and position of each, one a line."),
    )
    responsible_persons_sealed = SealField()
    attendees = SealedTextField(_("attending for the department(s)"), max_length=2000, blank=True)
    attendees_sealed = SealField()
    issues_raised = SealedTextField(_("issues raised"), max_length=10000, blank=True)
    issues_raised_sealed = SealField()
    commitments = SealedTextField(_("commitments made"), max_length=10000, blank=True)
    commitments_sealed = SealField()
    follow_up_on = models.DateField(_("follow-up check on"), null=True, blank=True)
    follow_up_result = SealedTextField(_("follow-up check result"), blank=True)
    follow_up_result_sealed = SealField()
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.SCHEDULED
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    held_at = models.DateTimeField(_("minutes recorded at"), null=True, blank=True)
    checked_at = models.DateTimeField(_("follow-up checked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("interview")
        verbose_name_plural = _("interviews")
        ordering = ["-scheduled_for", "-id"]
        permissions = [
            ("conduct_interviews", _("Can interview responsible persons and record the minutes")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=_one_target_condition(),
                name="interview_one_target",
                violation_error_message=_("Name the one party interviewed."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.target} · {timezone.localtime(self.scheduled_for):%Y-%m-%d}"

    def get_absolute_url(self):
        return reverse("inspections:interview", args=[self.pk])

    def clean(self):
        expected = INTERVIEW_TARGET_FIELDS.get(self.target_kind)
        for field in INTERVIEW_TARGET_FIELDS.values():
            present = getattr(self, f"{field}_id") is not None
            if field == expected and not present:
                raise ValidationError({field: _("Name the party interviewed.")})
            if field != expected and present:
                raise ValidationError({field: _("Name only the one party interviewed.")})

    @property
    def target(self):
        return self.platform or self.agency or self.operator or self.marketer

    @property
    def ground_row(self):
        """The ground of the rule set (its text and article), ``None`` for an unknown code."""

        if not self.rule_set_id:
            return None
        return ground_of(rule_set_get(self.rule_set_id), "interview", self.ground)

    @property
    def ground_label(self) -> str:
        row = self.ground_row
        return row.label if row else self.ground

    @property
    def ground_source(self) -> str:
        row = self.ground_row
        return row.source_label if row else ""

    @property
    def number(self) -> str:
        return f"YT{timezone.localtime(self.scheduled_for):%Y}-{self.pk:04d}"
