"""Which target and task of a plan's version n is which of version n+1 (the rules of docs/tracking.md).

Pure matching over plain values, no database: `plans.services.plan_import` reads both versions and
calls `match_targets` and `match_tasks`, then moves the tracking along the pairs.

Targets, in this order, each step only among the targets not yet paired:
1. the same metric, scope, kind, year and level (确保/力争) — the plan text did not change it, or only
   its value did;
2. the same metric, scope, kind and year, when exactly one target on each side is left with that key
   (the level was added or changed);
3. the same code (T05) and a similar metric (difflib ratio ≥ 0.6) — a renamed target. Codes are
   numbered in reading order, so a code alone is not trusted: removing T05 renumbers what follows.

Tasks, in this order:
1. the same number and a similar title (difflib ratio ≥ 0.6);
2. a very similar title (ratio ≥ 0.9) under another number — a task renumbered after an insertion.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

SIMILAR = 0.6
RENUMBERED = 0.9


@dataclass(frozen=True)
class TargetFacts:
    id: int
    code: str
    metric: str
    scope: str
    kind: str
    year: int | None
    level: str


@dataclass(frozen=True)
class TaskFacts:
    id: int
    number: str
    title: str


def similarity(a: str, b: str) -> float:
    """difflib's ratio of two texts, spaces ignored (0: nothing alike, 1: the same)."""
    return SequenceMatcher(None, "".join(a.split()), "".join(b.split()), autojunk=False).ratio()


def _pair_on_key(
    old: Sequence[TargetFacts], new: Sequence[TargetFacts], pairs: dict[int, int], *, fields: int
) -> None:
    """Pair targets whose first `fields` facts agree, when exactly one of each side has them."""
    left: dict[Hashable, list[TargetFacts]] = defaultdict(list)
    right: dict[Hashable, list[TargetFacts]] = defaultdict(list)
    taken = set(pairs.values())
    for t in old:
        if t.id not in pairs:
            left[(t.metric, t.scope, t.kind, t.year, t.level)[:fields]].append(t)
    for t in new:
        if t.id not in taken:
            right[(t.metric, t.scope, t.kind, t.year, t.level)[:fields]].append(t)
    for k, olds in left.items():
        news = right.get(k, [])
        if len(olds) == 1 and len(news) == 1:
            pairs[olds[0].id] = news[0].id


def match_targets(old: Sequence[TargetFacts], new: Sequence[TargetFacts]) -> dict[int, int]:
    """Old target id → new target id, by the three steps of the module docstring."""
    pairs: dict[int, int] = {}
    _pair_on_key(old, new, pairs, fields=5)
    _pair_on_key(old, new, pairs, fields=4)
    taken = set(pairs.values())
    by_code = {t.code: t for t in new if t.id not in taken}
    for t in old:
        candidate = by_code.get(t.code)
        if t.id in pairs or candidate is None or candidate.id in taken:
            continue
        if candidate.kind == t.kind and similarity(t.metric, candidate.metric) >= SIMILAR:
            pairs[t.id] = candidate.id
            taken.add(candidate.id)
    return pairs


def match_tasks(old: Sequence[TaskFacts], new: Sequence[TaskFacts]) -> dict[int, int]:
    """Old task id → new task id, by the two steps of the module docstring."""
    pairs: dict[int, int] = {}
    by_number = {t.number: t for t in new}
    for t in old:
        candidate = by_number.get(t.number)
        if candidate is not None and similarity(t.title, candidate.title) >= SIMILAR:
            pairs[t.id] = candidate.id
    taken = set(pairs.values())
    for t in old:
        if t.id in pairs:
            continue
        best = max(
            (c for c in new if c.id not in taken),
            key=lambda c: similarity(t.title, c.title),
            default=None,
        )
        if best is not None and similarity(t.title, best.title) >= RENUMBERED:
            pairs[t.id] = best.id
            taken.add(best.id)
    return pairs
