"""Roster screening jobs: a platform's whole roster of marketers screened at once
(Order 117 Art. 8, 14), the upload kept as a file while it is screened (deleted once
the job is done or failed), its hits and per-row errors kept as rows, and the one
screening log it writes when it is done."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal import i18n
from portal.fields import MaskedJSONField

# Why a job failed, by the code kept in ``ScreeningJob.failure``: what the platform reads.
FAILURE_REASONS = {
    "retries_exhausted": _(
        "The portal could not reach its database long enough to screen the roster, and "
        "stopped after several attempts. Upload the roster again."
    ),
    "unreadable": _(
        "The roster could not be read to the end. Check that the file is whole and in "
        "one encoding, then upload it again."
    ),
    "error": _(
        "The screening stopped on an error in the portal. Upload the roster again; if it "
        "fails again, tell the portal's administrators the job number."
    ),
}


class ScreeningJob(models.Model):
    """A roster uploaded for screening, and how far its screening has got.

    ``rows_done`` only moves forward: each chunk's hits, errors and progress are written
    in one transaction, so a job picked up again after a lost worker goes on from the
    last chunk written (``blacklist.screening.jobs``)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", pgettext_lazy("job status", "running")
        DONE = "done", pgettext_lazy("job status", "done")
        FAILED = "failed", _("failed")

    class Format(models.TextChoices):
        CSV = "text/csv", _("CSV")
        NDJSON = "application/x-ndjson", _("JSON lines")

    platform = models.ForeignKey(
        "accounts.Platform", verbose_name=_("platform"), on_delete=models.PROTECT, related_name="+"
    )
    api_key = models.ForeignKey(
        "accounts.PlatformApiKey",
        verbose_name=_("API key"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_label = models.CharField(_("acting as"), max_length=200, blank=True)
    channel = models.CharField(_("channel"), max_length=8)
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.QUEUED
    )
    # Blank once the job has finished: the roster, resident ID numbers in clear, is
    # deleted then (docs/blacklist.md, "Retention").
    file = models.FileField(_("file as uploaded"), upload_to="screening-jobs/%Y/", blank=True)
    file_format = models.CharField(_("format"), max_length=24, choices=Format.choices)
    encoding = models.CharField(_("encoding"), max_length=16, default="utf-8-sig")
    original_name = models.CharField(_("file name"), max_length=200, blank=True)
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_done = models.PositiveIntegerField(_("rows screened"), default=0)
    queries = models.PositiveIntegerField(_("parties screened"), default=0)
    queries_with_hits = models.PositiveIntegerField(_("parties with a hit"), default=0)
    hits = models.PositiveIntegerField(_("hits"), default=0)
    error_count = models.PositiveIntegerField(_("rows with errors"), default=0)
    # A code of ``FAILURE_REASONS`` (older jobs: the kind of error), never a row's text.
    failure = models.TextField(_("why it failed"), blank=True)
    log = models.OneToOneField(
        "blacklist.ScreeningLog",
        verbose_name=_("screening"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="job",
    )

    class Meta:
        verbose_name = _("roster screening job")
        verbose_name_plural = _("roster screening jobs")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["platform", "-created_at"], name="screening_job_platform")]

    def __str__(self) -> str:
        return f"{self.pk} · {self.platform_id} · {self.status} {self.rows_done}/{self.rows_total}"

    @property
    def failure_reason(self) -> str:
        """Why the job failed, in the active language ("" unless it failed)."""
        if not self.failure:
            return ""
        return str(FAILURE_REASONS.get(self.failure, FAILURE_REASONS["error"]))


# The moves a job's status may make (``portal.transitions``): a job taken up again
# after a lost worker is already running and goes on.
JOB_TRANSITIONS = {
    ScreeningJob.Status.QUEUED: {ScreeningJob.Status.RUNNING, ScreeningJob.Status.FAILED},
    ScreeningJob.Status.RUNNING: {ScreeningJob.Status.DONE, ScreeningJob.Status.FAILED},
}


class ScreeningJobHit(models.Model):
    """One hit of a job: the roster row (its number in the file and the platform's own
    reference), the entry hit, the score, the matched fields and why.

    A job writes half a million of these a chunk at common names. Their references are
    held by the ORM (``PROTECT``: neither a job nor an entry is deleted while it has
    hits) and by the job's chunk transaction, which locks the job and has just read the
    entries, not by a database check per row at each commit (11 s of a chunk's 40 s
    at 1,000,000 entries, docs/performance.md); the two indexes below serve both
    references, so the foreign keys have none of their own."""

    job = models.ForeignKey(
        ScreeningJob,
        on_delete=models.PROTECT,
        related_name="hit_rows",
        db_constraint=False,
        db_index=False,
    )
    row = models.PositiveIntegerField(_("row"))
    reference = models.CharField(_("your reference"), max_length=64, blank=True)
    entry = models.ForeignKey(
        "blacklist.Entry",
        verbose_name=_("entry"),
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    score = models.FloatField(_("score"))
    matched_fields = models.JSONField(_("matched fields"), default=list)
    why = models.JSONField(pgettext_lazy("screening hit", "why"), default=list)

    class Meta:
        verbose_name = _("roster screening hit")
        verbose_name_plural = _("roster screening hits")
        indexes = [
            models.Index(fields=["job", "row"], name="screening_job_hit_row"),
            models.Index(fields=["entry", "job"], name="screening_job_hit_entry"),
        ]

    def __str__(self) -> str:
        return f"{self.job_id} · {self.row} · {self.entry_id}"


class ScreeningJobError(models.Model):
    """A roster row not screened, or a field of it left out: its number, reference, the
    field at fault and the message. A bad row never fails the job.

    The message is kept as its msgid and parameters and put in the reader's language
    when shown (``portal.i18n``), as timeline lines are: the worker writes it in no
    one's language."""

    job = models.ForeignKey(ScreeningJob, on_delete=models.PROTECT, related_name="error_rows")
    row = models.PositiveIntegerField(_("row"))
    reference = models.CharField(_("your reference"), max_length=64, blank=True)
    field = models.CharField(_("field"), max_length=32)
    message_key = models.TextField(_("message"))
    message_params = MaskedJSONField(default=dict, blank=True)  # may quote the row

    class Meta:
        verbose_name = _("roster screening error")
        verbose_name_plural = _("roster screening errors")
        indexes = [models.Index(fields=["job", "row"], name="screening_job_error_row")]

    def __str__(self) -> str:
        return f"{self.job_id} · {self.row} · {self.field}"

    @property
    def message(self) -> str:
        """The message in the active language."""
        return i18n.render(self.message_key, self.message_params)
