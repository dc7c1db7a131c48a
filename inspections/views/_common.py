"""What the pages share: access checks, errors shown on forms, file downloads."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404

from portal.access import object_permission_required

from ..models import Attachment
from ..selectors import attachment_visible_to

STAFF_PERM = "accounts.view_jurisdiction_cases"


def require_staff(user) -> None:
    """Department staff (and site administrators) see the inspection lists; anyone
    else is refused. Object pages take ``staff_object_page`` and answer 404."""
    if not user.has_perm(STAFF_PERM):
        raise PermissionDenied


staff_object_page = object_permission_required(STAFF_PERM)


def form_error(form, exc: Exception) -> None:
    """A domain error or a model's validation error, shown on the form."""
    if isinstance(exc, ValidationError):
        if hasattr(exc, "error_dict"):
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, exc.messages)
    else:
        form.add_error(None, exc.message)


def files_of(form) -> list:
    return list(form.cleaned_data.get("files") or [])


@login_required
def attachment_download(request, pk: int):
    """Files only through a scope check: 404 to whoever may not see the owner."""
    attachment = get_object_or_404(
        Attachment.objects.select_related("item", "document_request", "report__order"), pk=pk
    )
    if not attachment_visible_to(request.user, attachment):
        raise Http404
    response = FileResponse(attachment.file.open("rb"), content_type=attachment.content_type)
    response["Content-Disposition"] = f'inline; filename="file-{attachment.pk}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
