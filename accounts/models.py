"""Users, regions, departments and platforms: who acts and over what ground."""

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal import dates
from portal.i18n import localised
from portal.identity import validate_uscc


class BilingualNameMixin(models.Model):
    """A Chinese ``name`` and an English ``name_en``; ``label`` follows the language."""

    name = models.CharField(_("name (Chinese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)

    class Meta:
        abstract = True

    @property
    def label(self) -> str:
        return localised(self.name, self.name_en)


class Region(BilingualNameMixin):
    """An administrative division keyed by its GB/T 2260 code, as a tree.

    ``path`` holds the codes from the national root down to this region
    (``/100000/330000/330100/``), so "this region and every region below
    it" is one indexed prefix match.
    """

    class Level(models.IntegerChoices):
        NATIONAL = 0, _("national")
        PROVINCE = 1, _("province")
        CITY = 2, _("city")
        COUNTY = 3, _("county")

    code = models.CharField(
        _("GB/T 2260 code"),
        max_length=6,
        primary_key=True,
        validators=[RegexValidator(r"^\d{6}$", _("A GB/T 2260 code is six digits."))],
    )
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent region"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    path = models.CharField(_("path"), max_length=64, editable=False, db_index=True)

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.label}"

    def save(self, *args, **kwargs):
        self.path = (self.parent.path if self.parent else "/") + f"{self.code}/"
        super().save(*args, **kwargs)

    def clean(self):
        if self.level == self.Level.NATIONAL:
            if self.parent_id:
                raise ValidationError({"parent": _("The national level has no parent.")})
            return
        if not self.parent_id:
            raise ValidationError({"parent": _("Only the national level may have no parent.")})
        if self.parent.level >= self.level:
            raise ValidationError(
                {"parent": _("The parent must be of a higher level than the region.")}
            )
        # GB/T 2260: a city shares its province's first two digits, a county
        # its city's first four (the national root has no such prefix).
        prefix = {self.Level.CITY: 2, self.Level.COUNTY: 4}.get(self.level)
        if (
            prefix
            and self.parent.level != self.Level.NATIONAL
            and self.code[:prefix] != self.parent.code[:prefix]
        ):
            raise ValidationError(
                {"code": _("The code does not lie under the parent's code (GB/T 2260).")}
            )

    def is_within(self, other: "Region") -> bool:
        """True when this region is ``other`` or lies below it."""
        return self.path.startswith(other.path)


class DepartmentType(models.TextChoices):
    """The seven kinds of department of Trial Art. 4 (Order 117 Art. 46 names only
    market supervision and cyberspace)."""

    MARKET_SUPERVISION = "market", _("market supervision")
    CYBERSPACE = "cyberspace", _("cyberspace administration")
    PUBLIC_SECURITY = "public_security", _("public security")
    TAXATION = "taxation", _("taxation")
    COMMERCE = "commerce", _("commerce")
    CULTURE_TOURISM = "culture_tourism", _("culture and tourism")
    RADIO_TV = "radio_tv", _("radio and television")
    # Not a regulator: 公安机关/检察机关 receiving clues of suspected crimes (Order 117 Art. 67).
    JUDICIAL = "judicial", _("judicial organ (suspected crimes)")


class Department(BilingualNameMixin):
    """A government department of one type, sitting in one region."""

    type = models.CharField(_("type"), max_length=32, choices=DepartmentType.choices)
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="departments"
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["region__code", "type"]
        permissions = [
            ("view_jurisdiction_cases", _("Can view the cases of the department's jurisdiction")),
            ("handle_cases", _("Can handle cases assigned to them")),
            ("approve_decisions", _("Can approve decisions and reassign cases")),
            (
                "approve_as_head",
                _("Can approve what the rules reserve for the department head (负责人)"),
            ),
            ("manage_department_staff", _("Can manage the department's staff accounts")),
            ("view_unmasked_identity", _("Can view unmasked identity numbers (audited)")),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def signing_key(self) -> str:
        """The key its document-signing certificate is configured under
        (``DOCUMENT_SIGNERS``): region code and department type, ``330100-market``."""
        return f"{self.region_id}-{self.type}"


class Platform(BilingualNameMixin):
    """A live marketing platform operator, as an organisation (Order 117 Art. 2)."""

    uscc = models.CharField(
        _("unified social credit code"), max_length=18, unique=True, validators=[validate_uscc]
    )
    domicile = models.ForeignKey(
        Region,
        verbose_name=_("domicile region"),
        on_delete=models.PROTECT,
        related_name="platforms",
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("platform")
        verbose_name_plural = _("platforms")
        ordering = ["name"]
        permissions = [
            ("file_platform_reports", _("Can file disposal reports and rosters for the platform")),
            ("answer_platform_requests", _("Can answer notices and requests to the platform")),
            ("manage_platform_api_keys", _("Can issue and revoke the platform's API keys")),
        ]

    def __str__(self) -> str:
        return self.label

    def save(self, *args, **kwargs):
        self.uscc = self.uscc.strip().upper()
        super().save(*args, **kwargs)


class PlatformApiKey(models.Model):
    """A named, revocable key with which a platform's systems call the API.

    Only a SHA-256 of the key is stored; the key itself is shown once, when
    issued. ``prefix`` (the first characters) lets people tell keys apart.
    """

    platform = models.ForeignKey(
        Platform, verbose_name=_("platform"), on_delete=models.PROTECT, related_name="api_keys"
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=12, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    created_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("issued by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    expires_at = models.DateTimeField(
        _("expires at"), null=True, blank=True, validators=[dates.validate_moment]
    )
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("platform API key")
        verbose_name_plural = _("platform API keys")
        ordering = ["platform", "-created_at"]
        constraints = dates.range_constraints("api_key", moments=["expires_at"])

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class Role(models.TextChoices):
    """The roles of DESIGN.md; each is a group holding named permissions."""

    HANDLER = "handler", _("case handler")
    SUPERVISOR = "supervisor", _("supervisor")
    DEPARTMENT_HEAD = "department_head", _("department head")
    DEPARTMENT_ADMIN = "department_admin", _("department administrator")
    PLATFORM_OFFICER = "platform_officer", _("platform compliance officer")
    SITE_ADMIN = "site_admin", _("site administrator")


class User(AbstractUser):
    """A person who signs in: regulator staff (with a department) or a platform officer."""

    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
    )
    platform = models.ForeignKey(
        Platform,
        verbose_name=_("platform"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="officers",
    )

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=Q(department__isnull=True) | Q(platform__isnull=True),
                name="user_department_or_platform",
                violation_error_message=_(
                    "A user belongs to a department or a platform, not both."
                ),
            )
        ]

    def get_absolute_url(self):
        return reverse("home")

    def get_full_name(self) -> str:
        """Chinese names read family name first, without a space (王敏)."""
        first, last = self.first_name.strip(), self.last_name.strip()
        if any("\u4e00" <= ch <= "\u9fff" for ch in first + last):
            return f"{last}{first}"
        return super().get_full_name()

    @property
    def role(self) -> str | None:
        """The user's role, from their groups, the most powerful first."""
        names = {g.name for g in self.groups.all()}
        if self.is_superuser:
            return Role.SITE_ADMIN
        for role in (
            Role.SITE_ADMIN,
            Role.DEPARTMENT_ADMIN,
            Role.DEPARTMENT_HEAD,
            Role.SUPERVISOR,
            Role.HANDLER,
            Role.PLATFORM_OFFICER,
        ):
            if role.value in names:
                return role
        return None

    @property
    def role_label(self) -> str:
        role = self.role
        return Role(role).label if role else ""
