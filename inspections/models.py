"""Special inspections of platforms, clue transfers, joint consultations and
interviews: the work between departments (Trial Art. 4, 26; Order 117 Art. 21,
46, 52, 67).

Status fields are ``TextChoices``; the allowed moves are one table per model in
``inspections.services`` and every move goes through a service there.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accounts.models import DepartmentType
from portal import dates
from portal.fields import SealedTextField, SealedTextModel, SealField


def _localised(obj, field: str) -> str:
    english = getattr(obj, f"{field}_en", "")
    if english and (get_language() or "").startswith("en"):
        return english
    return getattr(obj, field)


# --- the checklist template -------------------------------------------------


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
        return _localised(self, "text")

    @property
    def article_label(self) -> str:
        return _localised(self, "article")


# --- special inspections (Trial Art. 26; Order 117 Art. 21, 46, 49) ------------


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
        return _localised(self, "text")

    @property
    def article_label(self) -> str:
        return _localised(self, "article")


class DocumentRequest(SealedTextModel, models.Model):
    """Data, records or material asked of the inspected platform (Trial Art. 26;
    Order 117 Art. 21, 46), due on the ``document-request`` clock."""

    inspection = models.ForeignKey(
        PlatformInspection, on_delete=models.PROTECT, related_name="document_requests"
    )
    requested = SealedTextField(_("what is requested"), max_length=5000)
    requested_sealed = SealField()
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answer = SealedTextField(_("platform's answer"), max_length=5000, blank=True)
    answer_sealed = SealField()
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    answered_by_label = models.CharField(_("answered by"), max_length=200, blank=True)

    deadlines = GenericRelation("portal.Deadline")

    class Meta:
        verbose_name = _("document request")
        verbose_name_plural = _("document requests")
        ordering = ["-requested_at", "-id"]

    def __str__(self) -> str:
        return f"{self.inspection} ({self.requested_at:%Y-%m-%d})"

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None

    @property
    def answer_state(self) -> str:
        """``awaiting``, ``overdue``, ``answered`` or ``answered_late``, from the due date
        annotated by ``selectors.with_request_due``: both sides see the same."""
        due = getattr(self, "due_on", None)
        if self.answered_at is None:
            return "overdue" if due and due < timezone.localdate() else "awaiting"
        return "answered_late" if due and timezone.localdate(self.answered_at) > due else "answered"


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


# --- clue transfers (Trial Art. 4; Order 117 Art. 46, 67) ------------------------


class ClueStatus(models.TextChoices):
    SENT = "sent", _("sent, awaiting acknowledgement")
    ACKNOWLEDGED = "acknowledged", _("acknowledged, awaiting a decision")
    ACCEPTED = "accepted", _("accepted, being handled")
    RETURNED = "returned", _("sent back")
    HANDLED = "handled", _("handled, outcome recorded")


class ClueTransfer(SealedTextModel, models.Model):
    """A clue (线索) transferred from one department to another, or to a judicial
    organ for a suspected crime (Order 117 Art. 67)."""

    from_department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("sending department"),
        on_delete=models.PROTECT,
        related_name="clues_sent",
    )
    to_department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("receiving department"),
        on_delete=models.PROTECT,
        related_name="clues_received",
    )
    suspected_crime = models.BooleanField(
        _("suspected crime"),
        default=False,
        help_text=_("A suspected crime goes to a judicial organ (Order 117 Art. 67)."),
    )
    facts = SealedTextField(_("facts"), max_length=10000)
    facts_sealed = SealField()
    reason = SealedTextField(_("reason for the transfer"), max_length=5000)
    reason_sealed = SealField()
    status = models.CharField(
        _("status"), max_length=16, choices=ClueStatus.choices, default=ClueStatus.SENT
    )
    acknowledge_days = models.PositiveSmallIntegerField(_("acknowledge within (working days)"))
    outcome_days = models.PositiveSmallIntegerField(
        _("outcome within (working days)"),
        help_text=_(
            "Set by the sending department: the rules set no time for the outcome "
            "(Trial Art. 4; Order 117 Art. 46)."
        ),
    )
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now, db_index=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("acknowledged by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("accepted or returned at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("accepted or returned by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    return_reason = SealedTextField(_("why it was sent back"), blank=True)
    return_reason_sealed = SealField()
    handled_at = models.DateTimeField(_("outcome recorded at"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("outcome recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    outcome = SealedTextField(_("outcome"), blank=True)
    outcome_sealed = SealField()

    deadlines = GenericRelation("portal.Deadline")

    class Meta:
        verbose_name = _("clue transfer")
        verbose_name_plural = _("clue transfers")
        ordering = ["-sent_at", "-id"]
        permissions = [
            ("transfer_clues", _("Can transfer clues to other departments")),
            (
                "decide_clues",
                _("Can acknowledge, accept or send back received clues and record their outcome"),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_department=models.F("to_department")),
                name="clue_to_another_department",
                violation_error_message=_("A clue goes to another department."),
            )
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self):
        return reverse("inspections:clue", args=[self.pk])

    def clean(self):
        if not (self.from_department_id and self.to_department_id):
            return
        if self.from_department_id == self.to_department_id:
            raise ValidationError({"to_department": _("A clue goes to another department.")})
        judicial = self.to_department.type == DepartmentType.JUDICIAL
        if self.suspected_crime and not judicial:
            raise ValidationError(
                {
                    "to_department": _(
                        "A suspected crime goes to a judicial organ (Order 117 Art. 67)."
                    )
                }
            )
        if judicial and not self.suspected_crime:
            raise ValidationError(
                {
                    "suspected_crime": _(
                        "A judicial organ receives clues of suspected crimes only "
                        "(Order 117 Art. 67)."
                    )
                }
            )

    @property
    def number(self) -> str:
        return f"XS{timezone.localtime(self.sent_at):%Y}-{self.pk:05d}"


class ClueLink(SealedTextModel, models.Model):
    """A piece of the evidence package: a complaint, a platform's disposal filing or
    an inspection finding linked to a transfer or a consultation.

    Generic, so that it can point at any model (filings live in another app); the
    label and summary are copied when linked so that the receiver reads them even
    where the linked record itself lies outside their scope.
    """

    transfer = models.ForeignKey(
        ClueTransfer, on_delete=models.PROTECT, null=True, blank=True, related_name="links"
    )
    consultation = models.ForeignKey(
        "Consultation", on_delete=models.PROTECT, null=True, blank=True, related_name="links"
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    label = models.CharField(_("linked record"), max_length=200)
    summary = SealedTextField(_("summary"), blank=True)
    summary_sealed = SealField()
    linked_at = models.DateTimeField(_("linked at"), default=timezone.now)

    class Meta:
        verbose_name = _("linked record")
        verbose_name_plural = _("linked records")
        ordering = ["linked_at", "id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(transfer__isnull=False, consultation__isnull=True)
                | Q(transfer__isnull=True, consultation__isnull=False),
                name="clue_link_one_owner",
            ),
            models.UniqueConstraint(
                fields=["transfer", "content_type", "object_id"], name="clue_link_once_transfer"
            ),
            models.UniqueConstraint(
                fields=["consultation", "content_type", "object_id"],
                name="clue_link_once_consultation",
            ),
        ]

    def __str__(self) -> str:
        return self.label


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


# --- joint consultations (会商研判; Trial Art. 4; Order 117 Art. 46) --------------


class Consultation(SealedTextModel, models.Model):
    """A joint consultation and judgment: the convening department, the
    departments taking part, linked cases, opinions and the conclusion."""

    class Status(models.TextChoices):
        OPEN = "open", _("collecting opinions")
        CONCLUDED = "concluded", _("concluded")

    convener = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("convening department"),
        on_delete=models.PROTECT,
        related_name="consultations_convened",
    )
    participants = models.ManyToManyField(
        "accounts.Department",
        verbose_name=_("departments taking part"),
        related_name="consultations_joined",
    )
    subject = models.CharField(_("subject"), max_length=200)
    background = SealedTextField(_("background"), max_length=10000)
    background_sealed = SealField()
    held_on = models.DateField(_("held on"), validators=[dates.validate_day])
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.OPEN
    )
    conclusion = SealedTextField(_("conclusion"), blank=True)
    conclusion_sealed = SealField()
    concluded_at = models.DateTimeField(_("concluded at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("joint consultation")
        verbose_name_plural = _("joint consultations")
        ordering = ["-held_on", "-id"]
        constraints = dates.range_constraints("consultation", days=["held_on"])
        permissions = [
            (
                "hold_consultations",
                _("Can convene joint consultations, give opinions and track follow-up actions"),
            ),
        ]

    def __str__(self) -> str:
        return self.subject

    def get_absolute_url(self):
        return reverse("inspections:consultation", args=[self.pk])


class ConsultationOpinion(SealedTextModel, models.Model):
    """One participating department's opinion."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.PROTECT, related_name="opinions"
    )
    department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    opinion = SealedTextField(_("opinion"), max_length=10000)
    opinion_sealed = SealField()
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("opinion")
        verbose_name_plural = _("opinions")
        ordering = ["recorded_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "department"], name="opinion_once_per_department"
            )
        ]

    def __str__(self) -> str:
        return f"{self.consultation} · {self.department}"


class FollowUpAction(SealedTextModel, models.Model):
    """An action agreed at a consultation, owned by one department, due on a date the
    periodic sweep watches (``overdue_since`` is set once, when it passes)."""

    consultation = models.ForeignKey(Consultation, on_delete=models.PROTECT, related_name="actions")
    owner = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("owner department"),
        on_delete=models.PROTECT,
        related_name="follow_up_actions",
    )
    text = SealedTextField(_("action"), max_length=5000)
    text_sealed = SealField()
    due_on = models.DateField(_("due on"), db_index=True, validators=[dates.validate_day])
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("done by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    result = SealedTextField(_("what was done"), blank=True)
    result_sealed = SealField()
    overdue_since = models.DateField(_("overdue since"), null=True, blank=True)

    class Meta:
        verbose_name = _("follow-up action")
        verbose_name_plural = _("follow-up actions")
        ordering = ["due_on", "id"]
        constraints = dates.range_constraints("follow_up", days=["due_on"])

    def __str__(self) -> str:
        return f"{self.owner} · {self.due_on:%Y-%m-%d}"

    @property
    def is_done(self) -> bool:
        return self.done_at is not None

    @property
    def is_overdue(self) -> bool:
        return self.done_at is None and self.due_on < timezone.localdate()

    @property
    def done_late(self) -> bool:
        return self.done_at is not None and timezone.localdate(self.done_at) > self.due_on


# --- interviews (约谈; Order 117 Art. 52) -------------------------------------------


class InterviewGround:
    """The codes of the interview grounds of Order 117 Art. 52 (1)-(5) as seeded in
    the rule set ``order-117`` (its ``interview`` list: the texts and articles are
    data there, ``portal.RuleGround``)."""

    DUTIES = "duties"  # (1) legal duties not fully performed
    PUBLIC_OPINION = "public_opinion"  # (2) a major negative public-opinion event
    SUPERVISION = "supervision"  # (3) problems found in day-to-day supervision
    CONSUMERS = "consumers"  # (4) consumers' and others' lawful rights not protected
    OTHER = "other"  # (5) other circumstances


INTERVIEW_GROUNDS_SET = "order-117"


class InterviewTarget(models.TextChoices):
    PLATFORM = "platform", _("platform")
    AGENCY = "agency", _("marketer service agency (MCN)")
    OPERATOR = "operator", _("live room operator")
    MARKETER = "marketer", _("live marketer")


# The party field each kind of interviewed party is named in.
INTERVIEW_TARGET_FIELDS = {
    InterviewTarget.PLATFORM: "platform",
    InterviewTarget.AGENCY: "agency",
    InterviewTarget.OPERATOR: "operator",
    InterviewTarget.MARKETER: "marketer",
}


def _one_target_condition() -> Q:
    """Exactly the party field of ``target_kind`` is filled."""
    condition = Q()
    for kind, field in INTERVIEW_TARGET_FIELDS.items():
        condition |= Q(
            target_kind=kind,
            **{f"{other}__isnull": other != field for other in INTERVIEW_TARGET_FIELDS.values()},
        )
    return condition


class Interview(SealedTextModel, models.Model):
    """An interview (约谈) of the responsible persons of a platform, an agency, a live
    room operator or a live marketer (Order 117 Art. 52), and its minutes (约谈纪要).

    Its ground is a code of the ``interview`` grounds list of the rule set it is
    pinned to (``rule_set``): the set in force on the day it was scheduled that has
    such a list, else the ``order-117`` set (the Trial Measures have no list)."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("scheduled")
        HELD = "held", _("held, minutes recorded")
        CHECKED = "checked", _("follow-up check done")

    department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("interviewing department"),
        on_delete=models.PROTECT,
        related_name="interviews",
    )
    target_kind = models.CharField(
        _("who is interviewed"), max_length=12, choices=InterviewTarget.choices
    )
    platform = models.ForeignKey(
        "accounts.Platform",
        verbose_name=_("platform"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="interviews",
    )
    agency = models.ForeignKey(
        "registry.Agency",
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    operator = models.ForeignKey(
        "registry.Operator",
        verbose_name=_("operator"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    marketer = models.ForeignKey(
        "registry.Marketer",
        verbose_name=_("live marketer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    inspection = models.ForeignKey(
        PlatformInspection,
        verbose_name=_("inspection it follows"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="interviews",
    )
    rule_set = models.ForeignKey(
        "portal.RuleSet",
        verbose_name=_("rule set"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="interviews",
    )
    ground = models.CharField(
        _("ground"),
        max_length=40,
        help_text=_("A code of the interview grounds list of the rule set."),
    )
    ground_detail = SealedTextField(_("the facts behind the ground"), max_length=5000)
    ground_detail_sealed = SealField()
    scheduled_for = models.DateTimeField(_("date and time"))
    place = models.CharField(_("place"), max_length=200)
    responsible_persons = SealedTextField(
        _("responsible persons interviewed"),
        max_length=2000,
        help_text=_("Name and position of each, one a line."),
    )
    responsible_persons_sealed = SealField()
    attendees = SealedTextField(_("attending for the department(s)"), max_length=2000, blank=True)
    attendees_sealed = SealField()
    issues_raised = SealedTextField(_("issues raised"), max_length=10000, blank=True)
    issues_raised_sealed = SealField()
    commitments = SealedTextField(_("commitments made"), max_length=10000, blank=True)
    commitments_sealed = SealField()
    follow_up_on = models.DateField(_("follow-up check on"), null=True, blank=True)
    follow_up_result = SealedTextField(_("follow-up check result"), blank=True)
    follow_up_result_sealed = SealField()
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.SCHEDULED
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    held_at = models.DateTimeField(_("minutes recorded at"), null=True, blank=True)
    checked_at = models.DateTimeField(_("follow-up checked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("interview")
        verbose_name_plural = _("interviews")
        ordering = ["-scheduled_for", "-id"]
        permissions = [
            ("conduct_interviews", _("Can interview responsible persons and record the minutes")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=_one_target_condition(),
                name="interview_one_target",
                violation_error_message=_("Name the one party interviewed."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.target} · {timezone.localtime(self.scheduled_for):%Y-%m-%d}"

    def get_absolute_url(self):
        return reverse("inspections:interview", args=[self.pk])

    def clean(self):
        expected = INTERVIEW_TARGET_FIELDS.get(self.target_kind)
        for field in INTERVIEW_TARGET_FIELDS.values():
            present = getattr(self, f"{field}_id") is not None
            if field == expected and not present:
                raise ValidationError({field: _("Name the party interviewed.")})
            if field != expected and present:
                raise ValidationError({field: _("Name only the one party interviewed.")})

    @property
    def target(self):
        return self.platform or self.agency or self.operator or self.marketer

    @property
    def ground_row(self):
        """The ground of the rule set (its text and article), ``None`` for an unknown code."""
        from portal.rules import ground_of, rule_set_get

        if not self.rule_set_id:
            return None
        return ground_of(rule_set_get(self.rule_set_id), "interview", self.ground)

    @property
    def ground_label(self) -> str:
        row = self.ground_row
        return row.label if row else self.ground

    @property
    def ground_source(self) -> str:
        row = self.ground_row
        return row.source_label if row else ""

    @property
    def number(self) -> str:
        return f"YT{timezone.localtime(self.scheduled_for):%Y}-{self.pk:04d}"
