"""What every API shares: the mapping of domain errors to HTTP statuses."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, connection, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, serializers, status
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .errors import DomainError
from .uploads import MAX_FILES, check_upload


def exception_handler(exc, context):
    """DomainError → its status with ``{"detail", "code"}``; Django's
    ValidationError → 400 with field messages; the rest as DRF does it."""
    if isinstance(exc, DomainError):
        return Response({"detail": str(exc.message), "code": exc.code}, status=exc.status)
    if isinstance(exc, DataError):
        # The database refused a value the request carried (a NUL byte, a date or a
        # time-zone offset out of its range): the caller's error, not the server's.
        # Inside a transaction the failed statement spoils it: mark it for rollback.
        if connection.in_atomic_block:
            transaction.set_rollback(True)
        return Response(
            {
                "detail": _("A value in the request is out of range or not allowed."),
                "code": "invalid_data",
            },
            status=status.HTTP_400_BAD_REQUEST,
        )
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if (
        response.status_code == status.HTTP_403_FORBIDDEN
        and not context["request"].user.is_authenticated
    ):
        response.status_code = status.HTTP_401_UNAUTHORIZED
    return response


def HasPerm(perm: str):
    """A DRF permission class requiring ``perm`` (works for API-key users too).
    Reading an object's URL without it answers 404, as for any object out of the
    caller's scope, so the answer never tells that the object exists; an action
    is refused by role (403) before any lookup, the same for every id."""

    class _HasPerm(BasePermission):
        def has_permission(self, request, view):
            user = request.user
            if not (user and user.is_authenticated):
                return False
            if user.has_perm(perm):
                return True
            lookup = getattr(view, "lookup_url_kwarg", None) or getattr(view, "lookup_field", "")
            if request.method in SAFE_METHODS and lookup in getattr(view, "kwargs", {}):
                raise exceptions.NotFound()
            return False

    _HasPerm.__name__ = f"HasPerm[{perm}]"
    return _HasPerm


class UploadsSerializer(serializers.Serializer):
    """Files sent with an answer (multipart, the field ``files`` repeated), each
    checked by content by the kernel's upload checker."""

    files = serializers.ListField(
        child=serializers.FileField(),
        required=False,
        default=list,
        max_length=MAX_FILES,
        help_text=gettext_lazy(
            "Images (JPEG, PNG, WebP) up to 10 MB, PDF up to 20 MB, MP4/MOV up to 50 MB; "
            "checked by content."
        ),
    )

    def validate_files(self, files):
        errors = []
        for upload in files:
            try:
                check_upload(upload)
            except DjangoValidationError as exc:
                errors.extend(exc.messages)
        if errors:
            raise serializers.ValidationError(errors)
        return files


class IssuedDocumentSerializer(serializers.Serializer):
    """An issued document as its owner's API shows it: number, type, verification."""

    number = serializers.CharField()
    type = serializers.CharField(source="kind.code")
    issued_at = serializers.DateTimeField()
    verification_code = serializers.CharField(source="code")
    verify_url = serializers.SerializerMethodField()
    sha256 = serializers.CharField()
    revoked_at = serializers.DateTimeField(allow_null=True)

    def get_verify_url(self, obj) -> str:
        from .documents import verify_url

        return verify_url(obj.code)


def not_found(request, exception=None):
    """handler404: under ``/api/`` a path no route matches (an id that is not a
    number, say) answers the API's JSON error body, as the schema documents; pages
    keep Django's HTML page."""
    from django.http import JsonResponse
    from django.views.defaults import page_not_found

    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("Not found."), "code": "not_found"}, status=404)
    return page_not_found(request, exception)
