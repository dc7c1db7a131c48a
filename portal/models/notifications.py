"""The notifications outbox."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ..fields import MaskedTextField


class Notification(models.Model):
    """One outbound message (an email), recorded in the same transaction as what
    caused it and sent by a worker that first claims it, so that it goes out once
    however often its task runs (STYLE.md rule 8)."""

    key = models.CharField(
        _("key"),
        max_length=255,
        unique=True,
        help_text=_("What it is about, its kind and its recipient: the same key is sent once."),
    )
    kind = models.CharField(_("kind"), max_length=80)
    recipient = models.EmailField(_("recipient"), max_length=254)
    object_id = models.BigIntegerField(_("object"), null=True, blank=True)
    subject = models.CharField(pgettext_lazy("email", "subject"), max_length=300, blank=True)
    body = MaskedTextField(_("body"), blank=True)
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
