"""Deadlines: a clock running on a matter, its paused and excluded periods and
its extensions."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .. import dates
from ..fields import MaskedTextField
from .rules import EXCLUDED_PERIODS, RuleClock, RuleSet


class DeadlineQuerySet(models.QuerySet):
    def open(self):
        return self.filter(state__in=[Deadline.State.RUNNING, Deadline.State.PAUSED])

    def for_object(self, obj):
        return self.filter(content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk)

    def overdue(self, today):
        return self.filter(state=Deadline.State.RUNNING, due_on__lt=today)

    def due_within(self, today, due_by):
        return self.filter(state=Deadline.State.RUNNING, due_on__gte=today, due_on__lte=due_by)

    def latest_of_row(self, model, clock: str | None = None):
        """The clocks of the outer query's row of ``model`` (``clock`` only, if
        given), latest first: a subquery for ``Subquery(...values(field)[:1])``.
        The model is named by its labels, so building it asks the database nothing."""
        meta = model._meta
        clocks = self.filter(
            content_type__app_label=meta.app_label,
            content_type__model=meta.model_name,
            object_id=models.OuterRef("pk"),
        )
        if clock:
            clocks = clocks.filter(clock=clock)
        return clocks.order_by("-started_on", "-pk")


class Deadline(models.Model):
    """A running legal clock on one object (a case, a notice, a transfer).

    The due date is computed when the clock starts and stored; it is
    ``provisional`` when it relied on days of a year whose official schedule
    is not loaded yet, and is recomputed when that year is loaded.
    """

    class State(models.TextChoices):
        RUNNING = "running", _("running")
        PAUSED = "paused", _("paused")
        MET = "met", _("met")
        CANCELLED = "cancelled", _("cancelled")

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    clock = models.CharField(_("clock"), max_length=40)
    source = models.CharField(_("source (article)"), max_length=300)
    rule_set = models.ForeignKey(
        RuleSet,
        verbose_name=_("rule set"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deadlines",
    )
    started_on = models.DateField(_("started on"), validators=[dates.validate_day])
    # The length in ``unit``s (the name is older than calendar-day clocks).
    working_days = models.PositiveSmallIntegerField(_("length"))
    unit = models.CharField(
        _("unit"), max_length=16, choices=RuleClock.Unit.choices, default=RuleClock.Unit.WORKING
    )
    paused_working_days = models.PositiveSmallIntegerField(_("days paused"), default=0)
    excluded_days = models.PositiveSmallIntegerField(
        _("days excluded"),
        default=0,
        help_text=_("Testing, inspection, quarantine or appraisal time, which does not count."),
    )
    paused_on = models.DateField(_("paused on"), null=True, blank=True)
    due_on = models.DateField(_("due on"), db_index=True, validators=[dates.validate_day])
    provisional = models.BooleanField(
        _("provisional"),
        default=False,
        help_text=_("Counted on days of a year whose official schedule is not loaded yet."),
    )
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.RUNNING
    )
    overdue_since = models.DateField(_("overdue since"), null=True, blank=True)
    reminder_sent_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    objects = DeadlineQuerySet.as_manager()

    class Meta:
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")
        ordering = ["due_on"]
        indexes = [
            models.Index(fields=["content_type", "object_id"]),
            # What the sweeps read: running clocks not yet reminded / marked.
            models.Index(
                fields=["due_on"],
                condition=Q(state="running", reminder_sent_at__isnull=True),
                name="deadline_to_remind",
            ),
            models.Index(
                fields=["due_on"],
                condition=Q(state="running", overdue_since__isnull=True),
                name="deadline_to_mark_overdue",
            ),
            # What the staff queues read (complaints.selectors.queue): a case's
            # earliest running clock, and the running clocks due before a day.
            models.Index(
                fields=["content_type", "object_id", "due_on"],
                condition=Q(state="running"),
                name="deadline_running_of_object",
            ),
            models.Index(
                fields=["content_type", "due_on"],
                condition=Q(state="running"),
                name="deadline_running_due",
            ),
        ]
        constraints = dates.range_constraints("deadline", days=["started_on", "due_on"])

    def __str__(self) -> str:
        return f"{self.clock} → {self.due_on:%Y-%m-%d}"


class ClockExclusion(models.Model):
    """A period that does not count on a clock (testing, inspection, quarantine,
    appraisal), as the rule set allows; the due date moves by its days."""

    deadline = models.ForeignKey(
        Deadline, verbose_name=_("clock"), on_delete=models.PROTECT, related_name="exclusions"
    )
    kind = models.CharField(_("kind"), max_length=16)
    starts_on = models.DateField(_("from"), validators=[dates.validate_past_day])
    ends_on = models.DateField(_("to"), validators=[dates.validate_day])
    days = models.PositiveSmallIntegerField(_("days excluded"))
    reason = MaskedTextField(_("reason"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("excluded period")
        verbose_name_plural = _("excluded periods")
        ordering = ["starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="clock_exclusion_period"
            ),
            *dates.range_constraints("clock_exclusion", days=["starts_on", "ends_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.starts_on:%Y-%m-%d}–{self.ends_on:%Y-%m-%d}"

    @property
    def kind_label(self) -> str:
        return str(EXCLUDED_PERIODS.get(self.kind, self.kind))


class ClockExtension(models.Model):
    """One approved extension of a clock, by the role its rule set names."""

    deadline = models.ForeignKey(
        Deadline, verbose_name=_("clock"), on_delete=models.PROTECT, related_name="extensions"
    )
    days = models.PositiveSmallIntegerField(_("days"))
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved at"), auto_now_add=True)
    reason = MaskedTextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("clock extension")
        verbose_name_plural = _("clock extensions")
        ordering = ["approved_at", "pk"]

    def __str__(self) -> str:
        return f"+{self.days}"
