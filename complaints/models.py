"""Complaints (投诉) and reports (举报): what consumers send and departments handle.

A case is routed to one department (Order 117 Art. 47 and the category's
department type), runs on the legal clocks of ``portal.Deadline`` and keeps
an append-only timeline whose public part the consumer sees.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal import dates, i18n
from portal.codes import readable_code
from portal.fields import (
    MaskedJSONField,
    MaskedTextField,
    SealedTextField,
    SealedTextModel,
    SealField,
)
from portal.requests import PlatformRequest
from portal.rules import ground_of, rule_set_get


def new_tracking_code() -> str:
    return "LM" + readable_code(10)


def new_access_key() -> str:
    return readable_code(8)


class Outcome(models.TextChoices):
    MEDIATED = "mediated", _("Mediation reached an agreement")
    MEDIATION_TERMINATED = "mediation_terminated", _("Mediation terminated without agreement")
    PLATFORM_RESOLVED = "platform_resolved", _("Resolved through the platform's handling")
    WITHDRAWN = "withdrawn", _("Withdrawn by the complainant")
    CASE_OPENED = "case_opened", _("A case was opened for investigation")
    NOT_OPENED = "not_opened", _("No case was opened")
    OTHER = "other", _("Other")


class RoutingBasis(models.TextChoices):
    OPERATOR_BUSINESS = (
        "operator_business",
        _("the operator's actual business place (Order 117 Art. 47 ¶2)"),
    )
    OPERATOR_DOMICILE = (
        "operator_domicile",
        _("the operator's registered domicile (Order 117 Art. 47 ¶2)"),
    )
    PLATFORM_DOMICILE = "platform_domicile", _("the platform's domicile (Order 117 Art. 47 ¶1–2)")
    CONSUMER_REGION = (
        "consumer_region",
        _("the consumer's region, as no party could be placed (last resort)"),
    )
    TRIAGE = (
        "triage",
        _(
            "triage: no department of the competent type covers the place; provincial market "
            "supervision assigns it"
        ),
    )
    TRANSFER = "transfer", _("transferred by another department")


# A case still being handled: none of the finished statuses (FINISHED_STATUSES
# below, spelled out here because the queue indexes of Complaint.Meta need it).
OPEN_CASE = ~models.Q(status__in=["declined", "case_opened", "not_opened", "closed", "merged"])


class Complaint(SealedTextModel, models.Model):
    class Kind(models.TextChoices):
        COMPLAINT = "complaint", _("complaint (consumer dispute)")
        REPORT = "report", _("report (tip-off about a violation)")

    class Status(models.TextChoices):
        RECEIVED = "received", _("received, awaiting decision")
        AWAITING_MATERIAL = "awaiting_material", _("waiting for more material")
        ACCEPTED = "accepted", _("accepted, being handled")
        FORWARDED = "forwarded", _("forwarded to the platform")
        DECLINED = "declined", _("not accepted")
        CASE_OPENED = "case_opened", _("case opened")
        NOT_OPENED = "not_opened", _("no case opened")
        CLOSED = "closed", _("closed")
        MERGED = "merged", _("merged into another case")

    tracking_code = models.CharField(
        _("tracking code"), max_length=20, unique=True, default=new_tracking_code, editable=False
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    category = models.ForeignKey(
        "registry.ViolationCategory", verbose_name=_("what happened"), on_delete=models.PROTECT
    )
    platform = models.ForeignKey(
        "accounts.Platform",
        verbose_name=_("platform"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    platform_other = models.CharField(_("other platform"), max_length=100, blank=True)
    live_room = models.ForeignKey(
        "registry.LiveRoom",
        verbose_name=_("live room on record"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    live_room_account = models.CharField(_("live room account id"), max_length=128, blank=True)
    live_room_name = models.CharField(_("live room name"), max_length=200, blank=True)
    live_room_url = models.URLField(_("link to the live room"), blank=True)
    marketer_name = models.CharField(_("marketer"), max_length=100, blank=True)
    occurred_on = models.DateField(
        _("when it happened"), null=True, blank=True, validators=[dates.validate_day]
    )
    order_number = models.CharField(_("order number"), max_length=64, blank=True)
    amount = models.DecimalField(
        _("amount (yuan)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    description = SealedTextField(_("what happened, in your words"))
    description_sealed = SealField()
    consumer_region = models.ForeignKey(
        "accounts.Region",
        verbose_name=_("your region"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    anonymous = models.BooleanField(_("anonymous report"), default=False)
    contact_name = models.CharField(_("your name"), max_length=100, blank=True)
    contact_phone = models.CharField(_("mobile phone"), max_length=20, blank=True)
    # portal.identity.phone_hash of contact_phone, written with it: what the search
    # box and the duplicate check look up (index below), never the number itself.
    contact_phone_hash = models.CharField(max_length=64, blank=True, editable=False)
    contact_email = models.EmailField(_("email"), blank=True)
    access_key = models.CharField(
        _("access key"),
        max_length=8,
        blank=True,
        editable=False,
        help_text=_("Given to an anonymous reporter instead of a contact, to follow the case."),
    )
    language = models.CharField(_("language"), max_length=8, default="zh-hans")

    department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("handling department"),
        on_delete=models.PROTECT,
        related_name="complaints",
        db_index=False,  # (department, status) below serves every lookup by department
    )
    region = models.ForeignKey(
        "accounts.Region",
        verbose_name=_("jurisdiction region"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    routing_basis = models.CharField(
        _("routing basis"), max_length=32, choices=RoutingBasis.choices, blank=True
    )
    in_triage = models.BooleanField(_("in triage"), default=False)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_complaints",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED
    )
    received_at = models.DateTimeField(_("received at"), auto_now_add=True, db_index=True)
    # The rules in force on the day of receipt (Asia/Shanghai), kept to the end.
    rule_set = models.ForeignKey(
        "portal.RuleSet",
        verbose_name=_("rule set"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # A code of the decline grounds of the case's rule set (RuleGround, list "decline").
    decline_reason = models.CharField(_("ground for not accepting"), max_length=32, blank=True)
    outcome = models.CharField(_("outcome"), max_length=32, choices=Outcome.choices, blank=True)
    outcome_text = SealedTextField(_("outcome, as the consumer reads it"), blank=True)
    outcome_text_sealed = SealField()
    extension_state = models.CharField(
        _("extension"),
        max_length=12,
        blank=True,
        choices=[("requested", _("requested")), ("approved", _("approved"))],
    )
    possible_duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("possible duplicate of"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="possible_duplicates",
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_cases",
    )
    rating = models.PositiveSmallIntegerField(
        _("rating"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    rating_comment = SealedTextField(_("comment on the handling"), blank=True)
    rating_comment_sealed = SealField()
    rated_at = models.DateTimeField(_("rated at"), null=True, blank=True)

    deadlines = GenericRelation("portal.Deadline")

    class Meta:
        verbose_name = _("complaint or report")
        verbose_name_plural = _("complaints and reports")
        ordering = ["-received_at"]
        constraints = dates.range_constraints("complaint", days=["occurred_on"])
        indexes = [
            models.Index(fields=["department", "status"]),
            models.Index(fields=["contact_phone_hash", "received_at"], name="complaint_phone_hash"),
            models.Index(fields=["contact_email", "received_at"]),
            # The search box (complaints.selectors.case_search) looks these up whole; its
            # substrings are served by the trigram indexes of migration 0015.
            models.Index(fields=["order_number"], name="complaint_order_number"),
            models.Index(fields=["live_room_account"], name="complaint_live_room_account"),
            # The staff queues (complaints.selectors.queue) read open cases newest
            # first; these partial indexes hold the open cases only, so a provincial
            # queue starts from them instead of sorting its whole scope
            # (EXPLAIN ANALYZE in bench/pages.py: "mine" 74 ms → 5 ms, the
            # "unassigned" count 110 ms → 0.2 ms, "open" by category 287 ms → 2 ms).
            models.Index(
                fields=["assignee", "-received_at"],
                name="complaint_open_mine",
                condition=OPEN_CASE,
            ),
            models.Index(
                fields=["department", "-received_at"],
                name="complaint_open_unassigned",
                condition=OPEN_CASE & models.Q(assignee__isnull=True),
            ),
            models.Index(
                fields=["-received_at", "-id"],
                name="complaint_open_newest",
                condition=OPEN_CASE,
            ),
            # The supervisor's approvals (oversight.approvals) read the extensions
            # requested, oldest first: a handful among a province's million cases
            # (a parallel scan of 150 ms on every home page without it).
            models.Index(
                fields=["received_at", "id"],
                name="complaint_extension_asked",
                condition=models.Q(extension_state="requested"),
            ),
            models.Index(
                fields=["category", "platform"],
                name="complaint_open_category",
                condition=OPEN_CASE,
            ),
            # With the deferred join of portal.pagination.BoundedPaginator, the ids
            # of a queue sorted by due date come from this index and the clocks'
            # alone ("overdue" by due date for a province: 176 ms → 83 ms).
            models.Index(
                fields=["department", "id"],
                name="complaint_open_department",
                condition=OPEN_CASE,
            ),
        ]

    def __str__(self) -> str:
        return self.tracking_code

    def get_absolute_url(self):
        return reverse("complaints:detail", args=[self.pk])

    @property
    def decline_ground(self):
        """The ground it was declined on, from its rule set (``None`` if none)."""
        if not self.decline_reason or not self.rule_set_id:
            return None

        return ground_of(rule_set_get(self.rule_set_id), "decline", self.decline_reason)

    @property
    def decline_ground_label(self) -> str:
        ground = self.decline_ground
        return ground.label if ground else self.decline_reason

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED_STATUSES

    @property
    def platform_label(self) -> str:
        return self.platform.label if self.platform else self.platform_other


FINISHED_STATUSES = {
    Complaint.Status.DECLINED,
    Complaint.Status.CASE_OPENED,
    Complaint.Status.NOT_OPENED,
    Complaint.Status.CLOSED,
    Complaint.Status.MERGED,
}


class Evidence(models.Model):
    """A file a consumer (or the department) attached to a case."""

    complaint = models.ForeignKey(
        Complaint, on_delete=models.PROTECT, related_name="evidence", null=True, blank=True
    )
    file = models.FileField(_("file"), upload_to="evidence/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # Set when the file came with a platform's answer to a forwarded case, not
    # from the consumer.
    forward = models.ForeignKey(
        "PlatformForward",
        verbose_name=_("platform's answer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="files",
    )

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["uploaded_at"]

    def __str__(self) -> str:
        return self.original_name


class CaseEvent(models.Model):
    """One line of a case's timeline. ``public`` lines are the consumer's to see."""

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=40)
    public = models.BooleanField(_("visible to the consumer"), default=False)
    # Written by a person: ``message``. Written by the portal: the msgid in
    # ``message_key`` and its parameters, shown in the reader's language
    # (``portal.i18n``); ``message`` then keeps the text in the portal's language.
    message = MaskedTextField(_("message"), blank=True)
    message_key = models.TextField(blank=True, default="", editable=False)
    message_params = MaskedJSONField(default=dict, blank=True, editable=False)
    data = MaskedJSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.complaint} {self.action}"

    @property
    def text(self) -> str:
        """The line in the active language."""
        if not self.message_key:
            return self.message
        return i18n.render(self.message_key, self.message_params, fallback=self.message)

    @property
    def action_label(self) -> str:
        return str(EVENT_LABELS.get(self.action, self.action))


# What each kind of timeline line records, for staff reading the internal timeline.
EVENT_LABELS = {
    "received": _("received"),
    "document_issued": _("document issued"),
    "assigned": _("assigned"),
    "accepted": _("accepted"),
    "declined": _("declined"),
    "material_requested": _("material requested"),
    "material_received": _("material received"),
    "transferred": _("transferred"),
    "transfer_reason": _("reason for the transfer"),
    "forwarded": _("forwarded to the platform"),
    "platform_answered": _("the platform answered"),
    "closed": _("closed"),
    "public_update": _("message to the consumer"),
    "internal_note": _("internal note"),
    "extension_requested": _("extension requested"),
    "extension_approved": _("extension approved"),
    "extension_refused": _("extension refused"),
    "period_excluded": _("period not counted"),
    "exclusion_reason": _("reason for the period not counted"),
    "due_date_moved": _("time limit moved"),
    "report_decided": _("report decided"),
    "merged": _("merged into another case"),
    "merged_in": _("another case merged in"),
    "rated": _("rated"),
}


class MaterialRequest(SealedTextModel, models.Model):
    """A request to the complainant for more material; the accept clock stands still meanwhile."""

    complaint = models.ForeignKey(
        Complaint, on_delete=models.PROTECT, related_name="material_requests"
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    message = SealedTextField(_("what is needed"))
    message_sealed = SealField()
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answer = SealedTextField(_("answer"), blank=True)
    answer_sealed = SealField()

    class Meta:
        verbose_name = _("request for material")
        verbose_name_plural = _("requests for material")
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"{self.complaint} {self.requested_at:%Y-%m-%d}"


class PlatformForward(PlatformRequest):
    """A case forwarded to the platform for its handling (Trial Art. 15; Order 117 Art. 20)."""

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="forwards")
    platform = models.ForeignKey(
        "accounts.Platform",
        verbose_name=_("platform"),
        on_delete=models.PROTECT,
        related_name="forwards",
    )

    class Meta:
        verbose_name = _("case forwarded to a platform")
        verbose_name_plural = _("cases forwarded to platforms")
        ordering = ["-asked_at"]

    def __str__(self) -> str:
        return f"{self.complaint} → {self.platform}"


class SavedFilter(models.Model):
    """A queue and filters a staff member saved under a name, to open again in one
    click from the case list. Each user's own."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_case_filters"
    )
    name = models.CharField(_("name"), max_length=60)
    query = models.CharField(_("filters"), max_length=1000)
    created_at = models.DateTimeField(_("saved at"), auto_now_add=True)

    class Meta:
        verbose_name = _("saved filter")
        verbose_name_plural = _("saved filters")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "name"], name="saved_filter_name_per_user")
        ]

    def __str__(self) -> str:
        return self.name
