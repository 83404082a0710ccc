"""Login throttling (bioplan.ops.throttle): 5 wrong passwords per username and address in 15 minutes."""

from __future__ import annotations

import base64
from collections.abc import Iterator

import pytest
from django.core.cache import cache
from django.urls import reverse
from tests.factories import UserFactory

from bioplan.core.choices import Role

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


@pytest.fixture(autouse=True)
def empty_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def zhang():  # type: ignore[no-untyped-def]
    return UserFactory(username="zhang", role=Role.OFFICE_ADMIN)


def _login(client, username="zhang", password=PASSWORD, address="10.1.2.3", **headers):  # type: ignore[no-untyped-def]
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address, **headers
    )


def _fail(client, times, **kwargs):  # type: ignore[no-untyped-def]
    for _ in range(times):
        response = _login(client, password="wrong-password", **kwargs)
        assert response.status_code == 200  # the form again, with the usual error


def test_four_failures_still_allow_the_right_password(client, zhang):
    _fail(client, 4)
    assert _login(client).status_code == 302


def test_after_five_failures_even_the_right_password_is_refused_with_a_clear_message(client, zhang):
    _fail(client, 5)

    response = _login(client)

    assert response.status_code == 429
    assert response["Retry-After"] == "900"
    body = response.content.decode()
    assert "登录失败次数过多" in body and "15 分钟" in body
    assert "_auth_user_id" not in client.session


def test_the_lock_is_per_username_and_address(client, zhang):
    _fail(client, 5)

    assert _login(client, address="10.9.9.9").status_code == 302  # same user, another address
    client.logout()
    other = UserFactory(username="wang", role=Role.OFFICE_ADMIN)
    assert _login(client, username=other.username).status_code == 302  # another user, same address


def test_username_case_does_not_escape_the_lock(client, zhang):
    _fail(client, 5)
    assert _login(client, username="ZHANG").status_code == 429


def test_a_success_resets_the_count(client, zhang):
    _fail(client, 4)
    assert _login(client).status_code == 302
    client.logout()
    _fail(client, 4)
    assert _login(client).status_code == 302


def test_the_lock_ends_when_the_window_expires(client, zhang):
    _fail(client, 5)
    assert _login(client).status_code == 429
    cache.clear()  # what the cache does after 15 minutes
    assert _login(client).status_code == 302


def test_basic_auth_on_the_api_is_throttled_too(client, zhang):
    def api(password: str):  # type: ignore[no-untyped-def]
        token = base64.b64encode(f"zhang:{password}".encode()).decode()
        return client.get("/api/plans/", HTTP_AUTHORIZATION=f"Basic {token}", REMOTE_ADDR="10.1.2.3")

    for _ in range(5):
        assert api("wrong-password").status_code in (401, 403)
    assert api(PASSWORD).status_code in (401, 403)
    assert _login(client).status_code == 429


def test_admin_login_is_throttled_too(client, zhang):
    url = reverse("admin:login")
    for _ in range(5):
        client.post(url, {"username": "zhang", "password": "nope"}, REMOTE_ADDR="10.1.2.3")
    response = client.post(url, {"username": "zhang", "password": PASSWORD}, REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 429
    assert "登录失败次数过多" in response.content.decode()


# --- behind proxies: the client address comes only from the configured header, right-most untrusted hop
XFF = "HTTP_X_FORWARDED_FOR"


@pytest.mark.parametrize("spoofed", ["1.1.1.1", "9.9.9.9, 8.8.8.8", "junk", "2001:db8::1, 7.7.7.7"])
def test_a_client_forging_x_forwarded_for_is_still_locked_out(client, zhang, settings, spoofed) -> None:
    """One proxy (nginx appending $remote_addr): whatever the client writes in front, the address the
    proxy appended is the one counted, so changing the forged part on every try does not help."""
    settings.BIOPLAN_CLIENT_IP_HEADER = XFF
    settings.BIOPLAN_TRUSTED_PROXIES = 1
    for i in range(5):
        forged = f"{spoofed.replace('1.1.1.1', f'1.1.1.{i}')}, 203.0.113.7"
        assert (
            _login(client, password="wrong-password", address="10.0.0.1", **{XFF: forged}).status_code == 200
        )
    response = _login(client, address="10.0.0.1", **{XFF: "5.5.5.5, 203.0.113.7"})
    assert response.status_code == 429
    # Another real client behind the same proxy is not locked out.
    assert _login(client, address="10.0.0.1", **{XFF: "198.51.100.9"}).status_code == 302


def test_two_trusted_proxies_take_the_second_entry_from_the_right(rf, settings) -> None:
    from bioplan.ops.throttle import client_address

    settings.BIOPLAN_CLIENT_IP_HEADER = XFF
    settings.BIOPLAN_TRUSTED_PROXIES = 2
    request = rf.get("/", REMOTE_ADDR="10.0.0.2", **{XFF: "6.6.6.6, 203.0.113.7, 10.0.0.1"})
    assert client_address(request) == "203.0.113.7"
    short = rf.get("/", REMOTE_ADDR="10.0.0.2", **{XFF: "6.6.6.6"})  # did not pass both proxies
    assert client_address(short) == "10.0.0.2"
    junk = rf.get("/", REMOTE_ADDR="10.0.0.2", **{XFF: "x, not-an-ip, 10.0.0.1"})
    assert client_address(junk) == "10.0.0.2"


def test_headers_the_operator_did_not_name_are_ignored(rf, settings) -> None:
    from bioplan.ops.throttle import client_address

    settings.BIOPLAN_CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_REAL_IP="203.0.113.7", **{XFF: "6.6.6.6"})
    assert client_address(request) == "203.0.113.7"
    settings.BIOPLAN_CLIENT_IP_HEADER = ""
    assert client_address(request) == "10.0.0.1"
