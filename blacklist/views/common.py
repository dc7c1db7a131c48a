"""What the blacklist pages share: the entry in scope or 404, and service errors
put beside the form's fields."""

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404

from ..selectors import (
    entries_visible_to,
)


def entry_or_404(request, pk: int):
    return get_object_or_404(entries_visible_to(request.user), pk=pk)


def form_error(form, exc: Exception) -> None:
    if isinstance(exc, ValidationError):
        if hasattr(exc, "error_dict"):
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, exc.messages)
    else:
        form.add_error(None, exc.message)
