"""``/approvals/``: what waits for the signed-in user's decision (oversight.approvals)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from .approvals import waiting_for


@login_required
def approvals(request):
    if not request.user.department_id:
        raise PermissionDenied
    return render(request, "oversight/approvals.html", {"waiting": waiting_for(request.user)})
