"""The age rule of Trial Art. 17: a live marketer, and a live room operator who is
a natural person, is at least 16, and one aged 16 or 17 needs the consent of a
guardian (REGULATIONS.md, "Parties and the age rule")."""

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext_lazy as _

MINIMUM_AGE = 16  # Trial Art. 17
ADULT_AGE = 18  # Civil Code Art. 17


def age_on(birth: date, on: date) -> int:
    """Completed years between ``birth`` and ``on`` (a 29 February birthday counts on 1 March)."""
    years = on.year - birth.year
    if (on.month, on.day) < (birth.month, birth.day):
        years -= 1
    return years


@dataclass(frozen=True)
class AgeStatus:
    age: int
    allowed: bool
    needs_guardian_consent: bool

    @property
    def message(self) -> str:
        if not self.allowed:
            return str(
                _(
                    "Under 16: may not act as a live marketer or run a live room as a "
                    "natural person (Trial Art. 17)."
                )
            )
        if self.needs_guardian_consent:
            return str(_("Aged 16–17: needs a guardian's consent (Trial Art. 17)."))
        return str(_("Adult"))


def age_status(birth: date, on: date) -> AgeStatus:
    """Where a natural person born on ``birth`` stands under Trial Art. 17 on ``on``."""
    age = age_on(birth, on)
    return AgeStatus(
        age=age,
        allowed=age >= MINIMUM_AGE,
        needs_guardian_consent=MINIMUM_AGE <= age < ADULT_AGE,
    )


# The name it had when only marketers were checked.
marketer_age_status = age_status
