"""The permission matrix: every role tries every way in (pages, API, downloads, CLI) on objects inside
and outside its reach, and each cell states what must happen.

Test ids read ``role:object:action:expected``, e.g. ``liaison-X:report-of-Y:submit:refused-404``.

Outcomes:
* ``allowed``       — the page, record or file is served (200), or the write happened;
* ``listed``/``hidden`` — the list, search result or downloaded file does / does not contain the object;
* ``refused-403``   — the user sees the object but may not do this (nothing changed);
* ``refused-404``   — the object is outside the user's reach, so it does not exist for them;
* ``refused-405``   — the API endpoint is read-only for everybody;
* ``refused-400`` / ``refused-invalid`` — the write names something outside the user's reach and is
  rejected as bad input (400 from the API or the import, a form error on a 200 page); nothing changed.

Who reads and writes what is the table in docs/permissions.md; READERS below is that table for the
objects of the world (tests/trust/permission_world.py). `test_every_route_is_in_the_matrix` fails when
a URL appears that no action of the matrix exercises and that is not listed as exempt with a reason.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from tests.trust.permission_world import ROLES, PermissionWorld, upload_content

from bioplan.core.models import User
from bioplan.enterprises.models import (
    CultivationEntry,
    Enterprise,
    EnterpriseFigure,
    Honour,
    ImportJob,
    Product,
)
from bioplan.parks.models import Building, FloorSpace, SpaceDemand
from bioplan.plans.choices import ImportDraftState
from bioplan.plans.models import ImportDraft, Plan, Target, Task, TaskNode
from bioplan.projects.models import Project, ProjectMilestone
from bioplan.tracking.models import (
    Indicator,
    Observation,
    ProgressReport,
    Reminder,
    ReportAttachment,
    ReportingCycle,
    TargetBinding,
)

pytestmark = pytest.mark.django_db

IN_A = {"office-A", "liaison-X", "park-P1", "leader-A"}
# Registry objects kept per park (P1 run by the park operator, P2 not) and in district B.
REGISTRY_KINDS = (
    "enterprise",
    "honour",
    "company-figure",
    "product",
    "project",
    "park",
    "space",
    "parcel",
    "demand",
)
ALL = set(ROLES)

# ------------------------------------------------------------------------------------------ reach
# Who reads each object of the world (docs/permissions.md). Everything else is refused or hidden.
READERS: dict[str, set[str]] = {
    # plans and what they contain: the region's users; researchers published plans of any region
    "plan-A": IN_A | {"researcher"},
    "plan-B": {"office-B", "researcher"},
    "draft-plan-A": IN_A,
    "target-of-plan-A": IN_A | {"researcher"},
    "target-of-plan-B": {"office-B", "researcher"},
    "target-of-draft-plan-A": IN_A,
    "task-of-X": IN_A | {"researcher"},
    "task-of-B": {"office-B", "researcher"},
    "plan-park-of-A": IN_A | {"researcher"},
    "plan-park-of-B": {"office-B", "researcher"},
    "department-X": IN_A | {"researcher"},  # researchers: departments named in published plans
    "department-of-B": {"office-B", "researcher"},
    "district-A": IN_A | {"researcher"},  # the dashboard of a district (researcher: its published plans)
    "district-B": {"office-B", "researcher"},
    # tracking: the region's users; progress reports and reminders: a liaison only its department's
    "cycle-A": IN_A,
    "cycle-B": {"office-B"},
    "report-of-X": {"office-A", "liaison-X", "leader-A"},
    "report-of-Y": {"office-A", "leader-A"},
    "report-of-B": {"office-B"},
    "reminder-of-X": {"office-A", "liaison-X", "leader-A"},
    "reminder-of-Y": {"office-A", "leader-A"},
    "reminder-of-B": {"office-B"},
    "figure-of-X": IN_A,
    "figure-of-Y": IN_A,
    "figure-of-B": {"office-B"},
    "derived-rule-A": IN_A,
    "derived-rule-B": {"office-B"},
    # registries: the region's users, a park operator only its parks' rows, researchers nothing
    **{
        f"{kind}-in-{park}": (
            {"office-A", "liaison-X", "leader-A"} | ({"park-P1"} if park == "P1" else set())
        )
        for kind in REGISTRY_KINDS
        for park in ("P1", "P2")
    },
    **{f"{kind}-in-B": {"office-B"} for kind in REGISTRY_KINDS},
    # import jobs: whoever started them (here liaison X) and the office of the district
    "import-job-A": {"office-A", "liaison-X"},
    "import-job-B": {"office-B"},
    # reference data every signed-in user reads
    "indicator": ALL,
    # uploaded plans under review: the office of the district that uploaded them, nobody else
    "upload-A": {"office-A"},
    "upload-B": {"office-B"},
}


def _get(world: PermissionWorld, name: str) -> Any:
    """The object the matrix calls `name`."""
    a, b = world.a, world.b
    d = {"P1": a, "P2": a, "B": b}
    if name.endswith(("-in-P1", "-in-P2", "-in-B")):
        kind, _, where = name.rpartition("-in-")
        district = d[where]
        park = "p1" if where in ("P1", "B") else "p2"
        enterprise = getattr(district, f"enterprise_{park}")
        return {
            "enterprise": lambda: enterprise,
            "honour": lambda: Honour.objects.get(enterprise=enterprise),
            "company-figure": lambda: EnterpriseFigure.objects.get(enterprise=enterprise),
            "product": lambda: Product.objects.get(enterprise=enterprise),
            "project": lambda: getattr(district, f"project_{park}"),
            "park": lambda: getattr(district, f"registry_{park}"),
            "space": lambda: getattr(district, f"space_{park}"),
            "parcel": lambda: getattr(district, f"parcel_{park}"),
            "demand": lambda: getattr(district, f"demand_{park}"),
        }[kind]()
    return {
        "plan-A": lambda: a.plan,
        "plan-B": lambda: b.plan,
        "draft-plan-A": lambda: world.draft_plan,
        "target-of-plan-A": lambda: a.target,
        "target-of-plan-B": lambda: b.target,
        "target-of-draft-plan-A": lambda: world.draft_target,
        "task-of-X": lambda: a.task_x,
        "task-of-B": lambda: b.task_x,
        "plan-park-of-A": lambda: a.plan_park,
        "plan-park-of-B": lambda: b.plan_park,
        "department-X": lambda: a.dept_x,
        "department-of-B": lambda: b.dept_x,
        "district-A": lambda: a.region,
        "district-B": lambda: b.region,
        "cycle-A": lambda: a.cycle,
        "cycle-B": lambda: b.cycle,
        "report-of-X": lambda: a.report_x,
        "report-of-Y": lambda: a.report_y,
        "report-of-B": lambda: b.report_x,
        "reminder-of-X": lambda: a.reminder_x,
        "reminder-of-Y": lambda: a.reminder_y,
        "reminder-of-B": lambda: b.reminder_x,
        "figure-of-X": lambda: a.figure_x,
        "figure-of-Y": lambda: a.figure_y,
        "figure-of-B": lambda: b.figure_x,
        "derived-rule-A": lambda: a.derived_rule,
        "derived-rule-B": lambda: b.derived_rule,
        "import-job-A": lambda: a.import_job,
        "import-job-B": lambda: b.import_job,
        "indicator": lambda: world.indicator,
        "upload-A": lambda: world.uploads["A"],
        "upload-B": lambda: world.uploads["B"],
    }[name]()


def _marker(world: PermissionWorld, name: str) -> str:
    """What a page or a file shows of the object."""
    obj = _get(world, name)
    if name.startswith("figure-of"):
        return f"{obj.value.normalize():f}"
    if name.startswith("report-of"):
        return obj.done_text
    if name.startswith("reminder-of"):
        return obj.message
    if name.startswith("target-of"):
        return obj.metric
    if name.startswith("derived-rule"):
        return obj.target.metric
    if name.startswith("space-in"):
        return obj.building.name
    if name.startswith("parcel-in"):
        return obj.code
    if name.startswith("demand-in"):
        return obj.requester_name
    if name.startswith("import-job"):
        return obj.file_name
    if name.startswith("cycle-"):
        return f'href="/tracking/cycles/{obj.pk}/"'
    if name.startswith("upload-"):
        return str(obj)
    return str(getattr(obj, "title", "") or obj.name)


# ---------------------------------------------------------------------------------------- actions
@dataclass(frozen=True)
class Action:
    """One way in: a route (URL name), the objects it is tried on, the expected outcome per role, and
    how to try it."""

    route: str
    name: str
    objects: tuple[str, ...]
    expect: Callable[[str, str], str]
    run: Callable[[Client, PermissionWorld, str], str]


def reads(role: str, obj: str) -> str:
    return "allowed" if role in READERS[obj] else "refused-404"


def lists(role: str, obj: str) -> str:
    return "listed" if role in READERS[obj] else "hidden"


def writes(writers: dict[str, set[str]], denied: str = "refused-403") -> Callable[[str, str], str]:
    """Writers per object: allowed; other readers: `denied`; everyone else: refused-404."""

    def expect(role: str, obj: str) -> str:
        if role in writers.get(obj, set()):
            return "allowed"
        return denied if role in READERS[obj] else "refused-404"

    return expect


def always(outcome: str) -> Callable[[str, str], str]:
    return lambda role, obj: outcome


_get_cache: dict[tuple[int, str, str], tuple[int, bytes, str]] = {}


def _fetch(client: Client, role: str, url: str) -> tuple[int, bytes, str]:
    """GET once per role and URL for the whole module: reads change nothing, so lists are shared."""
    key = (client.world_id, role, url)  # type: ignore[attr-defined]
    if key not in _get_cache:
        response = client.get(url)
        content = b"".join(response.streaming_content) if response.streaming else response.content  # type: ignore[attr-defined]
        _get_cache[key] = (response.status_code, content, response.get("Content-Type", ""))
    return _get_cache[key]


def _text(content: bytes, content_type: str) -> str:
    if "spreadsheetml" in content_type:
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(content), read_only=True)
        return "\n".join(
            str(v)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for v in row
            if v is not None
        )
    if "wordprocessingml" in content_type:
        from docx import Document

        doc = Document(io.BytesIO(content))
        cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
        return "\n".join([p.text for p in doc.paragraphs] + cells)
    return content.decode()


def view(url: Callable[[PermissionWorld, Any], str]) -> Callable[[Client, PermissionWorld, str], str]:
    def run(client: Client, world: PermissionWorld, obj: str) -> str:
        status, _, _ = _fetch(client, client.role, url(world, _get(world, obj)))  # type: ignore[attr-defined]
        return "allowed" if status == 200 else f"refused-{status}"

    return run


def listing(url: Callable[[PermissionWorld, Any], str]) -> Callable[[Client, PermissionWorld, str], str]:
    def run(client: Client, world: PermissionWorld, obj: str) -> str:
        status, content, content_type = _fetch(client, client.role, url(world, _get(world, obj)))  # type: ignore[attr-defined]
        assert status == 200, f"the list itself answered {status}"
        return "listed" if _marker(world, obj) in _text(content, content_type) else "hidden"

    return run


def api_list(path: str) -> Callable[[Client, PermissionWorld, str], str]:
    def run(client: Client, world: PermissionWorld, obj: str) -> str:
        status, content, _ = _fetch(client, client.role, f"/api/{path}/?limit=1000")  # type: ignore[attr-defined]
        assert status == 200, f"the API list answered {status}"
        data = json.loads(content)
        rows = data["results"] if isinstance(data, dict) else data
        return "listed" if _get(world, obj).pk in {row["id"] for row in rows} else "hidden"

    return run


def api_detail(path: str) -> Callable[[Client, PermissionWorld, str], str]:
    return view(lambda w, o: f"/api/{path}/{o.pk}/")


def write(
    method: str,
    url: Callable[[PermissionWorld, Any], str],
    data: Callable[[PermissionWorld, Any], dict[str, Any]],
    effect: Callable[[PermissionWorld, Any], Any],
    prepare: Callable[[PermissionWorld, Any], None] | None = None,
    as_json: bool = False,
) -> Callable[[Client, PermissionWorld, str], str]:
    """Try a write; `effect` reads what the write changes, so a refusal is checked to change nothing."""

    def run(client: Client, world: PermissionWorld, obj: str) -> str:
        target = _get(world, obj)
        if prepare is not None:
            prepare(world, target)
        before = effect(world, target)
        payload = data(world, target)
        if as_json:
            response = getattr(client, method)(
                url(world, target), json.dumps(payload), content_type="application/json"
            )
        else:
            response = getattr(client, method)(url(world, target), payload)
        after = effect(world, target)
        if after != before:
            assert response.status_code in (200, 201, 302), f"changed, yet answered {response.status_code}"
            return "allowed"
        if response.status_code == 200:
            return "refused-invalid"
        return f"refused-{response.status_code}"

    return run


# effects: what each write changes
def _report_state(w: PermissionWorld, r: ProgressReport) -> str:
    return ProgressReport.objects.get(pk=r.pk).state


def _set_report(state: str) -> Callable[[PermissionWorld, ProgressReport], None]:
    def prepare(w: PermissionWorld, r: ProgressReport) -> None:
        ProgressReport.objects.filter(pk=r.pk).update(state=state)

    return prepare


def _figures(w: PermissionWorld, _: Any) -> int:
    return Observation.objects.count()


def _chosen(w: PermissionWorld, o: Observation) -> bool:
    return Observation.objects.get(pk=o.pk).is_chosen


def _honours(w: PermissionWorld, e: Any) -> int:
    return Honour.objects.filter(enterprise=e).count()


def _company_figures(w: PermissionWorld, e: Any) -> int:
    return EnterpriseFigure.objects.filter(enterprise=e, year=2024).count()


def _milestone(stage: str, field: str) -> Callable[[PermissionWorld, Any], Any]:
    return lambda w, p: getattr(ProjectMilestone.objects.get(project=p, stage=stage), field)


def _demand_status(w: PermissionWorld, d: SpaceDemand) -> str:
    return SpaceDemand.objects.get(pk=d.pk).status


def _binding(w: PermissionWorld, t: Any) -> Any:
    binding = TargetBinding.objects.filter(target=t).first()
    return binding and (binding.baseline_value, binding.region_id)


def _reminders(w: PermissionWorld, c: ReportingCycle) -> list[Any]:
    return list(Reminder.objects.filter(cycle=c).order_by("pk").values_list("pk", "count", "resolved"))


def _plans(w: PermissionWorld, _: Any) -> int:
    return Plan.objects.count()


def _next_version_target(w: PermissionWorld, t: Any) -> Any:
    """Version n+1 of the target's plan with one free target (made once), the target left unmapped."""
    plan = t.plan
    new = Plan.objects.filter(lineage=plan.lineage, version=plan.version + 1).first()
    if new is None:
        new = Plan.objects.create(
            region=plan.region,
            industry=plan.industry,
            title=plan.title,
            status=plan.status,
            lineage=plan.lineage,
            version=plan.version + 1,
            is_current=False,
        )
        Target.objects.create(
            plan=new,
            code="T99",
            metric=t.metric,
            kind=t.kind,
            value=t.value,
            unit=t.unit,
            comparator=t.comparator,
            year=t.year,
        )
    Target.objects.filter(pk=t.pk).update(successor=None)
    return Target.objects.get(plan=new, code="T99")


def _successor(w: PermissionWorld, t: Any) -> Any:
    return Target.objects.get(pk=t.pk).successor_id


def _uploads(w: PermissionWorld, _: Any) -> int:
    return ImportDraft.objects.count()


def _nodes_of(w: PermissionWorld, t: Task) -> list[str]:
    return list(TaskNode.objects.filter(task=t).values_list("title", flat=True))


def _cycles(w: PermissionWorld, _: Any) -> int:
    return ReportingCycle.objects.count()


def _tasks_of(w: PermissionWorld, p: Plan) -> list[str]:
    return list(Task.objects.filter(plan=p).order_by("number").values_list("title", flat=True))


def _xlsx_upload(content: bytes, name: str = "sheet.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(
        name, content, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )


def _tasks_sheet(w: PermissionWorld, plan: Plan) -> dict[str, Any]:
    from openpyxl import Workbook

    from bioplan.reports.spreadsheets import TASK_COLUMNS, TASK_SHEET

    book = Workbook()
    sheet = book.active
    sheet.title = TASK_SHEET
    sheet.append(TASK_COLUMNS)
    lead = plan.tasks.get(number="1").assignments.first().department.name
    sheet.append(["1", "改写后的任务IMPORTED", "", lead, ""])
    buffer = io.BytesIO()
    book.save(buffer)
    return {"file": _xlsx_upload(buffer.getvalue())}


def _figures_sheet(w: PermissionWorld, region: Any) -> dict[str, Any]:
    from openpyxl import Workbook

    from bioplan.reports.spreadsheets import FIGURE_COLUMNS, FIGURE_SHEET

    book = Workbook()
    sheet = book.active
    sheet.title = FIGURE_SHEET
    sheet.append(FIGURE_COLUMNS)
    sheet.append([w.indicator.name, w.indicator.unit, region.name, 2023, 0, 123.5, "统计快报", ""])
    buffer = io.BytesIO()
    book.save(buffer)
    return {"file": _xlsx_upload(buffer.getvalue())}


def _plan_draft_file(w: PermissionWorld, region: Any) -> dict[str, Any]:
    body = {
        "document": "matrix.json",
        "plan": {
            "region": region.name,
            "industry": "生物医药",
            "title": f"{region.name}新方案MATRIX",
            "period_start": 2025,
            "period_end": 2027,
            "status": "印发",
            "doc_number": None,
            "issued_on": None,
        },
        "targets": [],
        "tasks": [],
        "departments": [],
        "parks": [],
    }
    return {
        "file": SimpleUploadedFile(
            "plan.json", json.dumps(body, ensure_ascii=False).encode(), "application/json"
        )
    }


def _reset_upload(w: PermissionWorld, d: ImportDraft) -> None:
    """Each try starts from the upload as built: pending, with its two targets, task and park."""
    ImportDraft.objects.filter(pk=d.pk).update(
        state=ImportDraftState.PENDING, content=upload_content(d.region), plan=None, decided_at=None
    )


def _upload_content(w: PermissionWorld, d: ImportDraft) -> Any:
    return ImportDraft.objects.get(pk=d.pk).content


def _upload_state(w: PermissionWorld, d: ImportDraft) -> Any:
    return ImportDraft.objects.get(pk=d.pk).state


def _upload_writes(
    route: str, name: str, url: Callable[[PermissionWorld, Any], str], data: dict[str, Any], effect: Any
) -> Action:
    return Action(
        route,
        name,
        UPLOADS,
        writes({"upload-A": {"office-A"}, "upload-B": {"office-B"}}),
        write("post", url, lambda w, d: data, effect, prepare=_reset_upload),
    )


PLANS = ("plan-A", "plan-B", "draft-plan-A")
UPLOADS = ("upload-A", "upload-B")
REPORTS = ("report-of-X", "report-of-Y", "report-of-B")
FIGURES = ("figure-of-X", "figure-of-Y", "figure-of-B")
CYCLES = ("cycle-A", "cycle-B")


def _registry(kind: str) -> tuple[str, ...]:
    return (f"{kind}-in-P1", f"{kind}-in-P2", f"{kind}-in-B")


def _offer(w: PermissionWorld, demand: SpaceDemand) -> dict[str, str]:
    space = FloorSpace.objects.get(building__park=demand.preferred_park)
    return {"offer": f"space-{space.pk}"}


# Write reach: who may do each write (everyone else who sees the object gets 403, the rest 404).
OFFICE = {"plan-A": {"office-A"}, "plan-B": {"office-B"}, "draft-plan-A": {"office-A"}}
REVIEW = {"report-of-X": {"office-A"}, "report-of-Y": {"office-A"}, "report-of-B": {"office-B"}}
SUBMIT = {"report-of-X": {"liaison-X"}}
CHOOSE = {"figure-of-X": {"office-A"}, "figure-of-Y": {"office-A"}, "figure-of-B": {"office-B"}}
REMIND = {"cycle-A": {"office-A"}, "cycle-B": {"office-B"}}
REGISTRY_EDIT = {
    "enterprise-in-P1": {"office-A", "park-P1"},
    "enterprise-in-P2": {"office-A"},
    "enterprise-in-B": {"office-B"},
}
PROJECT_EDIT = {
    "project-in-P1": {"office-A", "park-P1", "liaison-X"},
    "project-in-P2": {"office-A"},
    "project-in-B": {"office-B"},
}
DEMAND_EDIT = {
    "demand-in-P1": {"office-A", "park-P1"},
    "demand-in-P2": {"office-A"},
    "demand-in-B": {"office-B"},
}

# Figures recorded into a scope: page form (scope by name) and API (region id).
RECORD_SCOPES = ("scope-A", "scope-P1", "scope-B")
RECORDERS = {
    "scope-A": {"office-A", "liaison-X"},
    "scope-P1": {"office-A", "liaison-X", "park-P1"},
    "scope-B": {"office-B"},
}


def _scope(w: PermissionWorld, obj: str) -> Any:
    return {"scope-A": w.a.region, "scope-P1": w.a.p1, "scope-B": w.b.region}[obj]


def record_page_expect(role: str, obj: str) -> str:
    if role in RECORDERS[obj]:
        return "allowed"
    if role in ("leader-A", "researcher"):
        return "refused-403"  # read-only users
    if role == "park-P1":
        return "refused-403" if obj == "scope-A" else "refused-invalid"  # only its parks; B is not found
    return "refused-invalid"  # a scope outside the user's region is not found by name (form error)


def record_api_expect(role: str, obj: str) -> str:
    return "allowed" if role in RECORDERS[obj] else "refused-403"


def record_figure(api: bool) -> Callable[[Client, PermissionWorld, str], str]:
    def run(client: Client, world: PermissionWorld, obj: str) -> str:
        region = _scope(world, obj)
        if api:
            payload = {
                "indicator": world.indicator.pk,
                "region": region.pk,
                "year": 2022,
                "quarter": 0,
                "value": "42.5",
                "source": "estimate",
            }
            response = client.post("/api/observations/", json.dumps(payload), content_type="application/json")
        else:
            payload = {
                "indicator": world.indicator.pk,
                "scope": region.name,
                "year": 2022,
                "quarter": 0,
                "value": "42.5",
                "source": "estimate",
            }
            response = client.post("/tracking/figures/", payload)
        created = Observation.objects.filter(region=region, year=2022, source="estimate").exists()
        if created:
            assert response.status_code in (201, 302)
            return "allowed"
        return "refused-invalid" if response.status_code == 200 else f"refused-{response.status_code}"

    return run


# Reports written on tasks: the page form and the API.
TASK_REPORTS = ("co-run-task-of-A", "task-of-Y", "co-run-task-of-B")


def _task(w: PermissionWorld, obj: str) -> tuple[Task, ReportingCycle]:
    return {
        "co-run-task-of-A": (w.a.task_co, w.a.cycle),
        "task-of-Y": (w.a.task_y, w.a.cycle),
        "co-run-task-of-B": (w.b.task_co, w.b.cycle),
    }[obj]


def report_page_expect(role: str, obj: str) -> str:
    # The form exists only for a task of the liaison's department in a cycle it sees.
    return "allowed" if (role, obj) == ("liaison-X", "co-run-task-of-A") else "refused-404"


def report_api_expect(role: str, obj: str) -> str:
    if (role, obj) == ("liaison-X", "co-run-task-of-A"):
        return "allowed"
    return "refused-403"  # not a liaison of an assigned department in the cycle's region


def write_report(api: bool) -> Callable[[Client, PermissionWorld, str], str]:
    def run(client: Client, world: PermissionWorld, obj: str) -> str:
        task, cycle = _task(world, obj)
        before = ProgressReport.objects.filter(task=task, cycle=cycle).count()
        body = {
            "progress": "in_progress",
            "percent_done": 30,
            "done_text": "MATRIX",
            "next_steps": "",
            "problems": "",
        }
        if api:
            response = client.post(
                "/api/progress-reports/",
                json.dumps({**body, "cycle": cycle.pk, "task": task.pk}),
                content_type="application/json",
            )
        else:
            response = client.post(f"/tracking/cycles/{cycle.pk}/tasks/{task.pk}/", body)
        if ProgressReport.objects.filter(task=task, cycle=cycle).count() != before:
            assert response.status_code in (201, 302)
            return "allowed"
        return "refused-invalid" if response.status_code == 200 else f"refused-{response.status_code}"

    return run


def attachment_download(client: Client, world: PermissionWorld, obj: str) -> str:
    report = _get(world, obj)
    attachment = ReportAttachment.objects.get(report=report)
    url = f"/tracking/reports/{report.pk}/attachments/{attachment.pk}/"
    status, content, _ = _fetch(client, client.role, url)  # type: ignore[attr-defined]
    if status != 200:
        return f"refused-{status}"
    assert content == f"ATTACHED-{report.done_text}".encode()
    return "allowed"


def submit_page(client: Client, world: PermissionWorld, obj: str) -> str:
    report = _get(world, obj)
    ProgressReport.objects.filter(pk=report.pk).update(state="draft")
    response = client.post(
        f"/tracking/cycles/{report.cycle_id}/tasks/{report.task_id}/",
        {"progress": "in_progress", "percent_done": 50, "done_text": "MATRIX", "submit": "1"},
    )
    if ProgressReport.objects.get(pk=report.pk).state == "submitted":
        return "allowed"
    return "refused-invalid" if response.status_code == 200 else f"refused-{response.status_code}"


def submit_page_expect(role: str, obj: str) -> str:
    # The report form is reached through the liaison's own task: anyone else finds no such form.
    return "allowed" if (role, obj) == ("liaison-X", "report-of-X") else "refused-404"


# Imports of the registry sheets: the upload page queues a job for the user's own district.
def import_sheet(client: Client, world: PermissionWorld, obj: str) -> str:
    from bioplan.sheets import export_workbook, sheet_spec

    before = ImportJob.objects.count()
    content = export_workbook(sheet_spec("enterprises"), user=None, region=world.a.region)
    response = client.post(
        "/enterprises/import/", {"sheet_kind": "enterprises", "file": _xlsx_upload(content, "e.xlsx")}
    )
    if ImportJob.objects.count() != before:
        assert response.status_code == 302
        return "allowed"
    return f"refused-{response.status_code}"


# Re-running an interrupted import: whoever may see the job and import into its district.
def import_retry(client: Client, world: PermissionWorld, obj: str) -> str:
    job = _get(world, obj)
    ImportJob.objects.filter(pk=job.pk).update(state="error")
    response = client.post(f"/enterprises/import/{job.pk}/retry/")
    state = ImportJob.objects.get(pk=job.pk).state
    ImportJob.objects.filter(pk=job.pk).update(state="queued")
    if state == "queued":
        assert response.status_code == 302
        return "allowed"
    return f"refused-{response.status_code}"


REGISTRY_SHEETS = {
    "enterprises": "enterprise",
    "honours": "honour",
    "figures": "company-figure",
    "products": "product",
    "projects": "project",
    "parcels": "parcel",
    "spaces": "space",
    "demands": "demand",
}


def sheet_marker_listing(kind: str) -> Callable[[Client, PermissionWorld, str], str]:
    """The registry sheet download of the user's own district (office-B: district B's)."""

    def run(client: Client, world: PermissionWorld, obj: str) -> str:
        status, content, content_type = _fetch(client, client.role, f"/enterprises/sheets/{kind}.xlsx")  # type: ignore[attr-defined]
        if status != 200:
            return f"refused-{status}"
        text = _text(content, content_type)
        target = _get(world, obj)
        owner = getattr(target, "enterprise", None) or target
        probe = {
            "honour": lambda: owner.name,
            "company-figure": lambda: owner.name,
            "product": lambda: target.name,
        }.get(obj.rpartition("-in-")[0], lambda: _marker(world, obj))()
        return "listed" if probe in text else "hidden"

    return run


def _quarterly(w: PermissionWorld, plan: Plan) -> str:
    return f"/reports/plans/{plan.pk}/quarterly.docx?quarter=2024Q2"


def ended_plan_view(client: Client, world: PermissionWorld, obj: str) -> str:
    """The 终期评估报告 exists for a plan past its end year: the plan is moved into the past for the call."""
    plan = _get(world, obj)
    Plan.objects.filter(pk=plan.pk).update(period_start=2019, period_end=2021)
    try:
        response = client.get(f"/reports/plans/{plan.pk}/final.docx")
    finally:
        Plan.objects.filter(pk=plan.pk).update(period_start=plan.period_start, period_end=plan.period_end)
    return "allowed" if response.status_code == 200 else f"refused-{response.status_code}"


def docx_listing(client: Client, world: PermissionWorld, obj: str) -> str:
    """Report texts in the quarterly 通报 of the report's plan (when the user may download it)."""
    report = _get(world, obj)
    status, content, content_type = _fetch(client, client.role, _quarterly(world, report.task.plan))  # type: ignore[attr-defined]
    if status != 200:
        return f"refused-{status}"
    return "listed" if report.done_text in _text(content, content_type) else "hidden"


def docx_expect(role: str, obj: str) -> str:
    plan = "plan-A" if obj != "report-of-B" else "plan-B"
    if role not in READERS[plan]:
        return "refused-404"
    return lists(role, obj)


def _demand_for(obj: str) -> str:
    return "demand-in-B" if obj.endswith("-in-B") else "demand-in-P1"


def offers_listing(client: Client, world: PermissionWorld, obj: str) -> str:
    """The spaces a demand page offers (ranked matches) are only those the user sees."""
    demand = _get(world, _demand_for(obj))
    status, content, content_type = _fetch(client, client.role, f"/registry/parks/demands/{demand.pk}/")  # type: ignore[attr-defined]
    if status != 200:
        return f"refused-{status}"
    return "listed" if _marker(world, obj) in _text(content, content_type) else "hidden"


def offers_expect(role: str, obj: str) -> str:
    if role not in READERS[_demand_for(obj)]:
        return "refused-404"
    return lists(role, obj)


# --- change history (bioplan.audit): a row's history for whoever sees the row (researchers never);
# deleted rows and restoring them for the office of the row's region only.
HISTORY_OBJECTS = (
    *PLANS,
    *REPORTS,
    "figure-of-X",
    "figure-of-B",
    *_registry("enterprise"),
    "project-in-P2",
    "department-X",
    "department-of-B",
)


def history_expect(role: str, obj: str) -> str:
    return "refused-403" if role == "researcher" else reads(role, obj)


def _history_url(prefix: str) -> Callable[[PermissionWorld, Any], str]:
    return lambda w, o: f"{prefix}{o._meta.app_label}/{o._meta.model_name}/{o.pk}/"


DELETED = ("deleted-plan-park-of-A", "deleted-plan-park-of-B")


def _deleted(world: PermissionWorld, obj: str) -> Any:
    park = world.a.plan_park if obj.endswith("-A") else world.b.plan_park
    from bioplan.plans.models import Park as PlanPark

    PlanPark.objects.filter(pk=park.pk).delete()  # in the test's savepoint: rolled back afterwards
    return park


def deleted_listing(client: Client, world: PermissionWorld, obj: str) -> str:
    park = _deleted(world, obj)
    response = client.get("/history/deleted/")
    if response.status_code != 200:
        return f"refused-{response.status_code}"
    return "listed" if park.name in response.content.decode() else "hidden"


def deleted_expect(role: str, obj: str) -> str:
    if role not in ("office-A", "office-B"):
        return "refused-403"
    return "listed" if role[-1] == obj[-1] else "hidden"


def restore(client: Client, world: PermissionWorld, obj: str) -> str:
    from bioplan.plans.models import Park as PlanPark

    park = _deleted(world, obj)
    response = client.post(f"/history/deleted/plans/park/{park.pk}/restore/")
    if PlanPark.objects.filter(pk=park.pk).exists():
        assert response.status_code == 302
        return "allowed"
    return f"refused-{response.status_code}"


def restore_expect(role: str, obj: str) -> str:
    """Office admins restore their district's rows; another district's row does not exist for them."""
    if role == f"office-{obj[-1]}":
        return "allowed"
    return "refused-404" if role.startswith("office-") else "refused-403"


# ------------------------------------------------------------------------------ record forms
# New/edit/delete pages. Each write sends a value no earlier cell sent, so a second writer's change
# shows as a change; deletes remove a copy made for the cell, never the world's own rows.
_serial = iter(range(1, 1_000_000))


def _n() -> int:
    return next(_serial)


def _by_kind(edit: dict[str, set[str]], kind: str) -> dict[str, set[str]]:
    """REGISTRY_EDIT (keyed by enterprise) for the enterprise's honours, figures, products …"""
    return {name.replace("enterprise-", f"{kind}-", 1): roles for name, roles in edit.items()}


CREATORS = {"district-A": {"office-A", "park-P1"}}


def create_expect(role: str, obj: str) -> str:
    """Office admins and park operators open the form for their own district (office B's post names
    park P1, outside its district: a form error); readers and liaisons are refused."""
    if role in CREATORS[obj]:
        return "allowed"
    return "refused-invalid" if role == "office-B" else "refused-403"


def create_page_expect(role: str, obj: str) -> str:
    return "allowed" if role in ("office-A", "office-B", "park-P1") else "refused-403"


def _new_enterprise(w: PermissionWorld, _: Any) -> dict[str, Any]:
    from tests.trust.permission_world import _credit_code

    return {"name": f"矩阵新企业{_n()}", "credit_code": _credit_code(), "park": w.a.p1.pk, "segment": "cxo"}


def _created_enterprises(w: PermissionWorld, _: Any) -> int:
    return Enterprise.objects.filter(name__startswith="矩阵新企业").count()


def _enterprise_data(w: PermissionWorld, e: Any) -> dict[str, Any]:
    return {"name": e.name, "park": e.park_id or "", "segment": e.segment, "address": f"矩阵地址{_n()}"}


def _address(w: PermissionWorld, e: Any) -> str:
    return Enterprise.objects.get(pk=e.pk).address


def delete_copy(
    url: Callable[[Any], str], make: Callable[[Any], Any]
) -> Callable[[Client, PermissionWorld, str], str]:
    """POST the delete form of a copy of the object (same district, park and enterprise)."""

    def run(client: Client, world: PermissionWorld, obj: str) -> str:
        copy = make(_get(world, obj))
        response = client.post(url(copy), {"reason": "矩阵删除"})
        if not type(copy).objects.filter(pk=copy.pk).exists():
            assert response.status_code == 302, f"deleted, yet answered {response.status_code}"
            return "allowed"
        return "refused-invalid" if response.status_code == 200 else f"refused-{response.status_code}"

    return run


def _enterprise_copy(e: Any) -> Any:
    from tests.trust.permission_world import _credit_code

    return Enterprise.objects.create(
        name=f"矩阵副本{_n()}", credit_code=_credit_code(), district=e.district, park=e.park, segment="cxo"
    )


def _honour_copy(h: Any) -> Any:
    return Honour.objects.create(
        enterprise=h.enterprise, kind="gazelle", valid_from=dt.date(2000, 1, 1) + dt.timedelta(days=_n())
    )


def _figure_copy(f: Any) -> Any:
    return EnterpriseFigure.objects.create(
        enterprise=f.enterprise, year=2000 + _n() % 100, quarter=_n() % 4 + 1, source="estimate"
    )


def _product_copy(p: Any) -> Any:
    return Product.objects.create(enterprise=p.enterprise, name=f"矩阵产品{_n()}", kind="drug", phase="ind")


def _honour_data(w: PermissionWorld, h: Any) -> dict[str, Any]:
    return {"kind": h.kind, "valid_from": h.valid_from.isoformat(), "certificate_no": f"GR{_n()}"}


def _figure_data(w: PermissionWorld, f: Any) -> dict[str, Any]:
    return {"year": f.year, "quarter": f.quarter, "source": f.source, "revenue": str(_n())}


def _revenues(w: PermissionWorld, e: Any) -> list[Any]:
    return sorted(EnterpriseFigure.objects.filter(enterprise=e).values_list("revenue", flat=True))


def _products(w: PermissionWorld, e: Any) -> int:
    return Product.objects.filter(enterprise=e).count()


def _indication(w: PermissionWorld, p: Any) -> str:
    return Product.objects.get(pk=p.pk).indication


def _certificate(w: PermissionWorld, h: Any) -> str:
    return Honour.objects.get(pk=h.pk).certificate_no


def _pool_note(w: PermissionWorld, e: Any) -> Any:
    return CultivationEntry.objects.filter(enterprise=e).values_list("note", flat=True).first()


def _in_pool(w: PermissionWorld, e: Any) -> bool:
    return CultivationEntry.objects.filter(enterprise=e).exists()


def _into_pool(w: PermissionWorld, e: Any) -> None:
    CultivationEntry.objects.get_or_create(
        enterprise=e, defaults={"tier": "potential", "entered_on": dt.date(2023, 1, 1)}
    )


ENTERPRISE_FORM_ACTIONS = [
    Action(
        "enterprises:create",
        "new-enterprise-page",
        ("district-A",),
        create_page_expect,
        view(lambda w, o: "/enterprises/new/"),
    ),
    Action(
        "enterprises:create",
        "new-enterprise",
        ("district-A",),
        create_expect,
        write("post", lambda w, o: "/enterprises/new/", _new_enterprise, _created_enterprises),
    ),
    Action(
        "enterprises:edit",
        "edit-page",
        _registry("enterprise"),
        writes(REGISTRY_EDIT),
        view(lambda w, e: f"/enterprises/{e.pk}/edit/"),
    ),
    Action(
        "enterprises:edit",
        "edit",
        _registry("enterprise"),
        writes(REGISTRY_EDIT),
        write("post", lambda w, e: f"/enterprises/{e.pk}/edit/", _enterprise_data, _address),
    ),
    Action(
        "enterprises:delete",
        "delete",
        _registry("enterprise"),
        writes(REGISTRY_EDIT),
        delete_copy(lambda e: f"/enterprises/{e.pk}/delete/", _enterprise_copy),
    ),
    Action(
        "enterprises:honour_new",
        "new-honour",
        _registry("enterprise"),
        writes(REGISTRY_EDIT),
        write(
            "post",
            lambda w, e: f"/enterprises/{e.pk}/honours/new/",
            lambda w, e: {
                "kind": "gazelle",
                "valid_from": (dt.date(2001, 1, 1) + dt.timedelta(days=_n())).isoformat(),
            },
            _honours,
        ),
    ),
    Action(
        "enterprises:honour_edit",
        "edit",
        _registry("honour"),
        writes(_by_kind(REGISTRY_EDIT, "honour")),
        write("post", lambda w, h: f"/enterprises/honours/{h.pk}/edit/", _honour_data, _certificate),
    ),
    Action(
        "enterprises:honour_delete",
        "delete",
        _registry("honour"),
        writes(_by_kind(REGISTRY_EDIT, "honour")),
        delete_copy(lambda h: f"/enterprises/honours/{h.pk}/delete/", _honour_copy),
    ),
    Action(
        "enterprises:figure_new",
        "new-figures",
        _registry("enterprise"),
        writes(REGISTRY_EDIT),
        write(
            "post",
            lambda w, e: f"/enterprises/{e.pk}/figures/new/",
            lambda w, e: {"year": 2025, "quarter": 0, "source": "statistics", "revenue": str(_n())},
            _revenues,
        ),
    ),
    Action(
        "enterprises:figure_edit",
        "edit",
        _registry("company-figure"),
        writes(_by_kind(REGISTRY_EDIT, "company-figure")),
        write(
            "post",
            lambda w, f: f"/enterprises/figures/{f.pk}/edit/",
            _figure_data,
            lambda w, f: EnterpriseFigure.objects.get(pk=f.pk).revenue,
        ),
    ),
    Action(
        "enterprises:figure_delete",
        "delete",
        _registry("company-figure"),
        writes(_by_kind(REGISTRY_EDIT, "company-figure")),
        delete_copy(lambda f: f"/enterprises/figures/{f.pk}/delete/", _figure_copy),
    ),
    Action(
        "enterprises:product_new",
        "new-product",
        _registry("enterprise"),
        writes(REGISTRY_EDIT),
        write(
            "post",
            lambda w, e: f"/enterprises/{e.pk}/products/new/",
            lambda w, e: {
                "name": f"矩阵新产品{_n()}",
                "kind": "drug",
                "phase": "ind",
                "reached_on": "2024-01-01",
            },
            _products,
        ),
    ),
    Action(
        "enterprises:product_edit",
        "edit",
        _registry("product"),
        writes(_by_kind(REGISTRY_EDIT, "product")),
        write(
            "post",
            lambda w, p: f"/enterprises/products/{p.pk}/edit/",
            lambda w, p: {"action": "save", "name": p.name, "indication": f"适应症{_n()}"},
            _indication,
        ),
    ),
    Action(
        "enterprises:product_delete",
        "delete",
        _registry("product"),
        writes(_by_kind(REGISTRY_EDIT, "product")),
        delete_copy(lambda p: f"/enterprises/products/{p.pk}/delete/", _product_copy),
    ),
    Action(
        "enterprises:cultivation",
        "pool-move",
        _registry("enterprise"),
        writes(REGISTRY_EDIT),
        write(
            "post",
            lambda w, e: f"/enterprises/{e.pk}/cultivation/",
            lambda w, e: {
                "tier": "potential",
                "entered_on": "2023-01-01",
                "note": f"备注{_n()}",
                "reason": "矩阵",
            },
            _pool_note,
        ),
    ),
    Action(
        "enterprises:cultivation_remove",
        "pool-remove",
        _registry("enterprise"),
        writes(REGISTRY_EDIT),
        write(
            "post",
            lambda w, e: f"/enterprises/{e.pk}/cultivation/remove/",
            lambda w, e: {"reason": "矩阵移出"},
            _in_pool,
            prepare=_into_pool,
        ),
    ),
]


PROJECT_REGISTER = _by_kind(REGISTRY_EDIT, "project")


def _new_project(w: PermissionWorld, _: Any) -> dict[str, Any]:
    return {
        "name": f"矩阵新项目{_n()}",
        "investor_name": "投资方",
        "project_type": "new",
        "total_investment": "1",
        "park": w.a.p1.pk,
    }


def _created_projects(w: PermissionWorld, _: Any) -> int:
    return Project.objects.filter(name__startswith="矩阵新项目").count()


def _project_data(w: PermissionWorld, p: Any) -> dict[str, Any]:
    return {
        "name": p.name,
        "investor_name": p.investor_name,
        "project_type": p.project_type,
        "total_investment": str(p.total_investment),
        "park": p.park_id or "",
        "leader_name": f"领导{_n()}",
    }


def _stage_data(w: PermissionWorld, p: Any) -> dict[str, Any]:
    planned = dict(ProjectMilestone.objects.filter(project=p).values_list("stage", "planned_on"))
    data = {stage: (day.isoformat() if day else "") for stage, day in planned.items()}
    data["full_output"] = (dt.date(2090, 1, 1) + dt.timedelta(days=_n())).isoformat()
    return data


def _project_copy(p: Any) -> Any:
    return Project.objects.create(
        name=f"矩阵项目副本{_n()}",
        investor_name="投资方",
        district=p.district,
        park=p.park,
        project_type="new",
        total_investment=1,
    )


PROJECT_FORM_ACTIONS = [
    Action(
        "projects:create",
        "new-project-page",
        ("district-A",),
        create_page_expect,
        view(lambda w, o: "/projects/new/"),
    ),
    Action(
        "projects:create",
        "new-project",
        ("district-A",),
        create_expect,
        write("post", lambda w, o: "/projects/new/", _new_project, _created_projects),
    ),
    Action(
        "projects:edit",
        "edit-page",
        _registry("project"),
        writes(PROJECT_REGISTER),
        view(lambda w, p: f"/projects/{p.pk}/edit/"),
    ),
    Action(
        "projects:edit",
        "edit",
        _registry("project"),
        writes(PROJECT_REGISTER),
        write(
            "post",
            lambda w, p: f"/projects/{p.pk}/edit/",
            _project_data,
            lambda w, p: Project.objects.get(pk=p.pk).leader_name,
        ),
    ),
    Action(
        "projects:stages",
        "plan-stages",
        _registry("project"),
        writes(PROJECT_EDIT),
        write(
            "post",
            lambda w, p: f"/projects/{p.pk}/stages/",
            _stage_data,
            _milestone("full_output", "planned_on"),
        ),
    ),
    Action(
        "projects:delete",
        "delete",
        _registry("project"),
        writes(PROJECT_REGISTER),
        delete_copy(lambda p: f"/projects/{p.pk}/delete/", _project_copy),
    ),
]


# API writes of the registries (the same services as the forms).
def api_create_expect(writers: dict[str, set[str]]) -> Callable[[str, str], str]:
    """A POST naming a related object: writers allowed, its other readers 403, and for everyone
    else the object named does not exist (400)."""

    def expect(role: str, obj: str) -> str:
        if role in writers.get(obj, set()):
            return "allowed"
        return "refused-403" if role in READERS[obj] else "refused-400"

    return expect


def api_delete_copy(path: str, make: Callable[[Any], Any]) -> Callable[[Client, PermissionWorld, str], str]:
    def run(client: Client, world: PermissionWorld, obj: str) -> str:
        copy = make(_get(world, obj))
        response = client.delete(f"/api/{path}/{copy.pk}/?reason=matrix")
        if not type(copy).objects.filter(pk=copy.pk).exists():
            assert response.status_code == 204, f"deleted, yet answered {response.status_code}"
            return "allowed"
        return f"refused-{response.status_code}"

    return run


def _space_copy(s: Any) -> Any:
    return FloorSpace.objects.create(
        building=s.building, floor=f"矩阵{_n()}", space_type=s.space_type, area_m2=10
    )


def _new_api_enterprise(w: PermissionWorld, _: Any) -> dict[str, Any]:
    return {**_new_enterprise(w, _), "district": w.a.region.pk}


def _new_api_project(w: PermissionWorld, _: Any) -> dict[str, Any]:
    return {**_new_project(w, _), "district": w.a.region.pk, "planned": {"signed": "2030-01-01"}}


def _space_area(w: PermissionWorld, s: Any) -> Any:
    return FloorSpace.objects.get(pk=s.pk).area_m2


def _spaces_in(w: PermissionWorld, s: Any) -> int:
    return FloorSpace.objects.filter(building=s.building).count()


API_WRITE_ACTIONS = [
    Action(
        "api:enterprise-list",
        "api-create-enterprise",
        ("district-A",),
        lambda role, obj: "allowed" if role in CREATORS[obj] else "refused-403",
        write(
            "post", lambda w, o: "/api/enterprises/", _new_api_enterprise, _created_enterprises, as_json=True
        ),
    ),
    Action(
        "api:enterprise-detail",
        "api-update",
        _registry("enterprise"),
        writes(REGISTRY_EDIT),
        write(
            "patch",
            lambda w, e: f"/api/enterprises/{e.pk}/",
            lambda w, e: {"address": f"接口地址{_n()}"},
            _address,
            as_json=True,
        ),
    ),
    Action(
        "api:enterprise-detail",
        "api-delete",
        _registry("enterprise"),
        writes(REGISTRY_EDIT),
        api_delete_copy("enterprises", _enterprise_copy),
    ),
    Action(
        "api:enterprise-honour-list",
        "api-create-honour",
        _registry("enterprise"),
        api_create_expect(REGISTRY_EDIT),
        write(
            "post",
            lambda w, e: "/api/enterprise-honours/",
            lambda w, e: {"enterprise": e.pk, "kind": "gazelle", "valid_from": "2024-06-01"},
            _honours,
            as_json=True,
        ),
    ),
    Action(
        "api:enterprise-honour-detail",
        "api-update",
        _registry("honour"),
        writes(_by_kind(REGISTRY_EDIT, "honour")),
        write(
            "patch",
            lambda w, h: f"/api/enterprise-honours/{h.pk}/",
            lambda w, h: {"certificate_no": f"GR{_n()}"},
            _certificate,
            as_json=True,
        ),
    ),
    Action(
        "api:enterprise-honour-detail",
        "api-delete",
        _registry("honour"),
        writes(_by_kind(REGISTRY_EDIT, "honour")),
        api_delete_copy("enterprise-honours", _honour_copy),
    ),
    Action(
        "api:enterprise-figure-list",
        "api-record-figures",
        _registry("enterprise"),
        api_create_expect(REGISTRY_EDIT),
        write(
            "post",
            lambda w, e: "/api/enterprise-figures/",
            lambda w, e: {"enterprise": e.pk, "year": 2025, "source": "statistics", "revenue": str(_n())},
            _revenues,
            as_json=True,
        ),
    ),
    Action(
        "api:enterprise-figure-detail",
        "api-update",
        _registry("company-figure"),
        writes(_by_kind(REGISTRY_EDIT, "company-figure")),
        write(
            "patch",
            lambda w, f: f"/api/enterprise-figures/{f.pk}/",
            lambda w, f: {"revenue": str(_n())},
            lambda w, f: EnterpriseFigure.objects.get(pk=f.pk).revenue,
            as_json=True,
        ),
    ),
    Action(
        "api:enterprise-figure-detail",
        "api-delete",
        _registry("company-figure"),
        writes(_by_kind(REGISTRY_EDIT, "company-figure")),
        api_delete_copy("enterprise-figures", _figure_copy),
    ),
    Action(
        "api:project-list",
        "api-create-project",
        ("district-A",),
        lambda role, obj: "allowed" if role in CREATORS[obj] else "refused-403",
        write("post", lambda w, o: "/api/projects/", _new_api_project, _created_projects, as_json=True),
    ),
    Action(
        "api:project-detail",
        "api-update",
        _registry("project"),
        writes(PROJECT_REGISTER),
        write(
            "patch",
            lambda w, p: f"/api/projects/{p.pk}/",
            lambda w, p: {"leader_name": f"领导{_n()}"},
            lambda w, p: Project.objects.get(pk=p.pk).leader_name,
            as_json=True,
        ),
    ),
    Action(
        "api:project-detail",
        "api-delete",
        _registry("project"),
        writes(PROJECT_REGISTER),
        api_delete_copy("projects", _project_copy),
    ),
    Action(
        "api:project-stages",
        "api-plan-stages",
        _registry("project"),
        writes(PROJECT_EDIT),
        write(
            "post",
            lambda w, p: f"/api/projects/{p.pk}/stages/",
            lambda w, p: {"planned": {"full_output": "2095-01-01"}},
            _milestone("full_output", "planned_on"),
            as_json=True,
        ),
    ),
    Action(
        "api:project-advance",
        "api-stage-reached",
        _registry("project"),
        writes(PROJECT_EDIT),
        write(
            "post",
            lambda w, p: f"/api/projects/{p.pk}/advance/",
            lambda w, p: {"stage": "signed", "actual_on": "2024-01-05"},
            _milestone("signed", "actual_on"),
            as_json=True,
        ),
    ),
    Action(
        "api:floor-space-list",
        "api-create",
        _registry("space"),
        api_create_expect(_by_kind(REGISTRY_EDIT, "space")),
        write(
            "post",
            lambda w, s: "/api/floor-spaces/",
            lambda w, s: {
                "building": s.building_id,
                "floor": f"接口{_n()}",
                "space_type": s.space_type,
                "area_m2": "50",
            },
            _spaces_in,
            as_json=True,
        ),
    ),
    Action(
        "api:floor-space-detail",
        "api-update",
        _registry("space"),
        writes(_by_kind(REGISTRY_EDIT, "space")),
        write(
            "patch",
            lambda w, s: f"/api/floor-spaces/{s.pk}/",
            lambda w, s: {"area_m2": str(100 + _n())},
            _space_area,
            as_json=True,
        ),
    ),
    Action(
        "api:floor-space-detail",
        "api-delete",
        _registry("space"),
        writes(_by_kind(REGISTRY_EDIT, "space")),
        api_delete_copy("floor-spaces", _space_copy),
    ),
]


PARK_FORM_ACTIONS = [
    Action(
        "parks:edit",
        "edit",
        _registry("park"),
        writes(_by_kind(REGISTRY_EDIT, "park")),
        write(
            "post",
            lambda w, p: f"/registry/parks/{p.pk}/edit/",
            lambda w, p: {"park_type": p.park_type, "area_km2": str(_n() % 900 + 1)},
            lambda w, p: type(p).objects.get(pk=p.pk).area_km2,
        ),
    ),
    Action(
        "parks:record_new",
        "new-building",
        _registry("park"),
        writes(_by_kind(REGISTRY_EDIT, "park")),
        write(
            "post",
            lambda w, p: f"/registry/parks/{p.pk}/building/new/",
            lambda w, p: {"name": f"矩阵楼{_n()}", "floors": 3},
            lambda w, p: Building.objects.filter(park=p).count(),
        ),
    ),
    Action(
        "parks:record_edit",
        "edit",
        _registry("space"),
        writes(_by_kind(REGISTRY_EDIT, "space")),
        write(
            "post",
            lambda w, s: f"/registry/parks/space/{s.pk}/edit/",
            lambda w, s: {
                "floor": s.floor,
                "space_type": s.space_type,
                "area_m2": str(200 + _n()),
                "status": "vacant",
            },
            _space_area,
        ),
    ),
    Action(
        "parks:record_edit",
        "edit-page",
        _registry("parcel"),
        writes(_by_kind(REGISTRY_EDIT, "parcel")),
        view(lambda w, p: f"/registry/parks/parcel/{p.pk}/edit/"),
    ),
    Action(
        "parks:record_delete",
        "delete",
        _registry("space"),
        writes(_by_kind(REGISTRY_EDIT, "space")),
        delete_copy(lambda s: f"/registry/parks/space/{s.pk}/delete/", _space_copy),
    ),
]


# The office manages the accounts of its region (never a superuser, never another district's).
OFFICES = {"office-A", "office-B"}


def account_expect(role: str, obj: str) -> str:
    """`obj` is `account-<role>`: its district's office manages it; the other office gets 404;
    roles that manage no accounts get 403."""
    if role not in OFFICES:
        return "refused-403"
    district = "B" if obj.endswith("-B") else "A"
    return "allowed" if role == f"office-{district}" else "refused-404"


def account_page(suffix: str) -> Callable[[Client, PermissionWorld, str], str]:
    def run(client: Client, world: PermissionWorld, obj: str) -> str:
        account = world.users[obj.removeprefix("account-")]
        status = client.get(f"/users/{account.pk}/{suffix}/").status_code
        return "allowed" if status == 200 else f"refused-{status}"

    return run


def account_password(client: Client, world: PermissionWorld, obj: str) -> str:
    account = world.users[obj.removeprefix("account-")]
    before = User.objects.get(pk=account.pk).password
    response = client.post(f"/users/{account.pk}/password/", {"password": f"Matrix-pass-{_n()}-x"})
    if User.objects.get(pk=account.pk).password != before:
        assert response.status_code == 302
        return "allowed"
    return f"refused-{response.status_code}"


def users_page(client: Client, world: PermissionWorld, obj: str) -> str:
    status = client.get("/users/").status_code
    return "allowed" if status == 200 else f"refused-{status}"


def new_account(client: Client, world: PermissionWorld, obj: str) -> str:
    name = f"matrix{_n()}"
    response = client.post(
        "/users/new/",
        {"username": name, "password": "Matrix-pass-2026-x", "role": "leader", "region": world.a.region.pk},
    )
    if User.objects.filter(username=name).exists():
        assert response.status_code == 302
        return "allowed"
    return "refused-invalid" if response.status_code == 200 else f"refused-{response.status_code}"


USER_ACTIONS = [
    Action(
        "users:list",
        "users-page",
        ("district-A",),
        lambda r, o: "allowed" if r in OFFICES else "refused-403",
        users_page,
    ),
    Action(
        "users:create",
        "new-account",
        ("district-A",),
        lambda r, o: {"office-A": "allowed", "office-B": "refused-invalid"}.get(r, "refused-403"),
        new_account,
    ),
    Action(
        "users:edit",
        "edit-page",
        ("account-liaison-X", "account-office-B"),
        account_expect,
        account_page("edit"),
    ),
    Action(
        "users:password",
        "reset-password",
        ("account-liaison-X", "account-office-B"),
        account_expect,
        account_password,
    ),
]


DEPARTMENT_EDIT = {"department-X": {"office-A", "liaison-X"}, "department-of-B": {"office-B"}}


def _department_data(w: PermissionWorld, d: Any) -> dict[str, Any]:
    return {"short_name": d.short_name, "kind": d.kind, "contact_phone": f"021-{_n():08d}"}


DEPARTMENT_ACTIONS = [
    Action(
        "core:department_edit",
        "edit-contacts",
        ("department-X", "department-of-B"),
        writes(DEPARTMENT_EDIT),
        write(
            "post",
            lambda w, d: f"/departments/{d.pk}/edit/",
            _department_data,
            lambda w, d: type(d).objects.get(pk=d.pk).contact_phone,
        ),
    ),
]


ACTIONS: list[Action] = [
    *ENTERPRISE_FORM_ACTIONS,
    *DEPARTMENT_ACTIONS,
    *USER_ACTIONS,
    *PARK_FORM_ACTIONS,
    *PROJECT_FORM_ACTIONS,
    *API_WRITE_ACTIONS,
    Action(
        "audit:object_history", "history", HISTORY_OBJECTS, history_expect, view(_history_url("/history/"))
    ),
    Action(
        "api:object-history",
        "api-history",
        HISTORY_OBJECTS,
        history_expect,
        view(_history_url("/api/history/")),
    ),
    Action("audit:deleted_list", "deleted-records", DELETED, deleted_expect, deleted_listing),
    Action("audit:restore", "restore", DELETED, restore_expect, restore),
    # --- core: departments
    Action(
        "core:department_list",
        "list",
        ("department-X", "department-of-B"),
        lists,
        listing(lambda w, o: "/departments/"),
    ),
    Action(
        "core:department_detail",
        "view",
        ("department-X", "department-of-B"),
        reads,
        view(lambda w, o: f"/departments/{o.pk}/"),
    ),
    Action(
        "api:department-list", "api-list", ("department-X", "department-of-B"), lists, api_list("departments")
    ),
    Action(
        "api:department-detail",
        "api-detail",
        ("department-X", "department-of-B"),
        reads,
        api_detail("departments"),
    ),
    # --- plans
    Action("plans:list", "list", PLANS, lists, listing(lambda w, o: "/plans/")),
    Action("plans:detail", "view", PLANS, reads, view(lambda w, o: f"/plans/{o.pk}/")),
    Action("plans:diff", "diff", PLANS, reads, view(lambda w, o: f"/plans/{o.pk}/diff/{o.pk}/")),
    Action(
        "plans:search",
        "search",
        ("target-of-plan-A", "target-of-plan-B", "target-of-draft-plan-A"),
        lists,
        listing(
            lambda w, o: f"/plans/search/?q={o.metric[-7:]}"
        ),  # the page echoes the query, not the metric
    ),
    Action(
        "plans:import",
        "import",
        ("district-A", "district-B"),
        # Any office may upload (the draft is its own, unseen by others); the plan's district is
        # checked when the draft is published (plans:draft_publish and the draft's region choice).
        lambda role, obj: "allowed" if role.startswith("office-") else "refused-403",
        write("post", lambda w, o: "/plans/import/", _plan_draft_file, _uploads),
    ),
    # --- plans: uploaded plans under review
    Action("plans:draft_list", "list", UPLOADS, lists, listing(lambda w, o: "/plans/drafts/?state=all")),
    Action("plans:draft_review", "view", UPLOADS, reads, view(lambda w, o: f"/plans/drafts/{o.pk}/")),
    Action(
        "plans:draft_item", "item-form", UPLOADS, reads, view(lambda w, o: f"/plans/drafts/{o.pk}/parks/0/")
    ),
    _upload_writes(
        "plans:draft_item",
        "item-edit",
        lambda w, o: f"/plans/drafts/{o.pk}/parks/0/",
        {"name": "改名后的园区"},
        _upload_content,
    ),
    _upload_writes(
        "plans:draft_item_add",
        "item-add",
        lambda w, o: f"/plans/drafts/{o.pk}/parks/new/",
        {"name": "新增园区"},
        _upload_content,
    ),
    _upload_writes(
        "plans:draft_item_delete",
        "item-delete",
        lambda w, o: f"/plans/drafts/{o.pk}/targets/1/delete/",
        {},
        _upload_content,
    ),
    _upload_writes(
        "plans:draft_meta",
        "details",
        lambda w, o: f"/plans/drafts/{o.pk}/meta/",
        {"title": "改名后的方案", "period_start": 2025, "period_end": 2027},
        _upload_content,
    ),
    _upload_writes(
        "plans:draft_discard", "discard", lambda w, o: f"/plans/drafts/{o.pk}/discard/", {}, _upload_state
    ),
    _upload_writes(
        "plans:draft_publish", "publish", lambda w, o: f"/plans/drafts/{o.pk}/publish/", {}, _upload_state
    ),
    Action(
        "plans:successor",
        "map-successor",
        ("target-of-plan-A", "target-of-plan-B"),
        writes({"target-of-plan-A": {"office-A"}, "target-of-plan-B": {"office-B"}}),
        write(
            "post",
            lambda w, t: f"/plans/{t.plan_id}/successor/",
            lambda w, t: {"kind": "target", "item": t.pk, "successor": _next_version_target(w, t).pk},
            _successor,
            prepare=_next_version_target,
        ),
    ),
    Action("api:plan-list", "api-list", PLANS, lists, api_list("plans")),
    Action("api:plan-detail", "api-detail", PLANS, reads, api_detail("plans")),
    Action(
        "api:target-list",
        "api-list",
        ("target-of-plan-A", "target-of-plan-B", "target-of-draft-plan-A"),
        lists,
        api_list("targets"),
    ),
    Action(
        "api:target-detail",
        "api-detail",
        ("target-of-plan-A", "target-of-plan-B", "target-of-draft-plan-A"),
        reads,
        api_detail("targets"),
    ),
    Action(
        "plans:task_nodes",
        "nodes",
        ("task-of-X", "task-of-B"),
        reads,
        view(lambda w, o: f"/plans/tasks/{o.pk}/nodes/"),
    ),
    Action(
        "plans:task_nodes",
        "add-node",
        ("task-of-X", "task-of-B"),
        writes({"task-of-X": {"office-A"}, "task-of-B": {"office-B"}}),
        write(
            "post",
            lambda w, t: f"/plans/tasks/{t.pk}/nodes/",
            lambda w, t: {"title": "矩阵节点", "due_date": "2026-06-30"},
            _nodes_of,
        ),
    ),
    Action("api:task-list", "api-list", ("task-of-X", "task-of-B"), lists, api_list("tasks")),
    Action("api:task-detail", "api-detail", ("task-of-X", "task-of-B"), reads, api_detail("tasks")),
    Action("api:park-list", "api-list", ("plan-park-of-A", "plan-park-of-B"), lists, api_list("parks")),
    Action("api:park-detail", "api-detail", ("plan-park-of-A", "plan-park-of-B"), reads, api_detail("parks")),
    # --- tracking: dashboard, status, bindings
    Action("tracking:dashboard", "dashboard", PLANS, reads, view(lambda w, o: f"/tracking/?plan={o.pk}")),
    Action(
        "tracking:dashboard",
        "district-dashboard",
        ("district-A", "district-B"),
        reads,
        view(lambda w, o: f"/tracking/?region={o.pk}"),
    ),
    Action(
        "api:target-status-list",
        "api-status",
        PLANS,
        reads,
        view(lambda w, o: f"/api/target-status/?plan={o.pk}"),
    ),
    Action(
        "tracking:binding_list",
        "bindings",
        PLANS,
        reads,
        view(lambda w, o: f"/tracking/plans/{o.pk}/bindings/"),
    ),
    Action(
        "tracking:binding_list",
        "bind-target",
        ("target-of-plan-A", "target-of-plan-B"),
        writes({"target-of-plan-A": {"office-A"}, "target-of-plan-B": {"office-B"}}),
        write(
            "post",
            lambda w, t: f"/tracking/plans/{t.plan_id}/bindings/",
            lambda w, t: {
                "target": t.pk,
                "indicator": w.indicator.pk,
                "scope": t.plan.region.name,
                "baseline_value": "77",
            },
            _binding,
        ),
    ),
    # --- tracking: cycles, reminders, progress reports
    Action("tracking:cycle_list", "list", CYCLES, lists, listing(lambda w, o: "/tracking/cycles/")),
    Action(
        "tracking:cycle_list",
        "open-cycle",
        ("district-A",),
        lambda role, obj: (
            "allowed" if role in ("office-A", "office-B") else "refused-403"
        ),  # each in its own district
        write(
            "post",
            lambda w, o: "/tracking/cycles/",
            lambda w, o: {"year": 2025, "quarter": 1, "deadline": "2025-04-10"},
            _cycles,
        ),
    ),
    Action("tracking:cycle_detail", "view", CYCLES, reads, view(lambda w, o: f"/tracking/cycles/{o.pk}/")),
    Action(
        "tracking:cycle_remind",
        "remind",
        CYCLES,
        writes(REMIND),
        write(
            "post",
            lambda w, c: f"/tracking/cycles/{c.pk}/remind/",
            lambda w, c: {},
            _reminders,
            prepare=lambda w, c: Reminder.objects.filter(cycle=c).update(count=0),
        ),
    ),
    # the confirm page of 生成催办提醒 (who will be reminded), the deadline and closing: the office
    Action(
        "tracking:cycle_remind",
        "remind-preview",
        CYCLES,
        writes(REMIND),
        view(lambda w, c: f"/tracking/cycles/{c.pk}/remind/"),
    ),
    Action(
        "tracking:cycle_edit",
        "cycle-deadline",
        CYCLES,
        writes(REMIND),
        write(
            "post",
            lambda w, c: f"/tracking/cycles/{c.pk}/edit/",
            lambda w, c: {"deadline": "2030-01-31"},
            lambda w, c: ReportingCycle.objects.get(pk=c.pk).deadline,
        ),
    ),
    Action(
        "tracking:cycle_close",
        "cycle-close",
        CYCLES,
        writes(REMIND),
        write(
            "post",
            lambda w, c: f"/tracking/cycles/{c.pk}/close/",
            lambda w, c: {},
            lambda w, c: ReportingCycle.objects.get(pk=c.pk).state,
            prepare=lambda w, c: ReportingCycle.objects.filter(pk=c.pk).update(state="open"),
        ),
    ),
    Action(
        "home",
        "start-page-reminders",
        ("reminder-of-X", "reminder-of-Y", "reminder-of-B"),
        lists,
        listing(lambda w, o: "/"),
    ),
    Action("tracking:report_detail", "view", REPORTS, reads, view(lambda w, o: f"/tracking/reports/{o.pk}/")),
    Action("tracking:attachment_download", "attachment", REPORTS, reads, attachment_download),
    *(
        Action(
            "tracking:report_detail",
            review,
            REPORTS,
            writes(REVIEW),
            write(
                "post",
                lambda w, r: f"/tracking/reports/{r.pk}/",
                lambda w, r, review=review, comment=comment: {"action": review, "comment": comment},
                _report_state,
                prepare=_set_report("submitted"),
            ),
        )
        for review, comment in (("accept", ""), ("return", "补充"))
    ),
    Action("tracking:report_edit", "write-report", TASK_REPORTS, report_page_expect, write_report(api=False)),
    Action("tracking:report_edit", "submit-form", REPORTS, submit_page_expect, submit_page),
    Action("api:reporting-cycle-list", "api-list", CYCLES, lists, api_list("reporting-cycles")),
    Action("api:reporting-cycle-detail", "api-detail", CYCLES, reads, api_detail("reporting-cycles")),
    Action("api:progress-report-list", "api-list", REPORTS, lists, api_list("progress-reports")),
    Action(
        "api:progress-report-list",
        "api-write-report",
        TASK_REPORTS,
        report_api_expect,
        write_report(api=True),
    ),
    Action("api:progress-report-detail", "api-detail", REPORTS, reads, api_detail("progress-reports")),
    Action(
        "api:progress-report-submit",
        "api-submit",
        REPORTS,
        writes(SUBMIT),
        write(
            "post",
            lambda w, r: f"/api/progress-reports/{r.pk}/submit/",
            lambda w, r: {},
            _report_state,
            prepare=_set_report("draft"),
        ),
    ),
    Action(
        "api:progress-report-accept",
        "api-accept",
        REPORTS,
        writes(REVIEW),
        write(
            "post",
            lambda w, r: f"/api/progress-reports/{r.pk}/accept/",
            lambda w, r: {"comment": ""},
            _report_state,
            prepare=_set_report("submitted"),
        ),
    ),
    Action(
        "api:progress-report-return-",
        "api-return",
        REPORTS,
        writes(REVIEW),
        write(
            "post",
            lambda w, r: f"/api/progress-reports/{r.pk}/return/",
            lambda w, r: {"comment": "补充"},
            _report_state,
            prepare=_set_report("submitted"),
        ),
    ),
    # --- tracking: figures
    Action("tracking:observation_list", "list", FIGURES, lists, listing(lambda w, o: "/tracking/figures/")),
    Action(
        "tracking:observation_list",
        "record-figure",
        RECORD_SCOPES,
        record_page_expect,
        record_figure(api=False),
    ),
    Action(
        "tracking:observation_history",
        "view",
        FIGURES,
        reads,
        view(lambda w, o: f"/tracking/figures/{o.pk}/history/"),
    ),
    Action(
        "tracking:conflict_list", "conflicts", FIGURES, lists, listing(lambda w, o: "/tracking/conflicts/")
    ),
    Action(
        "tracking:conflict_list",
        "choose-figure",
        FIGURES,
        writes(CHOOSE),
        write(
            "post",
            lambda w, o: "/tracking/conflicts/",
            lambda w, o: {"observation": o.pk},
            _chosen,
        ),
    ),
    Action("api:observation-list", "api-list", FIGURES, lists, api_list("observations")),
    Action(
        "api:observation-list", "api-record-figure", RECORD_SCOPES, record_api_expect, record_figure(api=True)
    ),
    Action("api:observation-detail", "api-detail", FIGURES, reads, api_detail("observations")),
    Action(
        "api:observation-choose",
        "api-choose-figure",
        FIGURES,
        writes(CHOOSE),
        write(
            "post",
            lambda w, o: f"/api/observations/{o.pk}/choose/",
            lambda w, o: {},
            _chosen,
        ),
    ),
    # indicators: a catalogue shared by every district; any office admin keeps it
    Action(
        "tracking:indicator_list",
        "list",
        ("indicator",),
        lists,
        listing(lambda w, o: "/tracking/indicators/"),
    ),
    Action(
        "tracking:indicator_list",
        "add-indicator",
        ("indicator",),
        lambda role, obj: "allowed" if role.startswith("office") else "refused-403",
        write(
            "post",
            lambda w, o: "/tracking/indicators/",
            lambda w, o: {"name": "新指标MATRIX", "unit": "家", "aggregation": "last", "description": ""},
            lambda w, o: Indicator.objects.count(),
        ),
    ),
    Action(
        "tracking:indicator_edit",
        "edit-form",
        ("indicator",),
        lambda role, obj: "allowed" if role.startswith("office") else "refused-403",
        view(lambda w, o: f"/tracking/indicators/{o.pk}/"),
    ),
    Action(
        "tracking:indicator_edit",
        "edit-indicator",
        ("indicator",),
        lambda role, obj: "allowed" if role.startswith("office") else "refused-403",
        write(
            "post",
            lambda w, o: f"/tracking/indicators/{o.pk}/",
            lambda w, o: {
                "aggregation": "average" if o.aggregation != "average" else "sum",
                "description": "MATRIX",
            },
            lambda w, o: Indicator.objects.get(pk=o.pk).description,
        ),
    ),
    Action("api:indicator-list", "api-list", ("indicator",), lists, api_list("indicators")),
    Action("api:indicator-detail", "api-detail", ("indicator",), reads, api_detail("indicators")),
    # --- reports: downloads and imports
    Action("reports:index", "downloads-page", PLANS, lists, listing(lambda w, o: "/reports/")),
    Action("reports:quarterly_docx", "quarterly-docx", PLANS, reads, view(_quarterly)),
    Action("reports:final_docx", "final-docx", PLANS, reads, ended_plan_view),
    Action("reports:quarterly_docx", "report-text-in-docx", REPORTS, docx_expect, docx_listing),
    Action(
        "reports:targets_xlsx",
        "targets-xlsx",
        PLANS,
        reads,
        view(lambda w, o: f"/reports/plans/{o.pk}/targets.xlsx"),
    ),
    Action(
        "reports:tasks_xlsx",
        "tasks-xlsx",
        PLANS,
        reads,
        view(lambda w, o: f"/reports/plans/{o.pk}/tasks.xlsx"),
    ),
    Action(
        "reports:tasks_xlsx",
        "import-task-sheet",
        PLANS,
        writes(OFFICE),
        write(
            "post",
            lambda w, p: f"/reports/plans/{p.pk}/tasks.xlsx",
            _tasks_sheet,
            _tasks_of,
        ),
    ),
    Action(
        "reports:observations_xlsx",
        "figures-in-xlsx",
        FIGURES,
        lists,
        listing(lambda w, o: "/reports/figures.xlsx"),
    ),
    Action(
        "reports:observations_xlsx",
        "import-figure-sheet",
        ("district-A",),  # every user imports into its own region; the row names district A
        lambda role, obj: {"office-A": "allowed", "liaison-X": "allowed", "office-B": "refused-400"}.get(
            role, "refused-403"
        ),
        write("post", lambda w, o: "/reports/figures.xlsx", _figures_sheet, _figures),
    ),
    # --- enterprises
    Action("enterprises:list", "list", _registry("enterprise"), lists, listing(lambda w, o: "/enterprises/")),
    Action(
        "enterprises:detail",
        "view",
        _registry("enterprise"),
        reads,
        view(lambda w, o: f"/enterprises/{o.pk}/"),
    ),
    Action(
        "enterprises:honour_grant",
        "grant-honour",
        _registry("enterprise"),
        writes(REGISTRY_EDIT),
        write(
            "post",
            lambda w, e: f"/enterprises/{e.pk}/honours/",
            lambda w, e: {"kind": "specialized", "valid_from": "2024-01-01"},
            _honours,
        ),
    ),
    Action(
        "enterprises:figure_record",
        "record-company-figure",
        _registry("enterprise"),
        writes(REGISTRY_EDIT),
        write(
            "post",
            lambda w, e: f"/enterprises/{e.pk}/figures/",
            lambda w, e: {"year": 2024, "quarter": 0, "source": "statistics", "revenue": "100"},
            _company_figures,
        ),
    ),
    Action(
        "enterprises:pool",
        "cultivation-pool",
        _registry("enterprise"),
        lists,
        listing(lambda w, o: "/enterprises/pool/"),
    ),
    Action(
        "enterprises:derived",
        "list",
        ("derived-rule-A", "derived-rule-B"),
        lists,
        listing(lambda w, o: "/enterprises/derived/"),
    ),
    *[
        Action("enterprises:export", f"{kind}-sheet", _registry(obj_kind), lists, sheet_marker_listing(kind))
        for kind, obj_kind in REGISTRY_SHEETS.items()
    ],
    Action(
        "enterprises:import",
        "import-sheet",
        ("district-A",),
        lambda role, obj: "refused-403" if role in ("leader-A", "researcher") else "allowed",  # own district
        import_sheet,
    ),
    Action(
        "enterprises:import_status",
        "view",
        ("import-job-A", "import-job-B"),
        reads,
        view(lambda w, o: f"/enterprises/import/{o.pk}/"),
    ),
    Action(
        "enterprises:import_retry",
        "retry",
        ("import-job-A", "import-job-B"),
        reads,  # whoever sees the job started it or is the district's office: both may import there
        import_retry,
    ),
    Action("api:enterprise-list", "api-list", _registry("enterprise"), lists, api_list("enterprises")),
    Action("api:enterprise-detail", "api-detail", _registry("enterprise"), reads, api_detail("enterprises")),
    Action(
        "api:enterprise-honour-list", "api-list", _registry("honour"), lists, api_list("enterprise-honours")
    ),
    Action(
        "api:enterprise-honour-detail",
        "api-detail",
        _registry("honour"),
        reads,
        api_detail("enterprise-honours"),
    ),
    Action(
        "api:enterprise-figure-list",
        "api-list",
        _registry("company-figure"),
        lists,
        api_list("enterprise-figures"),
    ),
    Action(
        "api:enterprise-figure-detail",
        "api-detail",
        _registry("company-figure"),
        reads,
        api_detail("enterprise-figures"),
    ),
    Action("api:product-list", "api-list", _registry("product"), lists, api_list("products")),
    Action("api:product-detail", "api-detail", _registry("product"), reads, api_detail("products")),
    Action(
        "api:derived-rule-list",
        "api-list",
        ("derived-rule-A", "derived-rule-B"),
        lists,
        api_list("derived-rules"),
    ),
    Action(
        "api:derived-rule-detail",
        "api-detail",
        ("derived-rule-A", "derived-rule-B"),
        reads,
        api_detail("derived-rules"),
    ),
    # --- parks
    Action("parks:list", "list", _registry("park"), lists, listing(lambda w, o: "/registry/parks/")),
    Action("parks:detail", "view", _registry("park"), reads, view(lambda w, o: f"/registry/parks/{o.pk}/")),
    Action(
        "parks:spaces", "list", _registry("space"), lists, listing(lambda w, o: "/registry/parks/spaces/")
    ),
    Action(
        "parks:demands", "list", _registry("demand"), lists, listing(lambda w, o: "/registry/parks/demands/")
    ),
    Action(
        "parks:demand",
        "view",
        _registry("demand"),
        reads,
        view(lambda w, o: f"/registry/parks/demands/{o.pk}/"),
    ),
    Action("parks:demand", "space-offered", _registry("space"), offers_expect, offers_listing),
    Action(
        "parks:demand_accept",
        "accept-offer",
        _registry("demand"),
        writes(DEMAND_EDIT),
        write(
            "post",
            lambda w, d: f"/registry/parks/demands/{d.pk}/accept/",
            _offer,
            _demand_status,
        ),
    ),
    Action("api:registry-park-list", "api-list", _registry("park"), lists, api_list("registry-parks")),
    Action("api:registry-park-detail", "api-detail", _registry("park"), reads, api_detail("registry-parks")),
    Action("api:land-parcel-list", "api-list", _registry("parcel"), lists, api_list("land-parcels")),
    Action("api:land-parcel-detail", "api-detail", _registry("parcel"), reads, api_detail("land-parcels")),
    Action("api:floor-space-list", "api-list", _registry("space"), lists, api_list("floor-spaces")),
    Action("api:floor-space-detail", "api-detail", _registry("space"), reads, api_detail("floor-spaces")),
    Action("api:space-demand-list", "api-list", _registry("demand"), lists, api_list("space-demands")),
    Action("api:space-demand-detail", "api-detail", _registry("demand"), reads, api_detail("space-demands")),
    # --- projects
    Action("projects:list", "list", _registry("project"), lists, listing(lambda w, o: "/projects/")),
    Action("projects:map", "battle-map", _registry("project"), lists, listing(lambda w, o: "/projects/map/")),
    Action("projects:detail", "view", _registry("project"), reads, view(lambda w, o: f"/projects/{o.pk}/")),
    Action(
        "projects:advance",
        "stage-reached",
        _registry("project"),
        writes(PROJECT_EDIT),
        write(
            "post",
            lambda w, p: f"/projects/{p.pk}/advance/",
            lambda w, p: {"stage": "signed", "actual_on": "2024-01-05"},
            _milestone("signed", "actual_on"),
        ),
    ),
    Action(
        "projects:plan",
        "stage-replanned",
        _registry("project"),
        writes(PROJECT_EDIT),
        write(
            "post",
            lambda w, p: f"/projects/{p.pk}/plan/",
            lambda w, p: {"stage": "land", "planned_on": "2024-09-01"},
            _milestone("land", "planned_on"),
        ),
    ),
    Action("api:project-list", "api-list", _registry("project"), lists, api_list("projects")),
    Action("api:project-detail", "api-detail", _registry("project"), reads, api_detail("projects")),
    # --- regions: reference data (names of administrative areas), read by every signed-in user
    Action(
        "api:region-list", "api-list", ("district-A", "district-B"), always("listed"), api_list("regions")
    ),
    Action(
        "api:region-detail",
        "api-detail",
        ("district-A", "district-B"),
        always("allowed"),
        api_detail("regions"),
    ),
]

# Read-only API endpoints refuse every write method, whoever asks and whatever the object (the
# registries' enterprises, honours, figures, projects and spaces are written: API_WRITE_ACTIONS).
READ_ONLY_API = {
    "department": "department-X",
    "plan": "plan-A",
    "target": "target-of-plan-A",
    "task": "task-of-X",
    "park": "plan-park-of-A",
    "indicator": "indicator",
    "reporting-cycle": "cycle-A",
    "product": "product-in-P1",
    "derived-rule": "derived-rule-A",
    "registry-park": "park-in-P1",
    "land-parcel": "parcel-in-P1",
    "space-demand": "demand-in-P1",
    "region": "district-A",
}
API_PATHS = {
    "department": "departments",
    "plan": "plans",
    "target": "targets",
    "task": "tasks",
    "park": "parks",
    "indicator": "indicators",
    "reporting-cycle": "reporting-cycles",
    "enterprise": "enterprises",
    "enterprise-honour": "enterprise-honours",
    "enterprise-figure": "enterprise-figures",
    "product": "products",
    "derived-rule": "derived-rules",
    "registry-park": "registry-parks",
    "land-parcel": "land-parcels",
    "floor-space": "floor-spaces",
    "space-demand": "space-demands",
    "project": "projects",
    "region": "regions",
    "observation": "observations",
    "progress-report": "progress-reports",
}


def api_write_methods(path: str, writable_list: bool) -> Callable[[Client, PermissionWorld, str], str]:
    """POST on the list (unless it creates), PUT, PATCH and DELETE on the object: each must answer 405."""

    def run(client: Client, world: PermissionWorld, obj: str) -> str:
        detail = f"/api/{path}/{_get(world, obj).pk}/"
        tries = [("put", detail), ("patch", detail), ("delete", detail)]
        if not writable_list:
            tries.append(("post", f"/api/{path}/"))
        answers = {
            f"{m} {u}": getattr(client, m)(u, "{}", content_type="application/json").status_code
            for m, u in tries
        }
        odd = {k: v for k, v in answers.items() if v != 405}
        return "refused-405" if not odd else f"answered {odd}"

    return run


for _basename, _obj in READ_ONLY_API.items():
    ACTIONS.append(
        Action(
            f"api:{_basename}-detail",
            "api-write-methods",
            (_obj,),
            always("refused-405"),
            api_write_methods(API_PATHS[_basename], False),
        )
    )
for _basename, _obj in (("observation", "figure-of-X"), ("progress-report", "report-of-X")):
    ACTIONS.append(
        Action(
            f"api:{_basename}-detail",
            "api-write-methods",
            (_obj,),
            always("refused-405"),
            api_write_methods(API_PATHS[_basename], True),
        )
    )


# Routes no action exercises, each with the reason.
EXEMPT = {
    "login": "public: the sign-in page",
    "logout": "signs the user out; no data",
    "healthz": "public: database ping, no data",
    "set_language": "public: stores the language choice",
    "api-schema": "the OpenAPI description (signed-in users; no data rows)",
    "api-docs": "the Swagger page (signed-in users; no data rows)",
    "api:api-root": "the API index: links only",
    "parks:map_layers": "map layers (底图): every role and district tested in tests/parks/test_map_layers.py",
    "parks:map_layer_withdraw": "map layers (底图): office of the district only, tested in tests/parks/test_map_layers.py",
    "help": "the user guide (docs/user-guide.md; signed-in users; no data rows)",
    "help_api": "the API guide (docs/api-guide.md; signed-in users; no data rows)",
    "help_image": "a screenshot of the user guide (signed-in users; fixed files, no data rows)",
}


def _route_names(resolver: URLResolver, prefix: str = "", ns: str = "") -> set[str]:
    """Every named route; those under /api/ (the router's, not namespaced) are called "api:<name>"."""
    names = set()
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            if p.namespace == "admin":
                continue  # Django's admin: staff only, see test_admin_is_for_staff_only
            names |= _route_names(p, prefix + str(p.pattern), f"{ns}{p.namespace}:" if p.namespace else ns)
        elif isinstance(p, URLPattern) and p.name:
            api = (prefix + str(p.pattern)).startswith("api/") and p.name not in ("api-schema", "api-docs")
            names.add(("api:" if api else ns) + p.name)
    return names


def _all_routes() -> set[str]:
    return _route_names(get_resolver())


def test_every_route_is_in_the_matrix() -> None:
    covered = {a.route for a in ACTIONS}
    unclassified = sorted(_all_routes() - covered - set(EXEMPT))
    assert not unclassified, (
        f"routes the permission matrix does not classify; add an Action (or an EXEMPT reason): {unclassified}"
    )
    stale = sorted(covered - _all_routes())
    assert not stale, f"matrix actions for routes that no longer exist: {stale}"


def test_cell_ids_are_unique() -> None:
    ids = [cell.id for cell in CELLS]
    assert len(ids) == len(set(ids))


def test_admin_is_for_superusers_only(client: Client, perm_world: PermissionWorld) -> None:
    """Every role is refused, with the staff flag too (the admin checks no region or department)."""
    from tests.factories import UserFactory

    for role, user in perm_world.users.items():
        for staff in (False, True):
            user.is_staff = staff
            user.save(update_fields=["is_staff"])
            client.force_login(user)
            response = client.get("/admin/")
            assert response.status_code == 302 and "/admin/login/" in response["Location"], (role, staff)
    client.force_login(UserFactory(username="operator-root", is_staff=True, is_superuser=True))
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/core/user/").status_code == 200


CELLS = [
    pytest.param(
        role,
        action,
        obj,
        action.expect(role, obj),
        id=f"{role}:{obj}:{action.name}:{action.expect(role, obj)}",
    )
    for action in ACTIONS
    for obj in action.objects
    for role in ROLES
]


@pytest.fixture(scope="module", autouse=True)
def quiet_refusals() -> Any:
    """Thousands of expected 403/404 answers: skip logging each with its traceback (half the run time)."""
    import logging

    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.ERROR)
    yield
    logger.setLevel(level)


@pytest.fixture(scope="module")
def browsers(perm_world: PermissionWorld, django_db_blocker: Any) -> dict[str, Client]:
    """A signed-in test client per role, made once (its session row lives in the world's transaction).

    One client per role for the whole module: a new Client loads the middleware again, and WhiteNoise
    then scans every static file (about 0.1 s a cell)."""
    out = {}
    with django_db_blocker.unblock():
        for role, user in perm_world.users.items():
            browser = Client()
            browser.force_login(user)
            browser.role = role  # type: ignore[attr-defined]
            browser.world_id = id(perm_world)  # type: ignore[attr-defined]
            out[role] = browser
    return out


@pytest.mark.parametrize(("role", "action", "obj", "expected"), CELLS)
def test_permission(
    browsers: dict[str, Client],
    perm_world: PermissionWorld,
    role: str,
    action: Action,
    obj: str,
    expected: str,
) -> None:
    assert action.run(browsers[role], perm_world, obj) == expected


# ------------------------------------------------------------------------------------------ CLI
# The `bioplan` verbs run with the operator's rights (docs/permissions.md); the one that acts for a
# named user is `registries_import --user`. Each role imports a one-row enterprise sheet (the
# enterprise of park P1, with a new address) into district A and into district B.
CLI_WRITERS = {"A": {"office-A", "park-P1"}, "B": {"office-B"}}


class _System:
    is_superuser = True
    is_authenticated = True


def _one_enterprise_sheet(world: PermissionWorld, district: str, path: Any) -> Any:
    from openpyxl import load_workbook

    from bioplan.sheets import export_workbook, sheet_spec

    d = world.district(district)
    book = load_workbook(
        io.BytesIO(export_workbook(sheet_spec("enterprises"), user=_System(), region=d.region))
    )
    sheet = book.active
    header = [c.value for c in sheet[1]]
    rows = [
        r
        for r in sheet.iter_rows(min_row=2, values_only=True)
        if r[header.index("企业名称")] == d.enterprise_p1.name
    ]
    sheet.delete_rows(2, sheet.max_row)
    for row in rows:
        values = list(row)
        values[header.index("注册地址")] = f"CLI-{district}"
        sheet.append(values)
    book.save(path)
    return d.enterprise_p1


@pytest.mark.parametrize(
    ("role", "district", "expected"),
    [
        pytest.param(
            r,
            d,
            "allowed" if r in CLI_WRITERS[d] else "refused",
            id=f"{r}:enterprise-of-P1-in-{d}:cli-import:{'allowed' if r in CLI_WRITERS[d] else 'refused'}",
        )
        for d in ("A", "B")
        for r in ROLES
    ],
)
def test_cli_registries_import_acts_for_the_named_user(
    perm_world: PermissionWorld, tmp_path: Any, role: str, district: str, expected: str
) -> None:
    from django.core.management import call_command
    from django.core.management.base import CommandError

    from bioplan.enterprises.models import Enterprise

    path = tmp_path / "enterprises.xlsx"
    enterprise = _one_enterprise_sheet(perm_world, district, path)
    try:
        call_command(
            "registries_import",
            "enterprises",
            str(path),
            district=perm_world.district(district).region.name,
            user=role,
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )
        outcome = "allowed"
    except (CommandError, SystemExit):
        outcome = "refused"
    changed = Enterprise.objects.get(pk=enterprise.pk).address == f"CLI-{district}"
    assert (outcome, changed) == (expected, expected == "allowed")


def test_every_cli_verb_is_classified() -> None:
    """A new verb must say whether it acts for a user (and then join the matrix) or as the operator."""
    from bioplan.cli import build_parser

    operator_verbs = {
        "extract",
        "plans",
        "demo",
        "serve",
        "backup",
        "restore",
        "manage",
        "check",
        "status",
        "report",
    }
    parser = build_parser()
    verbs = set(next(a for a in parser._actions if a.dest == "verb").choices)  # type: ignore[arg-type]
    assert verbs == operator_verbs, (
        f"classify the new CLI verbs in docs/permissions.md: {verbs ^ operator_verbs}"
    )
