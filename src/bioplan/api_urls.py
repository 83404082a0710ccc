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
urlpatterns = router.urls
