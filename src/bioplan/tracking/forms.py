"""Forms of the tracking pages: open a cycle, file a report, review it, record a figure."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from bioplan.tracking.choices import Aggregation, PathKind, Progress, Source
from bioplan.tracking.models import Indicator


class CycleOpenForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    quarter = forms.IntegerField(label=_("季度"), min_value=1, max_value=4)
    deadline = forms.DateField(label=_("报送截止日期"), widget=forms.DateInput(attrs={"type": "date"}))


class CycleDeadlineForm(forms.Form):
    deadline = forms.DateField(label=_("报送截止日期"), widget=forms.DateInput(attrs={"type": "date"}))


def _version_field() -> forms.IntegerField:
    """The version of the record the user loaded (0: none yet), sent back to catch a concurrent edit."""
    return forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)


class ReportForm(forms.Form):
    version = _version_field()
    progress = forms.ChoiceField(label=_("进展状态"), choices=Progress.choices)
    percent_done = forms.IntegerField(label=_("完成比例（%）"), min_value=0, max_value=100, initial=0)
    done_text = forms.CharField(
        label=_("本季度完成情况"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    next_steps = forms.CharField(
        label=_("下一步计划"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    problems = forms.CharField(
        label=_("需协调解决的问题"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    attachment = forms.FileField(label=_("附件"), required=False)


class ReviewForm(forms.Form):
    version = _version_field()
    action = forms.ChoiceField(choices=[("accept", _("采纳")), ("return", _("退回"))])
    comment = forms.CharField(label=_("审核意见"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class ObservationForm(forms.Form):
    indicator = forms.ModelChoiceField(label=_("指标"), queryset=Indicator.objects.all())
    region = forms.IntegerField(widget=forms.HiddenInput, required=False)
    scope = forms.CharField(label=_("范围（区/园区名称）"), max_length=100)
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    quarter = forms.IntegerField(label=_("季度（全年填0）"), min_value=0, max_value=4, initial=0)
    month = forms.IntegerField(
        label=_("月份（按月填报时填1–12，否则填0）"), min_value=0, max_value=12, initial=0, required=False
    )
    value = forms.DecimalField(label=_("数值"), max_digits=20, decimal_places=4)
    source = forms.ChoiceField(label=_("来源"), choices=Source.choices)
    note = forms.CharField(label=_("备注"), max_length=300, required=False)

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        data["month"] = data.get("month") or 0
        if data.get("quarter") and data["month"]:
            raise forms.ValidationError(_("季度和月份只能填一项：季度数据月份填0，月度数据季度填0。"))
        return data


class IndicatorForm(forms.Form):
    name = forms.CharField(label=_("指标名称"), max_length=200)
    unit = forms.CharField(label=_("单位"), max_length=20, help_text=_("如 亿元、%、家、个、件、亩、平方米"))
    aggregation = forms.ChoiceField(
        label=_("跨期汇总方式"),
        choices=[("", _("按单位自动（金额求和，数量和比例取期末值）")), *Aggregation.choices],
        required=False,
    )
    description = forms.CharField(
        label=_("口径说明"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class IndicatorEditForm(forms.Form):
    aggregation = forms.ChoiceField(label=_("跨期汇总方式"), choices=Aggregation.choices)
    description = forms.CharField(
        label=_("口径说明"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class BindingForm(forms.Form):
    """How one target is measured: indicator, scope, expected path, custom values, baseline override."""

    target = forms.IntegerField(widget=forms.HiddenInput)
    version = _version_field()
    indicator = forms.ModelChoiceField(label=_("指标"), queryset=Indicator.objects.all())
    scope = forms.CharField(label=_("范围"), max_length=100)
    path = forms.ChoiceField(label=_("序时进度"), choices=PathKind.choices, required=False)
    custom_path = forms.CharField(
        label=_("自定义序时值"),
        required=False,
        help_text=_("如 2021=100, 2022Q2=120"),
    )
    baseline_value = forms.DecimalField(label=_("基数"), max_digits=20, decimal_places=4, required=False)
    baseline_year = forms.IntegerField(label=_("基期"), min_value=2000, max_value=2100, required=False)

    def clean_custom_path(self) -> dict[str, str]:
        from decimal import Decimal, InvalidOperation

        from bioplan.tracking.evaluation import parse_period

        text = self.cleaned_data.get("custom_path") or ""
        out: dict[str, str] = {}
        for part in filter(None, (p.strip() for p in text.replace("，", ",").split(","))):
            period, _sep, value = part.partition("=")
            try:
                parse_period(period)
                out[period.strip().upper()] = str(Decimal(value.strip()))
            except (ValueError, InvalidOperation) as exc:
                raise forms.ValidationError(
                    _("“%(part)s”应写成 年份或年份Q季度=数值") % {"part": part}
                ) from exc
        return out

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("path") == PathKind.CUSTOM and not data.get("custom_path"):
            self.add_error("custom_path", _("自定义序时进度需要填写各期数值。"))
        return data
