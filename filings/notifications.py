"""Messages about notices to platforms: to the platform's officers when a notice
arrives, to its sender when the platform replies. Recorded in the transaction
of their cause and sent once by the kernel (``portal/notifications.py``); each
reader sees them on their notifications page in their language."""

from django.utils import timezone
from django.utils.translation import gettext_lazy

from accounts.models import Role, User
from portal.notifications import notify_accounts

from .models import PlatformNotice

SENT_KIND = "filings.notice.sent"
REPLIED_KIND = "filings.notice.replied"
SENT = gettext_lazy("%(department)s sent your platform a notice: the reply is due on %(due)s.")
REPLIED = gettext_lazy("%(platform)s replied to your notice of %(sent)s.")


def notice_sent_notify(notice: PlatformNotice, *, due) -> int:
    officers = User.objects.filter(
        platform_id=notice.platform_id, groups__name=Role.PLATFORM_OFFICER, is_active=True
    )
    return notify_accounts(
        officers,
        kind=SENT_KIND,
        key=f"{SENT_KIND}:{notice.pk}",
        message=SENT,
        params={"department": notice.department, "due": due.isoformat() if due else ""},
        about=notice,
    )


def notice_replied_notify(notice: PlatformNotice) -> int:
    return notify_accounts(
        [notice.asked_by],
        kind=REPLIED_KIND,
        key=f"{REPLIED_KIND}:{notice.pk}",
        message=REPLIED,
        params={
            "platform": notice.platform,
            "sent": timezone.localdate(notice.asked_at).isoformat(),
        },
        about=notice,
    )
