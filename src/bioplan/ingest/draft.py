"""PlanDraft: the extraction output contract (../shared/eval/GOLD_GUIDE.md) as dataclasses.

A PlanDraft is what `bioplan.ingest` produces from a document and what `plans.services.plan_import`
consumes. `PlanDraft.from_dict` validates a contract-format JSON object and raises `DraftInvalid`
naming every wrong field; `to_dict` writes the same shape back.

Every extracted item (target, task, task–department assignment, park, metadata field) carries a
`confidence` (0–1) and a `reason` (the rule and its evidence). JSON written before these fields
existed still loads: a missing confidence is 1.0 (the file states the item, nothing was guessed), a
missing reason is "", a missing direction is "up" and a missing deadline is null.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from bioplan.ingest.errors import DraftInvalid

TARGET_KINDS = ("level", "increment", "growth_rate", "share")
COMPARATORS = (">", ">=", "=", "range", "<", "<=")
LEVELS = ("floor", "stretch")
STATUSES = ("征求意见稿", "送审稿", "印发", "论文")
DIRECTIONS = ("up", "down")
META_FIELDS = (
    "region",
    "industry",
    "title",
    "period_start",
    "period_end",
    "status",
    "doc_number",
    "issued_on",
)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass
class Evidence:
    """How sure the extractor is of one item (0–1) and why: the rule that fired and its evidence."""

    confidence: float = 1.0
    reason: str = ""


@dataclass
class Deadline:
    """A task's 完成时限 as written ("2024年底前", "长期坚持") and its date when it names one."""

    text: str
    date: str | None = None


@dataclass
class TaskAssignment:
    """One task–department pair: the unit, whether it leads (牵头), and the evidence for the pair."""

    department: str
    lead: bool = False
    confidence: float = 1.0
    reason: str = ""


@dataclass
class PlanMeta:
    region: str | None = None
    industry: str | None = None
    title: str | None = None
    period_start: int | None = None
    period_end: int | None = None
    status: str | None = None
    doc_number: str | None = None
    issued_on: str | None = None
    # field name (one of META_FIELDS) → evidence for the value found; absent for fields not found
    evidence: dict[str, Evidence] = field(default_factory=dict)


@dataclass
class TargetDraft:
    id: str
    metric: str
    kind: str
    value: Decimal
    unit: str
    comparator: str
    year: int | None
    level: str | None = None
    scope: str | None = None
    value_max: Decimal | None = None
    baseline_value: Decimal | None = None
    baseline_year: int | None = None
    quote: str = ""
    direction: str = "up"  # "down" for decreases (能耗下降15%)
    confidence: float = 1.0
    reason: str = ""


@dataclass
class TaskDraft:
    number: str
    title: str
    section: str | None = None
    lead_departments: list[str] = field(default_factory=list)
    departments: list[str] = field(default_factory=list)
    deadline: Deadline | None = None
    confidence: float = 1.0
    reason: str = ""
    # one per department, in the order of `departments`; empty in JSON that predates it
    assignments: list[TaskAssignment] = field(default_factory=list)


@dataclass
class ParkDraft:
    name: str
    type: str | None = None
    group: str | None = None
    focus: list[str] = field(default_factory=list)
    new_land_mu: Decimal | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    confidence: float = 1.0
    reason: str = ""


@dataclass
class PlanDraft:
    document: str | None
    plan: PlanMeta
    targets: list[TargetDraft] = field(default_factory=list)
    tasks: list[TaskDraft] = field(default_factory=list)
    departments: list[str] = field(default_factory=list)
    parks: list[ParkDraft] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    # ------------------------------------------------------------------ JSON
    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "document": self.document,
            "plan": _plan_dict(self.plan),
            "targets": [_target_dict(t) for t in self.targets],
            "tasks": [_task_dict(t) for t in self.tasks],
            "departments": list(self.departments),
            "parks": [_park_dict(p) for p in self.parks],
        }
        if self.warnings:
            out["warnings"] = list(self.warnings)
        return out

    def to_json(self, *, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    @classmethod
    def from_json_file(cls, path: str | Path) -> PlanDraft:
        p = Path(path)
        try:
            raw = json.loads(p.read_text(encoding="utf-8"))
        except UnicodeDecodeError as exc:
            raise DraftInvalid("the file is not UTF-8 text", source=p.name) from exc
        except json.JSONDecodeError as exc:
            raise DraftInvalid(
                f"not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})", source=p.name
            ) from exc
        return cls.from_dict(raw, source=p.name)

    @classmethod
    def from_dict(cls, raw: Any, *, source: str | None = None) -> PlanDraft:
        """Validate a contract-format object; raise DraftInvalid listing every problem found."""
        errors: list[str] = []
        if not isinstance(raw, dict):
            raise DraftInvalid(
                "the top level must be a JSON object with plan, targets, tasks, departments, parks",
                source=source,
            )
        plan_raw = raw.get("plan")
        if not isinstance(plan_raw, dict):
            errors.append("plan: missing or not an object")
            plan_raw = {}
        meta = PlanMeta(
            region=_opt_str(plan_raw, "region", "plan", errors),
            industry=_opt_str(plan_raw, "industry", "plan", errors),
            title=_opt_str(plan_raw, "title", "plan", errors),
            period_start=_opt_int(plan_raw, "period_start", "plan", errors),
            period_end=_opt_int(plan_raw, "period_end", "plan", errors),
            status=_opt_str(plan_raw, "status", "plan", errors),
            doc_number=_opt_str(plan_raw, "doc_number", "plan", errors),
            issued_on=_opt_str(plan_raw, "issued_on", "plan", errors),
            evidence=_evidence_map(plan_raw.get("evidence"), "plan.evidence", errors),
        )
        if meta.status is not None and meta.status not in STATUSES:
            errors.append(f"plan.status: {meta.status!r} is not one of {', '.join(STATUSES)}")
        if meta.issued_on is not None and not _DATE.match(meta.issued_on):
            errors.append(f"plan.issued_on: {meta.issued_on!r} is not a YYYY-MM-DD date")
        if meta.period_start and meta.period_end and meta.period_start > meta.period_end:
            errors.append(f"plan: period_start {meta.period_start} is after period_end {meta.period_end}")

        targets = [_target_from(t, i, errors) for i, t in enumerate(_list(raw, "targets", errors))]
        tasks = [_task_from(t, i, errors) for i, t in enumerate(_list(raw, "tasks", errors))]
        parks = [_park_from(p, i, errors) for i, p in enumerate(_list(raw, "parks", errors))]
        departments = []
        for i, d in enumerate(_list(raw, "departments", errors)):
            if isinstance(d, str) and d.strip():
                departments.append(d.strip())
            else:
                errors.append(f"departments[{i}]: must be a non-empty string")
        ids = [t.id for t in targets if t is not None]
        dup_ids = sorted({i for i in ids if ids.count(i) > 1})
        if dup_ids:
            errors.append(f"targets: duplicate id {', '.join(dup_ids)}")
        if errors:
            shown = "; ".join(errors[:20]) + (f"; … and {len(errors) - 20} more" if len(errors) > 20 else "")
            raise DraftInvalid(f"{len(errors)} problem(s): {shown}", source=source)
        document = raw.get("document")
        warnings = raw.get("warnings") or []
        if not isinstance(warnings, list):
            warnings = [warnings] if isinstance(warnings, str) else []
        return cls(
            document=document if isinstance(document, str) else None,
            plan=meta,
            targets=[t for t in targets if t is not None],
            tasks=[t for t in tasks if t is not None],
            departments=departments,
            parks=[p for p in parks if p is not None],
            warnings=[w for w in warnings if isinstance(w, str)],
        )


# ---------------------------------------------------------------------- helpers
def _num_out(v: Decimal | None) -> int | float | None:
    if v is None:
        return None
    return int(v) if v == v.to_integral_value() else float(v)


def _plan_dict(m: PlanMeta) -> dict[str, Any]:
    d = asdict(m)
    d["evidence"] = {k: asdict(v) for k, v in m.evidence.items()}
    return d


def _task_dict(t: TaskDraft) -> dict[str, Any]:
    d = asdict(t)
    d["deadline"] = asdict(t.deadline) if t.deadline is not None else None
    return d


def _target_dict(t: TargetDraft) -> dict[str, Any]:
    d = asdict(t)
    for k in ("value", "value_max", "baseline_value"):
        d[k] = _num_out(d[k])
    order = [
        "id",
        "metric",
        "kind",
        "value",
        "value_max",
        "unit",
        "comparator",
        "year",
        "level",
        "scope",
        "baseline_value",
        "baseline_year",
        "quote",
        "direction",
        "confidence",
        "reason",
    ]
    return {k: d[k] for k in order}


def _park_dict(p: ParkDraft) -> dict[str, Any]:
    d: dict[str, Any] = {
        "name": p.name,
        "type": p.type,
        "group": p.group,
        "focus": list(p.focus),
        "new_land_mu": _num_out(p.new_land_mu),
    }
    d.update(p.extra)
    d["confidence"] = p.confidence
    d["reason"] = p.reason
    return d


def _list(raw: dict[str, Any], key: str, errors: list[str]) -> list[Any]:
    v = raw.get(key, [])
    if v is None:
        return []
    if not isinstance(v, list):
        errors.append(f"{key}: must be a list")
        return []
    return v


def _opt_str(raw: dict[str, Any], key: str, where: str, errors: list[str]) -> str | None:
    v = raw.get(key)
    if v is None:
        return None
    if not isinstance(v, str):
        errors.append(f"{where}.{key}: must be text, got {type(v).__name__}")
        return None
    return v.strip() or None


def _opt_int(raw: dict[str, Any], key: str, where: str, errors: list[str]) -> int | None:
    v = raw.get(key)
    if v is None:
        return None
    if isinstance(v, bool) or not isinstance(v, int):
        if isinstance(v, str) and v.isascii() and v.isdecimal():
            return int(v)
        errors.append(f"{where}.{key}: must be a whole number, got {v!r}")
        return None
    return v


def _opt_dec(raw: dict[str, Any], key: str, where: str, errors: list[str]) -> Decimal | None:
    v = raw.get(key)
    if v is None:
        return None
    if isinstance(v, bool):
        errors.append(f"{where}.{key}: must be a number, got {v!r}")
        return None
    try:
        d = Decimal(str(v))
    except InvalidOperation:
        errors.append(f"{where}.{key}: must be a number, got {v!r}")
        return None
    if not d.is_finite():
        errors.append(f"{where}.{key}: must be a finite number")
        return None
    # Plans state amounts below 10^16 (亿元 values, counts, %) with at most 4 decimals; anything
    # else is a typo or a hostile file (1e999999 would take minutes to print).
    if d != 0 and not -5 <= d.adjusted() < 16:
        errors.append(f"{where}.{key}: {v!r} is out of range (|value| must be below 10^16 and above 10^-5)")
        return None
    return d


def _confidence(raw: dict[str, Any], where: str, errors: list[str]) -> float:
    v = raw.get("confidence")
    if v is None:
        return 1.0
    if isinstance(v, bool) or not isinstance(v, int | float) or not 0 <= v <= 1:
        errors.append(f"{where}.confidence: must be a number from 0 to 1, got {v!r}")
        return 1.0
    return float(v)


def _reason(raw: dict[str, Any], where: str, errors: list[str]) -> str:
    v = raw.get("reason")
    if v is None:
        return ""
    if not isinstance(v, str):
        errors.append(f"{where}.reason: must be text, got {type(v).__name__}")
        return ""
    return v.strip()


def _evidence_map(raw: Any, where: str, errors: list[str]) -> dict[str, Evidence]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        errors.append(f"{where}: must be an object of field → {{confidence, reason}}")
        return {}
    out: dict[str, Evidence] = {}
    for key, value in raw.items():
        if key not in META_FIELDS:
            errors.append(f"{where}: {key!r} is not a plan field")
            continue
        if not isinstance(value, dict):
            errors.append(f"{where}.{key}: must be an object with confidence and reason")
            continue
        out[key] = Evidence(
            confidence=_confidence(value, f"{where}.{key}", errors),
            reason=_reason(value, f"{where}.{key}", errors),
        )
    return out


def _deadline(raw: dict[str, Any], where: str, errors: list[str]) -> Deadline | None:
    v = raw.get("deadline")
    if v is None:
        return None
    if isinstance(v, str):
        return Deadline(text=v.strip()) if v.strip() else None
    if not isinstance(v, dict):
        errors.append(f'{where}.deadline: must be {{"text": …, "date": "YYYY-MM-DD" | null}} or null')
        return None
    text = _opt_str(v, "text", f"{where}.deadline", errors)
    date = _opt_str(v, "date", f"{where}.deadline", errors)
    if not text:
        errors.append(f"{where}.deadline.text: required")
        return None
    if date is not None and not _DATE.match(date):
        errors.append(f"{where}.deadline.date: {date!r} is not a YYYY-MM-DD date")
        return None
    return Deadline(text=text, date=date)


def _assignments(raw: dict[str, Any], where: str, errors: list[str]) -> list[TaskAssignment]:
    v = raw.get("assignments")
    if v is None:
        return []
    if not isinstance(v, list):
        errors.append(f"{where}.assignments: must be a list")
        return []
    out: list[TaskAssignment] = []
    for j, a in enumerate(v):
        at = f"{where}.assignments[{j}]"
        if not isinstance(a, dict):
            errors.append(f"{at}: must be an object")
            continue
        name = _opt_str(a, "department", at, errors)
        if not name:
            errors.append(f"{at}.department: required")
            continue
        out.append(
            TaskAssignment(
                department=name,
                lead=bool(a.get("lead", False)),
                confidence=_confidence(a, at, errors),
                reason=_reason(a, at, errors),
            )
        )
    return out


def _target_from(t: Any, i: int, errors: list[str]) -> TargetDraft | None:
    where = f"targets[{i}]"
    if not isinstance(t, dict):
        errors.append(f"{where}: must be an object")
        return None
    n = len(errors)
    metric = _opt_str(t, "metric", where, errors)
    if not metric:
        errors.append(f"{where}.metric: required")
    kind = t.get("kind")
    if kind not in TARGET_KINDS:
        errors.append(f"{where}.kind: {kind!r} is not one of {', '.join(TARGET_KINDS)}")
    value = _opt_dec(t, "value", where, errors)
    if value is None and "value" not in t:
        errors.append(f"{where}.value: required")
    unit = _opt_str(t, "unit", where, errors)
    if not unit:
        errors.append(f"{where}.unit: required")
    comparator = t.get("comparator")
    if comparator not in COMPARATORS:
        errors.append(f"{where}.comparator: {comparator!r} is not one of {', '.join(COMPARATORS)}")
    value_max = _opt_dec(t, "value_max", where, errors)
    if comparator == "range" and value_max is None:
        errors.append(f"{where}: comparator 'range' needs value_max")
    if value is not None and value_max is not None and value_max < value:
        errors.append(f"{where}: value_max {value_max} is below value {value}")
    level = t.get("level")
    if level not in (None, *LEVELS):
        errors.append(f"{where}.level: {level!r} is not floor, stretch or null")
    year = _opt_int(t, "year", where, errors)
    if year is not None and not 1949 <= year <= 2100:
        errors.append(f"{where}.year: {year} is not a plausible year")
    direction = t.get("direction") or "up"
    if direction not in DIRECTIONS:
        errors.append(f"{where}.direction: {direction!r} is not up or down")
    confidence = _confidence(t, where, errors)
    reason = _reason(t, where, errors)
    if len(errors) > n:
        return None
    return TargetDraft(
        id=str(t.get("id") or f"T{i + 1:02d}"),
        metric=metric or "",
        kind=str(kind),
        value=value if value is not None else Decimal(0),
        value_max=value_max,
        unit=unit or "",
        comparator=str(comparator),
        year=year,
        level=level,
        scope=_opt_str(t, "scope", where, errors),
        baseline_value=_opt_dec(t, "baseline_value", where, errors),
        baseline_year=_opt_int(t, "baseline_year", where, errors),
        quote=_opt_str(t, "quote", where, errors) or "",
        direction=str(direction),
        confidence=confidence,
        reason=reason,
    )


def _str_list(t: dict[str, Any], key: str, where: str, errors: list[str]) -> list[str]:
    v = t.get(key) or []
    if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
        errors.append(f"{where}.{key}: must be a list of text")
        return []
    return [x.strip() for x in v if x.strip()]


def _task_from(t: Any, i: int, errors: list[str]) -> TaskDraft | None:
    where = f"tasks[{i}]"
    if not isinstance(t, dict):
        errors.append(f"{where}: must be an object")
        return None
    number = t.get("number")
    if isinstance(number, int) and not isinstance(number, bool):
        number = str(number)
    if not isinstance(number, str) or not number.strip():
        errors.append(f'{where}.number: required text such as "1"')
        return None
    title = _opt_str(t, "title", where, errors)
    if not title:
        errors.append(f"{where}.title: required")
        return None
    departments = _str_list(t, "departments", where, errors)
    leads = _str_list(t, "lead_departments", where, errors)
    assignments = _assignments(t, where, errors)
    stray = [a.department for a in assignments if a.department not in departments]
    if stray:
        errors.append(f"{where}.assignments: {', '.join(stray)} not in departments")
    return TaskDraft(
        number=number.strip(),
        title=title,
        section=_opt_str(t, "section", where, errors),
        lead_departments=leads,
        departments=departments,
        deadline=_deadline(t, where, errors),
        confidence=_confidence(t, where, errors),
        reason=_reason(t, where, errors),
        assignments=assignments,
    )


def _park_from(p: Any, i: int, errors: list[str]) -> ParkDraft | None:
    where = f"parks[{i}]"
    if not isinstance(p, dict):
        errors.append(f"{where}: must be an object")
        return None
    name = _opt_str(p, "name", where, errors)
    if not name:
        errors.append(f"{where}.name: required")
        return None
    group = p.get("group")
    known = {"name", "type", "group", "focus", "new_land_mu", "confidence", "reason"}
    return ParkDraft(
        name=name,
        type=_opt_str(p, "type", where, errors),
        group=str(group) if group is not None else None,
        focus=_str_list(p, "focus", where, errors),
        new_land_mu=_opt_dec(p, "new_land_mu", where, errors),
        extra={k: v for k, v in p.items() if k not in known},
        confidence=_confidence(p, where, errors),
        reason=_reason(p, where, errors),
    )
