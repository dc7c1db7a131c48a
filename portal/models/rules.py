"""Rule sets: each instrument's clocks, grounds and citations, with the article
that sets each, and the days it is in force."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .. import dates
from ..i18n import localised


class ClockRule(models.Model):
    """A department's own length for a clock the rules leave to it (a *local*
    clock of a rule set: ``RuleClock.certainty == "local"``). The legal clocks
    themselves live in the rule sets and no department changes them."""

    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name (Chinese)"), max_length=200, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    working_days = models.PositiveSmallIntegerField(
        _("days"), validators=[MinValueValidator(1), MaxValueValidator(365)]
    )
    source = models.CharField(_("source (article)"), max_length=300, blank=True)
    source_en = models.CharField(_("source (English)"), max_length=300, blank=True)
    department = models.ForeignKey(
        "accounts.Department", verbose_name=_("department"), on_delete=models.CASCADE
    )

    class Meta:
        verbose_name = _("department's own clock length")
        verbose_name_plural = _("departments' own clock lengths")
        ordering = ["code", "department"]
        constraints = [
            models.UniqueConstraint(fields=["code", "department"], name="clock_one_per_department"),
        ]

    def __str__(self) -> str:
        return f"{self.code} ({self.working_days})"

    def clean(self) -> None:
        local = RuleClock.objects.filter(code=self.code, certainty=Certainty.LOCAL)
        if self.code and not local.exists():
            raise ValidationError(
                {
                    "code": _(
                        "Only a clock the rules leave to the department (a local clock of a "
                        "rule set) can have a department's own length."
                    )
                }
            )


class Certainty(models.TextChoices):
    """How sure the portal is of a rule (REGULATIONS.md)."""

    TEXT = "text", _("checked against the full text")
    SECONDARY = "secondary", _("from summaries only: to be checked against the official text")
    LOCAL = "local", _("set by the department; the rules set no time")


class RuleSet(models.Model):
    """One instrument (or one version of its rules) as data: when it governs, its
    clocks, its grounds lists and the articles each document cites.

    A matter is pinned to the set in force on the day its clock starts and keeps
    it. A set that a matter uses is never edited in place: an admin makes a new
    version (``portal.rules.rule_set_new_version``), which governs the matters
    that start from then on.
    """

    class Matter(models.TextChoices):
        COMPLAINT = "complaint", _("complaints and reports")
        LISTING = "listing", _("serious-dishonesty listings")
        REPAIR = "repair", _("credit repair")
        PLATFORM = "platform", _("live marketing: platforms, inspections, clues, interviews")

    code = models.SlugField(_("code"), max_length=40)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    matter = models.CharField(_("matters governed"), max_length=16, choices=Matter.choices)
    title = models.CharField(_("title (Chinese)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    order_number = models.CharField(_("order number"), max_length=100, blank=True)
    published_on = models.DateField(_("published on"), null=True, blank=True)
    in_force_from = models.DateField(_("in force from"), validators=[dates.validate_day])
    in_force_until = models.DateField(
        _("in force until"),
        null=True,
        blank=True,
        help_text=_("Empty while in force."),
        validators=[dates.validate_day],
    )
    replaced_by = models.CharField(
        _("replaced by (code)"),
        max_length=40,
        blank=True,
        help_text=_("The code of its successor."),
    )
    transitional = models.TextField(
        _("transitional rule"),
        blank=True,
        help_text=_("Which matters it governs when it takes over from its predecessor, and why."),
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("rule set")
        verbose_name_plural = _("rule sets")
        ordering = ["matter", "-in_force_from", "code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="rule_set_code_version"),
            models.CheckConstraint(
                condition=Q(in_force_until__isnull=True)
                | Q(in_force_until__gte=models.F("in_force_from")),
                name="rule_set_in_force_period",
            ),
            *dates.range_constraints("rule_set", days=["in_force_from", "in_force_until"]),
        ]

    def __str__(self) -> str:
        return f"{self.label} (v{self.version})"

    @property
    def label(self) -> str:
        return localised(self.title, self.title_en)

    def clean(self) -> None:
        if self.pk and rule_set_in_use(self):
            raise ValidationError(
                _("This rule set governs matters already: make a new version to change it.")
            )


def rule_set_in_use(rule_set) -> bool:
    """Whether any matter or clock is pinned to ``rule_set`` (every foreign key to it)."""
    for relation in RuleSet._meta.related_objects:
        if relation.related_model in (RuleClock, RuleGround, RuleCitation):
            continue
        if relation.related_model._default_manager.filter(
            **{relation.field.name: rule_set}
        ).exists():
            return True
    return False


class RuleItem(models.Model):
    """What every rule of a set has: where it comes from and how sure we are of it."""

    rule_set = models.ForeignKey(RuleSet, verbose_name=_("rule set"), on_delete=models.CASCADE)
    source = models.CharField(_("source (article)"), max_length=300)
    source_en = models.CharField(_("source (English)"), max_length=300, blank=True)
    certainty = models.CharField(
        _("certainty"), max_length=16, choices=Certainty.choices, default=Certainty.TEXT
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        abstract = True

    @property
    def source_label(self) -> str:
        return localised(self.source, self.source_en)

    @property
    def is_local(self) -> bool:
        return self.certainty == Certainty.LOCAL

    def clean(self) -> None:
        if self.rule_set_id and rule_set_in_use(self.rule_set):
            raise ValidationError(
                _("This rule set governs matters already: make a new version to change it.")
            )


class RuleClock(RuleItem):
    """A time limit of a rule set: its length, what starts it, what stops it, what
    does not count, and how it may be extended and by whom."""

    class Unit(models.TextChoices):
        WORKING = "working", _("working days")
        CALENDAR = "calendar", pgettext_lazy("clock unit", "calendar days")

    class Start(models.TextChoices):
        RECEIPT = "receipt", _("receipt")
        ACCEPTANCE = "acceptance", _("acceptance")
        FORWARD = "forward", _("forwarding to the platform")
        NOTICE = "notice", _("service of the notice")
        REQUEST = "request", _("the request")
        TRANSFER = "transfer", _("the transfer")

    class Approver(models.TextChoices):
        SUPERVISOR = "supervisor", _("a supervisor")
        HEAD = "head", _("the department head (负责人)")

    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name (Chinese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    days = models.PositiveSmallIntegerField(
        _("length"), validators=[MinValueValidator(1), MaxValueValidator(365)]
    )
    unit = models.CharField(_("unit"), max_length=16, choices=Unit.choices, default=Unit.WORKING)
    starts_on = models.CharField(_("starts on"), max_length=16, choices=Start.choices)
    pauses_in = models.JSONField(
        _("stands still while the matter is"),
        default=list,
        blank=True,
        help_text=_(
            "States of the matter in which the clock stands still, e.g. awaiting_material."
        ),
    )
    excludes = models.JSONField(
        _("periods that do not count"),
        default=list,
        blank=True,
        help_text=_("Any of: testing, inspection, quarantine, appraisal."),
    )
    extensions = models.PositiveSmallIntegerField(_("extensions allowed"), default=0)
    extension_days = models.PositiveSmallIntegerField(_("days per extension"), default=0)
    extension_approver = models.CharField(
        _("extension approved by"), max_length=16, choices=Approver.choices, blank=True
    )

    class Meta:
        verbose_name = _("clock of a rule set")
        verbose_name_plural = _("clocks of a rule set")
        ordering = ["rule_set", "code"]
        constraints = [
            models.UniqueConstraint(fields=["rule_set", "code"], name="rule_clock_once_per_set")
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.days} {self.get_unit_display()})"

    @property
    def label(self) -> str:
        return localised(self.name, self.name_en)

    def clean(self) -> None:
        super().clean()
        unknown = set(self.excludes or []) - set(EXCLUDED_PERIODS)
        if unknown:
            raise ValidationError(
                {
                    "excludes": _("Unknown periods: %(names)s.")
                    % {"names": ", ".join(sorted(unknown))}
                }
            )
        if self.extensions and not (self.extension_days and self.extension_approver):
            raise ValidationError(
                _("An extendable clock needs the days of an extension and who approves it.")
            )


EXCLUDED_PERIODS = {
    "testing": _("testing"),
    "inspection": _("inspection"),
    "quarantine": _("quarantine"),
    "appraisal": _("appraisal"),
}


class RuleGround(RuleItem):
    """One entry of a grounds list: a decline ground, an interview ground, a measure."""

    class List(models.TextChoices):
        DECLINE = "decline", _("grounds for not accepting a complaint")
        INTERVIEW = "interview", _("grounds for an interview")
        LISTING_MEASURE = "listing_measure", _("measures against a listed party")

    list = models.CharField(_("list"), max_length=20, choices=List.choices)
    code = models.SlugField(_("code"), max_length=40)
    label_zh = models.CharField(_("text (Chinese)"), max_length=300)
    label_en = models.CharField(_("text (English)"), max_length=300, blank=True)
    ordering = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("ground of a rule set")
        verbose_name_plural = _("grounds of a rule set")
        ordering = ["rule_set", "list", "ordering", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule_set", "list", "code"], name="rule_ground_once_per_list"
            )
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return localised(self.label_zh, self.label_en)


class RuleCitation(RuleItem):
    """The articles a kind of document (or page) cites under a rule set."""

    document = models.SlugField(_("document"), max_length=40)

    class Meta:
        verbose_name = _("citation of a rule set")
        verbose_name_plural = _("citations of a rule set")
        ordering = ["rule_set", "document"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule_set", "document"], name="rule_citation_once_per_document"
            )
        ]

    def __str__(self) -> str:
        return f"{self.document}: {self.source_label}"
