"""The reader's own notifications: what the outbox recorded for them (reminders,
overdue notices, assignments, platforms' answers, notices to their platform), in
the reader's language, each linking to what it is about where they may see it."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from .models import Notification
from .notifications import (
    notification_read,
    notification_target,
    notifications_of,
    notifications_shown,
)
from .pagination import BoundedPaginator

PER_PAGE = 50


@login_required
@require_GET
def notification_list(request):
    page = BoundedPaginator(notifications_of(request.user), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "portal/notifications.html",
        {"page": page, "shown": notifications_shown(request.user, page.object_list)},
    )


@login_required
@require_POST
def notifications_mark_read(request):
    notification_read(user=request.user)
    return redirect("notifications")


@login_required
@require_GET
def notification_open(request, pk: int):
    """Mark the reader's notification read and go to what it (or its line ``item``)
    is about; another reader's notification answers 404."""
    try:
        notification = notifications_of(request.user).get(pk=pk)
    except Notification.DoesNotExist as exc:
        raise Http404 from exc
    notification_read(user=request.user, notification_id=notification.pk)
    item = request.GET.get("item")
    target = notification_target(
        request.user, notification, int(item) if item and item.isdigit() else None
    )
    return redirect(target or "notifications")
