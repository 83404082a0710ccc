"""Pages of the plan review (导入草稿): the list of drafts, the review page, and the actions on a draft.

Thin: find the draft among those the user may see (404 otherwise), parse the form, call one
service of `review_services`, show its refusal as a message. The item forms open in place on the
review page through HTMX (a GET of the partial); without JavaScript the same URL is a page of its
own. Every POST ends in a redirect to the review page, anchored at the item.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from bioplan.plans import review_selectors, review_services
from bioplan.plans.choices import ImportDraftState
from bioplan.plans.models import ImportDraft
from bioplan.plans.review_forms import ITEM_FORMS, DraftMetaForm

KIND_LABELS = {
    "targets": gettext_lazy("target"),
    "tasks": gettext_lazy("task"),
    "parks": gettext_lazy("park"),
}


def _draft(request: HttpRequest, pk: int) -> ImportDraft:
    drafts = review_selectors.import_drafts_visible_to(request.user).select_related("region", "plan")
    return get_object_or_404(drafts, pk=pk)


def _version(request: HttpRequest) -> int | None:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return None


def _review_url(import_draft: ImportDraft, anchor: str = "") -> str:
    url = reverse("plans:draft_review", args=[import_draft.pk])
    return f"{url}#{anchor}" if anchor else url


def _refusal(request: HttpRequest, exc: ValidationError) -> None:
    for text in exc.messages:
        messages.error(request, text)


def draft_list(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("state", ImportDraftState.PENDING)
    if state not in ImportDraftState.values and state != "all":
        state = ImportDraftState.PENDING
    drafts = review_selectors.import_draft_list(user=request.user, state=None if state == "all" else state)
    return render(
        request,
        "plans/draft_list.html",
        {"drafts": drafts, "state": state, "states": ImportDraftState.choices},
    )


def draft_review(request: HttpRequest, pk: int) -> HttpResponse:
    import_draft = _draft(request, pk)
    page = review_selectors.import_draft_page(import_draft=import_draft)
    meta_form = DraftMetaForm(
        initial=DraftMetaForm.initial_from(
            import_draft.content.get("plan") or {}, import_draft.region, import_draft.version
        ),
        regions=review_selectors.regions_for_review(request.user),
    )
    return render(
        request,
        "plans/draft_review.html",
        {
            "page": page,
            "import_draft": import_draft,
            "meta_form": meta_form,
            "editable": import_draft.state == ImportDraftState.PENDING,
        },
    )


@require_POST
def draft_meta(request: HttpRequest, pk: int) -> HttpResponse:
    import_draft = _draft(request, pk)
    form = DraftMetaForm(request.POST, regions=review_selectors.regions_for_review(request.user))
    if form.is_valid():
        try:
            review_services.import_draft_meta_update(
                import_draft=import_draft,
                user=request.user,  # type: ignore[arg-type]
                expected_version=_version(request),
                region=form.cleaned_data["region"],
                meta=form.meta(),
            )
        except ValidationError as exc:
            _refusal(request, exc)
        else:
            messages.success(request, _("The plan's details were saved."))
            return redirect(_review_url(import_draft, "draft-meta"))
    page = review_selectors.import_draft_page(import_draft=import_draft)
    return render(
        request,
        "plans/draft_review.html",
        {"page": page, "import_draft": import_draft, "meta_form": form, "editable": True},
    )


def _item_form_initial(import_draft: ImportDraft, kind: str, index: int | None) -> dict[str, Any]:
    form_class = ITEM_FORMS[kind]
    if index is None:
        return {"version": import_draft.version}
    items = import_draft.content.get(kind) or []
    if not 0 <= index < len(items) or not isinstance(items[index], dict):
        raise Http404(_("This item no longer exists in the draft."))
    return {**form_class.initial_from(items[index]), "version": import_draft.version}


@require_http_methods(["GET", "POST"])
def draft_item(request: HttpRequest, pk: int, kind: str, index: int | None = None) -> HttpResponse:
    """Edit the `index`-th item of `kind` (targets, tasks, parks), or add one when `index` is None."""
    import_draft = _draft(request, pk)
    if kind not in ITEM_FORMS:
        raise Http404(_("No such kind of item."))
    form_class = ITEM_FORMS[kind]
    if request.method == "POST":
        form = form_class(request.POST)
        if form.is_valid():
            try:
                review_services.import_draft_item_save(
                    import_draft=import_draft,
                    user=request.user,  # type: ignore[arg-type]
                    expected_version=_version(request),
                    kind=kind,
                    index=index,
                    item=form.item(),
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Saved."))
                position = index if index is not None else len(import_draft.content.get(kind) or []) - 1
                return redirect(_review_url(import_draft, f"item-{kind}-{position}"))
    else:
        form = form_class(initial=_item_form_initial(import_draft, kind, index))
    context = {
        "import_draft": import_draft,
        "form": form,
        "kind": kind,
        "kind_label": KIND_LABELS[kind],
        "index": index,
        "action": (
            reverse("plans:draft_item", args=[import_draft.pk, kind, index])
            if index is not None
            else reverse("plans:draft_item_add", args=[import_draft.pk, kind])
        ),
    }
    template = "plans/_draft_item_form.html" if request.htmx else "plans/draft_item.html"  # type: ignore[attr-defined]
    return render(request, template, context)


@require_POST
def draft_item_delete(request: HttpRequest, pk: int, kind: str, index: int) -> HttpResponse:
    import_draft = _draft(request, pk)
    if kind not in ITEM_FORMS:
        raise Http404(_("No such kind of item."))
    try:
        review_services.import_draft_item_delete(
            import_draft=import_draft,
            user=request.user,  # type: ignore[arg-type]
            expected_version=_version(request),
            kind=kind,
            index=index,
        )
    except ValidationError as exc:
        _refusal(request, exc)
    else:
        messages.success(request, _("Deleted."))
    return redirect(_review_url(import_draft, f"section-{kind}"))


@require_POST
def draft_publish(request: HttpRequest, pk: int) -> HttpResponse:
    import_draft = _draft(request, pk)
    try:
        result = review_services.import_draft_publish(
            import_draft=import_draft,
            user=request.user,  # type: ignore[arg-type]
            expected_version=_version(request),
        )
    except ValidationError as exc:
        _refusal(request, exc)
        return redirect(_review_url(import_draft))
    if result.created:
        messages.success(
            request,
            _("Published %(title)s as version %(version)s.")
            % {"title": result.plan.title, "version": result.plan.version},
        )
        if result.carried_summary:  # targets/tasks of the old version with no successor
            messages.warning(
                request, result.carried_summary + _("; map them on the version comparison page.")
            )
    else:
        messages.info(request, _("This plan is already stored with the same content; nothing changed."))
    return redirect("plans:detail", pk=result.plan.pk)


@require_POST
def draft_discard(request: HttpRequest, pk: int) -> HttpResponse:
    import_draft = _draft(request, pk)
    try:
        review_services.import_draft_discard(
            import_draft=import_draft,
            user=request.user,  # type: ignore[arg-type]
            expected_version=_version(request),
        )
    except ValidationError as exc:
        _refusal(request, exc)
        return redirect(_review_url(import_draft))
    messages.info(request, _("The draft was discarded."))
    return redirect("plans:draft_list")
