"""The start page, the health check and the help pages (用户手册, 接口说明)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required, login_required
from django.db import DatabaseError, connection
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from bioplan.web import help as help_docs
from bioplan.web.context_processors import nav_items_for
from bioplan.web.panels import render_start_panels


@login_required
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "web/home.html",
        {"sections": nav_items_for(request), "panels": render_start_panels(request)},
    )


@login_not_required
@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """200 {"status": "ok", "database": "ok"} when the database answers ``SELECT 1``; 503 otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "error"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@login_required
@require_safe
def help_page(request: HttpRequest, doc: str) -> HttpResponse:
    """docs/user-guide.md or docs/api-guide.md rendered in the app's frame (every signed-in user)."""
    page = help_docs.render_doc(doc)
    return render(request, "web/help.html", {"page": page, "doc": doc})


@login_required
@require_safe
def help_image(request: HttpRequest, name: str) -> FileResponse:
    """A screenshot of the user guide (docs/user-guide/img/NAME.png); 404 for any other name."""
    path = help_docs.image_path(name)
    if path is None:
        raise Http404(name)
    return FileResponse(path.open("rb"), content_type="image/png")
