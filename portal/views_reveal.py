"""Sealed free text in full, for a role that may see identity numbers (portal.reveal).

- the page ``/free-text/<model>/<pk>/<field>/`` asks why, then shows the text;
- ``POST /api/v1/free-text/reveal/`` does the same for a staff script.

Both find the object through the scope its app registered: out of scope is 404.
Both answers carry ``Cache-Control: no-store``.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from .access import object_page_for
from .errors import DomainError, NotAllowed
from .forms import RevealForm
from .reveal import can_reveal, free_text_reveal, reachable


@login_required
@require_http_methods(["GET", "POST"])
@object_page_for(lambda user: not user.platform_id)  # a staff page: 404 to a platform
def free_text_page(request, model: str, pk: int, field: str):
    subject, field_name = reachable(request.user, model, pk, field)
    if not can_reveal(request.user):  # staff who read the masked text only
        raise PermissionDenied
    form = RevealForm(request.POST or None)
    revealed = None
    if request.method == "POST" and form.is_valid():
        try:
            revealed = free_text_reveal(
                actor=request.user,
                subject=subject,
                field_name=field_name,
                purpose=form.cleaned_data["purpose"],
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
    response = render(
        request,
        "portal/free_text.html",
        {
            "subject": subject,
            "label": subject._meta.get_field(field_name).verbose_name,
            "masked": getattr(subject, field_name),
            "form": form,
            "revealed": revealed,
        },
    )
    if revealed is not None:
        add_never_cache_headers(response)
    return response


class RevealRequestSerializer(serializers.Serializer):
    object = serializers.CharField(
        max_length=100, help_text=_("The model, as app.model: complaints.complaint")
    )
    id = serializers.IntegerField(min_value=1)
    field = serializers.CharField(max_length=100)
    purpose = serializers.CharField(max_length=300)


class RevealAnswerSerializer(serializers.Serializer):
    text = serializers.CharField()


class FreeTextRevealView(APIView):
    @extend_schema(
        summary="The full text of a field whose identity numbers are masked (audited)",
        request=RevealRequestSerializer,
        responses={200: RevealAnswerSerializer, 404: None},
    )
    def post(self, request):
        if not can_reveal(request.user):
            raise NotAllowed(_("Your role may not see unmasked identity numbers."))
        serializer = RevealRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        subject, field_name = reachable(request.user, data["object"], data["id"], data["field"])
        text = free_text_reveal(
            actor=request.user, subject=subject, field_name=field_name, purpose=data["purpose"]
        )
        response = Response({"text": text})
        add_never_cache_headers(response)
        return response
