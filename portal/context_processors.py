"""What the base template shows on every page for a signed-in reader."""

from django.utils.functional import cached_property


class Unread:
    """The reader's unread notifications, counted in one query the first time the
    template asks (and not at all on a page that does not)."""

    def __init__(self, user):
        self.user = user

    @cached_property
    def count(self) -> int:
        from .notifications import notifications_unread_count

        return notifications_unread_count(self.user)


def notifications(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"notifications_unread": Unread(user)}
