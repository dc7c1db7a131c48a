"""Cross-cutting records: the working-day calendar, the clocks and their
deadlines, and the append-only audit trail."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class CalendarYear(models.Model):
    """A year whose official schedule (the State Council's notice) is loaded."""

    year = models.PositiveSmallIntegerField(
        _("year"), primary_key=True, validators=[MinValueValidator(2004), MaxValueValidator(2100)]
    )
    source = models.CharField(_("source"), max_length=200)
    notice_text = models.TextField(_("notice text"), blank=True)
    loaded_at = models.DateTimeField(_("loaded at"), auto_now=True)
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("loaded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("official calendar year")
        verbose_name_plural = _("official calendar years")
        ordering = ["-year"]

    def __str__(self) -> str:
        return str(self.year)


class CalendarDay(models.Model):
    """A day that differs from the plain week in a loaded year: a public holiday
    (off) or an adjusted working weekend (调休, on)."""

    date = models.DateField(_("date"), primary_key=True)
    is_workday = models.BooleanField(
        _("working day"), help_text=_("Ticked for an adjusted working weekend, else a day off.")
    )
    name = models.CharField(_("holiday"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}"


class ClockRule(models.Model):
    """A legal clock's default length in working days and the article it comes
    from; a department may have its own length for the same clock."""

    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name (Chinese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    working_days = models.PositiveSmallIntegerField(
        _("working days"), validators=[MinValueValidator(1), MaxValueValidator(365)]
    )
    source = models.CharField(_("source (article)"), max_length=300)
    source_en = models.CharField(_("source (English)"), max_length=300, blank=True)
    department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("department"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        help_text=_("Empty for the default that applies to every department."),
    )

    class Meta:
        verbose_name = _("clock")
        verbose_name_plural = _("clocks")
        ordering = ["code", "department"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"], condition=Q(department__isnull=True), name="clock_one_default"
            ),
            models.UniqueConstraint(fields=["code", "department"], name="clock_one_per_department"),
        ]

    def __str__(self) -> str:
        from django.utils.translation import get_language

        name = (
            self.name_en if self.name_en and (get_language() or "").startswith("en") else self.name
        )
        return f"{name} ({self.working_days})"

    @property
    def source_label(self) -> str:
        from django.utils.translation import get_language

        if self.source_en and (get_language() or "").startswith("en"):
            return self.source_en
        return self.source


class DeadlineQuerySet(models.QuerySet):
    def open(self):
        return self.filter(state__in=[Deadline.State.RUNNING, Deadline.State.PAUSED])

    def for_object(self, obj):
        return self.filter(content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk)

    def overdue(self, today):
        return self.filter(state=Deadline.State.RUNNING, due_on__lt=today)

    def due_within(self, today, due_by):
        return self.filter(state=Deadline.State.RUNNING, due_on__gte=today, due_on__lte=due_by)


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
    started_on = models.DateField(_("started on"))
    working_days = models.PositiveSmallIntegerField(_("working days"))
    paused_working_days = models.PositiveSmallIntegerField(_("working days paused"), default=0)
    paused_on = models.DateField(_("paused on"), null=True, blank=True)
    due_on = models.DateField(_("due on"), db_index=True)
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

    def __str__(self) -> str:
        return f"{self.clock} → {self.due_on:%Y-%m-%d}"


class AppendOnlyModel(models.Model):
    """A record that is written once and then never changed nor deleted by the app
    (DESIGN.md: history is appended, never overwritten)."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError(
                _("A %(record)s is never changed.") % {"record": self._meta.verbose_name}
            )
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(
            _("A %(record)s is never deleted.") % {"record": self._meta.verbose_name}
        )


class AuditEvent(AppendOnlyModel):
    """One line of the append-only record: who did what to which object, when and why."""

    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=64, db_index=True)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, null=True, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    subject = GenericForeignKey("content_type", "object_id")
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"


class IdentityView(AppendOnlyModel):
    """A record of one view of an unmasked identity number."""

    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("viewer"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.CharField(max_length=64)
    subject = GenericForeignKey("content_type", "object_id")
    object_repr = models.CharField(_("object"), max_length=200)
    purpose = models.CharField(_("purpose"), max_length=300)

    class Meta:
        verbose_name = _("identity number view")
        verbose_name_plural = _("identity number views")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.object_repr}"


class StatisticalReport(models.Model):
    """A periodic statistics report of one department's jurisdiction, generated as
    a PDF in the background (issue 7)."""

    class PeriodKind(models.TextChoices):
        MONTHLY = "monthly", _("monthly")
        QUARTERLY = "quarterly", _("quarterly")

    class Language(models.TextChoices):
        ZH_HANS = "zh-hans", _("Chinese")
        EN = "en", _("English")

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        related_name="statistical_reports",
    )
    period_kind = models.CharField(_("period"), max_length=16, choices=PeriodKind.choices)
    period_start = models.DateField(_("period start"))
    language = models.CharField(
        _("language"), max_length=8, choices=Language.choices, default=Language.ZH_HANS
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveSmallIntegerField(
        _("progress"), default=0, validators=[MaxValueValidator(100)]
    )
    file = models.FileField(_("file"), upload_to="reports/%Y/%m/", blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        help_text=_("Empty for a report made by the schedule."),
    )
    scheduled = models.BooleanField(
        _("made by the schedule"),
        default=False,
        help_text=_("Made by the monthly and quarterly schedule, not at a person's request."),
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("statistical report")
        verbose_name_plural = _("statistical reports")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            # The schedule makes each department's report of a period once, however
            # often it runs; people may request the same period again at will.
            models.UniqueConstraint(
                fields=["department", "period_kind", "period_start", "language"],
                condition=models.Q(scheduled=True),
                name="statistical_report_scheduled_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.department} {self.period_kind} {self.period_start:%Y-%m}"


class Notification(models.Model):
    """One outbound message (an email), recorded in the same transaction as what
    caused it and sent by a worker that first claims it, so that it goes out once
    however often its task runs (STYLE.md rule 8; issue 8, reliability)."""

    key = models.CharField(
        _("key"),
        max_length=255,
        unique=True,
        help_text=_("What it is about, its kind and its recipient: the same key is sent once."),
    )
    kind = models.CharField(_("kind"), max_length=80)
    recipient = models.EmailField(_("recipient"), max_length=254)
    object_id = models.BigIntegerField(_("object"), null=True, blank=True)
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    body = models.TextField(_("body"), blank=True)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The resend sweep reads only what is still unsent.
            models.Index(
                fields=["created_at"],
                condition=Q(sent_at__isnull=True),
                name="notification_unsent",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient}"
