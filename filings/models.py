"""Platforms' disposal filings (Order 117 Art. 12 ¶3), the routes that send each
to the departments it concerns, and notices from departments to platforms
(Art. 12 ¶2, Art. 50) with their replies."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal import dates
from portal.fields import (
    MaskedTextField,
    SealedTextField,
    SealedTextModel,
    SealField,
)
from portal.identity import validate_uscc
from portal.requests import PlatformRequest
from registry.models import IdentityNumberMixin


class Measure(models.TextChoices):
    """The disposal measures a platform takes and files (Order 117 Art. 12 ¶3; Trial
    Art. 9, 14). Those that the blacklist app also knows map onto its
    ``blacklist.Measure`` rows through :data:`BLACKLIST_MEASURE_CODES`."""

    WARNING = "warning", _("warning")
    FUNCTION_LIMIT = "function_limit", _("function limit")
    TRAFFIC_LIMIT = "traffic_limit", _("traffic limit")
    LIVE_SUSPENSION = "live_suspension", _("live suspension")
    TERM_SUSPENSION = "term_suspension", _("suspension for a term")
    ACCOUNT_CLOSURE = "account_closure", _("account closure")
    REREGISTRATION_BAN = "reregistration_ban", _("re-registration ban")
    BLACKLISTING = "blacklisting", _("blacklisting")


# The three gravest measures reach the provincial departments too (Order 117 Art. 12 ¶3).
GRAVEST_MEASURES = frozenset(
    {Measure.ACCOUNT_CLOSURE, Measure.REREGISTRATION_BAN, Measure.BLACKLISTING}
)

# Filing measure → code of the blacklist app's measure catalogue (blacklist.Measure).
BLACKLIST_MEASURE_CODES = {
    Measure.LIVE_SUSPENSION: "live-suspension",
    Measure.TERM_SUSPENSION: "live-suspension",
    Measure.ACCOUNT_CLOSURE: "account-closure",
    Measure.REREGISTRATION_BAN: "re-registration-ban",
    Measure.BLACKLISTING: "platform-blacklist",
}

EXTERNAL_ID_PATTERN = r"^[A-Za-z0-9_-]{1,128}$"


class FilingParty(models.TextChoices):
    LIVE_ROOM = "live_room", _("live room")
    OPERATOR = "operator", _("live room operator")
    MARKETER = "marketer", _("live marketer")
    AGENCY = "agency", _("marketer service agency (MCN)")


class FilingChannel(models.TextChoices):
    API = "api", _("API")
    WEB = "web", _("web form")
    CSV = "csv", _("CSV upload")


class DisposalFiling(SealedTextModel, IdentityNumberMixin):
    """A disposal measure a platform took and filed with the regulators (Order 117
    Art. 12; Trial Art. 9, 10, 14).

    ``(platform, external_id)`` is unique: the same filing sent twice is one filing.
    The party's resident ID number is stored only encrypted, hashed and masked.
    """

    platform = models.ForeignKey(
        "accounts.Platform",
        verbose_name=_("platform"),
        on_delete=models.PROTECT,
        related_name="filings",
    )
    external_id = models.CharField(
        _("platform's id"),
        max_length=128,
        validators=[
            RegexValidator(
                EXTERNAL_ID_PATTERN, _("1–128 letters, digits, “_” or “-”."), code="external_id"
            )
        ],
    )
    party_kind = models.CharField(_("party"), max_length=16, choices=FilingParty.choices)
    party_name = models.CharField(_("party's name"), max_length=200)
    party_uscc = models.CharField(
        _("unified social credit code"), max_length=18, blank=True, validators=[validate_uscc]
    )
    live_room_account = models.CharField(_("live room account id"), max_length=128, blank=True)
    live_room = models.ForeignKey(
        "registry.LiveRoom",
        verbose_name=_("live room on record"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    operator = models.ForeignKey(
        "registry.Operator",
        verbose_name=_("operator on record"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    marketer = models.ForeignKey(
        "registry.Marketer",
        verbose_name=_("marketer on record"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    agency = models.ForeignKey(
        "registry.Agency",
        verbose_name=_("agency on record"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    category = models.ForeignKey(
        "registry.ViolationCategory",
        verbose_name=_("violation"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    measures = models.JSONField(_("measures taken"), default=list)
    suspended_until = models.DateField(
        _("suspended until"), null=True, blank=True, validators=[dates.validate_day]
    )
    blacklisted_until = models.DateField(
        _("blacklisted until"), null=True, blank=True, validators=[dates.validate_day]
    )
    appeal_route = MaskedTextField(_("how to appeal the blacklisting"), blank=True)
    conduct_at = models.DateTimeField(_("conduct at"), validators=[dates.validate_moment])
    acted_at = models.DateTimeField(_("platform acted at"), validators=[dates.validate_moment])
    facts = SealedTextField(_("facts"), max_length=5000)
    facts_sealed = SealField()
    evidence_links = models.JSONField(_("evidence links"), default=list, blank=True)
    received_at = models.DateTimeField(_("received at"), default=timezone.now, db_index=True)
    channel = models.CharField(_("channel"), max_length=8, choices=FilingChannel.choices)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("filed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_by_label = models.CharField(_("filed by"), max_length=200, blank=True)
    # The departments the filing reached (Order 117 Art. 12 ¶3): shared with every
    # filing routed to the same departments for the same reasons.
    route = models.ForeignKey(
        "FilingRoute",
        verbose_name=_("sent to"),
        on_delete=models.PROTECT,
        related_name="filings",
        db_index=False,  # the (route, received_at) index below serves it
    )

    class Meta:
        db_table = "complaints_disposalfiling"
        verbose_name = _("disposal filing")
        verbose_name_plural = _("disposal filings")
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["platform", "external_id"], name="filing_unique_external_id"
            ),
            models.CheckConstraint(
                condition=Q(acted_at__gte=models.F("conduct_at")),
                name="filing_acted_after_conduct",
                violation_error_message=_("The platform cannot act before the conduct."),
            ),
            *dates.range_constraints(
                "filing",
                days=["suspended_until", "blacklisted_until"],
                moments=["conduct_at", "acted_at"],
            ),
        ]
        indexes = [
            models.Index(fields=["platform", "received_at"]),
            models.Index(fields=["category", "received_at"]),
            models.Index(fields=["route", "received_at"]),
            # The list's search box (filings.filters.FilingFilter.filter_q) by the
            # platform's id alone; the party's name has a trigram index (migration 0004).
            models.Index(fields=["external_id"], name="filing_external_id"),
        ]

    def __str__(self) -> str:
        return f"{self.external_id} · {self.party_name}"

    def get_absolute_url(self):
        return reverse("filings:detail", args=[self.pk])

    def clean(self):
        errors = {}
        if self.conduct_at and self.acted_at and self.acted_at < self.conduct_at:
            errors["acted_at"] = _("The platform cannot act before the conduct.")
        if Measure.TERM_SUSPENSION in (self.measures or []) and not self.suspended_until:
            errors["suspended_until"] = _("A suspension for a term needs its end date.")
        if errors:
            raise ValidationError(errors)

    @property
    def measure_labels(self) -> list[str]:
        labels = dict(Measure.choices)
        return [str(labels.get(code, code)) for code in self.measures or []]

    @property
    def is_grave(self) -> bool:
        return bool(GRAVEST_MEASURES & set(self.measures or []))


class RecipientReason(models.TextChoices):
    DOMICILE = (
        "domicile",
        _(
            "county-or-higher department of the platform's domicile: every disposal measure "
            "(Order 117 Art. 12 ¶3; Trial Art. 9, 14)"
        ),
    )
    PROVINCIAL = (
        "provincial",
        _(
            "provincial department of the platform's domicile: account closure, "
            "re-registration ban or blacklisting (Order 117 Art. 12 ¶3)"
        ),
    )


class FilingRoute(models.Model):
    """Where filings went: a set of departments, each with the rule that sent a
    filing there (Order 117 Art. 12 ¶3).

    Filings routed to the same departments for the same reasons share one route,
    so a filing stores one reference instead of a row per department. A route
    never changes: when departments are added or closed, later filings get
    another route and earlier ones keep the departments they reached.
    """

    # "department id:reason" pairs, sorted and joined by ",": one route per set.
    signature = models.CharField(_("signature"), max_length=500, unique=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        db_table = "complaints_filingroute"
        verbose_name = _("filing route")
        verbose_name_plural = _("filing routes")

    def __str__(self) -> str:
        return self.signature or "—"

    @staticmethod
    def signature_of(recipients) -> str:
        """The signature of ``(department id, reason)`` pairs."""
        return ",".join(sorted(f"{department_id}:{reason}" for department_id, reason in recipients))


class RouteRecipient(models.Model):
    """A department a route reaches, and the rule that sends filings there."""

    route = models.ForeignKey(FilingRoute, on_delete=models.CASCADE, related_name="recipients")
    department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        related_name="filing_routes",
    )
    reason = models.CharField(_("why"), max_length=16, choices=RecipientReason.choices)

    class Meta:
        db_table = "complaints_routerecipient"
        verbose_name = _("filing recipient")
        verbose_name_plural = _("filing recipients")
        ordering = ["route", "department__region__code"]
        constraints = [
            models.UniqueConstraint(fields=["route", "department"], name="route_recipient_once")
        ]

    def __str__(self) -> str:
        return f"{self.route_id} → {self.department}"


class NoticeKind(models.TextChoices):
    VIOLATION = (
        "violation",
        _("a violation for the platform to act on (Order 117 Art. 12 ¶2, Art. 50)"),
    )
    UNREACHABLE_OPERATOR = (
        "unreachable_operator",
        _("an operator the department cannot reach: remind them (Order 117 Art. 22)"),
    )


# The clock each kind of notice runs on (portal.ClockRule codes).
NOTICE_CLOCKS = {
    NoticeKind.VIOLATION: "notice-reply",  # Order 117 Art. 12 ¶2, 50: set by the sender
    NoticeKind.UNREACHABLE_OPERATOR: "platform-reminder",  # Order 117 Art. 22: 5 working days
}


class PlatformNotice(PlatformRequest):
    """A department's notice to a platform about a party, and the platform's reply."""

    department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("sending department"),
        on_delete=models.PROTECT,
        related_name="platform_notices",
    )
    platform = models.ForeignKey(
        "accounts.Platform",
        verbose_name=_("platform"),
        on_delete=models.PROTECT,
        related_name="notices",
    )
    kind = models.CharField(_("kind"), max_length=24, choices=NoticeKind.choices)
    party = models.CharField(_("party concerned"), max_length=300)

    class Meta:
        db_table = "complaints_platformnotice"
        verbose_name = _("notice to a platform")
        verbose_name_plural = _("notices to platforms")
        ordering = ["-asked_at", "-id"]
        indexes = [models.Index(fields=["platform", "answered_at"])]

    def __str__(self) -> str:
        return f"{self.department} → {self.platform} ({self.asked_at:%Y-%m-%d})"

    def get_absolute_url(self):
        return reverse("filings:notice", args=[self.pk])

    @property
    def answer_state_label(self) -> str:
        return str(NOTICE_STATE_LABELS[self.answer_state])


NOTICE_STATE_LABELS = {
    "awaiting": _("awaiting the reply"),
    "overdue": _("overdue: no reply by the due date"),
    "answered": _("replied"),
    "answered_late": _("replied late (overdue)"),
}
