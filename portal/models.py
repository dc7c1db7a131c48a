"""Cross-cutting records: the working-day calendar, the clocks and their
deadlines, and the append-only audit trail."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .fields import MaskedJSONField, MaskedTextField
from .i18n import localised


class CalendarYear(models.Model):
    """A year whose official schedule (the State Council's notice) is loaded."""

    year = models.PositiveSmallIntegerField(
        _("year"), primary_key=True, validators=[MinValueValidator(2004), MaxValueValidator(2100)]
    )
    source = models.CharField(_("source"), max_length=200)
    notice_text = models.TextField(_("notice text"), blank=True)
    loaded_at = models.DateTimeField(_("loaded at"), auto_now=True)
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("loaded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("official calendar year")
        verbose_name_plural = _("official calendar years")
        ordering = ["-year"]

    def __str__(self) -> str:
        return str(self.year)


class CalendarDay(models.Model):
    """A day that differs from the plain week in a loaded year: a public holiday
    (off) or an adjusted working weekend (调休, on)."""

    date = models.DateField(_("date"), primary_key=True)
    is_workday = models.BooleanField(
        _("working day"), help_text=_("Ticked for an adjusted working weekend, else a day off.")
    )
    name = models.CharField(_("holiday"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}"


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
    in_force_from = models.DateField(_("in force from"))
    in_force_until = models.DateField(
        _("in force until"), null=True, blank=True, help_text=_("Empty while in force.")
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
        CALENDAR = "calendar", _("calendar days")

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


class DeadlineQuerySet(models.QuerySet):
    def open(self):
        return self.filter(state__in=[Deadline.State.RUNNING, Deadline.State.PAUSED])

    def for_object(self, obj):
        return self.filter(content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk)

    def overdue(self, today):
        return self.filter(state=Deadline.State.RUNNING, due_on__lt=today)

    def due_within(self, today, due_by):
        return self.filter(state=Deadline.State.RUNNING, due_on__gte=today, due_on__lte=due_by)


class Deadline(models.Model):
    """A running legal clock on one object (a case, a notice, a transfer).

    The due date is computed when the clock starts and stored; it is
    ``provisional`` when it relied on days of a year whose official schedule
    is not loaded yet, and is recomputed when that year is loaded.
    """

    class State(models.TextChoices):
        RUNNING = "running", _("running")
        PAUSED = "paused", _("paused")
        MET = "met", _("met")
        CANCELLED = "cancelled", _("cancelled")

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    clock = models.CharField(_("clock"), max_length=40)
    source = models.CharField(_("source (article)"), max_length=300)
    rule_set = models.ForeignKey(
        RuleSet,
        verbose_name=_("rule set"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deadlines",
    )
    started_on = models.DateField(_("started on"))
    # The length in ``unit``s (the name is older than calendar-day clocks).
    working_days = models.PositiveSmallIntegerField(_("length"))
    unit = models.CharField(
        _("unit"), max_length=16, choices=RuleClock.Unit.choices, default=RuleClock.Unit.WORKING
    )
    paused_working_days = models.PositiveSmallIntegerField(_("days paused"), default=0)
    excluded_days = models.PositiveSmallIntegerField(
        _("days excluded"),
        default=0,
        help_text=_("Testing, inspection, quarantine or appraisal time, which does not count."),
    )
    paused_on = models.DateField(_("paused on"), null=True, blank=True)
    due_on = models.DateField(_("due on"), db_index=True)
    provisional = models.BooleanField(
        _("provisional"),
        default=False,
        help_text=_("Counted on days of a year whose official schedule is not loaded yet."),
    )
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.RUNNING
    )
    overdue_since = models.DateField(_("overdue since"), null=True, blank=True)
    reminder_sent_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    objects = DeadlineQuerySet.as_manager()

    class Meta:
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")
        ordering = ["due_on"]
        indexes = [
            models.Index(fields=["content_type", "object_id"]),
            # What the sweeps read: running clocks not yet reminded / marked.
            models.Index(
                fields=["due_on"],
                condition=Q(state="running", reminder_sent_at__isnull=True),
                name="deadline_to_remind",
            ),
            models.Index(
                fields=["due_on"],
                condition=Q(state="running", overdue_since__isnull=True),
                name="deadline_to_mark_overdue",
            ),
            # What the staff queues read (complaints.selectors.queue): a case's
            # earliest running clock, and the running clocks due before a day.
            models.Index(
                fields=["content_type", "object_id", "due_on"],
                condition=Q(state="running"),
                name="deadline_running_of_object",
            ),
            models.Index(
                fields=["content_type", "due_on"],
                condition=Q(state="running"),
                name="deadline_running_due",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.clock} → {self.due_on:%Y-%m-%d}"


class ClockExclusion(models.Model):
    """A period that does not count on a clock (testing, inspection, quarantine,
    appraisal), as the rule set allows; the due date moves by its days."""

    deadline = models.ForeignKey(
        Deadline, verbose_name=_("clock"), on_delete=models.PROTECT, related_name="exclusions"
    )
    kind = models.CharField(_("kind"), max_length=16)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    days = models.PositiveSmallIntegerField(_("days excluded"))
    reason = MaskedTextField(_("reason"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("excluded period")
        verbose_name_plural = _("excluded periods")
        ordering = ["starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="clock_exclusion_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.starts_on:%Y-%m-%d}–{self.ends_on:%Y-%m-%d}"

    @property
    def kind_label(self) -> str:
        return str(EXCLUDED_PERIODS.get(self.kind, self.kind))


class ClockExtension(models.Model):
    """One approved extension of a clock, by the role its rule set names."""

    deadline = models.ForeignKey(
        Deadline, verbose_name=_("clock"), on_delete=models.PROTECT, related_name="extensions"
    )
    days = models.PositiveSmallIntegerField(_("days"))
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved at"), auto_now_add=True)
    reason = MaskedTextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("clock extension")
        verbose_name_plural = _("clock extensions")
        ordering = ["approved_at", "pk"]

    def __str__(self) -> str:
        return f"+{self.days}"


class AppendOnlyModel(models.Model):
    """A record that is written once and then never changed nor deleted by the app
    (DESIGN.md: history is appended, never overwritten)."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError(
                _("A %(record)s is never changed.") % {"record": self._meta.verbose_name}
            )
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(
            _("A %(record)s is never deleted.") % {"record": self._meta.verbose_name}
        )


class AuditEvent(AppendOnlyModel):
    """One line of the append-only record: who did what to which object, when and why."""

    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=64, db_index=True)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, null=True, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    subject = GenericForeignKey("content_type", "object_id")
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    reason = MaskedTextField(_("reason"), blank=True)
    data = MaskedJSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"


class IdentityView(AppendOnlyModel):
    """A record of one view of an unmasked identity number."""

    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("viewer"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.CharField(max_length=64)
    subject = GenericForeignKey("content_type", "object_id")
    object_repr = models.CharField(_("object"), max_length=200)
    purpose = models.CharField(_("purpose"), max_length=300)

    class Meta:
        verbose_name = _("identity number view")
        verbose_name_plural = _("identity number views")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.object_repr}"


class Notification(models.Model):
    """One outbound message (an email), recorded in the same transaction as what
    caused it and sent by a worker that first claims it, so that it goes out once
    however often its task runs (STYLE.md rule 8; issue 8, reliability)."""

    key = models.CharField(
        _("key"),
        max_length=255,
        unique=True,
        help_text=_("What it is about, its kind and its recipient: the same key is sent once."),
    )
    kind = models.CharField(_("kind"), max_length=80)
    recipient = models.EmailField(_("recipient"), max_length=254)
    object_id = models.BigIntegerField(_("object"), null=True, blank=True)
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    body = MaskedTextField(_("body"), blank=True)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)

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
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient}"


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
