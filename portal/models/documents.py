"""Issued documents: their kinds, number prefixes, counters and the issued files."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..fields import MaskedTextField


class DocumentKind(models.Model):
    """A type of official document the portal issues, with the character its
    document numbers (文号) carry: 受 in 杭市监投受〔2026〕15号. Set in the admin."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name (Chinese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    character = models.CharField(
        _("type character"),
        max_length=4,
        help_text=_("The character the document number carries after the department's prefix."),
    )

    class Meta:
        verbose_name = _("document type")
        verbose_name_plural = _("document types")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        """The name in the active language: what a timeline line stores in each
        language (``portal.i18n.stored_params``)."""
        from ..i18n import localised

        return localised(self.name, self.name_en)


class DocumentPrefix(models.Model):
    """A department's prefix in its document numbers (杭市监投). Set in the admin."""

    department = models.OneToOneField(
        "accounts.Department",
        verbose_name=_("department"),
        on_delete=models.CASCADE,
        related_name="document_prefix",
    )
    prefix = models.CharField(_("prefix"), max_length=20)

    class Meta:
        verbose_name = _("document number prefix")
        verbose_name_plural = _("document number prefixes")

    def __str__(self) -> str:
        return self.prefix


class DocumentCounter(models.Model):
    """The last sequence given to one department's documents of one type in one
    year; locked while the next number is taken, so no number is given twice."""

    department = models.ForeignKey(
        "accounts.Department", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.ForeignKey(DocumentKind, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["department", "kind", "year"], name="document_counter_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.department_id} {self.kind_id} {self.year}: {self.last}"


class IssuedDocument(models.Model):
    """An official document as issued: its number, the stored file (what was issued
    is what is verified), its SHA-256 and verification code. Revoked, never deleted."""

    number = models.CharField(_("document number"), max_length=60, unique=True)
    kind = models.ForeignKey(
        DocumentKind, verbose_name=_("type"), on_delete=models.PROTECT, related_name="issued"
    )
    department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("issuing department"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    sequence = models.PositiveIntegerField(_("sequence"))
    issuer = models.CharField(_("issuer"), max_length=200)
    party = models.CharField(_("party (masked)"), max_length=200, blank=True)
    language = models.CharField(_("language"), max_length=10)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    code = models.CharField(_("verification code"), max_length=16, unique=True)
    file = models.FileField(_("file"), upload_to="documents/%Y/", max_length=200)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    signed_by = models.CharField(_("signed by"), max_length=300, blank=True)
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_reason = MaskedTextField(_("reason for revocation"), blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("issued document")
        verbose_name_plural = _("issued documents")
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["department", "kind", "year", "sequence"], name="issued_document_sequence"
            ),
            models.UniqueConstraint(
                fields=["content_type", "object_id", "kind"],
                condition=Q(revoked_at__isnull=True),
                name="issued_document_one_in_force",
            ),
        ]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return self.number

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None
