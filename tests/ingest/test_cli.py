import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bioplan.ingest import cli

PLAN = (
    "嘉定区促进集成电路产业高质量发展行动方案（2023-2025年）\n一、发展目标\n"
    "到2025年，全区集成电路产业规模突破500亿元。\n二、重点任务\n1.引进龙头企业。到2025年，引进5家以上龙头企业。（责任单位：区经委）\n"
)


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_one_file_prints_contract_json_on_stdout(tmp_path, capsys):
    path = write(tmp_path / "plan.txt", PLAN)
    assert cli.main([str(path)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["document"] == "plan.txt"
    assert [t["value"] for t in data["targets"]] == [500, 5]
    assert data["tasks"][0]["departments"] == ["区经委"]


def test_json_dir_gets_one_file_per_document(tmp_path, capsys):
    paths = [write(tmp_path / f"plan{i}.txt", PLAN) for i in range(5)]  # five files: two workers
    out = tmp_path / "out"
    assert cli.main([*map(str, paths), "--json-dir", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == [f"plan{i}.json" for i in range(5)]
    assert json.loads((out / "plan3.json").read_text(encoding="utf-8"))["document"] == "plan3.txt"
    assert capsys.readouterr().out == ""


def test_several_files_without_json_dir_write_json_beside_each(tmp_path):
    a, b = write(tmp_path / "a.txt", PLAN), write(tmp_path / "b.txt", PLAN)
    assert cli.main([str(a), str(b)]) == 0
    assert (tmp_path / "a.json").exists() and (tmp_path / "b.json").exists()


def bad_inputs(tmp_path: Path) -> dict[str, Path]:
    files = {
        "empty": tmp_path / "empty.txt",
        "junk": tmp_path / "junk.txt",
        "fake_docx": tmp_path / "fake.docx",
        "huge": tmp_path / "huge.txt",
        "english": tmp_path / "english.txt",
        "missing": tmp_path / "missing.txt",
    }
    files["empty"].write_bytes(b"")
    files["junk"].write_bytes(bytes(range(256)) * 64)
    files["fake_docx"].write_bytes(b"PK\x03\x04 not really a zip")
    with open(files["huge"], "wb") as handle:
        handle.truncate(51 * 1024 * 1024)
    files["english"].write_text("An English report on industrial policy and parks. " * 40, encoding="utf-8")
    return files


@pytest.mark.parametrize("kind", ["empty", "junk", "fake_docx", "huge", "english", "missing"])
def test_bad_input_gives_one_line_on_stderr_and_exit_one(tmp_path, capsys, kind):
    path = bad_inputs(tmp_path)[kind]
    assert cli.main([str(path)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1, captured.err
    assert path.name in lines[0]
    assert "Traceback" not in captured.err


def test_document_without_targets_succeeds_with_a_warning(tmp_path, capsys):
    path = write(
        tmp_path / "notargets.txt", "徐汇区人工智能产业行动方案\n一、主要任务\n1.建设平台。支持企业建设平台。"
    )
    assert cli.main([str(path)]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["targets"] == []
    assert "notargets.txt: warning: no quantitative targets found" in captured.err


def test_good_and_bad_files_together_exit_one_but_write_the_good_ones(tmp_path, capsys):
    good = write(tmp_path / "good.txt", PLAN)
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    out = tmp_path / "out"
    assert cli.main([str(good), str(bad), "--json-dir", str(out)]) == 1
    assert (out / "good.json").exists()
    assert "empty.txt" in capsys.readouterr().err


def test_no_files_is_a_usage_error(capsys):
    assert cli.main([]) == 2
    assert "FILE" in capsys.readouterr().err


def test_eval_prints_scores_per_document_and_overall(tmp_path, capsys):
    docs, gold = tmp_path / "docs", tmp_path / "gold"
    docs.mkdir()
    gold.mkdir()
    write(docs / "d1.txt", PLAN)
    expected = {
        "document": "d1.txt",
        "plan": {},
        "targets": [
            {
                "metric": "集成电路产业规模",
                "kind": "level",
                "value": 500,
                "value_max": None,
                "unit": "亿元",
                "comparator": ">",
                "year": 2025,
                "level": None,
                "scope": "嘉定区",
            },
        ],
        "tasks": [{"number": "1", "title": "引进龙头企业", "departments": ["区经委"]}],
        "departments": ["区经委"],
        "parks": [],
    }
    (gold / "d1.gold.json").write_text(json.dumps(expected, ensure_ascii=False), encoding="utf-8")
    assert cli.main(["--eval", str(gold), str(docs)]) == 0
    out = capsys.readouterr().out
    row = next(line for line in out.splitlines() if line.startswith("d1.txt"))
    assert row.split()[1:4] == ["0.50", "1.00", "0.67"]  # targets: 1 of the 2 extracted is in gold
    assert "overall" in out and "field accuracy on matched targets" in out


def test_eval_with_missing_folder_is_a_usage_error(tmp_path, capsys):
    assert cli.main(["--eval", str(tmp_path / "nope"), str(tmp_path)]) == 2
    assert "not a folder" in capsys.readouterr().err


def test_module_runs_as_a_script(tmp_path):
    path = write(tmp_path / "plan.txt", PLAN)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2] / "src")}
    result = subprocess.run(
        [sys.executable, "-m", "bioplan.ingest.cli", str(path)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["plan"]["region"] == "嘉定区"
