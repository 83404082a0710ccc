"""Regions, departments and users: who the plan's responsibilities fall on."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from bioplan.core.choices import DepartmentKind, RegionLevel, Role
from bioplan.core.validation import model_field_errors


class CheckedFieldsModel(models.Model):
    """Base of every model (users included): `full_clean()` also runs the shared value checks."""

    class Meta:
        abstract = True

    def clean_fields(self, exclude: Any = None) -> None:
        """Django's field checks, then the shared ones (`core.validation`): no control characters in
        text, integers within the column's range on every database."""
        errors: dict[str, list[ValidationError]] = {}
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        for name, errs in model_field_errors(self, exclude=[*(exclude or ()), *errors]).items():
            errors.setdefault(name, []).extend(errs)
        if errors:
            raise ValidationError(errors)


class TimeStampedModel(CheckedFieldsModel):
    """Base for every model: when a row was created and last changed."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class RegionQuerySet(models.QuerySet["Region"]):
    def districts(self) -> RegionQuerySet:
        return self.filter(level=RegionLevel.DISTRICT)


class Region(TimeStampedModel):
    """An administrative area (行政区划): 市 → 区 → 镇/街道 → 园区."""

    name = models.CharField(_("name"), max_length=100)
    level = models.CharField(_("level"), max_length=16, choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    code = models.CharField(_("code"), max_length=12, blank=True, help_text=_("GB/T 2260 code where known"))

    objects = RegionQuerySet.as_manager()

    class Meta:
        ordering = ["level", "name"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="region_unique_name_in_parent"),
            models.UniqueConstraint(
                fields=["name"], condition=Q(parent__isnull=True), name="region_unique_root_name"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def ancestors(self) -> list[Region]:
        chain: list[Region] = []
        node = self.parent
        while node is not None:
            chain.append(node)
            node = node.parent
        return chain[::-1]


class Department(TimeStampedModel):
    """A responsible unit (责任部门/单位) named by a plan: a bureau, a town, a district company…"""

    name = models.CharField(_("name as written"), max_length=100)
    short_name = models.CharField(_("short name"), max_length=50, blank=True)
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="departments",
    )
    kind = models.CharField(
        _("kind"), max_length=16, choices=DepartmentKind.choices, default=DepartmentKind.OTHER
    )
    contact_name = models.CharField(_("liaison (联络人)"), max_length=50, blank=True)
    contact_phone = models.CharField(_("phone"), max_length=40, blank=True)
    contact_email = models.EmailField(_("e-mail"), blank=True)
    leader_in_charge = models.CharField(
        _("leader in charge (分管领导)"), max_length=50, blank=True, help_text=_("e.g. 王副区长")
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["region__name", "name"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="department_unique_name_in_region"),
        ]

    def __str__(self) -> str:
        return self.name


class DepartmentAlias(TimeStampedModel):
    """Another spelling of a department's name (区市场监督管理局 for 区市场监管局)."""

    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(_("alias"), max_length=100)

    class Meta:
        ordering = ["name"]
        verbose_name = _("department alias")
        verbose_name_plural = _("department aliases")
        constraints = [
            models.UniqueConstraint(fields=["department", "name"], name="alias_unique_per_department")
        ]

    def __str__(self) -> str:
        return f"{self.name} → {self.department.name}"


class User(AbstractUser, CheckedFieldsModel):  # noqa: DJ008 (AbstractBaseUser.__str__: the username)
    """A person who signs in: an office admin, a department liaison, a park operator, a leader or a researcher."""

    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
        help_text=_(
            "The district whose plans this user works on (the city for city-wide users); "
            "a user without a region sees no district's data."
        ),
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.RESEARCHER)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(role=Role.LIAISON) | Q(department__isnull=False),
                name="user_liaison_has_department",
            ),
        ]

    @property
    def is_office_admin(self) -> bool:
        return self.role == Role.OFFICE_ADMIN or self.is_superuser

    @property
    def is_read_only(self) -> bool:
        return self.role in (Role.LEADER, Role.RESEARCHER) and not self.is_superuser
