"""Actions on the register."""

from django.db import transaction
from django.utils.translation import gettext as _

from portal.audit import audit_record, identity_view_record
from portal.errors import NotAllowed
from portal.identity import decrypt_identity

from .models import IdentityNumberMixin


@transaction.atomic
def identity_reveal(*, actor, party: IdentityNumberMixin, purpose: str) -> str:
    """Return the clear identity number of ``party`` to a role that needs it, and audit the view.

    The caller has already found ``party`` through a selector of ``actor``'s scope.
    """
    if not actor.has_perm("accounts.view_unmasked_identity"):
        raise NotAllowed(_("Your role may not see unmasked identity numbers."))
    if not purpose.strip():
        raise NotAllowed(_("Say why you need the unmasked number."), status=400)
    if not party.has_id_number:
        return ""
    identity_view_record(actor=actor, subject=party, purpose=purpose.strip())
    audit_record(actor=actor, action="identity.revealed", subject=party, reason=purpose.strip())
    return decrypt_identity(party.id_number_encrypted)
