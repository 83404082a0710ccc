"""Forms of the tracking pages: open a cycle, file a report, review it, record a figure."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from bioplan.tracking.choices import Progress, Source
from bioplan.tracking.models import Indicator


class CycleOpenForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    quarter = forms.IntegerField(label=_("季度"), min_value=1, max_value=4)
    deadline = forms.DateField(label=_("报送截止日期"), widget=forms.DateInput(attrs={"type": "date"}))


class ReportForm(forms.Form):
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
    action = forms.ChoiceField(choices=[("accept", _("采纳")), ("return", _("退回"))])
    comment = forms.CharField(label=_("审核意见"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class ObservationForm(forms.Form):
    indicator = forms.ModelChoiceField(label=_("指标"), queryset=Indicator.objects.all())
    region = forms.IntegerField(widget=forms.HiddenInput, required=False)
    scope = forms.CharField(label=_("范围（区/园区名称）"), max_length=100)
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    quarter = forms.IntegerField(label=_("季度（全年填0）"), min_value=0, max_value=4, initial=0)
    value = forms.DecimalField(label=_("数值"), max_digits=20, decimal_places=4)
    source = forms.ChoiceField(label=_("来源"), choices=Source.choices)
    note = forms.CharField(label=_("备注"), max_length=300, required=False)
