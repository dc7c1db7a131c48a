"""The regulated parties (Trial Art. 2; Order 117 Art. 2) and the taxonomy
of violations and the negative catalogue they are measured against."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import BilingualNameMixin, DepartmentType, Platform, Region
from portal.fields import MaskedJSONField, MaskedTextField
from portal.i18n import localised
from portal.identity import (
    encrypt_identity,
    identity_hash,
    mask_ric,
    ric_birth_date,
    validate_ric,
    validate_uscc,
)

from .age import age_status


class IdentityNumberMixin(models.Model):
    """A resident ID number stored encrypted, found by keyed hash, shown masked.

    Set it only through :meth:`set_id_number`; read the clear number only
    through ``registry.services.identity_reveal``, which checks the role and
    audits the view.
    """

    id_number_encrypted = models.TextField(editable=False, blank=True)
    id_number_hash = models.CharField(max_length=64, editable=False, blank=True, db_index=True)
    id_number_masked = models.CharField(
        _("resident ID number"), max_length=18, editable=False, blank=True
    )

    class Meta:
        abstract = True

    def set_id_number(self, raw: str) -> None:
        number = validate_ric(raw)
        self.id_number_encrypted = encrypt_identity(number)
        self.id_number_hash = identity_hash(number)
        self.id_number_masked = mask_ric(number)
        if hasattr(self, "birth_date"):
            self.birth_date = ric_birth_date(number)

    @property
    def has_id_number(self) -> bool:
        return bool(self.id_number_encrypted)


class PartyKind(models.TextChoices):
    PERSON = "person", _("natural person")
    SOLE_TRADER = "sole_trader", _("individual business (sole trader)")
    ORGANISATION = "organisation", _("organisation")


class Agency(BilingualNameMixin):
    """A marketer service agency / MCN (直播营销人员服务机构)."""

    uscc = models.CharField(
        _("unified social credit code"), max_length=18, unique=True, validators=[validate_uscc]
    )
    domicile = models.ForeignKey(
        Region, verbose_name=_("domicile region"), on_delete=models.PROTECT, related_name="+"
    )
    contact = models.CharField(_("contact"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("marketer service agency (MCN)")
        verbose_name_plural = _("marketer service agencies (MCNs)")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.label


def _check_age(party) -> None:
    """Trial Art. 17: under 16 refused; 16 or 17 only with a guardian's consent."""
    status = party.age_status()
    if status and not status.allowed:
        raise ValidationError({"id_number_masked": status.message})
    if status and status.needs_guardian_consent and not party.guardian_consent:
        raise ValidationError({"guardian_consent": status.message})


class Operator(IdentityNumberMixin):
    """A live room operator (直播间运营者): a person, sole trader or organisation."""

    kind = models.CharField(_("kind"), max_length=16, choices=PartyKind.choices)
    name = models.CharField(_("name"), max_length=200)
    uscc = models.CharField(
        _("unified social credit code"), max_length=18, blank=True, validators=[validate_uscc]
    )
    domicile = models.ForeignKey(
        Region,
        verbose_name=_("domicile region"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    business_region = models.ForeignKey(
        Region,
        verbose_name=_("actual business region"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    business_address = models.CharField(_("actual business address"), max_length=300, blank=True)
    registered_entity = models.BooleanField(
        _("registered as a business entity"),
        default=False,
        help_text=_(
            "Registered with market supervision (经营主体登记). Only then does its domicile "
            "decide jurisdiction when its actual business place is unknown (Order 117 Art. 47 ¶2)."
        ),
    )
    contact = models.CharField(_("contact"), max_length=100, blank=True)
    # From the resident ID number (``set_id_number``): the age rule of Trial Art. 17.
    birth_date = models.DateField(_("birth date"), editable=False, null=True, blank=True)
    guardian_consent = models.BooleanField(
        _("guardian's consent on file"),
        default=False,
        help_text=_("Needed for a natural-person operator aged 16 or 17 (Trial Art. 17)."),
    )

    class Meta:
        verbose_name = _("live room operator")
        verbose_name_plural = _("live room operators")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["uscc"], condition=~Q(uscc=""), name="operator_unique_uscc"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        if self.kind == PartyKind.ORGANISATION and not self.uscc:
            raise ValidationError(
                {"uscc": _("An organisation is identified by its unified social credit code.")}
            )
        if self.kind == PartyKind.PERSON and not self.has_id_number:
            raise ValidationError(
                {"id_number_masked": _("A natural person is identified by a resident ID number.")}
            )
        if self.kind == PartyKind.SOLE_TRADER and not (self.uscc or self.has_id_number):
            raise ValidationError(
                _("A sole trader is identified by a USCC or a resident ID number.")
            )
        _check_age(self)

    def age_status(self, on=None):
        """Trial Art. 17 applies to an operator who is a natural person (a sole trader
        too): ``None`` for an organisation or an unknown birth date."""
        if self.kind == PartyKind.ORGANISATION or not self.birth_date:
            return None
        return age_status(self.birth_date, on or timezone.localdate())


class Marketer(IdentityNumberMixin):
    """A live marketer (直播营销人员): always a natural person (Trial Art. 2)."""

    name = models.CharField(pgettext_lazy("person", "name"), max_length=100)
    birth_date = models.DateField(_("birth date"), editable=False, null=True)
    guardian_consent = models.BooleanField(
        _("guardian's consent on file"),
        default=False,
        help_text=_("Needed for a marketer aged 16 or 17 (Trial Art. 17)."),
    )
    residence = models.ForeignKey(
        Region,
        verbose_name=_("usual residence"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    contact = models.CharField(_("contact"), max_length=100, blank=True)
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="marketers",
    )
    qualifications = MaskedTextField(_("qualifications"), blank=True)

    class Meta:
        verbose_name = _("live marketer")
        verbose_name_plural = _("live marketers")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        if not self.has_id_number:
            raise ValidationError(
                {"id_number_masked": _("A live marketer is identified by a resident ID number.")}
            )
        _check_age(self)

    def age_status(self, on=None):
        if not self.birth_date:
            return None
        return age_status(self.birth_date, on or timezone.localdate())


class Supplier(IdentityNumberMixin):
    """A supplier of the goods sold in live rooms."""

    name = models.CharField(_("name"), max_length=200)
    uscc = models.CharField(
        _("unified social credit code"), max_length=18, blank=True, validators=[validate_uscc]
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    licences = MaskedTextField(_("licences"), blank=True)

    class Meta:
        verbose_name = _("supplier")
        verbose_name_plural = _("suppliers")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        if not (self.uscc or self.has_id_number):
            raise ValidationError(_("A supplier is identified by a USCC or a resident ID number."))


class LiveRoom(models.Model):
    """A live room: one account on one platform, run by an operator."""

    platform = models.ForeignKey(
        Platform, verbose_name=_("platform"), on_delete=models.PROTECT, related_name="live_rooms"
    )
    account_id = models.CharField(_("account id on the platform"), max_length=128)
    name = models.CharField(_("name"), max_length=200)
    operator = models.ForeignKey(
        Operator,
        verbose_name=_("operator"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="live_rooms",
    )
    marketers = models.ManyToManyField(
        Marketer, verbose_name=_("marketers"), blank=True, related_name="live_rooms"
    )

    class Meta:
        verbose_name = _("live room")
        verbose_name_plural = _("live rooms")
        ordering = ["platform__name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["platform", "account_id"], name="liveroom_unique_account"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.account_id})"


class ViolationCategory(BilingualNameMixin):
    """One category of the violation taxonomy, with its articles and the
    department types whose matter it is (REGULATIONS.md, "Violation taxonomy")."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    articles = models.CharField(_("articles"), max_length=300)
    articles_en = models.CharField(_("articles (English)"), max_length=300, blank=True)
    department_types = models.JSONField(
        _("department types handling it"),
        default=list,
        help_text=_("Codes of the department types whose matter this category is."),
    )
    ordering = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("violation category")
        verbose_name_plural = _("violation categories")
        ordering = ["ordering", "code"]

    def __str__(self) -> str:
        return self.label

    def clean(self):
        unknown = set(self.department_types or []) - set(DepartmentType.values)
        if unknown:
            raise ValidationError(
                {
                    "department_types": _("Unknown department types: %(types)s")
                    % {"types": ", ".join(sorted(unknown))}
                }
            )

    @property
    def articles_label(self) -> str:
        return localised(self.articles, self.articles_en)


class NegativeCatalogueItem(BilingualNameMixin):
    """Goods or services that may not be sold by live marketing: the negative
    catalogue of Trial Art. 7 ¶3, each with the law that bars it. (Order 117 Art. 33
    lists unsafe, substandard and prohibited goods; it is not a negative catalogue.)"""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    basis = models.CharField(_("legal basis"), max_length=300)
    basis_en = models.CharField(_("legal basis (English)"), max_length=300, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("negative catalogue item")
        verbose_name_plural = _("negative catalogue")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.label


# --- identity rosters the platforms file (Order 117 Art. 9, 48) ---------------


class RosterStatus(models.TextChoices):
    REJECTED = "rejected", _("not filed: rows with errors")
    PENDING = "pending", _("uploaded, waiting for the platform's confirmation")
    EXPIRED = "expired", _("not confirmed in time: its rows were deleted")
    FILED = "filed", _("filed")
    SUPERSEDED = "superseded", _("superseded by a later roster")


class RosterChannel(models.TextChoices):
    CSV = "csv", _("CSV upload")
    XLSX = "xlsx", _("XLSX upload")
    API = "api", _("API")


class Roster(models.Model):
    """A platform's roster of live room operators and marketers for one half-year,
    filed every January and July (Order 117 Art. 9).

    A roster with any row in error is kept (with its error report) but not filed;
    the platform corrects it and sends it again, as a new version.
    """

    platform = models.ForeignKey(
        Platform, verbose_name=_("platform"), on_delete=models.PROTECT, related_name="rosters"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    half = models.PositiveSmallIntegerField(
        _("half-year"),
        choices=[(1, _("first half (filed in January)")), (2, _("second half (filed in July)"))],
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    status = models.CharField(_("status"), max_length=12, choices=RosterStatus.choices)
    channel = models.CharField(_("channel"), max_length=8, choices=RosterChannel.choices)
    file = models.FileField(_("file as uploaded"), upload_to="rosters/%Y/", blank=True)
    original_name = models.CharField(_("file name"), max_length=200, blank=True)
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    error_count = models.PositiveIntegerField(_("rows with errors"), default=0)
    supersedes = models.ForeignKey(
        "self",
        verbose_name=_("replaces"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now, db_index=True)
    uploaded_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    uploaded_by_label = models.CharField(_("uploaded by"), max_length=200, blank=True)
    filed_at = models.DateTimeField(_("filed at"), null=True, blank=True)
    late = models.BooleanField(
        _("filed late"),
        default=False,
        help_text=_("Filed after the last day of its half-year (Order 117 Art. 9)."),
    )

    class Meta:
        verbose_name = _("identity roster")
        verbose_name_plural = _("identity rosters")
        ordering = ["-uploaded_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["platform", "year", "half"],
                condition=Q(status="filed"),
                name="roster_one_filed_per_period",
            ),
            models.UniqueConstraint(
                fields=["platform", "year", "half", "version"], name="roster_unique_version"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.platform} {self.period_label} v{self.version}"

    def get_absolute_url(self):
        return reverse("rosters:detail", args=[self.pk])

    @property
    def period_label(self) -> str:
        return f"{self.year}-H{self.half}"

    @staticmethod
    def due_on_of(year: int, half: int) -> date:
        """The last day to file a half-year's roster: the end of January or of July
        (Order 117 Art. 9)."""
        return date(year, 1, 31) if half == 1 else date(year, 7, 31)

    @property
    def due_on(self) -> date:
        return self.due_on_of(self.year, self.half)

    @staticmethod
    def date_of(year: int, half: int) -> date:
        """The day a half-year's roster speaks of: its first day (1 January or 1 July).
        Ages on the roster are counted on this day (Trial Art. 17)."""
        return date(year, 1 if half == 1 else 7, 1)

    def late_if_filed_at(self, when) -> bool:
        """Whether filing at ``when`` is after the last day of the half-year (a day
        is a day in Asia/Shanghai)."""
        return timezone.localdate(when) > self.due_on


class RosterRowKind(models.TextChoices):
    OPERATOR = "operator", _("live room operator")
    MARKETER = "marketer", _("live marketer")


class RosterRow(IdentityNumberMixin):
    """One row of a roster as validated; ``errors`` holds what was wrong with it."""

    roster = models.ForeignKey(Roster, on_delete=models.CASCADE, related_name="rows")
    row_number = models.PositiveIntegerField(_("row"))
    kind = models.CharField(_("kind"), max_length=12, choices=RosterRowKind.choices, blank=True)
    name = models.CharField(_("name"), max_length=200, blank=True)
    uscc = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    live_room_account = models.CharField(_("live room account id"), max_length=128, blank=True)
    business_region = models.ForeignKey(
        Region,
        verbose_name=_("actual business region"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    home_region = models.ForeignKey(
        Region,
        verbose_name=_("domicile or usual residence"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    contact = models.CharField(_("contact"), max_length=100, blank=True)
    guardian_consent = models.BooleanField(_("guardian's consent on file"), default=False)
    errors = MaskedJSONField(_("errors"), default=dict, blank=True)

    class Meta:
        verbose_name = _("roster row")
        verbose_name_plural = _("roster rows")
        ordering = ["roster", "row_number"]
        indexes = [models.Index(fields=["roster", "row_number"])]

    def __str__(self) -> str:
        return f"{self.roster_id}:{self.row_number} {self.name}"

    @property
    def identity_key(self) -> str:
        """What identifies the party across rosters: the keyed hash, else the USCC."""
        return self.id_number_hash or self.uscc
