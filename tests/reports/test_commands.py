"""`bioplan report PLAN --quarter 2024Q2 --docx FILE` and its management command."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from docx import Document

from bioplan.tracking import cli

pytestmark = pytest.mark.django_db


def test_report_verb_writes_the_docx(tracked, tmp_path: Path) -> None:
    out = tmp_path / "q2.docx"
    assert cli.main(["report", str(tracked.plan.pk), "--quarter", "2024Q2", "--docx", str(out)]) == 0
    doc = Document(str(out))
    assert "（2024年第2季度）" in [p.text for p in doc.paragraphs]


def test_report_command_refuses_a_bad_quarter_and_unknown_plan(world, tmp_path: Path) -> None:
    with pytest.raises(CommandError):
        call_command(
            "report_quarterly", str(world.plan.pk), "--quarter", "2024", "--docx", str(tmp_path / "x.docx")
        )
    assert cli.main(["report", "999999", "--quarter", "2024Q2", "--docx", str(tmp_path / "x.docx")]) == 2
