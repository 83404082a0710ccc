"""The 通报 opens in LibreOffice and prints on A4 with its page numbers (soffice --convert-to pdf).

Skipped, with the reason, when LibreOffice is missing; `.ci/run` installs libreoffice-writer-nogui.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pypdfium2
import pytest

from bioplan.reports.quarterly_docx import build_quarterly_docx
from bioplan.reports.selectors import quarterly_report

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        shutil.which("soffice") is None,
        reason="needs LibreOffice: apt-get install -y --no-install-recommends libreoffice-writer-nogui",
    ),
]

A4_POINTS = (595.3, 841.9)


def test_libreoffice_converts_the_report_to_an_a4_pdf_with_page_numbers(tracked, tmp_path: Path) -> None:
    report = quarterly_report(plan=tracked.plan, year=2024, quarter=2, today=dt.date(2024, 7, 20))
    source = tmp_path / "通报.docx"
    source.write_bytes(build_quarterly_docx(report))

    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path / 'profile'}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
        env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )

    pdf = pypdfium2.PdfDocument(str(tmp_path / "通报.pdf"))
    assert len(pdf) >= 1
    for index in range(len(pdf)):
        width, height = pdf[index].get_size()
        assert (round(width, 1), round(height, 1)) == pytest.approx(A4_POINTS, abs=1)
    first = pdf[0].get_textpage().get_text_range()
    assert "推进情况通报" in first
    assert "— 1 —" in first
