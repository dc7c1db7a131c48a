"""The law as the portal applies it, for anyone: ``GET /api/v1/rule-sets/``."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import permissions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from .rules import (
    all_grounds_of,
    citations_of,
    clocks_of,
    rule_sets_all,
    rule_sets_in_force,
)


class RuleClockSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField(source="label")
    days = serializers.IntegerField()
    unit = serializers.CharField()
    starts_on = serializers.CharField()
    pauses_in = serializers.ListField(child=serializers.CharField())
    excludes = serializers.ListField(child=serializers.CharField())
    extensions = serializers.IntegerField()
    extension_days = serializers.IntegerField()
    extension_approver = serializers.CharField()
    source = serializers.CharField(source="source_label")
    certainty = serializers.CharField()
    note = serializers.CharField()


class RuleGroundSerializer(serializers.Serializer):
    list = serializers.CharField()
    code = serializers.CharField()
    text = serializers.CharField(source="label")
    source = serializers.CharField(source="source_label")
    certainty = serializers.CharField()


class RuleCitationSerializer(serializers.Serializer):
    document = serializers.CharField()
    source = serializers.CharField(source="source_label")
    certainty = serializers.CharField()


class RuleSetSerializer(serializers.Serializer):
    code = serializers.CharField()
    version = serializers.IntegerField()
    matter = serializers.CharField()
    title = serializers.CharField(source="label")
    order_number = serializers.CharField()
    published_on = serializers.DateField(allow_null=True)
    in_force_from = serializers.DateField()
    in_force_until = serializers.DateField(allow_null=True)
    replaced_by = serializers.CharField()
    transitional = serializers.CharField()
    clocks = serializers.SerializerMethodField()
    grounds = serializers.SerializerMethodField()
    citations = serializers.SerializerMethodField()

    @extend_schema_field(RuleClockSerializer(many=True))
    def get_clocks(self, obj):
        return RuleClockSerializer(clocks_of(obj), many=True).data

    @extend_schema_field(RuleGroundSerializer(many=True))
    def get_grounds(self, obj):
        return RuleGroundSerializer(all_grounds_of(obj), many=True).data

    @extend_schema_field(RuleCitationSerializer(many=True))
    def get_citations(self, obj):
        return RuleCitationSerializer(citations_of(obj), many=True).data


class OnDateSerializer(serializers.Serializer):
    on = serializers.DateField(required=False, input_formats=["%Y-%m-%d"])


class RuleSetListView(APIView):
    """The rule sets the portal applies: every one, or with ``?on=YYYY-MM-DD`` those
    in force that day. Public: the law is public."""

    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "on",
                OpenApiTypes.DATE,
                description="Only the sets in force on this day (YYYY-MM-DD).",
            )
        ],
        responses={200: RuleSetSerializer(many=True)},
        tags=["rule-sets"],
    )
    def get(self, request):
        query = OnDateSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        day = query.validated_data.get("on")
        sets = rule_sets_in_force(day) if day else rule_sets_all()
        return Response(RuleSetSerializer(sets, many=True).data)
