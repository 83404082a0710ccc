"""The `bioplan check|status|report` verbs (bioplan/tracking/cli.py)."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bioplan.tracking import cli

SRC = Path(__file__).resolve().parents[2] / "src"


def _draft(tmp_path: Path, *, stretch: int = 170) -> Path:
    body = {
        "document": "x.txt",
        "plan": {
            "region": "甲区",
            "industry": "生物医药",
            "title": "甲区行动方案",
            "period_start": 2021,
            "period_end": 2023,
        },
        "targets": [
            {
                "id": "T01",
                "metric": "总产值",
                "kind": "growth_rate",
                "value": 8,
                "unit": "%",
                "comparator": ">=",
                "year": 2023,
                "level": "floor",
                "scope": "甲区",
            },
            {
                "id": "T02",
                "metric": "总产值",
                "kind": "level",
                "value": 160,
                "unit": "亿元",
                "comparator": ">",
                "year": 2023,
                "level": "floor",
                "scope": "甲区",
            },
            {
                "id": "T03",
                "metric": "总产值",
                "kind": "level",
                "value": stretch,
                "unit": "亿元",
                "comparator": ">",
                "year": 2023,
                "level": "stretch",
                "scope": "甲区",
            },
        ],
        "tasks": [],
        "departments": [],
        "parks": [],
    }
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(body, ensure_ascii=False), encoding="utf-8")
    return path


def test_check_file_prints_one_line_per_finding_and_exits_0(tmp_path: Path) -> None:
    out = io.StringIO()
    code = cli.check_file(_draft(tmp_path), out=out)
    lines = out.getvalue().splitlines()
    assert code == 0
    assert "[OK  ] 确保/力争校核 T02/T03 甲区 总产值 2023: 确保 160亿元 < 力争 170亿元 → 通过" in lines
    assert any("160 ÷ (1+8%)^3 = 127.01亿元" in line for line in lines)


def test_check_file_exits_1_when_a_check_fails(tmp_path: Path) -> None:
    out = io.StringIO()
    assert cli.check_file(_draft(tmp_path, stretch=150), out=out) == 1
    assert "[FAIL] 确保/力争校核" in out.getvalue()


def test_check_json_runs_without_django_in_a_fresh_process(tmp_path: Path) -> None:
    code = (
        "import sys; from bioplan.tracking.cli import main; rc = main(sys.argv[1:]);"
        "assert 'django' not in sys.modules, 'django imported'; sys.exit(rc)"
    )
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    done = subprocess.run(
        [sys.executable, "-c", code, "check", str(_draft(tmp_path, stretch=150))],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    assert "[FAIL]" in done.stdout


def test_check_missing_json_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["check", str(tmp_path / "missing.json")]) == 2


# ---------------------------------------------------------------------------------- DB verbs
@pytest.mark.django_db
def test_check_stored_plan_exits_1_on_failure(world, capsys: pytest.CaptureFixture[str]) -> None:
    from tests.factories import TargetFactory

    TargetFactory(
        plan=world.plan,
        code="T02",
        metric="工业总产值",
        kind="level",
        value=150,
        unit="亿元",
        year=2023,
        level="stretch",
        scope="甲区",
    )
    assert cli.main(["check", str(world.plan.pk)]) == 1
    out = capsys.readouterr().out
    assert "[FAIL] 确保/力争校核 T01/T02" in out


@pytest.mark.django_db
def test_check_stored_plan_exits_0_and_unknown_plan_exits_2(
    world, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["check", str(world.plan.pk)]) == 0
    assert cli.main(["check", "999999"]) == 2


@pytest.mark.django_db
def test_status_prints_actual_expected_status_and_forecast(world, capsys: pytest.CaptureFixture[str]) -> None:
    from decimal import Decimal

    from bioplan.tracking import services

    services.plan_bind_targets(plan=world.plan)
    ind = world.target.binding.indicator
    for year, value in ((2020, "127"), (2021, "137"), (2022, "148")):
        services.observation_record(
            indicator=ind, region=world.region, year=year, value=Decimal(value), source="tax"
        )
    assert cli.main(["status", str(world.plan.pk)]) == 0
    out = capsys.readouterr().out
    assert "T01 | 工业总产值 | 目标 160亿元（2023） | 实际 148（2022年） | 序时 148.14 | 状态 绿" in out
    assert "按当前年均增速8%，2023年预计159.8亿元，低于确保目标160亿元；需年均增长8.1%。" in out
    assert cli.main(["status", str(world.plan.pk), "--as-of", "2021"]) == 0
    assert "实际 137（2021年）" in capsys.readouterr().out
