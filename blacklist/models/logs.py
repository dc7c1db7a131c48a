"""The screening log: who screened, what was asked and found, and the departments
whose entries were hit."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.models import AppendOnlyModel


class ScreeningLog(AppendOnlyModel):
    """Who screened, when, what was asked and what was found (Order 117 Art. 8, 14).

    ``asked`` holds, per party, the name and USCC as given and the resident ID number
    masked (``portal.identity.mask_ric``), never in clear. ``found`` holds, per party,
    the hits as ``[entry id, score, matched fields]``: compact, a common name hits
    hundreds of entries. The departments whose entries were hit are kept in
    :class:`ScreeningLogDepartment`, which their screening-log page filters on.
    """

    class Channel(models.TextChoices):
        WEB = "web", _("screening page")
        API = "api", _("API")
        JOB = "job", _("roster screening job")

    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("screened by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_label = models.CharField(_("acting as"), max_length=200, blank=True)
    department = models.ForeignKey(
        "accounts.Department", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    platform = models.ForeignKey(
        "accounts.Platform", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    queries = models.PositiveIntegerField(_("parties screened"))
    queries_with_hits = models.PositiveIntegerField(_("parties with a hit"))
    hits = models.PositiveIntegerField(_("hits"))
    asked = models.JSONField(_("parties asked"), default=list, blank=True)
    found = models.JSONField(_("hits found"), default=list, blank=True)

    class Meta:
        verbose_name = _("screening")
        verbose_name_plural = _("screenings")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.queries}/{self.hits}"


class ScreeningLogDepartment(AppendOnlyModel):
    """A department whose entries a screening hit: one row per department and screening,
    so that the department reads the screenings that hit its entries."""

    log = models.ForeignKey(
        ScreeningLog,
        verbose_name=_("screening"),
        on_delete=models.PROTECT,
        related_name="hit_departments",
    )
    department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("department hit by a screening")
        verbose_name_plural = _("departments hit by screenings")
        constraints = [
            models.UniqueConstraint(
                fields=["log", "department"], name="screening_log_department_once"
            )
        ]
        indexes = [models.Index(fields=["department", "log"], name="screening_log_by_department")]

    def __str__(self) -> str:
        return f"{self.log_id} · {self.department_id}"
