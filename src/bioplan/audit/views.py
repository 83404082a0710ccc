"""History pages: one object's change record, the office's deleted records, restoring one.

Thin: parse the request, check the permission, call one selector or service, render.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from bioplan.audit import selectors, services
from bioplan.audit.registry import Tracked, tracked

PAGE_SIZE = 50


def _entry(app_label: str, model_name: str) -> Tracked:
    entry = tracked(f"{app_label}.{model_name}")
    if entry is None:
        raise Http404(_("没有这类记录的变更记录。"))
    return entry


def object_history(request: HttpRequest, app_label: str, model_name: str, pk: int) -> HttpResponse:
    entry = _entry(app_label, model_name)
    if not selectors.may_read_history(request.user):
        raise PermissionDenied(_("您的角色不能查看变更记录。"))
    if not selectors.history_visible(user=request.user, entry=entry, pk=pk):
        raise Http404(_("没有找到该记录。"))
    history = selectors.object_history(entry=entry, pk=pk)
    return render(
        request,
        "audit/object_history.html",
        {"history": history, "can_restore": not history.exists and selectors.may_restore(request.user)},
    )


def deleted_list(request: HttpRequest) -> HttpResponse:
    if not selectors.may_restore(request.user):
        raise PermissionDenied(_("只有产业办管理员可以查看已删除的记录。"))
    kinds = selectors.deletable_kinds()
    kind = request.GET.get("kind", "")
    if kind not in {k.key for k in kinds}:
        kind = ""
    records = selectors.deleted_records(user=request.user, kind=kind)
    page = Paginator(records, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "audit/deleted_list.html", {"page": page, "kinds": kinds, "kind": kind})


@require_POST
def record_restore(request: HttpRequest, app_label: str, model_name: str, pk: int) -> HttpResponse:
    entry = _entry(app_label, model_name)
    if not selectors.may_restore(request.user):
        raise PermissionDenied(_("只有产业办管理员可以恢复已删除的记录。"))
    try:
        result = services.record_restore(model=entry.model, pk=pk, user=request.user)  # type: ignore[arg-type]
    except services.RestoreError as exc:
        messages.error(request, exc.message)
        return redirect("audit:deleted_list")
    except ObjectDoesNotExist as exc:
        raise Http404(_("没有找到该记录。")) from exc
    messages.success(
        request,
        _("已恢复%(kind)s「%(title)s」。")
        % {"kind": entry.verbose_name, "title": entry.title(result.record)},
    )
    if len(result.restored) > 1:
        count = len(result.restored) - 1
        messages.success(
            request,
            ngettext(
                "随它一并删除的 %(count)s 条记录也已恢复。",
                "随它一并删除的 %(count)s 条记录也已恢复。",
                count,
            )
            % {"count": count},
        )
    for title, reason in result.skipped:
        messages.warning(request, _("未恢复%(title)s：%(reason)s") % {"title": title, "reason": reason})
    for note in result.notes:
        messages.info(request, note)
    return redirect("audit:object_history", app_label=app_label, model_name=model_name, pk=pk)
