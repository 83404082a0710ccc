from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

urlpatterns = [
    path("", include("bioplan.web.urls")),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("departments/", include("bioplan.core.urls")),
    path("users/", include("bioplan.core.user_urls")),
    path("plans/", include("bioplan.plans.urls")),
    path("enterprises/", include("bioplan.enterprises.urls")),
    path("projects/", include("bioplan.projects.urls")),
    path("registry/parks/", include("bioplan.parks.urls")),
    path("tracking/", include("bioplan.tracking.urls")),
    path("reports/", include("bioplan.reports.urls")),
    path("history/", include("bioplan.audit.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path(
        "api/docs/",
        SpectacularSwaggerView.as_view(url_name="api-schema", template_name="web/swagger.html"),
        name="api-docs",
    ),
    path("api/", include("bioplan.api_urls")),
]
