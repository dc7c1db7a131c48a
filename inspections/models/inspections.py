"""Special inspections of platforms (Order 117 Art. 21): the checklist template,
campaigns, each platform's inspection and its items, the documents asked of the
platform, rectification orders and reports, and their verification."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal import dates
from portal.fields import SealedTextField, SealedTextModel, SealField
from portal.i18n import localised_field
from portal.requests import PlatformRequest


class ObligationArea(models.TextChoices):
    """The platform obligations an inspection checks, grouped (REGULATIONS.md,
    "What platforms must send to regulators"; Order 117 Ch. II)."""

    IDENTITY = "identity", _("identity verification and re-checks")
    ROSTERS = "rosters", _("identity rosters to the regulator")
    DISPOSAL = "disposal", _("disposal of violations and its reports")
    BLACKLIST = "blacklist", _("blacklist system")
    COMPLAINTS = "complaints", _("complaint and report mechanism")
    RECORDS = "records", _("records kept")
    AI_LABELLING = "ai_labelling", _("labelling of AI-generated persons")
    MINORS = "minors", _("protection of minors")
    NEGATIVE_CATALOGUE = "negative_catalogue", _("negative catalogue")
    KEY_LINKS = "key_links", _("review of key links")
    COOPERATION = "cooperation", _("cooperation with inspections")
    OTHER = "other", _("other obligations")


class ChecklistTemplateItem(models.Model):
    """One obligation checked in every platform inspection, with its article.

    Reference data an administrator edits (admin: *Checklist template*); an
    inspection copies the active items when it opens, so later edits never
    change an inspection already under way.
    """

    code = models.SlugField(_("code"), max_length=40, unique=True)
    area = models.CharField(_("obligation area"), max_length=24, choices=ObligationArea.choices)
    text = models.TextField(_("what is checked (Chinese)"))
    text_en = models.TextField(_("what is checked (English)"), blank=True)
    article = models.CharField(_("article (Chinese)"), max_length=300)
    article_en = models.CharField(_("article (English)"), max_length=300, blank=True)
    ordering = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("checklist template item")
        verbose_name_plural = _("checklist template")
        ordering = ["ordering", "code"]

    def __str__(self) -> str:
        return f"{self.code} · {self.text_label[:60]}"

    @property
    def text_label(self) -> str:
        return localised_field(self, "text")

    @property
    def article_label(self) -> str:
        return localised_field(self, "article")


class Campaign(models.Model):
    """A special inspection (专项检查) opened by a lead department, with the
    departments taking part and the platforms it inspects."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("under way")
        CLOSED = "closed", _("closed")

    lead_department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("lead department"),
        on_delete=models.PROTECT,
        related_name="campaigns_led",
    )
    theme = models.CharField(_("theme"), max_length=200)
    legal_basis = models.CharField(_("legal basis"), max_length=300)
    participants = models.ManyToManyField(
        "accounts.Department",
        verbose_name=_("departments taking part"),
        blank=True,
        related_name="campaigns_joined",
    )
    period_start = models.DateField(_("period from"), validators=[dates.validate_day])
    period_end = models.DateField(_("period to"), validators=[dates.validate_day])
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.ACTIVE
    )
    created_at = models.DateTimeField(_("opened at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opened by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("special inspection campaign")
        verbose_name_plural = _("special inspection campaigns")
        ordering = ["-created_at", "-id"]
        permissions = [
            (
                "run_inspections",
                _(
                    "Can run special inspections: campaigns, document requests, findings "
                    "and rectification"
                ),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="campaign_period_ordered",
                violation_error_message=_("The period cannot end before it starts."),
            ),
            *dates.range_constraints("campaign", days=["period_start", "period_end"]),
        ]

    def __str__(self) -> str:
        return self.theme

    def get_absolute_url(self):
        return reverse("inspections:campaign", args=[self.pk])

    def clean(self):
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError({"period_end": _("The period cannot end before it starts.")})


class InspectionStatus(models.TextChoices):
    OPEN = "open", _("opened")
    DOCUMENTS_REQUESTED = "documents_requested", _("documents requested")
    FINDINGS_RECORDED = "findings_recorded", _("findings recorded")
    RECTIFICATION_ORDERED = "rectification_ordered", _("rectification ordered")
    RECTIFICATION_REPORTED = "rectification_reported", _("rectification reported")
    VERIFIED = "verified", _("rectification verified")
    CLOSED = "closed", _("closed")


class PlatformInspection(SealedTextModel, models.Model):
    """The inspection of one platform within a campaign, with its checklist."""

    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("campaign"),
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    platform = models.ForeignKey(
        "accounts.Platform",
        verbose_name=_("platform"),
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    status = models.CharField(
        _("status"), max_length=24, choices=InspectionStatus.choices, default=InspectionStatus.OPEN
    )
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opened by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    conclusion = SealedTextField(_("conclusion"), blank=True)
    conclusion_sealed = SealField()
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("platform inspection")
        verbose_name_plural = _("platform inspections")
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "platform"], name="inspection_once_per_campaign"
            )
        ]

    def __str__(self) -> str:
        return f"{self.campaign} · {self.platform}"

    def get_absolute_url(self):
        return reverse("inspections:inspection", args=[self.pk])

    @property
    def number(self) -> str:
        """The number printed on its documents."""
        return f"{timezone.localtime(self.opened_at):%Y}-{self.pk:04d}"


class ItemResult(models.TextChoices):
    PENDING = "pending", _("not yet assessed")
    COMPLIANT = "compliant", _("compliant")
    NON_COMPLIANT = "non_compliant", _("non-compliant")
    NOT_APPLICABLE = "not_applicable", _("not applicable")


class InspectionItem(SealedTextModel, models.Model):
    """One checklist item of an inspection: the template's text and article as they
    were when the inspection opened, and the finding."""

    inspection = models.ForeignKey(
        PlatformInspection, on_delete=models.PROTECT, related_name="items"
    )
    template = models.ForeignKey(
        ChecklistTemplateItem,
        verbose_name=_("template item"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    code = models.SlugField(_("code"), max_length=40)
    area = models.CharField(_("obligation area"), max_length=24, choices=ObligationArea.choices)
    text = models.TextField(_("what is checked"))
    text_en = models.TextField(_("what is checked (English)"), blank=True)
    article = models.CharField(_("article"), max_length=300)
    article_en = models.CharField(_("article (English)"), max_length=300, blank=True)
    ordering = models.PositiveSmallIntegerField(_("order"), default=0)
    result = models.CharField(
        _("finding"), max_length=16, choices=ItemResult.choices, default=ItemResult.PENDING
    )
    note = SealedTextField(_("finding and evidence"), blank=True)
    note_sealed = SealField()
    recorded_at = models.DateTimeField(_("recorded at"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        ordering = ["inspection", "ordering", "code"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "code"], name="inspection_item_code")
        ]

    def __str__(self) -> str:
        return f"{self.inspection_id}/{self.code}"

    @property
    def text_label(self) -> str:
        return localised_field(self, "text")

    @property
    def article_label(self) -> str:
        return localised_field(self, "article")


class DocumentRequest(PlatformRequest):
    """Data, records or material asked of the inspected platform (Trial Art. 26;
    Order 117 Art. 21, 46), due on the ``document-request`` clock."""

    inspection = models.ForeignKey(
        PlatformInspection, on_delete=models.PROTECT, related_name="document_requests"
    )

    class Meta:
        verbose_name = _("document request")
        verbose_name_plural = _("document requests")
        ordering = ["-asked_at", "-id"]

    def __str__(self) -> str:
        return f"{self.inspection} ({self.asked_at:%Y-%m-%d})"


class RectificationOrder(SealedTextModel, models.Model):
    """A rectification order (责令整改通知书) with the date it must be done by."""

    inspection = models.ForeignKey(
        PlatformInspection, on_delete=models.PROTECT, related_name="rectification_orders"
    )
    sequence = models.PositiveSmallIntegerField(_("number within the inspection"), default=1)
    requirements = SealedTextField(_("what must be rectified"), max_length=10000)
    requirements_sealed = SealField()
    due_on = models.DateField(_("rectify by"), validators=[dates.validate_day])
    items = models.ManyToManyField(
        InspectionItem, verbose_name=_("findings concerned"), blank=True, related_name="+"
    )
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("rectification order")
        verbose_name_plural = _("rectification orders")
        ordering = ["inspection", "sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "sequence"], name="rectification_order_sequence"
            ),
            *dates.range_constraints("rectification", days=["due_on"]),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def number(self) -> str:
        return f"{self.inspection.number}-{self.sequence}"


class RectificationReport(SealedTextModel, models.Model):
    """The platform's report on what it rectified, answering one order."""

    order = models.OneToOneField(
        RectificationOrder, on_delete=models.PROTECT, related_name="report"
    )
    text = SealedTextField(_("what was rectified"), max_length=10000)
    text_sealed = SealField()
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_by_label = models.CharField(_("submitted by"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("rectification report")
        verbose_name_plural = _("rectification reports")
        ordering = ["-submitted_at"]

    def __str__(self) -> str:
        return f"{self.order} ({self.submitted_at:%Y-%m-%d})"

    @property
    def late(self) -> bool:
        return timezone.localdate(self.submitted_at) > self.order.due_on


class Verification(SealedTextModel, models.Model):
    """The department's check of the rectification reported."""

    class Method(models.TextChoices):
        DOCUMENTS = "documents", _("review of documents and data")
        ON_SITE = "on_site", _("on-site check")
        TECHNICAL = "technical", _("technical test of the platform")

    order = models.ForeignKey(
        RectificationOrder, on_delete=models.PROTECT, related_name="verifications"
    )
    method = models.CharField(_("how it was checked"), max_length=12, choices=Method.choices)
    passed = models.BooleanField(_("rectification done"))
    note = SealedTextField(_("what was found"), max_length=5000)
    note_sealed = SealField()
    verified_at = models.DateTimeField(_("verified at"), default=timezone.now)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("verification")
        verbose_name_plural = _("verifications")
        ordering = ["verified_at", "id"]

    def __str__(self) -> str:
        return f"{self.order} · {'✓' if self.passed else '✗'}"
