"""Access checks for pages about one object: whoever may not see the object is
answered 404, as if it did not exist, whatever their role. A refusal by role
(403) would tell a platform officer that a staff case of that number exists.

``object_page_for(test)`` is the one refusal: the anonymous are sent to sign in,
a signed-in user who fails ``test`` gets 404. List pages keep Django's own
``permission_required(..., raise_exception=True)`` and answer 403."""

from collections.abc import Callable

from django.contrib.auth.decorators import user_passes_test
from django.http import Http404


def object_page_for(test: Callable[[object], bool]):
    """Decorate a view about one object: 404 to a signed-in user for whom
    ``test(user)`` is false."""

    def check(user) -> bool:
        if not user.is_authenticated:
            return False
        if not test(user):
            raise Http404
        return True

    return user_passes_test(check)


def object_permission_required(perm: str):
    """As Django's ``permission_required``, for a page about one object."""
    return object_page_for(lambda user: user.has_perm(perm))
