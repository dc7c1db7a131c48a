"""Sign-in lockout by account and address together, with a per-account backstop.

django-axes counts wrong passwords per ``AXES_LOCKOUT_PARAMETERS`` entry:
here ``[["username", "ip_address"], "username"]``. A username is refused from
an address after ``AXES_FAILURE_LIMIT`` failures from that address (so that
someone guessing elsewhere, or a prankster, cannot lock a colleague out of
their own office), and from every address once the failures from all
addresses together reach ``AXES_ACCOUNT_FAILURE_LIMIT`` (a slower limit on a
guessing run spread across many addresses). The address is
``portal.clients.client_address`` (``AXES_CLIENT_IP_CALLABLE``).
"""

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from django.conf import settings
from django.db.models import Sum


def _sum(attempts) -> int:
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


class AccountAndAddressHandler(AxesDatabaseHandler):
    """Axes' database handler, counting the two limits described above."""

    def failures_by_kind(self, request, credentials=None) -> tuple[int, int]:
        """``(failures of this username from this address, from every address)``."""
        by_pair, by_account = self.get_user_attempts(request, credentials)
        return _sum(by_pair), _sum(by_account)

    def get_failures(self, request, credentials=None) -> int:
        attempts = self.get_user_attempts(request, credentials)
        if len(attempts) != 2:  # AXES_LOCKOUT_PARAMETERS changed: axes' own count
            return super().get_failures(request, credentials)
        by_pair, by_account = (_sum(queryset) for queryset in attempts)
        if by_account >= settings.AXES_ACCOUNT_FAILURE_LIMIT:
            return max(by_pair, get_failure_limit(request, credentials))
        return by_pair


def account_locked_everywhere(request, credentials=None) -> bool:
    """Whether the backstop (every address) holds, not only this address's lock."""
    handler = AccountAndAddressHandler()
    try:
        _by_pair, by_account = handler.failures_by_kind(request, credentials)
    except ValueError:  # not the two parameter sets this handler expects
        return False
    return by_account >= settings.AXES_ACCOUNT_FAILURE_LIMIT
