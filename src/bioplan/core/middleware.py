from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequiredMiddleware
from django.http import HttpRequest, HttpResponseBase


class LoginRequiredMiddleware(DjangoLoginRequiredMiddleware):
    """Every page needs a signed-in user; the REST API answers 401/403 itself instead of redirecting.

    DRF views authenticate per request (session or basic auth) and refuse with a JSON error, which
    suits API clients better than a redirect to the login page.
    """

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], view_args: Any, view_kwargs: Any
    ) -> HttpResponseBase | None:
        if getattr(view_func, "cls", None) is not None and request.path.startswith("/api/"):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)
