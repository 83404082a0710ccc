"""Request body limit: refuse an over-large upload before Django spools it to disk.

Django caps form fields (DATA_UPLOAD_MAX_MEMORY_SIZE) but streams uploaded files to temporary
files whatever their size; the plan import form checks the size only after the whole file has
arrived. This middleware answers 413 at once when the declared body is larger than
BIOPLAN_MAX_REQUEST_BYTES (default: the upload limit plus 1 MiB for the multipart envelope).
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _


def max_request_bytes() -> int:
    explicit = getattr(settings, "BIOPLAN_MAX_REQUEST_BYTES", None)
    if explicit:
        return int(explicit)
    return int(settings.BIOPLAN_MAX_UPLOAD_BYTES) + 2**20


class RequestBodyLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        limit = max_request_bytes()
        if declared > limit:
            message = _(
                "The upload is too large: %(size).1f MB were sent, the limit is %(limit).0f MB. "
                "Split the file or ask the office to import it."
            ) % {"size": declared / 2**20, "limit": settings.BIOPLAN_MAX_UPLOAD_BYTES / 2**20}
            return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
