"""The enterprise registry's FilterSets: one per list, shared by its page, its export and the API."""

from __future__ import annotations

from typing import Any

import django_filters as filters
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bioplan.core.api_lists import BoundedPageFilterSet
from bioplan.enterprises.choices import CultivationTier, HonourKind, Segment
from bioplan.enterprises.models import CultivationEntry, Enterprise, Honour

YES_NO = (("1", _("Yes")), ("0", _("No")))


def _by_name_or_code(queryset: QuerySet[Any], prefix: str, value: str) -> QuerySet[Any]:
    value = value.strip()[:60]
    if not value:
        return queryset
    if len(value) >= 18:  # a 统一社会信用代码 is 18 characters
        return queryset.filter(**{f"{prefix}credit_code": value.upper()})
    return queryset.filter(**{f"{prefix}name__icontains": value})


def chosen_ordering(filterset: filters.FilterSet) -> list[str]:
    """The model fields of the ``sort`` the user chose ([] when none or invalid), to which a list
    adds its own tie-breakers so that pages never overlap."""
    value = filterset.form.cleaned_data.get("sort") if filterset.form.is_valid() else None
    return [filterset.filters["sort"].get_ordering_value(v) for v in value or []]


class EnterpriseFilterSet(BoundedPageFilterSet):
    """The enterprise list (企业名录): ?q=&segment=&park=&honour=&above_scale=1|0&tier=&simulated=1|0&sort=."""

    q = filters.CharFilter(label=_("Name or credit code"), method="filter_q")
    segment = filters.ChoiceFilter(label=_("Segment"), choices=Segment.choices)
    honour = filters.ChoiceFilter(label=_("Honour"), choices=HonourKind.choices, method="filter_honour")
    above_scale = filters.ChoiceFilter(label=_("规上"), choices=YES_NO, method="filter_above_scale")
    tier = filters.ChoiceFilter(
        label=_("Tier"), choices=CultivationTier.choices, field_name="cultivation__tier"
    )
    simulated = filters.ChoiceFilter(label=_("Simulated data"), choices=YES_NO, method="filter_simulated")
    name = filters.CharFilter(lookup_expr="icontains")
    sort = filters.OrderingFilter(
        fields=(
            ("name", "name"),
            ("credit_code", "credit_code"),
            ("park__name", "park"),
            ("segment", "segment"),
            ("is_above_scale", "above_scale"),
            ("cultivation__tier", "tier"),
        )
    )

    class Meta:
        model = Enterprise
        fields = ["district", "park", "segment", "is_above_scale", "credit_code"]

    def filter_q(self, queryset: QuerySet[Enterprise], name: str, value: str) -> QuerySet[Enterprise]:
        return _by_name_or_code(queryset, "", value)

    def filter_honour(self, queryset: QuerySet[Enterprise], name: str, value: str) -> QuerySet[Enterprise]:
        held = Honour.objects.held_on(timezone.localdate()).filter(kind=value)
        return queryset.filter(pk__in=held.values("enterprise_id"))

    def filter_above_scale(
        self, queryset: QuerySet[Enterprise], name: str, value: str
    ) -> QuerySet[Enterprise]:
        return queryset.filter(is_above_scale=value == "1")

    def filter_simulated(self, queryset: QuerySet[Enterprise], name: str, value: str) -> QuerySet[Enterprise]:
        return queryset.filter(simulated=value == "1")

    @property
    def qs(self) -> QuerySet[Enterprise]:
        # A stable order under every sort: the chosen column, then name and id.
        ordering = chosen_ordering(self)
        return super().qs.order_by(*ordering, "name", "pk") if ordering else super().qs


class PoolFilterSet(BoundedPageFilterSet):
    """The cultivation pool (培育库): ?q=&tier=&park=&sort=."""

    q = filters.CharFilter(label=_("Name or credit code"), method="filter_q")
    tier = filters.ChoiceFilter(label=_("Tier"), choices=CultivationTier.choices)
    park = filters.NumberFilter(field_name="enterprise__park")
    sort = filters.OrderingFilter(
        fields=(
            ("enterprise__name", "name"),
            ("enterprise__park__name", "park"),
            ("tier", "tier"),
            ("entered_on", "entered_on"),
        )
    )

    class Meta:
        model = CultivationEntry
        fields = ["tier"]

    def filter_q(
        self, queryset: QuerySet[CultivationEntry], name: str, value: str
    ) -> QuerySet[CultivationEntry]:
        return _by_name_or_code(queryset, "enterprise__", value)

    @property
    def qs(self) -> QuerySet[CultivationEntry]:
        ordering = chosen_ordering(self)
        return super().qs.order_by(*ordering, "tier", "enterprise__name", "pk") if ordering else super().qs
