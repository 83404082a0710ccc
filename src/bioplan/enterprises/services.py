"""Every write of the enterprise registry: enterprises, honours, figures, products, the cultivation
pool and derived-indicator rules.

Each service takes keyword-only arguments, runs in a transaction, validates with full_clean() and
records who changed what through django-simple-history (`_history_user`, `_change_reason`).
`user=None` means a system job (demo loader, background import) acting without a person.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from bioplan.core.choices import RegionLevel, Role
from bioplan.core.concurrency import version_claim
from bioplan.core.models import Region, User
from bioplan.core.services import audited_save, record_delete
from bioplan.enterprises.choices import DEVICE_PHASES, DRUG_PHASES, HonourKind, ProductKind, ProductPhase
from bioplan.enterprises.creditcode import credit_code_normalize
from bioplan.enterprises.models import (
    CultivationEntry,
    DerivedRule,
    Enterprise,
    EnterpriseFigure,
    Honour,
    ImportJob,
    Product,
    ProductMilestone,
)
from bioplan.plans.models import Target, Task

logger = logging.getLogger(__name__)


def user_may_edit_scope(user: User | None, *, district: Region, park: Region | None) -> bool:
    """Whether `user` may write rows of that district and park (see models.editable_q)."""
    if user is None or user.is_superuser:
        return True
    if user.role == Role.OFFICE_ADMIN and user.region is not None:
        region = user.region
        if region.level == RegionLevel.CITY:
            return district.parent_id == region.pk or district.pk == region.pk
        if region.level == RegionLevel.PARK:
            return park is not None and park.pk == region.pk
        return district.pk == region.pk
    if user.role == Role.PARK_OPERATOR and park is not None:
        if user.region_id == park.pk:
            return True
        return bool(
            user.department_id
            and Region.objects.filter(
                pk=park.pk, park_profile__operator_department_id=user.department_id
            ).exists()
        )
    return False


def require_scope(user: User | None, *, district: Region, park: Region | None) -> None:
    if not user_may_edit_scope(user, district=district, park=park):
        raise PermissionDenied("无权修改该区或园区的登记数据。")


def _require_enterprise(user: User | None, enterprise: Enterprise) -> None:
    require_scope(user, district=enterprise.district, park=enterprise.park)


# ------------------------------------------------------------------------------ per-row domain rules
# Each rule is applied by the single-record service below AND by the sheet's bulk service
# (enterprises/sheets.py), so a row stores the same whether typed on a page or imported from Excel.
# docs/architecture.md "One write path" lists them; tests/enterprises/test_one_write_path.py checks each.
HIGH_TECH_YEARS = 3  # a 高新技术企业 certificate is valid for three years (国科发火〔2016〕32号)


def honour_terms(
    *, kind: str, valid_from: dt.date, valid_until: dt.date | None, board: str
) -> dt.date | None:
    """The end of validity an honour is stored with: as given, or for 高新技术企业 three years less a
    day after `valid_from`. Raises ValidationError (every problem, by field): 上市 needs a board; the
    end may not precede the start."""
    problems: dict[str, str] = {}
    if kind == HonourKind.LISTED and not board:
        problems["board"] = "上市企业须填写上市板块。"
    if kind == HonourKind.HIGH_TECH and valid_until is None:
        try:
            end = valid_from.replace(year=valid_from.year + HIGH_TECH_YEARS)
        except ValueError:  # granted on 29 February
            end = dt.date(valid_from.year + HIGH_TECH_YEARS, 3, 1)
        valid_until = end - dt.timedelta(days=1)
    if valid_until is not None and valid_until < valid_from:
        problems["valid_until"] = "有效期至早于认定日期。"
    if problems:
        raise ValidationError(problems)
    return valid_until


def figure_values_rule(values: dict[str, Any]) -> None:
    """A period's figures need at least one value (a row of blanks is a mistake, not a figure)."""
    if all(v is None for v in values.values()):
        raise ValidationError({"revenue": "至少填写一项指标。"})


def phases_for(kind: str) -> list[ProductPhase]:
    return DRUG_PHASES if kind == ProductKind.DRUG else [*DEVICE_PHASES, ProductPhase.APPROVED]


def product_phase_rule(
    *,
    kind: str,
    phase: str,
    current_phase: str | None = None,
    reached_on: dt.date | None = None,
    last_reached_on: dt.date | None = None,
) -> None:
    """A product's (new) phase must belong to its kind's pipeline; a drug only moves forward; a
    phase is not reached before the previous one. Raises ValidationError."""
    order = phases_for(kind)
    if phase not in order:
        raise ValidationError(
            {"phase": f"{ProductKind(kind).label}不适用阶段“{ProductPhase(phase).label}”。"}
        )
    if (
        current_phase is not None
        and kind == ProductKind.DRUG
        and current_phase in order
        and order.index(ProductPhase(phase)) <= order.index(ProductPhase(current_phase))
    ):
        raise ValidationError({"phase": "药品管线只能向后推进。"})
    if reached_on is not None and last_reached_on is not None and reached_on < last_reached_on:
        raise ValidationError({"reached_on": f"日期早于上一阶段（{last_reached_on}）。"})


# ------------------------------------------------------------------------------------ enterprises
ENTERPRISE_FIELDS = ("name", "park", "address", "segment", "other_segments", "is_above_scale", "founded_on")


@transaction.atomic
def enterprise_create(
    *,
    name: str,
    credit_code: str,
    district: Region,
    segment: str,
    park: Region | None = None,
    address: str = "",
    other_segments: list[str] | None = None,
    is_above_scale: bool = False,
    founded_on: dt.date | None = None,
    simulated: bool = False,
    user: User | None = None,
) -> Enterprise:
    """Register an enterprise; the credit code is normalised (spaces removed, upper case) and checked."""
    require_scope(user, district=district, park=park)
    enterprise = Enterprise(
        name=name.strip(),
        credit_code=credit_code_normalize(credit_code),
        district=district,
        park=park,
        address=address,
        segment=segment,
        other_segments=other_segments or [],
        is_above_scale=is_above_scale,
        founded_on=founded_on,
        simulated=simulated,
    )
    audited_save(enterprise, user=user, reason="enterprise registered")
    return enterprise


@transaction.atomic
def enterprise_update(
    *,
    enterprise: Enterprise,
    user: User | None,
    expected_version: int | None = None,
    **changes: Any,
) -> Enterprise:
    """Change the fields named in `changes` (among ENTERPRISE_FIELDS); the new park must be editable too.

    `expected_version` is the version the user loaded: if someone saved the enterprise since,
    `EditConflict` and nothing is saved (None: no check, for jobs and the CLI)."""
    unknown = set(changes) - set(ENTERPRISE_FIELDS)
    if unknown:
        raise ValueError(f"cannot change {sorted(unknown)}")
    _require_enterprise(user, enterprise)
    version_claim(enterprise, expected_version=expected_version)
    for key, value in changes.items():
        setattr(enterprise, key, value)
    require_scope(user, district=enterprise.district, park=enterprise.park)
    audited_save(enterprise, user=user, reason="enterprise updated")
    return enterprise


@transaction.atomic
def enterprise_delete(*, enterprise: Enterprise, user: User | None, reason: str) -> int:
    """Remove an enterprise with its honours, figures, products and pool entry (restorable from the
    change history); its projects keep their rows without the link. Returns the rows deleted."""
    _require_enterprise(user, enterprise)
    return record_delete(instance=enterprise, user=user, reason=reason or "enterprise deleted")


# --------------------------------------------------------------------------------------- honours
@transaction.atomic
def honour_grant(
    *,
    enterprise: Enterprise,
    kind: str,
    valid_from: dt.date,
    valid_until: dt.date | None = None,
    level: str = "",
    certificate_no: str = "",
    board: str = "",
    stock_code: str = "",
    simulated: bool = False,
    user: User | None = None,
) -> Honour:
    """Record an honour; 上市 needs a board. High-tech certificates default to three years' validity."""
    _require_enterprise(user, enterprise)
    valid_until = honour_terms(kind=kind, valid_from=valid_from, valid_until=valid_until, board=board)
    honour = Honour(
        enterprise=enterprise,
        kind=kind,
        valid_from=valid_from,
        valid_until=valid_until,
        level=level,
        certificate_no=certificate_no,
        board=board,
        stock_code=stock_code,
        simulated=simulated,
    )
    audited_save(honour, user=user, reason="honour granted")
    return honour


@transaction.atomic
def honour_end(*, honour: Honour, valid_until: dt.date, user: User | None = None) -> Honour:
    """End an honour's validity (revoked, expired without renewal, delisted)."""
    _require_enterprise(user, honour.enterprise)
    honour.valid_until = valid_until
    audited_save(honour, user=user, reason="honour ended")
    return honour


HONOUR_FIELDS = ("kind", "level", "certificate_no", "valid_from", "valid_until", "board", "stock_code")


@transaction.atomic
def honour_update(*, honour: Honour, user: User | None, **changes: Any) -> Honour:
    """Correct an honour's fields (among HONOUR_FIELDS); 上市 still needs a board."""
    unknown = set(changes) - set(HONOUR_FIELDS)
    if unknown:
        raise ValueError(f"cannot change {sorted(unknown)}")
    _require_enterprise(user, honour.enterprise)
    for key, value in changes.items():
        setattr(honour, key, value)
    if honour.kind == HonourKind.LISTED and not honour.board:
        raise ValidationError({"board": "上市企业须填写上市板块。"})
    audited_save(honour, user=user, reason="honour corrected")
    return honour


@transaction.atomic
def honour_delete(*, honour: Honour, user: User | None, reason: str) -> int:
    """Remove an honour recorded by mistake (an honour that ended is ended, not deleted)."""
    _require_enterprise(user, honour.enterprise)
    return record_delete(instance=honour, user=user, reason=reason or "honour deleted")


# --------------------------------------------------------------------------------------- figures
@transaction.atomic
def figure_record(
    *,
    enterprise: Enterprise,
    year: int,
    source: str,
    quarter: int = 0,
    revenue: Decimal | None = None,
    industrial_output: Decimal | None = None,
    rd_expense: Decimal | None = None,
    tax: Decimal | None = None,
    employees: int | None = None,
    simulated: bool = False,
    user: User | None = None,
) -> EnterpriseFigure:
    """Store (or correct) the figures of a period, money in 万元; the history keeps earlier values."""
    _require_enterprise(user, enterprise)
    figure_values_rule(
        {
            "revenue": revenue,
            "industrial_output": industrial_output,
            "rd_expense": rd_expense,
            "tax": tax,
            "employees": employees,
        }
    )
    figure = EnterpriseFigure.objects.filter(enterprise=enterprise, year=year, quarter=quarter).first()
    created = figure is None
    if figure is None:
        figure = EnterpriseFigure(enterprise=enterprise, year=year, quarter=quarter)
    figure.source = source
    figure.revenue = revenue
    figure.industrial_output = industrial_output
    figure.rd_expense = rd_expense
    figure.tax = tax
    figure.employees = employees
    figure.simulated = simulated
    audited_save(figure, user=user, reason="figures recorded" if created else "figures corrected")
    return figure


@transaction.atomic
def figure_delete(*, figure: EnterpriseFigure, user: User | None, reason: str) -> int:
    """Remove a period's figures recorded by mistake."""
    _require_enterprise(user, figure.enterprise)
    return record_delete(instance=figure, user=user, reason=reason or "figures deleted")


# -------------------------------------------------------------------------------------- products
@transaction.atomic
def product_create(
    *,
    enterprise: Enterprise,
    name: str,
    kind: str,
    phase: str,
    reached_on: dt.date,
    category: str = "",
    indication: str = "",
    registration_no: str = "",
    simulated: bool = False,
    user: User | None = None,
) -> Product:
    """Add a pipeline product at `phase`, reached on `reached_on`."""
    _require_enterprise(user, enterprise)
    product_phase_rule(kind=kind, phase=phase)
    product = Product(
        enterprise=enterprise,
        name=name,
        kind=kind,
        phase=phase,
        category=category,
        indication=indication,
        registration_no=registration_no,
        simulated=simulated,
    )
    audited_save(product, user=user, reason="product added")
    audited_save(
        ProductMilestone(product=product, phase=phase, reached_on=reached_on),
        user=user,
        reason="phase reached",
    )
    return product


@transaction.atomic
def product_advance(
    *, product: Product, phase: str, reached_on: dt.date, user: User | None = None
) -> Product:
    """Move a product to a later phase of its pipeline; a drug never goes back a phase, and a
    milestone cannot predate the previous one."""
    _require_enterprise(user, product.enterprise)
    last = product.milestones.order_by("-reached_on").first()
    product_phase_rule(
        kind=product.kind,
        phase=phase,
        current_phase=product.phase,
        reached_on=reached_on,
        last_reached_on=last.reached_on if last else None,
    )
    product.phase = phase
    audited_save(product, user=user, reason=f"advanced to {phase}")
    audited_save(
        ProductMilestone(product=product, phase=phase, reached_on=reached_on),
        user=user,
        reason="phase reached",
    )
    return product


PRODUCT_FIELDS = ("name", "category", "indication", "registration_no")


@transaction.atomic
def product_update(*, product: Product, user: User | None, **changes: Any) -> Product:
    """Correct a product's name, category, indication or registration number (its phase moves
    through product_advance only)."""
    unknown = set(changes) - set(PRODUCT_FIELDS)
    if unknown:
        raise ValueError(f"cannot change {sorted(unknown)}")
    _require_enterprise(user, product.enterprise)
    for key, value in changes.items():
        setattr(product, key, value)
    audited_save(product, user=user, reason="product corrected")
    return product


@transaction.atomic
def product_delete(*, product: Product, user: User | None, reason: str) -> int:
    """Remove a product and its milestones."""
    _require_enterprise(user, product.enterprise)
    return record_delete(instance=product, user=user, reason=reason or "product deleted")


# ------------------------------------------------------------------------------ cultivation pool
@transaction.atomic
def cultivation_place(
    *,
    enterprise: Enterprise,
    tier: str,
    entered_on: dt.date,
    note: str = "",
    simulated: bool = False,
    user: User | None = None,
    reason: str = "",
) -> CultivationEntry:
    """Put an enterprise in the cultivation pool at `tier`, or move it to another tier; `reason`
    (why it enters or moves) is kept in the change history."""
    _require_enterprise(user, enterprise)
    entry = CultivationEntry.objects.filter(enterprise=enterprise).first() or CultivationEntry(
        enterprise=enterprise
    )
    entry.tier = tier
    entry.entered_on = entered_on
    entry.note = note
    entry.simulated = simulated
    audited_save(entry, user=user, reason=reason or f"placed at {tier}")
    return entry


@transaction.atomic
def cultivation_remove(*, enterprise: Enterprise, user: User | None, reason: str) -> int:
    """Take an enterprise out of the cultivation pool, saying why (毕业, 迁出, 不再符合…)."""
    _require_enterprise(user, enterprise)
    entry = CultivationEntry.objects.filter(enterprise=enterprise).first()
    if entry is None:
        raise ValidationError("该企业不在培育库中。")
    if not reason.strip():
        raise ValidationError({"reason": "请填写移出培育库的原因。"})
    return record_delete(instance=entry, user=user, reason=reason)


# ------------------------------------------------------------------------------- derived rules
@transaction.atomic
def derived_rule_bind(
    *,
    target: Target,
    kind: str,
    region: Region,
    parameters: dict[str, Any],
    unit: str = "",
    user: User | None = None,
) -> DerivedRule:
    """Bind `target` to a rule (replacing an earlier binding); only the office binds targets."""
    if user is not None and not user.is_office_admin:
        raise PermissionDenied("只有产业办公室可以绑定派生指标。")
    rule = DerivedRule.objects.filter(target=target).first() or DerivedRule(target=target)
    unit = unit or target.unit
    if rule.pk and (rule.kind, rule.region_id, rule.parameters, rule.unit) == (
        kind,
        region.pk,
        parameters,
        unit,
    ):
        return rule  # unchanged: no write, no history row
    rule.kind = kind
    rule.region = region
    rule.parameters = parameters
    rule.unit = unit
    audited_save(rule, user=user, reason="derived rule bound")
    return rule


@transaction.atomic
def derived_rule_carry(
    *, targets: Mapping[Target, Target], tasks: Mapping[Task, Task], user: User | None, reason: str
) -> None:
    """Move derived rules from a plan version's targets to their successors in the next version, unless
    the successor has a rule already (registered with plans.services.register_version_carrier)."""
    del tasks  # rules hang on targets only
    ruled = set(
        DerivedRule.objects.filter(target__in=list(targets.values())).values_list("target_id", flat=True)
    )
    for rule in DerivedRule.objects.filter(target__in=list(targets)).select_related("target"):
        successor = targets[rule.target]
        if successor.pk not in ruled:
            rule.target = successor
            audited_save(rule, user=user, reason=reason)


# ------------------------------------------------------------------------------- spreadsheet imports
def require_importer(user: User | None, *, region: Region) -> None:
    """Office, park operators and liaisons import into their own district; each row is then checked
    against what the user may edit (parks of an operator, projects of a liaison). `user=None` is the
    operator's CLI or a job."""
    if user is None or user.is_superuser:
        return
    if user.is_read_only:
        raise PermissionDenied("只读用户不能导入。")
    own = user.region
    in_scope = own is not None and (
        own.pk == region.pk
        or own.parent_id == region.pk
        or (user.is_office_admin and own.level == RegionLevel.CITY and region.parent_id == own.pk)
    )
    if not in_scope:
        raise PermissionDenied("不能导入其他区的数据。")


@transaction.atomic
def import_job_create(*, sheet_kind: str, upload: Any, region: Region, user: User | None) -> ImportJob:
    """Store the uploaded file and queue its import (huey, after commit); the page polls the job."""
    from bioplan.sheets import registered_sheets

    if sheet_kind not in registered_sheets():
        raise ValidationError({"sheet_kind": f"未知的表格类型：{sheet_kind}"})
    require_importer(user, region=region)
    job = ImportJob(
        sheet_kind=sheet_kind,
        region=region,
        created_by=user,
        file_name=getattr(upload, "name", "upload.xlsx"),
    )
    job.file.save(job.file_name, upload, save=False)
    job.full_clean()
    job.save()
    from bioplan.enterprises.tasks import import_job_task

    transaction.on_commit(lambda: import_job_task(job.pk))
    return job


class JobLost(Exception):
    """The job was marked failed (its worker thought dead) before this worker could save."""


def _job_beat(job_pk: int, **fields: Any) -> int:
    from django.utils import timezone

    from bioplan.enterprises.choices import ImportState

    return ImportJob.objects.filter(pk=job_pk, state=ImportState.RUNNING).update(
        heartbeat_at=timezone.now(), **fields
    )


def import_job_execute(*, job: ImportJob, progress: Any = None) -> ImportJob:
    """Run a queued import: claim it (queued → running), read and check the file outside any
    transaction, writing progress and a heartbeat to the job row as it goes, then save the rows in
    one transaction only when there is no problem. A job that is no longer queued (already run, or
    reaped) is left alone; a job reaped while this worker was still checking is not saved."""
    from django.db.models import F
    from django.utils import timezone

    from bioplan.enterprises.choices import ImportState
    from bioplan.sheets import SheetTooLarge, SheetUnreadable, import_file, sheet_spec

    spec = sheet_spec(job.sheet_kind)
    phases = {"parse": "正在校验", "check": "正在核对", "save": "正在保存"}
    claimed = ImportJob.objects.filter(pk=job.pk, state=ImportState.QUEUED).update(
        state=ImportState.RUNNING, heartbeat_at=timezone.now(), attempts=F("attempts") + 1, message="正在读取"
    )
    if not claimed:
        job.refresh_from_db()
        return job

    def report(done: int, total: int, phase: str) -> None:
        if phase == "save" and not _job_beat(job.pk, message=phases["save"]):
            raise JobLost  # inside the saving transaction: nothing is written
        _job_beat(job.pk, processed_rows=done, total_rows=total, message=phases.get(phase, phase))
        if progress:
            progress(done, total, phase)

    def end(state: str, message: str) -> ImportJob:
        ImportJob.objects.filter(pk=job.pk).update(state=state, message=message, finished_at=timezone.now())
        job.refresh_from_db()
        return job

    try:
        outcome = import_file(spec, job.file.path, region=job.region, user=job.created_by, progress=report)
    except JobLost:
        job.refresh_from_db()
        return job
    except SheetTooLarge as exc:
        return end(ImportState.ERROR, f"{exc}；未保存任何数据")
    except (SheetUnreadable, OSError) as exc:  # a broken or missing file: keep the message
        return end(ImportState.ERROR, f"无法读取文件：{exc}")
    except Exception as exc:  # never leave the job running: the page would poll for ever
        logger.exception("import job %s failed", job.pk)
        return end(ImportState.ERROR, f"导入出错（{type(exc).__name__}），未保存任何数据，请联系管理员")
    fields: dict[str, Any] = {
        "total_rows": outcome.total,
        "processed_rows": outcome.total,
        "finished_at": timezone.now(),
        "problems": [
            {"sheet": p.sheet, "row": p.row, "column": p.column, "problem": p.problem}
            for p in outcome.problems[:5000]
        ],
    }
    if outcome.ok:
        fields.update(
            state=ImportState.DONE,
            created_count=outcome.created,
            updated_count=outcome.updated,
            message=f"新增 {outcome.created} 行，更新 {outcome.updated} 行",
        )
    else:
        fields.update(
            state=ImportState.FAILED, message=f"发现 {len(outcome.problems)} 处问题，未保存任何数据"
        )
    ImportJob.objects.filter(pk=job.pk).update(**fields)
    job.refresh_from_db()
    return job


def import_jobs_reap() -> int:
    """Mark failed the jobs that lost their worker: running with no heartbeat for
    BIOPLAN_JOB_STALE_SECONDS, or queued for BIOPLAN_JOB_QUEUE_SECONDS without a worker taking them.
    Their rows were never saved (the save is one transaction), so they can simply be re-run.
    Run every minute by huey (enterprises.tasks) and whenever a job page is read. Returns how many."""
    from django.conf import settings
    from django.db.models import Q
    from django.utils import timezone

    from bioplan.enterprises.choices import ImportState

    now = timezone.now()
    stale = now - dt.timedelta(seconds=settings.BIOPLAN_JOB_STALE_SECONDS)
    waited = now - dt.timedelta(seconds=settings.BIOPLAN_JOB_QUEUE_SECONDS)
    lost = ImportJob.objects.filter(state=ImportState.RUNNING).filter(
        Q(heartbeat_at__lt=stale) | Q(heartbeat_at__isnull=True, updated_at__lt=stale)
    )
    minutes = max(settings.BIOPLAN_JOB_STALE_SECONDS // 60, 1)
    count = lost.update(
        state=ImportState.ERROR,
        finished_at=now,
        message=f"导入中断：处理该任务的后台进程已停止（超过{minutes}分钟没有响应），未保存任何数据，请重新导入",
    )
    count += ImportJob.objects.filter(state=ImportState.QUEUED, created_at__lt=waited).update(
        state=ImportState.ERROR,
        finished_at=now,
        message="排队过久仍未开始：后台任务进程可能没有运行，请联系管理员后重新导入",
    )
    return count


@transaction.atomic
def import_job_retry(*, job: ImportJob, user: User | None) -> ImportJob:
    """Queue an interrupted job (state 出错) again with the same file; its rows were never saved."""
    from bioplan.enterprises.choices import ImportState

    require_importer(user, region=job.region)
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if job.state != ImportState.ERROR:
        raise ValidationError("只有出错中断的导入可以重新运行。")
    ImportJob.objects.filter(pk=job.pk).update(
        state=ImportState.QUEUED,
        message="",
        problems=[],
        processed_rows=0,
        total_rows=0,
        finished_at=None,
        heartbeat_at=None,
    )
    from bioplan.enterprises.tasks import import_job_task

    transaction.on_commit(lambda: import_job_task(job.pk))
    job.refresh_from_db()
    return job
