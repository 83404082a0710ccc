"""History reasons are shown in the page's language, parameterised ones with the choice's label."""

from __future__ import annotations

import pytest
from django.utils import translation

from bioplan.audit.reasons import reason_label


@pytest.mark.parametrize(
    ("stored", "chinese"),
    [
        ("report saved", "保存报告"),
        ("enterprise registered", "登记企业"),
        ("reached land", "到达“土地出让”阶段"),
        ("plan imported from 方案.docx (v2)", "从方案.docx导入方案（第2版）"),
        ("用户填写的原因", "用户填写的原因"),
    ],
)
def test_reasons_are_chinese_in_chinese(stored: str, chinese: str) -> None:
    with translation.override("zh-hans"):
        assert reason_label(stored) == chinese


def test_reasons_stay_english_in_english() -> None:
    with translation.override("en"):
        from bioplan.projects.choices import ProjectStage

        assert reason_label("reached land") == f"reached {ProjectStage('land').label}"
        assert reason_label("report saved") == "report saved"
