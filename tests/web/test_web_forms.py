"""Every Django form gets the Tabler look through FORM_RENDERER: classes, labels, help, Chinese errors."""

from __future__ import annotations

import re

from django import forms
from django.utils import translation


class _SampleForm(forms.Form):
    name = forms.CharField(label="名称", max_length=5, help_text="不超过5个字")
    kind = forms.ChoiceField(label="类别", choices=[("a", "甲"), ("b", "乙")])
    note = forms.CharField(label="备注", widget=forms.Textarea, required=False)
    agreed = forms.BooleanField(label="确认", required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


def test_widgets_get_tabler_classes_and_labels_get_form_label() -> None:
    html = str(_SampleForm())

    assert 'class="form-control"' in html and 'name="name"' in html
    assert re.search(r'<select name="kind"[^>]* class="form-select"', html)
    assert re.search(r'<textarea name="note"[^>]* class="form-control"', html)
    assert 'class="form-check-input"' in html
    assert 'class="form-label required"' in html  # 名称 is required
    assert '<label for="id_note" class="form-label">' in html
    assert '<small class="form-hint" id="id_name_helptext">不超过5个字</small>' in html
    assert 'type="hidden" name="version"' in html and 'type="hidden" name="version" class' not in html


def test_a_field_rendered_alone_gets_the_class_too() -> None:
    assert 'class="form-control"' in str(_SampleForm()["note"])


def test_errors_are_chinese_and_mark_the_widget_invalid() -> None:
    with translation.override("zh-hans"):
        form = _SampleForm(data={"name": "太长的一个名字", "kind": "z"})
        html = str(form)

    assert "is-invalid" in html
    assert '<div class="invalid-feedback d-block">' in html
    assert "确保该变量包含不超过 5 字符" in html  # Django's own Chinese messages
    assert "选择一个有效的选项" in html
    assert "Ensure this value" not in html
