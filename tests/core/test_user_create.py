"""The operator's `user_create` command and the `user_create` service behind it."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.core.management.base import CommandError
from tests.factories import UserFactory, sample_district

from bioplan.core.choices import Role
from bioplan.core.models import Department, Region, User
from bioplan.core.services import user_create

pytestmark = pytest.mark.django_db


def _run(*args: str, password: str = "Qingpu-office-2026") -> str:
    out = io.StringIO()
    stdin = io.StringIO(password + "\n")
    import sys

    old, sys.stdin = sys.stdin, stdin
    try:
        call_command("user_create", *args, "--password-stdin", stdout=out)
    finally:
        sys.stdin = old
    return out.getvalue()


def test_command_creates_an_ordinary_office_admin_of_the_district() -> None:
    district = sample_district()
    out = _run("qp-office", "--role", "office_admin", "--region", district.name)
    account = User.objects.get(username="qp-office")
    assert "已创建用户 qp-office" in out
    assert (account.role, account.region, account.is_superuser, account.is_staff) == (
        Role.OFFICE_ADMIN,
        district,
        False,
        False,
    )
    assert account.check_password("Qingpu-office-2026")


def test_command_names_an_unknown_region_and_a_weak_password() -> None:
    with pytest.raises(CommandError, match="没有名为“火星区”的区域"):
        _run("x", "--role", "leader", "--region", "火星区")
    district = sample_district()
    with pytest.raises(CommandError, match="密码不符合要求"):
        _run("x", "--role", "leader", "--region", district.name, password="123")
    assert not User.objects.filter(username="x").exists()


def test_liaison_needs_a_department_of_its_region() -> None:
    district = sample_district()
    with pytest.raises(CommandError, match="无法创建用户"):
        _run("liaison1", "--role", "liaison", "--region", district.name)
    Department.objects.create(region=district, name="区经委", short_name="经委")
    _run("liaison1", "--role", "liaison", "--region", district.name, "--department", "区经委")
    assert User.objects.get(username="liaison1").department.name == "区经委"  # type: ignore[union-attr]


def test_office_admin_creates_users_only_in_regions_it_reaches() -> None:
    district = sample_district()
    other = Region.objects.create(name="浦东新区", parent=district.parent, level=district.level)
    office = UserFactory(role=Role.OFFICE_ADMIN, region=district)
    made = user_create(
        username="leader2", password="x-Long-pass-2026", role=Role.LEADER, region=district, user=office
    )
    assert made.region == district and not made.is_superuser
    with pytest.raises(PermissionDenied):
        user_create(
            username="leader3", password="x-Long-pass-2026", role=Role.LEADER, region=other, user=office
        )
    liaison = UserFactory(role=Role.LEADER, region=district)
    with pytest.raises(PermissionDenied):
        user_create(
            username="leader4", password="x-Long-pass-2026", role=Role.LEADER, region=district, user=liaison
        )
