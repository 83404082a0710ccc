"""The extractor on the real seed documents (../shared/seeds) against the gold files.

Skipped when the shared folders are absent (e.g. outside the project's workspace).
"""

import json
import os
from pathlib import Path

import pytest

from bioplan.ingest.extract import extract_document
from bioplan.ingest.score import overall, score_document

# The project's shared folder (seeds and gold files) sits beside the checkout; BIOPLAN_SHARED_DIR
# points elsewhere (CI sets it when the clone lives in another folder).
SHARED = Path(os.environ.get("BIOPLAN_SHARED_DIR") or Path(__file__).resolve().parents[2] / ".." / "shared")
SEEDS = SHARED / "seeds"
GOLD = SHARED / "eval" / "gold"

pytestmark = [
    pytest.mark.corpus,
    pytest.mark.skipif(
        not (SEEDS.is_dir() and GOLD.is_dir()), reason="../shared/seeds or ../shared/eval/gold is absent"
    ),
]


def gold_pairs():
    pairs = []
    for gold_path in sorted(GOLD.glob("*.gold.json")):
        stem = gold_path.name[: -len(".gold.json")]
        docs = sorted(SEEDS.glob(f"{stem}.txt"))
        if docs:
            pairs.append((gold_path, docs[0]))
    return pairs


@pytest.fixture(scope="module")
def scored():
    results = []
    for gold_path, doc in gold_pairs():
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        extracted = extract_document(doc).to_dict()
        results.append((gold, extracted, score_document(gold, extracted, name=doc.name)))
    if not results:
        pytest.skip("no seed document has a gold file")
    return results


@pytest.mark.parametrize(
    ("category", "threshold"), [("targets", 0.95), ("tasks", 0.95), ("parks", 0.95), ("pairs", 0.90)]
)
def test_overall_f1_reaches_the_threshold(scored, category, threshold):
    total = overall([s for _, _, s in scored])
    assert total.counts[category].f1 >= threshold, f"{category} F1 {total.counts[category].f1:.2f}"


def test_field_accuracy_on_matched_targets(scored):
    total = overall([s for _, _, s in scored])
    assert total.field_accuracy() >= 0.95


def test_plan_metadata_matches_gold(scored):
    for gold, extracted, _ in scored:
        for key in ("region", "industry", "period_start", "period_end", "status", "doc_number"):
            assert extracted["plan"][key] == gold["plan"][key], (gold["document"], key)


def test_task_sections_and_leads_match_gold(scored):
    for gold, extracted, _ in scored:
        got = {t["number"]: (t["section"], t["lead_departments"]) for t in extracted["tasks"]}
        for task in gold["tasks"]:
            assert got.get(task["number"]) == (task["section"], task["lead_departments"]), (
                gold["document"],
                task["number"],
            )


def test_quotes_are_substrings_of_the_document_after_collapsing_whitespace(scored):
    for gold, extracted, _ in scored:
        text = "".join((SEEDS / gold["document"]).read_text(encoding="utf-8").split())
        for target in extracted["targets"]:
            assert "".join(target["quote"].split()) in text, target["quote"]
            assert len(target["quote"]) <= 80


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds is absent")
def test_every_seed_document_extracts_without_error():
    for doc in sorted(SEEDS.glob("*.txt")):
        draft = extract_document(doc)
        assert draft.plan.region, doc.name
