from __future__ import annotations

import json
from pathlib import Path

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from bioplan.core.models import User
from bioplan.ingest.draft import PlanDraft
from bioplan.ingest.errors import DraftInvalid, IngestError
from bioplan.plans.models import Plan, Target, Task


class PlanImportForm(forms.Form):
    """Upload of a plan: a contract-format .json, or the document itself (.docx/.pdf/.txt) to extract."""

    file = forms.FileField(label=_("Plan file (.json, .docx, .pdf, .txt)"))

    ALLOWED = (".json", ".docx", ".pdf", ".txt", ".doc")

    def clean_file(self):  # type: ignore[no-untyped-def]
        upload = self.cleaned_data["file"]
        suffix = Path(upload.name).suffix.lower()
        if suffix not in self.ALLOWED:
            raise forms.ValidationError(
                _("%(name)s: unsupported file type; use %(types)s.")
                % {"name": upload.name, "types": " ".join(self.ALLOWED)}
            )
        if upload.size > settings.BIOPLAN_MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("%(name)s is %(mb).1f MB; the limit is %(limit)d MB.")
                % {
                    "name": upload.name,
                    "mb": upload.size / 2**20,
                    "limit": settings.BIOPLAN_MAX_UPLOAD_BYTES // 2**20,
                }
            )
        return upload

    def read(self) -> tuple[PlanDraft, str]:
        """The uploaded plan as a PlanDraft and the document's text (empty for a .json upload);
        raises an IngestError naming the problem."""
        upload = self.cleaned_data["file"]
        data = upload.read()
        if Path(upload.name).suffix.lower() == ".json":
            try:
                raw = json.loads(data.decode("utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                raise DraftInvalid(f"not valid UTF-8 JSON ({exc})", source=upload.name) from exc
            except RecursionError as exc:  # [[[[… thousands deep: json gives up, so do we
                raise DraftInvalid("JSON 嵌套层数过多，不是行动方案的格式", source=upload.name) from exc
            return PlanDraft.from_dict(raw, source=upload.name), ""
        import tempfile

        from bioplan.ingest.extract import extract_text
        from bioplan.ingest.readers import read_document

        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / Path(upload.name).name
            path.write_bytes(data)
            document = read_document(path)
        # Extraction takes about 6 µs a character, inside the request: a 9 MB .txt would outlast the
        # worker's timeout. The longest real plan is about 30,000 characters.
        limit = settings.BIOPLAN_MAX_PLAN_CHARACTERS
        if len(document.text) > limit:
            raise forms.ValidationError(
                f"{upload.name}：文件含 {len(document.text):,} 个字符，超过行动方案的上限 {limit:,} 个字符"
                "（一份行动方案通常不到 5 万字）；请只上传方案正文。"
            )
        return extract_text(document.text, name=document.name), document.text


def ingest_error_message(exc: IngestError, name: str) -> str:
    """An ingest error (English, for the command line) as a sentence for the office, in its language."""
    messages = {
        "unsupported_format": _(
            "%(name)s: this file type cannot be read; use .docx, .pdf, .txt, .doc or .json."
        ),
        "broken_file": _("%(name)s is damaged, or is not the kind of file its name says."),
        "empty_document": _("%(name)s contains no text."),
        "scanned_pdf": _(
            "%(name)s is a scanned PDF without a text layer; bioplan does not recognise scanned text. "
            "Upload the Word file or a PDF with text."
        ),
        "file_too_large": _("%(name)s is too large to read."),
        "not_chinese": _("%(name)s is not a Chinese plan document."),
        "converter_missing": _(
            "%(name)s is a legacy .doc file and the server has no LibreOffice to convert it; "
            "save it as .docx and upload that."
        ),
        "draft_invalid": _("%(name)s does not follow the plan import format: %(detail)s"),
    }
    text = messages.get(exc.code, _("%(name)s cannot be read: %(detail)s"))
    return str(text) % {"name": name, "detail": exc.message}


class SuccessorForm(forms.Form):
    """The office's hand mapping: a target or task of version n (`item`) to its successor in version n+1."""

    kind = forms.ChoiceField(choices=[("target", _("target")), ("task", _("task"))])
    item = forms.IntegerField()
    successor = forms.IntegerField(label=_("successor"))

    def __init__(self, *args: object, old: Plan, new: Plan, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.old, self.new = old, new

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        model: type[Target] | type[Task] = Target if data.get("kind") == "target" else Task
        noun = "目标" if model is Target else "任务"
        item = model.objects.filter(plan=self.old, pk=data.get("item")).first()
        successor = model.objects.filter(plan=self.new, pk=data.get("successor")).first()
        if item is None:
            raise forms.ValidationError(f"第{self.old.version}版没有这项{noun}。")
        if successor is None:
            raise forms.ValidationError(f"请选择第{self.new.version}版中对应的{noun}。")
        data["item"], data["successor"] = item, successor
        return data

    def save(self, *, user: User) -> None:
        from bioplan.plans import services

        data = self.cleaned_data
        if data["kind"] == "target":
            services.target_successor_set(target=data["item"], successor=data["successor"], user=user)
        else:
            services.task_successor_set(task=data["item"], successor=data["successor"], user=user)


class TaskNodeForm(forms.Form):
    """A task node (任务节点) the office adds or updates: what, due date, done date, evidence."""

    node = forms.IntegerField(required=False, widget=forms.HiddenInput)
    title = forms.CharField(label=_("What is due"), max_length=200)
    due_date = forms.DateField(label=_("Due date"), widget=forms.DateInput(attrs={"type": "date"}))
    done_date = forms.DateField(
        label=_("Done on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    evidence = forms.CharField(label=_("Evidence"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
