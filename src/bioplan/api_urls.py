"""The REST API under /api/: one router gathering every app's read endpoints."""

from rest_framework.routers import DefaultRouter

from bioplan.core.api import DepartmentViewSet, RegionViewSet
from bioplan.plans.api import ParkViewSet, PlanViewSet, TargetViewSet, TaskViewSet
from bioplan.tracking.api import router as tracking_router

router = DefaultRouter()
router.register("regions", RegionViewSet, basename="region")
router.register("departments", DepartmentViewSet, basename="department")
router.register("plans", PlanViewSet, basename="plan")
router.register("targets", TargetViewSet, basename="target")
router.register("tasks", TaskViewSet, basename="task")
router.register("parks", ParkViewSet, basename="park")

router.registry.extend(tracking_router.registry)  # bioplan.tracking: figures, cycles, reports, target status
# Registries (enterprises, parks, projects): read endpoints
from bioplan.enterprises import api as enterprises_api  # noqa: E402
from bioplan.parks import api as parks_api  # noqa: E402
from bioplan.projects import api as projects_api  # noqa: E402

router.register("enterprises", enterprises_api.EnterpriseViewSet, basename="enterprise")
router.register("enterprise-honours", enterprises_api.HonourViewSet, basename="enterprise-honour")
router.register("enterprise-figures", enterprises_api.FigureViewSet, basename="enterprise-figure")
router.register("products", enterprises_api.ProductViewSet, basename="product")
router.register("derived-rules", enterprises_api.DerivedRuleViewSet, basename="derived-rule")
router.register("registry-parks", parks_api.RegistryParkViewSet, basename="registry-park")
router.register("land-parcels", parks_api.LandParcelViewSet, basename="land-parcel")
router.register("floor-spaces", parks_api.FloorSpaceViewSet, basename="floor-space")
router.register("space-demands", parks_api.SpaceDemandViewSet, basename="space-demand")
router.register("projects", projects_api.ProjectViewSet, basename="project")

# Change history of any tracked object (bioplan.audit)
from django.urls import path  # noqa: E402

from bioplan.audit.api import ObjectHistoryView  # noqa: E402

urlpatterns = [
    *router.urls,
    path(
        "history/<slug:app_label>/<slug:model_name>/<int:pk>/",
        ObjectHistoryView.as_view(),
        name="object-history",
    ),
]
