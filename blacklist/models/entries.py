"""The entries of both lists, their states and their name keys for screening."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import BilingualNameMixin
from portal import dates
from portal.fields import (
    MaskedJSONField,
    MaskedTextField,
    SealedTextField,
    SealedTextModel,
    SealField,
)
from portal.i18n import localised_field
from portal.identity import validate_uscc
from portal.models import AppendOnlyModel
from registry.models import PartyKind

from ..screening.names import name_form_text


class ListKind(models.TextChoices):
    DEPARTMENTS = "departments", _("departments' joint-punishment list")
    PLATFORMS = "platforms", _("platforms' shared blacklist")


class ShareScope(models.TextChoices):
    """Who sees a departments' list entry (Trial Art. 29: shared for joint punishment)."""

    ALL = "all", _("all departments")
    PROVINCE = "province", _("departments of the lister's province")


class Status(models.TextChoices):
    PROPOSED = "proposed", _("proposed")
    NOTIFIED = "notified", _("notice served, statement window running")
    HEARD = "heard", _("statement recorded")
    LISTED = "listed", _("listed")
    REPAIR_PENDING = "repair_pending", _("listed, credit repair applied for")
    REPAIR_ACCEPTED = "repair_accepted", _("listed, credit repair application accepted")
    DROPPED = "dropped", _("not listed (dropped)")
    EXPIRED = "expired", _("removed: term ended")
    REPAIRED = "repaired", _("removed: credit repaired")
    REVOKED = "revoked", _("removed: revoked on review or appeal")


# The states in which an entry is on the list (and shown, screened, enforced).
ACTIVE_STATUSES = (Status.LISTED, Status.REPAIR_PENDING, Status.REPAIR_ACCEPTED)
REMOVED_STATUSES = (Status.EXPIRED, Status.REPAIRED, Status.REVOKED)
PRE_LISTING_STATUSES = (Status.PROPOSED, Status.NOTIFIED, Status.HEARD, Status.DROPPED)


class Measure(BilingualNameMixin):
    """A joint-punishment (or platform disposal) measure, with the article it rests on."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    basis = models.CharField(_("legal basis"), max_length=300)
    basis_en = models.CharField(_("legal basis (English)"), max_length=300, blank=True)
    for_departments = models.BooleanField(_("applied by departments"), default=True)
    for_platforms = models.BooleanField(_("applied by platforms"), default=False)
    ordering = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("joint-punishment measure")
        verbose_name_plural = _("joint-punishment measures")
        ordering = ["ordering", "code"]

    def __str__(self) -> str:
        return self.label

    @property
    def basis_label(self) -> str:
        return localised_field(self, "basis")


class EntryQuerySet(models.QuerySet):
    def active(self, today=None):
        """On the list today: listed (or awaiting a repair decision) and within the term.

        An entry whose term has ended leaves the list at once, even before the
        periodic sweep writes its ``expired`` state row (Order 117 Art. 14).
        """
        condition = Q(current__status__in=ACTIVE_STATUSES)
        if today is not None:
            condition &= Q(term_ends_on__gt=today)
        return self.filter(condition)

    def due_to_expire(self, today):
        return self.filter(current__status__in=ACTIVE_STATUSES, term_ends_on__lte=today)


class Entry(SealedTextModel, models.Model):
    """One party on (or proposed for) one of the two lists."""

    list = models.CharField(_("list"), max_length=16, choices=ListKind.choices)
    reference = models.CharField(_("reference"), max_length=24, unique=True, editable=False)

    # The party, as identified when listed (a copy: the register may change).
    party_kind = models.CharField(_("kind of party"), max_length=16, choices=PartyKind.choices)
    name = models.CharField(_("name"), max_length=200)
    name_masked = models.CharField(_("name (masked)"), max_length=200, editable=False)
    # ``blacklist.screening.name_form_text(name)``, written by ``save()``: what screening
    # scores a candidate by, without normalising its name again.
    name_form = models.TextField(blank=True, editable=False)
    id_number_hash = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    id_number_masked = models.CharField(
        _("resident ID number"), max_length=18, blank=True, editable=False
    )
    uscc = models.CharField(
        _("unified social credit code"),
        max_length=18,
        blank=True,
        db_index=True,
        validators=[validate_uscc],
    )
    party_type = models.ForeignKey(
        ContentType,
        verbose_name=_("register party type"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    party_id = models.PositiveBigIntegerField(_("register party id"), null=True, blank=True)
    party = GenericForeignKey("party_type", "party_id")

    # Who lists, and who sees it.
    department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("listing department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="blacklist_entries",
    )
    platform = models.ForeignKey(
        "accounts.Platform",
        verbose_name=_("listing platform"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="blacklist_entries",
    )
    share_scope = models.CharField(
        _("shared with"), max_length=16, choices=ShareScope.choices, default=ShareScope.ALL
    )
    share_region_path = models.CharField(
        max_length=64,
        blank=True,
        editable=False,
        db_index=True,
        help_text="Region path of the province an entry is shared in (empty: all).",
    )

    # Grounds, basis and the decision the listing rests on.
    category = models.ForeignKey(
        "registry.ViolationCategory", verbose_name=_("grounds"), on_delete=models.PROTECT
    )
    facts = SealedTextField(_("facts"))
    facts_sealed = SealField()
    legal_basis = models.CharField(_("legal basis (article)"), max_length=300)
    decision_number = models.CharField(
        _("number of the decision it rests on"), max_length=100, blank=True
    )
    decision_date = models.DateField(
        _("date of that decision"), null=True, blank=True, validators=[dates.validate_day]
    )
    decision_document = models.FileField(
        _("that decision (document)"), upload_to="blacklist/decisions/%Y/", blank=True
    )
    term_months = models.PositiveSmallIntegerField(
        _("term (months)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text=_(
            "Three years unless the law says otherwise (SAMR serious-dishonesty list rules "
            "(2021) Art. 22)."
        ),
    )
    proposed_measures = models.ManyToManyField(
        Measure, verbose_name=_("joint-punishment measures"), blank=True, related_name="+"
    )
    appeal_route = MaskedTextField(
        _("how to appeal"),
        blank=True,
        help_text=_("Where and how the party appeals the listing (Order 117 Art. 14)."),
    )

    # The listing rule set in force on the day the notice was served (departments' list).
    rule_set = models.ForeignKey(
        "portal.RuleSet",
        verbose_name=_("rule set"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="listings",
    )

    # Set once, when the entry is listed.
    listed_on = models.DateField(
        _("listed on"), null=True, blank=True, editable=False, validators=[dates.validate_day]
    )
    term_ends_on = models.DateField(
        _("term ends on"),
        null=True,
        blank=True,
        editable=False,
        db_index=True,
        validators=[dates.validate_day],
    )

    # Where it came from: e.g. a platform's disposal filing.
    source_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    source_id = models.CharField(max_length=64, blank=True)
    source = GenericForeignKey("source_type", "source_id")

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    current = models.OneToOneField(
        "EntryState",
        verbose_name=_("state"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    objects = EntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("blacklist entry")
        verbose_name_plural = _("blacklist entries")
        ordering = ["-created_at", "-id"]
        permissions = [
            (
                "propose_entry",
                _("Can propose joint-punishment list entries and serve notices"),
            ),
            ("decide_entry", _("Can decide listings, credit repair and revocations")),
            ("record_measure", _("Can record the joint-punishment measures a department applied")),
            (
                "add_platform_entry",
                _("Can add entries to the platforms' shared blacklist and decide appeals"),
            ),
            ("screen_parties", _("Can screen parties against the blacklists")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(list="departments", department__isnull=False, platform__isnull=True)
                    | Q(list="platforms", platform__isnull=False, department__isnull=True)
                ),
                name="entry_lister_matches_list",
                violation_error_message=_(
                    "A departments' list entry is listed by a department, a platforms' "
                    "list entry by a platform."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(id_number_hash="") | ~Q(uscc=""),
                name="entry_identified",
                violation_error_message=_(
                    "An entry is identified by a resident ID number or a USCC."
                ),
            ),
            *dates.range_constraints("entry", days=["decision_date", "listed_on", "term_ends_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.name_masked}"

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if update_fields is None or "name" in update_fields:  # else the name is not saved
            self.name_form = name_form_text(self.name)
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "name_form"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("blacklist:entry", args=[self.pk])

    def clean(self):
        if not (self.id_number_hash or self.uscc):
            if self.party_kind == PartyKind.PERSON:
                raise ValidationError(_("A natural person is identified by a resident ID number."))
            raise ValidationError(_("An organisation is identified by its USCC."))
        if self.list == ListKind.DEPARTMENTS and not self.term_months:
            raise ValidationError({"term_months": _("Give the term of the listing.")})

    @property
    def status(self) -> str:
        return self.current.status if self.current_id else ""

    def get_status_display(self) -> str:
        return Status(self.status).label if self.status else ""

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def lister(self):
        return self.department or self.platform


class EntryState(AppendOnlyModel):
    """One append-only row of an entry's history: the state it moved to, who, when, why."""

    entry = models.ForeignKey(
        Entry, verbose_name=_("entry"), on_delete=models.PROTECT, related_name="states"
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices)
    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_label = models.CharField(_("acting as"), max_length=200, blank=True)
    reason = MaskedTextField(_("reason"), blank=True)
    data = MaskedJSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("entry state")
        verbose_name_plural = _("entry states")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_status_display()}"


class EntryNameKey(models.Model):
    """A normalised form of an entry's name, the blocking index of screening."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="name_keys")
    key = models.CharField(max_length=200)

    class Meta:
        verbose_name = _("name key")
        verbose_name_plural = _("name keys")
        indexes = [models.Index(fields=["key", "entry"], name="blacklist_namekey_key")]
        constraints = [
            models.UniqueConstraint(fields=["entry", "key"], name="namekey_unique_per_entry")
        ]

    def __str__(self) -> str:
        return self.key
