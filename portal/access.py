"""Access checks for pages about one object: whoever may not see the object is
answered 404, as if it did not exist, whatever their role. A refusal by role
(403) would tell a platform officer that a staff case of that number exists."""

from django.contrib.auth.decorators import user_passes_test
from django.http import Http404


def object_permission_required(perm: str):
    """As Django's ``permission_required``, for a page about one object: the
    anonymous are sent to sign in, a signed-in user without ``perm`` gets 404."""

    def check(user) -> bool:
        if not user.is_authenticated:
            return False
        if not user.has_perm(perm):
            raise Http404
        return True

    return user_passes_test(check)
