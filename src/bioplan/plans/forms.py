from __future__ import annotations

import json
from pathlib import Path

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from bioplan.ingest.draft import PlanDraft
from bioplan.ingest.errors import DraftInvalid


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

    def draft(self) -> PlanDraft:
        """The uploaded plan as a PlanDraft (raises an IngestError naming the problem)."""
        upload = self.cleaned_data["file"]
        data = upload.read()
        if Path(upload.name).suffix.lower() == ".json":
            try:
                raw = json.loads(data.decode("utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                raise DraftInvalid(f"not valid UTF-8 JSON ({exc})", source=upload.name) from exc
            return PlanDraft.from_dict(raw, source=upload.name)
        import tempfile

        from bioplan.ingest.extract import extract_document

        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / Path(upload.name).name
            path.write_bytes(data)
            return extract_document(path)
