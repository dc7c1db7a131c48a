"""The periodic statistics reports, generated in the background."""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal.fields import MaskedTextField


class StatisticalReport(models.Model):
    """A periodic statistics report of one department's jurisdiction, generated as
    a PDF in the background."""

    class PeriodKind(models.TextChoices):
        MONTHLY = "monthly", _("monthly")
        QUARTERLY = "quarterly", _("quarterly")

    class Language(models.TextChoices):
        ZH_HANS = "zh-hans", _("Chinese")
        EN = "en", _("English")

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", pgettext_lazy("report status", "running")
        DONE = "done", pgettext_lazy("report status", "done")
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
    requested_at = models.DateTimeField(pgettext_lazy("report", "requested at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    error = MaskedTextField(_("error"), blank=True)

    class Meta:
        db_table = "portal_statisticalreport"
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


class MonthFigures(models.Model):
    """What every row of the figures' summaries (oversight.summary) is counted by:
    the department, the month of receipt and the kind of the cases."""

    department = models.ForeignKey(
        "accounts.Department", verbose_name=_("department"), on_delete=models.CASCADE
    )
    month = models.DateField(_("month"))
    kind = models.CharField(_("kind"), max_length=16)

    class Meta:
        abstract = True


class CaseCounts(models.Model):
    """The counts of a summary row of cases."""

    cases = models.PositiveIntegerField(_("cases"))
    clocks_met = models.PositiveIntegerField(_("decision clocks met"))
    clocks_on_time = models.PositiveIntegerField(_("decision clocks met on time"))

    class Meta:
        abstract = True


class CaseMonthFigures(MonthFigures, CaseCounts):
    """The cases of one department received in one month, counted per kind,
    category, platform, status, outcome and whole days to decision: the summary
    the staff dashboard and statistics page sum over the departments of a scope
    (oversight.summary). Rebuilt as a whole by ``summary_refresh``; never edited."""

    category = models.ForeignKey(
        "registry.ViolationCategory", verbose_name=_("category"), on_delete=models.CASCADE
    )
    platform = models.ForeignKey(
        "accounts.Platform",
        verbose_name=_("platform"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
    )
    status = models.CharField(_("status"), max_length=32)
    outcome = models.CharField(_("outcome"), max_length=32, blank=True)
    days = models.IntegerField(
        _("days to decision"),
        null=True,
        blank=True,
        help_text=_(
            "Calendar days from the day of receipt to the day of decision; empty if undecided."
        ),
    )

    class Meta:
        verbose_name = _("monthly case figures")
        verbose_name_plural = _("monthly case figures")
        indexes = [
            models.Index(fields=["month", "department"]),
            models.Index(fields=["category", "month"]),
            models.Index(fields=["platform", "month"]),
        ]

    def __str__(self) -> str:
        return f"{self.department_id} {self.month:%Y-%m} {self.cases}"


class CaseMonthBreakdown(MonthFigures, CaseCounts):
    """The cases of one department received in one month, of one kind, counted by
    one breakdown at a time (``breakdown``: the total, per category, per platform,
    per status and outcome, per whole days to decision), the other breakdowns'
    fields left empty: the narrow summary the unfiltered dashboard and statistics
    read, a few rows where ``CaseMonthFigures`` has one per combination. Summed
    from ``CaseMonthFigures`` by ``summary_refresh``; never edited."""

    class Breakdown(models.TextChoices):
        TOTAL = "total", _("total")
        CATEGORY = "category", _("category")
        PLATFORM = "platform", _("platform")
        OUTCOME = "outcome", _("status and outcome")
        DAYS = "days", _("days to decision")

    breakdown = models.CharField(_("breakdown"), max_length=16, choices=Breakdown.choices)
    category = models.ForeignKey(
        "registry.ViolationCategory",
        verbose_name=_("category"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
    )
    platform = models.ForeignKey(
        "accounts.Platform",
        verbose_name=_("platform"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
    )
    status = models.CharField(_("status"), max_length=32, blank=True)
    outcome = models.CharField(_("outcome"), max_length=32, blank=True)
    days = models.IntegerField(_("days to decision"), null=True, blank=True)

    class Meta:
        verbose_name = _("monthly case figures by one breakdown")
        verbose_name_plural = _("monthly case figures by one breakdown")
        indexes = [models.Index(fields=["breakdown", "month", "department"])]

    def __str__(self) -> str:
        return f"{self.breakdown} {self.department_id} {self.month:%Y-%m} {self.cases}"


class ForwardMonthFigures(MonthFigures):
    """The complaints forwarded to platforms (Trial Art. 15; Order 117 Art. 20), by
    the department, month of receipt, kind, category and platform of their case and
    the whole days the platform took to answer: the summary of the platforms'
    answers on the dashboard and statistics page. Rebuilt by ``summary_refresh``."""

    category = models.ForeignKey(
        "registry.ViolationCategory", verbose_name=_("category"), on_delete=models.CASCADE
    )
    case_platform = models.ForeignKey(
        "accounts.Platform",
        verbose_name=_("platform of the case"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    platform = models.ForeignKey(
        "accounts.Platform",
        verbose_name=_("platform forwarded to"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    days = models.IntegerField(
        _("days to answer"),
        null=True,
        blank=True,
        help_text=_(
            "Calendar days from the day forwarded to the day answered; empty if unanswered."
        ),
    )
    forwards = models.PositiveIntegerField(_("forwarded"))
    on_time = models.PositiveIntegerField(_("answered by the day set"))

    class Meta:
        verbose_name = _("monthly figures of forwarded complaints")
        verbose_name_plural = _("monthly figures of forwarded complaints")
        indexes = [models.Index(fields=["month", "department"])]

    def __str__(self) -> str:
        return f"{self.department_id} {self.month:%Y-%m} {self.forwards}"


class FiguresRefresh(models.Model):
    """When the summaries (``CaseMonthFigures``, ``CaseMonthBreakdown``,
    ``ForwardMonthFigures``) were last rebuilt (one row)."""

    name = models.CharField(_("name"), max_length=32, unique=True)
    refreshed_at = models.DateTimeField(_("refreshed at"), null=True, blank=True)
    seconds = models.FloatField(_("seconds taken"), default=0)
    rows = models.PositiveIntegerField(_("rows"), default=0)

    class Meta:
        verbose_name = _("figures refresh")
        verbose_name_plural = _("figures refreshes")

    def __str__(self) -> str:
        return f"{self.name} {self.refreshed_at}"
