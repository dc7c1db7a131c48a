"""The official working-day calendar (State Council notices), by year and day."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


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
