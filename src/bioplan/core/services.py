"""Writes on regions and departments."""

from __future__ import annotations

from functools import cache
from importlib import resources

from django.db import models, transaction
from django.db.models.deletion import Collector

from bioplan.core.choices import DepartmentKind, RegionLevel
from bioplan.core.models import Department, DepartmentAlias, Region, User


def _data_lines(name: str) -> list[list[str]]:
    text = resources.files("bioplan.core").joinpath("data", name).read_text(encoding="utf-8")
    return [line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#")]


@cache
def _kind_suffixes() -> tuple[tuple[str, str], ...]:
    rows = [(r[0], r[1]) for r in _data_lines("department_kinds.txt")]
    return tuple(sorted(rows, key=lambda r: -len(r[0])))


@cache
def _alias_table() -> dict[str, str]:
    """variant → canonical, from data/department_aliases.txt."""
    table: dict[str, str] = {}
    for row in _data_lines("department_aliases.txt"):
        for variant in row[1:]:
            table[variant] = row[0]
    return table


def department_kind_for(name: str) -> str:
    """Guess a department's kind from how its name ends (区经委 → 委办局, 华新镇 → 街镇)."""
    for suffix, kind in _kind_suffixes():
        if name.endswith(suffix):
            return kind
    return DepartmentKind.OTHER


def short_name_for(name: str) -> str:
    return name[1:] if name.startswith("区") and len(name) > 2 else name


@transaction.atomic
def region_get_or_create(
    *, name: str, level: str = RegionLevel.DISTRICT, parent: Region | None = None
) -> Region:
    """The region of that name under `parent` (a district under 上海市 by default)."""
    if parent is None and level != RegionLevel.CITY:
        parent, _ = Region.objects.get_or_create(
            name="上海市", parent=None, defaults={"level": RegionLevel.CITY}
        )
    region, _ = Region.objects.get_or_create(name=name, parent=parent, defaults={"level": level})
    return region


def department_lookup(*, name: str, region: Region | None) -> Department | None:
    """The department that `name` denotes in `region`: its own name, a stored alias, or a known variant."""
    name = name.strip()
    found = Department.objects.filter(region=region, name=name).first()
    if found:
        return found
    alias = (
        DepartmentAlias.objects.select_related("department")
        .filter(department__region=region, name=name)
        .first()
    )
    if alias:
        return alias.department
    table = _alias_table()
    canonical = table.get(name)
    if canonical is None and name in table.values():
        canonical = name
    if canonical:
        variants = [canonical, *[v for v, c in table.items() if c == canonical]]
        return Department.objects.filter(region=region, name__in=variants).order_by("created_at").first()
    return None


@transaction.atomic
def department_resolve(*, name: str, region: Region | None) -> Department:
    """Find the department `name` denotes in `region`, creating it (and recording the spelling) if new.

    A spelling variant of a known department (区市场监督管理局 for 区市场监管局) resolves to the existing
    department and is stored as its alias, so the department page gathers both spellings.
    """
    name = name.strip()
    if not name:
        raise ValueError("department name is empty")
    department = department_lookup(name=name, region=region)
    if department is None:
        department = Department(
            name=name, short_name=short_name_for(name), region=region, kind=department_kind_for(name)
        )
        department.full_clean()
        department.save()
    elif department.name != name:
        DepartmentAlias.objects.get_or_create(department=department, name=name)
    return department


def audited_save(
    instance: models.Model, *, user: User | None, reason: str, exclude: list[str] | None = None
) -> None:
    """Validate (full_clean) and save `instance`, its history row naming `user` and `reason`.

    Every service writes through this, so the change history (django-simple-history) always says
    who changed what and why, whether the write came from a page, the API, the CLI or a job.
    """
    instance.full_clean(exclude=exclude)
    instance._history_user = user  # type: ignore[attr-defined]
    instance._change_reason = reason  # type: ignore[attr-defined]
    instance.save()


@transaction.atomic
def record_delete(*, instance: models.Model, user: User | None, reason: str) -> int:
    """Delete `instance` and everything its deletion cascades to; returns the number of rows deleted.

    Every deleted row's history entry (history type "-") names `user` and `reason`, including the
    rows removed by cascade, which Django would otherwise record without a user outside a web
    request (CLI, jobs). The deleted records can be restored from their history (audit app).
    """
    collector = Collector(using=instance._state.db or "default", origin=instance)
    collector.collect([instance])
    for rows in collector.data.values():
        for row in rows:
            row._history_user = user  # type: ignore[attr-defined]
            row._change_reason = reason  # type: ignore[attr-defined]
    deleted, _per_model = collector.delete()
    return deleted


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str,
    role: str,
    region: Region,
    department: Department | None = None,
    first_name: str = "",
    email: str = "",
    user: User | None,
) -> User:
    """Create an ordinary account (never a superuser or staff) in `region`; returns it.

    `user` is the acting user: None for the operator's command line, else an office admin, who may
    only create accounts in the regions it reaches. A liaison needs a department of that region.
    """
    from django.core.exceptions import PermissionDenied, ValidationError
    from django.utils.translation import gettext as _

    from bioplan.core.access import user_reaches_region
    from bioplan.core.choices import Role

    if user is not None and not (
        user.is_superuser or (user.role == Role.OFFICE_ADMIN and user_reaches_region(user, region))
    ):
        raise PermissionDenied(_("Only the office of this region may create its users."))
    if department is not None and department.region_id != region.pk:
        raise ValidationError({"department": _("The department belongs to another region.")})
    account = User(
        username=username,
        role=role,
        region=region,
        department=department,
        first_name=first_name,
        email=email,
        is_staff=False,
        is_superuser=False,
    )
    account.set_password(password)
    account.full_clean(exclude=["password"])
    account.save()
    return account


# ------------------------------------------------------------------------------ accounts
def users_managed_by(user: User) -> models.QuerySet[User]:
    """The accounts an office admin manages: the ordinary accounts of its region and the regions
    below it (never a superuser); everyone else manages none (superusers: all ordinary accounts)."""
    from bioplan.core.access import user_region_q
    from bioplan.core.choices import Role

    accounts = User.objects.filter(is_superuser=False)
    if user.is_superuser:
        return accounts
    if user.role != Role.OFFICE_ADMIN:
        return accounts.none()
    return accounts.filter(user_region_q(user, "region"))


def _require_manager(user: User, account: User) -> None:
    from django.core.exceptions import PermissionDenied
    from django.utils.translation import gettext as _

    if not users_managed_by(user).filter(pk=account.pk).exists():
        raise PermissionDenied(_("Only the office of this region may change its users."))


ACCOUNT_FIELDS = ("first_name", "email", "role", "department", "is_active")


@transaction.atomic
def user_update(*, account: User, user: User, **changes: object) -> User:
    """Change an account's name, e-mail, role, department or whether it may sign in (停用/启用).
    The office never makes a superuser, never moves an account to another region and never
    deactivates or demotes itself."""
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    unknown = set(changes) - set(ACCOUNT_FIELDS)
    if unknown:
        raise ValueError(f"cannot change {sorted(unknown)}")
    _require_manager(user, account)
    if account.pk == user.pk and (
        changes.get("is_active") is False or changes.get("role", account.role) != account.role
    ):
        raise ValidationError(_("You cannot deactivate your own account or change your own role."))
    for key, value in changes.items():
        setattr(account, key, value)
    if account.department is not None and account.department.region_id != account.region_id:
        raise ValidationError({"department": _("The department belongs to another region.")})
    account.full_clean(exclude=["password"])
    account.save()
    return account


@transaction.atomic
def user_password_set(*, account: User, password: str, user: User) -> User:
    """Give an account a new password (the office resets a forgotten one); checked against the
    password rules in settings (length, common passwords, …)."""
    from django.contrib.auth.password_validation import validate_password

    _require_manager(user, account)
    validate_password(password, account)
    account.set_password(password)
    account.save(update_fields=["password"])
    return account


DEPARTMENT_FIELDS = (
    "short_name",
    "kind",
    "contact_name",
    "contact_phone",
    "contact_email",
    "leader_in_charge",
)


def department_editable_by(user: User, department: Department) -> bool:
    """The office of the department's region, or the department's own liaison (its contacts)."""
    from bioplan.core.access import user_reaches_region
    from bioplan.core.choices import Role

    if user.is_superuser:
        return True
    if user.role == Role.OFFICE_ADMIN:
        return department.region is not None and user_reaches_region(user, department.region)
    return user.role == Role.LIAISON and user.department_id == department.pk


@transaction.atomic
def department_update(*, department: Department, user: User, **changes: object) -> Department:
    """Change a department's short name, kind and contacts (联络人, 电话, e-mail, 分管领导); its
    name stays as the plans write it (a new spelling becomes an alias on import)."""
    from django.core.exceptions import PermissionDenied
    from django.utils.translation import gettext as _

    unknown = set(changes) - set(DEPARTMENT_FIELDS)
    if unknown:
        raise ValueError(f"cannot change {sorted(unknown)}")
    if not department_editable_by(user, department):
        raise PermissionDenied(_("Only the office of this region or the department's liaison may change it."))
    for key, value in changes.items():
        setattr(department, key, value)
    audited_save(department, user=user, reason="department contacts updated")
    return department
