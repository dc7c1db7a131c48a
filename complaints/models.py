"""Complaints (投诉) and reports (举报): the matters a department handles.

This is the core the complaints issue builds on: a case, the department that
has it, its category and status. The intake form, routing and clocks come
with that issue.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Complaint(models.Model):
    class Kind(models.TextChoices):
        COMPLAINT = "complaint", _("complaint (consumer dispute)")
        REPORT = "report", _("report (tip-off about a violation)")

    class Status(models.TextChoices):
        RECEIVED = "received", _("received")
        ACCEPTED = "accepted", _("accepted")
        DECLINED = "declined", _("declined")
        CLOSED = "closed", _("closed")

    tracking_code = models.CharField(_("tracking code"), max_length=20, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    category = models.ForeignKey(
        "registry.ViolationCategory", verbose_name=_("category"), on_delete=models.PROTECT
    )
    platform = models.ForeignKey(
        "accounts.Platform",
        verbose_name=_("platform"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    live_room = models.ForeignKey(
        "registry.LiveRoom",
        verbose_name=_("live room"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("handling department"),
        on_delete=models.PROTECT,
        related_name="complaints",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.RECEIVED
    )
    description = models.TextField(_("description"))
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)

    class Meta:
        verbose_name = _("complaint or report")
        verbose_name_plural = _("complaints and reports")
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return self.tracking_code
