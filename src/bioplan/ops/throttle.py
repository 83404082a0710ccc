"""Login throttling: after 5 failed passwords for one username from one address within 15 minutes,
further attempts are refused until the window ends.

Counters live in Django's cache (shared by every web process: a file cache under var/ on one
machine, Redis when ``REDIS_URL`` is set), keyed by a hash of the lower-cased username and the
client address. Two pieces use them:

* `ThrottledModelBackend` replaces Django's ModelBackend, so every password check — the login
  page, the admin login, HTTP Basic authentication on the API — counts failures and is refused
  while locked;
* `LoginThrottleMiddleware` answers a locked login-page POST with HTTP 429 and a message saying
  why and for how long, instead of the generic "wrong password" text.
"""

from __future__ import annotations

import contextlib
import hashlib
import ipaddress
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.forms import AuthenticationForm
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _


def _limit() -> int:
    return int(getattr(settings, "BIOPLAN_LOGIN_FAILURE_LIMIT", 5))


def _window() -> int:
    return int(getattr(settings, "BIOPLAN_LOGIN_FAILURE_WINDOW", 15 * 60))


def client_address(request: HttpRequest | None) -> str:
    """The client's address: REMOTE_ADDR, or — behind proxies — taken from the one header the operator
    names (BIOPLAN_CLIENT_IP_HEADER), never from another header a client may send.

    A proxy appends the address it received the request from, so in ``X-Forwarded-For: a, b, c`` only
    the right-most entries were written by the operator's proxies; anything left of them is what the
    client sent and may be forged. With BIOPLAN_TRUSTED_PROXIES = n proxies in front of bioplan, the
    client is the n-th entry from the right (the right-most hop no trusted proxy wrote); a header with
    fewer entries, or an entry that is not an IP address, means the request did not come through the
    proxies as configured, and REMOTE_ADDR is used. A single-value header (X-Real-IP, set by the one
    proxy) is the n = 1 case.
    """
    if request is None:
        return "-"
    remote = str(request.META.get("REMOTE_ADDR", "-"))
    header = getattr(settings, "BIOPLAN_CLIENT_IP_HEADER", "")
    if not header or not request.META.get(header):
        return remote
    hops = [h.strip() for h in str(request.META[header]).split(",")]
    trusted = max(int(getattr(settings, "BIOPLAN_TRUSTED_PROXIES", 1)), 1)
    if len(hops) < trusted:
        return remote
    candidate = hops[-trusted]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


def _key(username: str, address: str) -> str:
    digest = hashlib.sha256(f"{username.strip().lower()}\n{address}".encode()).hexdigest()
    return f"bioplan:login-failures:{digest}"


def login_locked(username: str, address: str) -> bool:
    """True while ``username`` from ``address`` has reached the failure limit in the current window."""
    return int(cache.get(_key(username, address), 0)) >= _limit()


def login_failed(username: str, address: str) -> int:
    """Count a failed password; returns the failures so far in this window (which starts at the first)."""
    key = _key(username, address)
    cache.add(key, 0, timeout=_window())
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=_window())
        return 1


def login_succeeded(username: str, address: str) -> None:
    cache.delete(_key(username, address))


class ThrottledModelBackend(ModelBackend):
    """Django's username/password backend, refusing while locked and counting failures."""

    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> Any:  # type: ignore[override]
        username, password = kwargs.get("username"), kwargs.get("password")
        name = username if username is not None else kwargs.get(get_user_model().USERNAME_FIELD)
        if name is None or password is None:
            return None
        address = client_address(request)
        if login_locked(str(name), address):
            raise PermissionDenied  # ends authentication: no other backend is tried
        user = super().authenticate(request, **kwargs)
        if user is None:
            login_failed(str(name), address)
        else:
            login_succeeded(str(name), address)
        return user


def lockout_message() -> str:
    minutes = max(_window() // 60, 1)
    return _(
        "Too many failed log-ins: this account has entered a wrong password %(limit)d times from this "
        "address. Please try again in %(minutes)d minutes, or ask the office to reset the password."
    ) % {"limit": _limit(), "minutes": minutes}


class LoginThrottleMiddleware:
    """Answers a POST to the login page with 429 and a clear message while the account is locked."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], view_args: Any, view_kwargs: Any
    ) -> HttpResponse | None:
        if request.method != "POST" or request.path not in self._login_paths():
            return None
        username = request.POST.get("username", "")
        if not username or not login_locked(username, client_address(request)):
            return None
        messages.error(request, lockout_message())
        form = AuthenticationForm(request, initial={"username": username})
        template = "admin/login.html" if request.path.startswith("/admin/") else "registration/login.html"
        context: dict[str, Any] = {"form": form, "next": request.POST.get("next", "")}
        if template.startswith("admin/"):
            from django.contrib import admin

            context.update(admin.site.each_context(request))
        response = TemplateResponse(request, template, context, status=429)
        response["Retry-After"] = str(_window())
        return response.render()

    @staticmethod
    def _login_paths() -> set[str]:
        paths = {reverse("login")}
        with contextlib.suppress(NoReverseMatch):  # the admin is not mounted
            paths.add(reverse("admin:login"))
        return paths
