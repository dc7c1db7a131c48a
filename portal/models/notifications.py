"""The notifications outbox."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ..fields import MaskedJSONField, MaskedTextField


class Notification(models.Model):
    """One outbound message (an email), recorded in the same transaction as what
    caused it and sent by a worker that first claims it, so that it goes out once
    however often its task runs (STYLE.md rule 8).

    A message to a staff member or a platform officer names their account
    (``recipient_user``) and keeps its text as a message key with parameters
    (``message``, ``params``; see :mod:`portal.i18n`), so that their notifications
    page shows it in the reader's language; ``subject`` and ``body`` are the email
    as sent, in the portal's language. A consumer has no account: their emails
    name only an address."""

    key = models.CharField(
        _("key"),
        max_length=255,
        unique=True,
        help_text=_("What it is about, its kind and its recipient: the same key is sent once."),
    )
    kind = models.CharField(_("kind"), max_length=80)
    recipient = models.EmailField(_("recipient"), max_length=254, blank=True)
    recipient_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="notifications",
    )
    message = models.CharField(
        _("message"),
        max_length=300,
        blank=True,
        help_text=_("The message's key, shown in each reader's language with its parameters."),
    )
    params = MaskedJSONField(_("parameters"), default=dict, blank=True)
    object_id = models.BigIntegerField(_("object"), null=True, blank=True)
    subject = models.CharField(pgettext_lazy("email", "subject"), max_length=300, blank=True)
    body = MaskedTextField(_("body"), blank=True)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

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
            ),
            # A reader's page, newest first, and the header's count of the unread.
            models.Index(fields=["recipient_user", "-created_at"], name="notification_reader"),
            models.Index(
                fields=["recipient_user"],
                condition=Q(read_at__isnull=True),
                name="notification_unread",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient}"
