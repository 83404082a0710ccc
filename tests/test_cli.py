"""The `bioplan` console script: every verb the lead owns (extract/check/status/report are tested
with their apps)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from bioplan.cli import build_parser, main
from bioplan.plans.models import Plan


def test_python_dash_m_bioplan_prints_help():
    out = subprocess.run(
        [sys.executable, "-m", "bioplan", "--help"], capture_output=True, text=True, check=True
    )
    for verb in ("extract", "plans", "demo", "manage"):
        assert verb in out.stdout


def test_parser_knows_every_verb():
    parser = build_parser()
    args = parser.parse_args(["plans", "import", "a.json", "--version-of", "3"])
    assert (args.plans_verb, args.files, args.version_of) == ("import", ["a.json"], 3)


@pytest.mark.django_db
def test_plans_import_then_list(tmp_path, draft_dict, capsys):
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(draft_dict, ensure_ascii=False), encoding="utf-8")

    assert main(["plans", "import", str(path)]) == 0
    assert "imported: #" in capsys.readouterr().out
    assert main(["plans", "import", str(path)]) == 0
    assert "unchanged: #" in capsys.readouterr().out
    assert Plan.objects.count() == 1

    assert main(["plans", "list"]) == 0
    out = capsys.readouterr().out
    assert "示范区" in out and "3 targets" in out and "2 tasks" in out


@pytest.mark.django_db
def test_plans_import_of_a_broken_file_fails_with_a_clear_message(tmp_path, capsys):
    path = tmp_path / "bad.json"
    path.write_text("{not json", encoding="utf-8")

    assert main(["plans", "import", str(path), str(tmp_path / "missing.json")]) == 1

    err = capsys.readouterr().err
    assert "bad.json: not valid JSON" in err and "missing.json: no such file" in err
    assert Plan.objects.count() == 0


@pytest.mark.django_db
def test_demo_loads_the_plans_and_users(capsys):
    from bioplan.core.models import User
    from bioplan.demo.services import demo_plan_files

    assert main(["demo"]) == 0
    out = capsys.readouterr().out
    assert Plan.objects.filter(is_current=True).count() == len(demo_plan_files()) >= 5
    assert "office" in out and "bioplan-demo-2026" in out
    assert User.objects.get(username="jingwei").department.name == "区经委"
    assert main(["demo"]) == 0  # again: nothing duplicated
    assert Plan.objects.count() == len(demo_plan_files())


@pytest.mark.django_db
def test_manage_passes_through_to_django(capsys):
    assert main(["manage", "check"]) == 0
    assert "no issues" in capsys.readouterr().out
