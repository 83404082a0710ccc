"""The extractor on its own corpus (tests/ingest/corpus, see its README) and on ../shared/eval/holdout.

Every document is scored as .txt, as .docx (rendered here by ``rendering.txt_to_docx``) and as the
committed LibreOffice .pdf; the run fails below 0.95 on any figure, or when a .pdf or .docx figure
is more than 0.05 under the .txt figure. No network and no LibreOffice are needed.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from bioplan.ingest.draft import PlanDraft
from bioplan.ingest.extract import extract_document
from bioplan.ingest.score import DocumentScore, overall, score_document

from .rendering import txt_to_docx

CORPUS = Path(__file__).resolve().parent / "corpus"
SHARED = Path(os.environ.get("BIOPLAN_SHARED_DIR") or Path(__file__).resolve().parents[2] / ".." / "shared")
HOLDOUT = SHARED / "eval" / "holdout"
CATEGORIES = ("targets", "tasks", "pairs", "departments", "parks")
BAR = 0.95
PDF_GAP = 0.05

pytestmark = pytest.mark.corpus


def _gold(folder: Path) -> dict[str, dict]:
    return {
        path.name[: -len(".gold.json")]: json.loads(path.read_text(encoding="utf-8"))
        for path in sorted((folder / "gold").glob("*.gold.json"))
    }


def _score(gold: dict[str, dict], documents: dict[str, Path]) -> DocumentScore:
    scores = [
        score_document(gold[stem], extract_document(path).to_dict(), name=path.name)
        for stem, path in sorted(documents.items())
    ]
    return overall(scores)


@pytest.fixture(scope="module")
def corpus_scores(tmp_path_factory: pytest.TempPathFactory) -> dict[str, DocumentScore]:
    gold = _gold(CORPUS)
    texts = {stem: CORPUS / "docs" / f"{stem}.txt" for stem in gold}
    folder = tmp_path_factory.mktemp("docx")
    docx = {stem: txt_to_docx(path, folder / f"{stem}.docx") for stem, path in texts.items()}
    pdf = {stem: CORPUS / "pdf" / f"{stem}.pdf" for stem in gold}
    return {"txt": _score(gold, texts), "docx": _score(gold, docx), "pdf": _score(gold, pdf)}


def test_corpus_has_a_document_a_pdf_and_a_valid_gold_file_for_every_stem():
    gold = _gold(CORPUS)
    assert len(gold) >= 18
    for stem, raw in gold.items():
        assert (CORPUS / "docs" / f"{stem}.txt").is_file()
        assert (CORPUS / "pdf" / f"{stem}.pdf").is_file()
        PlanDraft.from_dict(raw, source=stem)  # the gold files are valid contract JSON


@pytest.mark.parametrize("rendering", ["txt", "docx", "pdf"])
@pytest.mark.parametrize("category", CATEGORIES)
def test_corpus_reaches_the_bar(corpus_scores, rendering, category):
    f1 = corpus_scores[rendering].counts[category].f1
    assert f1 >= BAR, f"{rendering} {category} F1 {f1:.2f} < {BAR}"


@pytest.mark.parametrize("rendering", ["docx", "pdf"])
@pytest.mark.parametrize("category", CATEGORIES)
def test_renderings_stay_close_to_the_text(corpus_scores, rendering, category):
    text = corpus_scores["txt"].counts[category].f1
    other = corpus_scores[rendering].counts[category].f1
    assert other >= text - PDF_GAP, f"{rendering} {category} {other:.2f} vs txt {text:.2f}"


@pytest.mark.skipif(not (HOLDOUT / "gold").is_dir(), reason="../shared/eval/holdout is absent")
@pytest.mark.parametrize("category", CATEGORIES)
def test_holdout_reaches_the_bar(category):
    gold = _gold(HOLDOUT)
    total = _score(gold, {stem: HOLDOUT / "docs" / f"{stem}.txt" for stem in gold})
    assert total.counts[category].f1 >= BAR, f"holdout {category} F1 {total.counts[category].f1:.2f}"
