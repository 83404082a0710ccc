"""REST endpoints of tracking: indicators, figures (record, choose), cycles, progress reports
(submit, accept, return), target status of a plan. `router` is included under /api/.

Writes on a progress report take the `version` the client read (optimistic concurrency): a report
changed since by someone else is not overwritten, the answer is 409 naming who changed what."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from bioplan.core.api import VERSION_HELP, EditConflictError, EditConflictSerializer
from bioplan.core.concurrency import EditConflict
from bioplan.core.validation import parse_id, parse_period
from bioplan.plans.models import Plan
from bioplan.tracking import selectors, services
from bioplan.tracking.models import Indicator, Observation, ProgressReport, ReportingCycle


def _call(func: Any, **kwargs: Any) -> Any:
    """Run a service, turning Django's permission and validation errors into API errors."""
    try:
        return func(**kwargs)
    except EditConflict as exc:
        current = exc.instance
        body = ProgressReportSerializer(current).data if isinstance(current, ProgressReport) else None
        raise EditConflictError(exc, current=body) from exc
    except DjangoPermissionDenied as exc:
        raise exceptions.PermissionDenied(str(exc)) from exc
    except DjangoValidationError as exc:
        raise exceptions.ValidationError(exc.messages) from exc


class IndicatorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Indicator
        fields = ["id", "name", "unit", "aggregation", "description"]


class ObservationSerializer(serializers.ModelSerializer):
    region_name = serializers.CharField(source="region.name", read_only=True)

    class Meta:
        model = Observation
        fields = [
            "id",
            "indicator",
            "region",
            "region_name",
            "year",
            "quarter",
            "month",
            "value",
            "source",
            "note",
            "department",
            "revision",
            "is_latest",
            "is_chosen",
            "simulated",
            "entered_by",
            "created_at",
        ]
        # No unique-together check here: a second figure for the same indicator, scope, period and source
        # is a correction, which observation_record stores as the next revision (as the page does).
        validators: list[Any] = []
        read_only_fields = [
            "department",
            "revision",
            "is_latest",
            "is_chosen",
            "simulated",
            "entered_by",
            "created_at",
        ]


class ReportingCycleSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReportingCycle
        fields = ["id", "region", "year", "quarter", "deadline", "state", "simulated"]


class ProgressReportSerializer(serializers.ModelSerializer):
    version = serializers.IntegerField(required=False, min_value=0, help_text=VERSION_HELP)

    class Meta:
        model = ProgressReport
        fields = [
            "id",
            "cycle",
            "task",
            "department",
            "progress",
            "percent_done",
            "done_text",
            "next_steps",
            "problems",
            "state",
            "submitted_at",
            "submitted_by",
            "reviewed_at",
            "reviewed_by",
            "review_comment",
            "simulated",
            "version",
        ]
        read_only_fields = [
            "department",
            "state",
            "submitted_at",
            "submitted_by",
            "reviewed_at",
            "reviewed_by",
            "review_comment",
            "simulated",
        ]


class VersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(required=False, min_value=0, help_text=VERSION_HELP)


class ReviewSerializer(VersionSerializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="")


CONFLICT = {409: OpenApiResponse(EditConflictSerializer, description="changed by someone else since read")}


class IndicatorViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Indicator.objects.all()
    serializer_class = IndicatorSerializer


class ObservationViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ObservationSerializer
    filterset_fields = ["indicator", "region", "year", "quarter", "source", "is_latest"]

    def get_queryset(self) -> QuerySet[Observation]:
        return Observation.objects.visible_to(self.request.user).select_related("region").order_by("id")

    def create(self, request: Request) -> Response:
        s = ObservationSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        d = s.validated_data
        obs = _call(
            services.observation_record,
            indicator=d["indicator"],
            region=d["region"],
            year=d["year"],
            quarter=d.get("quarter", 0),
            month=d.get("month", 0),
            value=d["value"],
            source=d["source"],
            note=d.get("note", ""),
            user=request.user,
        )
        return Response(ObservationSerializer(obs).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=ObservationSerializer)
    @action(detail=True, methods=["post"])
    def choose(self, request: Request, pk: str | None = None) -> Response:
        obs = _call(services.observation_choose, observation=self.get_object(), user=request.user)
        return Response(ObservationSerializer(obs).data)


class ReportingCycleViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ReportingCycleSerializer

    def get_queryset(self) -> QuerySet[ReportingCycle]:
        return ReportingCycle.objects.visible_to(self.request.user).order_by("-year", "-quarter", "id")


class ProgressReportViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ProgressReportSerializer
    filterset_fields = ["cycle", "task", "department", "state"]

    def get_queryset(self) -> QuerySet[ProgressReport]:
        return ProgressReport.objects.visible_to(self.request.user).order_by("id")

    @extend_schema(responses={201: ProgressReportSerializer, **CONFLICT})
    def create(self, request: Request) -> Response:
        """Create or update the draft report of the caller's department on a task (cycle, task)."""
        s = ProgressReportSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        d = dict(s.validated_data)
        expected_version = d.pop("version", None)
        report = _call(services.report_save, user=request.user, expected_version=expected_version, **d)
        return Response(ProgressReportSerializer(report).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=VersionSerializer, responses={200: ProgressReportSerializer, **CONFLICT})
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str | None = None) -> Response:
        s = VersionSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        report = _call(
            services.report_submit,
            report=self.get_object(),
            user=request.user,
            expected_version=s.validated_data.get("version"),
        )
        return Response(ProgressReportSerializer(report).data)

    @extend_schema(request=ReviewSerializer, responses={200: ProgressReportSerializer, **CONFLICT})
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: str | None = None) -> Response:
        return self._review(request, services.report_accept)

    @extend_schema(request=ReviewSerializer, responses={200: ProgressReportSerializer, **CONFLICT})
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request: Request, pk: str | None = None) -> Response:
        return self._review(request, services.report_return)

    def _review(self, request: Request, service: Any) -> Response:
        """The office accepts or returns a submitted report, with a comment."""
        s = ReviewSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        report = _call(
            service,
            report=self.get_object(),
            user=request.user,
            comment=s.validated_data["comment"],
            expected_version=s.validated_data.get("version"),
        )
        return Response(ProgressReportSerializer(report).data)


class TargetStatusSerializer(serializers.Serializer):
    target = serializers.IntegerField()
    code = serializers.CharField()
    metric = serializers.CharField()
    as_of = serializers.CharField()
    actual = serializers.DecimalField(max_digits=20, decimal_places=4, allow_null=True)
    period = serializers.CharField(
        help_text="what the actual stands for: 2023年, 2024Q2, 2021—2023年年均增速"
    )
    actual_source = serializers.CharField(
        allow_blank=True, help_text="the figure's source or the derived rule"
    )
    expected = serializers.DecimalField(max_digits=20, decimal_places=4, allow_null=True)
    attainment = serializers.DecimalField(max_digits=12, decimal_places=4, allow_null=True)
    status = serializers.CharField()
    forecast = serializers.CharField(allow_blank=True)
    simulated = serializers.BooleanField()


class TargetStatusViewSet(viewsets.ViewSet):
    """GET /api/target-status/?plan=ID[&as_of=2024Q2]: each target's actual, expected, status, forecast."""

    serializer_class = TargetStatusSerializer

    @extend_schema(responses=TargetStatusSerializer(many=True))
    def list(self, request: Request) -> Response:
        plan_id = parse_id(request.query_params.get("plan"))
        if plan_id is None:
            raise exceptions.ValidationError({"plan": "required: a plan id"})
        plan = get_object_or_404(Plan.objects.visible_to(request.user).select_related("region"), pk=plan_id)
        as_of = None
        if request.query_params.get("as_of"):
            try:
                as_of = parse_period(request.query_params["as_of"])
            except DjangoValidationError as exc:
                raise exceptions.ValidationError({"as_of": exc.messages}) from exc
        rows = [
            {
                "target": ts.target.pk,
                "code": ts.target.code,
                "metric": ts.target.metric,
                "as_of": ts.evaluation.as_of_label,
                "actual": ts.evaluation.actual,
                "period": (actual := selectors.actual_of(ts)).label,
                "actual_source": actual.source,
                "expected": ts.evaluation.expected,
                "attainment": ts.evaluation.attainment,
                "status": ts.status,
                "forecast": ts.evaluation.forecast.sentence if ts.evaluation.forecast else "",
                "simulated": ts.simulated,
            }
            for ts in selectors.target_statuses(plans=[plan], as_of=as_of)
        ]
        return Response(TargetStatusSerializer(rows, many=True).data)


router = DefaultRouter()
router.register("indicators", IndicatorViewSet, basename="indicator")
router.register("observations", ObservationViewSet, basename="observation")
router.register("reporting-cycles", ReportingCycleViewSet, basename="reporting-cycle")
router.register("progress-reports", ProgressReportViewSet, basename="progress-report")
router.register("target-status", TargetStatusViewSet, basename="target-status")
