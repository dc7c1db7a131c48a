"""Files kept for inspection items, document requests' answers, rectification
reports and clue transfers (checked by content on upload)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .clues import ClueTransfer
from .inspections import DocumentRequest, InspectionItem, RectificationReport


class Attachment(models.Model):
    """A file kept for an inspection item, a document request's answer, a
    rectification report or a clue transfer (checked by content on upload)."""

    item = models.ForeignKey(
        InspectionItem, on_delete=models.PROTECT, null=True, blank=True, related_name="files"
    )
    document_request = models.ForeignKey(
        DocumentRequest, on_delete=models.PROTECT, null=True, blank=True, related_name="files"
    )
    report = models.ForeignKey(
        RectificationReport, on_delete=models.PROTECT, null=True, blank=True, related_name="files"
    )
    transfer = models.ForeignKey(
        ClueTransfer, on_delete=models.PROTECT, null=True, blank=True, related_name="files"
    )
    file = models.FileField(_("file"), upload_to="inspections/%Y/%m/", max_length=255)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    uploaded_by_label = models.CharField(_("uploaded by"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("attached file")
        verbose_name_plural = _("attached files")
        ordering = ["uploaded_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        item__isnull=False,
                        document_request__isnull=True,
                        report__isnull=True,
                        transfer__isnull=True,
                    )
                    | Q(
                        item__isnull=True,
                        document_request__isnull=False,
                        report__isnull=True,
                        transfer__isnull=True,
                    )
                    | Q(
                        item__isnull=True,
                        document_request__isnull=True,
                        report__isnull=False,
                        transfer__isnull=True,
                    )
                    | Q(
                        item__isnull=True,
                        document_request__isnull=True,
                        report__isnull=True,
                        transfer__isnull=False,
                    )
                ),
                name="attachment_one_owner",
            )
        ]

    def __str__(self) -> str:
        return self.original_name
