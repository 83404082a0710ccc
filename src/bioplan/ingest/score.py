"""Score extracted plans against gold files (../shared/eval/gold/*.gold.json).

Why hand-written: the contract's records have no shared ids, so matching has to be defined; it is
defined here, once, and used by ``bioplan extract --eval`` and the corpus test.

Matching (each gold record is matched to at most one extracted record and vice versa):

* targets — a candidate pair must have the same ``value`` (as a decimal), the same ``unit`` and the
  same ``year``, and a metric similarity of at least 0.25 (Dice coefficient over character
  bigrams after removing whitespace and quotes; 1.0 when one metric contains the other). Pairs are
  taken greedily by metric similarity plus 0.5 when ``scope`` is also equal. Field accuracy
  (kind, comparator, year, level, value_max) is measured on the matched pairs only.
* tasks — same ``number`` and title similarity ≥ 0.8 (same Dice measure; titles differ only by
  spacing in practice).
* task–department pairs — the set of (task number, department) over all tasks, names compared
  after removing whitespace.
* departments and parks — sets of names after removing whitespace.

Precision = matched / extracted, recall = matched / gold, F1 their harmonic mean (1.0 when both
sides are empty). "overall" sums the counts of all documents (micro average).

In: gold and extracted documents as contract dicts. Out: ``DocumentScore`` records and a text table.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

__all__ = [
    "CATEGORIES",
    "FIELDS",
    "Counts",
    "DocumentScore",
    "format_report",
    "load_gold",
    "overall",
    "score_document",
    "similarity",
]

CATEGORIES = ("targets", "tasks", "pairs", "departments", "parks")
FIELDS = ("kind", "comparator", "year", "level", "value_max")
METRIC_THRESHOLD = 0.25
TITLE_THRESHOLD = 0.8
_STRIP = re.compile(r"[\s“”\"'‘’]+")


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: Counts) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn


@dataclass
class DocumentScore:
    name: str
    counts: dict[str, Counts] = field(default_factory=dict)
    fields: dict[str, list[int]] = field(default_factory=dict)  # field -> [correct, total]
    error: str | None = None

    def field_accuracy(self, name: str | None = None) -> float:
        keys = [name] if name else list(FIELDS)
        correct = sum(self.fields.get(k, [0, 0])[0] for k in keys)
        total = sum(self.fields.get(k, [0, 0])[1] for k in keys)
        return correct / total if total else 1.0


def _clean(text: str | None) -> str:
    return _STRIP.sub("", text or "")


def similarity(a: str | None, b: str | None) -> float:
    """Dice coefficient of character bigrams (1.0 when one text contains the other)."""
    a, b = _clean(a), _clean(b)
    if not a or not b:
        return 0.0
    if a in b or b in a:
        return 1.0
    grams_a = [a[i : i + 2] for i in range(len(a) - 1)] or [a]
    grams_b = [b[i : i + 2] for i in range(len(b) - 1)] or [b]
    pool = list(grams_b)
    common = 0
    for g in grams_a:
        if g in pool:
            pool.remove(g)
            common += 1
    return 2 * common / (len(grams_a) + len(grams_b))


def _dec(value: Any) -> Decimal | None:
    if value is None:
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _match_targets(gold: list[dict[str, Any]], pred: list[dict[str, Any]]) -> list[tuple[int, int]]:
    candidates: list[tuple[float, int, int]] = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            if _dec(g.get("value")) != _dec(p.get("value")) or g.get("unit") != p.get("unit"):
                continue
            if g.get("year") != p.get("year"):
                continue
            sim = similarity(g.get("metric"), p.get("metric"))
            if sim < METRIC_THRESHOLD:
                continue
            scope_bonus = 0.5 if _clean(g.get("scope")) == _clean(p.get("scope")) else 0.0
            candidates.append((sim + scope_bonus, gi, pi))
    candidates.sort(key=lambda c: -c[0])
    used_g: set[int] = set()
    used_p: set[int] = set()
    pairs: list[tuple[int, int]] = []
    for _score, gi, pi in candidates:
        if gi in used_g or pi in used_p:
            continue
        used_g.add(gi)
        used_p.add(pi)
        pairs.append((gi, pi))
    return pairs


def _set_counts(gold: set[Any], pred: set[Any]) -> Counts:
    return Counts(tp=len(gold & pred), fp=len(pred - gold), fn=len(gold - pred))


def score_document(gold: dict[str, Any], pred: dict[str, Any], name: str = "") -> DocumentScore:
    """Compare one extracted document with its gold file (both in the contract format)."""
    score = DocumentScore(name=name or str(gold.get("document") or ""))
    g_targets, p_targets = gold.get("targets") or [], pred.get("targets") or []
    pairs = _match_targets(g_targets, p_targets)
    score.counts["targets"] = Counts(len(pairs), len(p_targets) - len(pairs), len(g_targets) - len(pairs))
    for f in FIELDS:
        correct = 0
        for gi, pi in pairs:
            a, b = g_targets[gi].get(f), p_targets[pi].get(f)
            if f == "value_max":
                a, b = _dec(a), _dec(b)  # type: ignore[assignment]
            correct += a == b
        score.fields[f] = [correct, len(pairs)]

    g_tasks, p_tasks = gold.get("tasks") or [], pred.get("tasks") or []
    used: set[int] = set()
    tp = 0
    for g in g_tasks:
        for pi, p in enumerate(p_tasks):
            if pi in used or str(g.get("number")) != str(p.get("number")):
                continue
            if similarity(g.get("title"), p.get("title")) >= TITLE_THRESHOLD:
                used.add(pi)
                tp += 1
                break
    score.counts["tasks"] = Counts(tp, len(p_tasks) - tp, len(g_tasks) - tp)

    def task_pairs(tasks: list[dict[str, Any]]) -> set[tuple[str, str]]:
        return {(str(t.get("number")), _clean(d)) for t in tasks for d in t.get("departments") or []}

    score.counts["pairs"] = _set_counts(task_pairs(g_tasks), task_pairs(p_tasks))
    score.counts["departments"] = _set_counts(
        {_clean(d) for d in gold.get("departments") or []}, {_clean(d) for d in pred.get("departments") or []}
    )
    score.counts["parks"] = _set_counts(
        {_clean(p.get("name")) for p in gold.get("parks") or []},
        {_clean(p.get("name")) for p in pred.get("parks") or []},
    )
    return score


def overall(scores: list[DocumentScore]) -> DocumentScore:
    """Micro-averaged totals over ``scores``."""
    total = DocumentScore(name="overall")
    for c in CATEGORIES:
        total.counts[c] = Counts()
    for f in FIELDS:
        total.fields[f] = [0, 0]
    for s in scores:
        for c in CATEGORIES:
            if c in s.counts:
                total.counts[c].add(s.counts[c])
        for f in FIELDS:
            if f in s.fields:
                total.fields[f][0] += s.fields[f][0]
                total.fields[f][1] += s.fields[f][1]
    return total


def load_gold(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def format_report(scores: list[DocumentScore]) -> str:
    """A text table: P/R/F1 per category and field accuracy, per document and overall."""
    lines = []
    header = f"{'document':<34}" + "".join(f"{c:>20}" for c in CATEGORIES) + f"{'fields':>8}"
    lines.append(header)
    lines.append(" " * 34 + "".join(f"{'P    R    F1':>20}" for _ in CATEGORIES) + f"{'acc':>8}")
    for s in [*scores, overall(scores)]:
        if s.error:
            lines.append(f"{s.name:<34}  ERROR: {s.error}")
            continue
        row = f"{s.name[:33]:<34}"
        for c in CATEGORIES:
            k = s.counts.get(c, Counts())
            row += f"{k.precision:>8.2f} {k.recall:.2f} {k.f1:.2f}"
        row += f"{s.field_accuracy():>8.2f}"
        lines.append(row)
    total = overall(scores)
    lines.append("")
    lines.append(
        "field accuracy on matched targets: "
        + ", ".join(f"{f} {total.field_accuracy(f):.2f}" for f in FIELDS)
        + f" (n={total.fields['kind'][1]})"
    )
    return "\n".join(lines)
